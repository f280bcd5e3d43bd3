"""Signing in with a password, signing out, and API tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ledgerbridge.store import Database
from tests.integration.api.conftest import PASSWORD, bearer, person


def test_sign_in_gives_a_session_token_that_works_until_sign_out(client: TestClient, database: Database) -> None:
    dana = person(database, "Dana Reyes", password=PASSWORD)
    response = client.post("/api/v1/session", json={"email": dana.user.email.upper(), "password": PASSWORD})
    assert response.status_code == 201
    token = response.json()["data"]["token"]
    me = client.get("/api/v1/session", headers=bearer(token))
    assert me.json()["data"]["user"]["id"] == dana.id
    assert client.delete("/api/v1/session", headers=bearer(token)).status_code == 200
    after = client.get("/api/v1/workspaces", headers=bearer(token))
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "unauthorized"


def test_a_wrong_password_or_unknown_email_is_refused_alike(client: TestClient, database: Database) -> None:
    dana = person(database, "Dana Reyes", password=PASSWORD)
    wrong = client.post("/api/v1/session", json={"email": dana.user.email, "password": "nope"})
    unknown = client.post("/api/v1/session", json={"email": "nobody@example.com", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_an_api_token_is_shown_once_listed_without_secret_and_revocable(client: TestClient, database: Database) -> None:
    dana = person(database, "Dana Reyes")
    created = client.post("/api/v1/tokens", json={"name": "ci <script>"}, headers=dana.headers)
    assert created.status_code == 201
    secret = created.json()["data"]["token"]
    token_id = created.json()["data"]["id"]
    assert client.get("/api/v1/workspaces", headers=bearer(secret)).status_code == 200
    listed = client.get("/api/v1/tokens", headers=dana.headers)
    assert secret not in listed.text
    assert {"ci <script>"} <= {t["name"] for t in listed.json()["data"]}
    revoked = client.delete(f"/api/v1/tokens/{token_id}", headers=dana.headers)
    assert revoked.json()["data"]["revoked_at"] is not None
    assert client.get("/api/v1/workspaces", headers=bearer(secret)).status_code == 401


def test_sign_out_with_an_api_token_is_refused(client: TestClient, database: Database) -> None:
    dana = person(database)
    response = client.delete("/api/v1/session", headers=dana.headers)
    assert response.status_code == 422
    assert client.get("/api/v1/workspaces", headers=dana.headers).status_code == 200


def test_errors_share_one_body(client: TestClient, database: Database) -> None:
    dana = person(database)
    for response in (
        client.get("/api/v1/nowhere", headers=dana.headers),
        client.get("/api/v1/workspaces", headers=bearer("lb_forged")),
        client.post("/api/v1/tokens", json={"name": ""}, headers=dana.headers),
    ):
        error = response.json()["error"]
        assert set(error) == {"code", "message", "details"}
        assert error["message"]
