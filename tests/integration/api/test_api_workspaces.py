"""Workspaces and members."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ledgerbridge.store import Database
from tests.integration.api.conftest import World, person


def test_the_creator_becomes_admin_and_can_rename(client: TestClient, database: Database) -> None:
    dana = person(database)
    created = client.post(
        "/api/v1/workspaces", json={"name": "Acme ☃ <b>", "base_currency": "eur"}, headers=dana.headers
    )
    assert created.status_code == 201
    workspace = created.json()["data"]
    assert (workspace["name"], workspace["base_currency"], workspace["role"]) == ("Acme ☃ <b>", "EUR", "admin")
    url = f"/api/v1/workspaces/{workspace['id']}"
    assert client.patch(url, json={"name": "Acme Ltd"}, headers=dana.headers).json()["data"]["name"] == "Acme Ltd"
    mine = client.get("/api/v1/workspaces", headers=dana.headers).json()["data"]
    assert [(w["id"], w["name"]) for w in mine] == [(workspace["id"], "Acme Ltd")]


def test_an_unknown_currency_is_refused(client: TestClient, database: Database) -> None:
    dana = person(database)
    response = client.post("/api/v1/workspaces", json={"name": "X", "base_currency": "ZZZ"}, headers=dana.headers)
    assert response.status_code == 422
    assert "ZZZ" in response.json()["error"]["message"]


def test_members_are_added_by_email_changed_and_removed(client: TestClient, database: Database, world: World) -> None:
    base = f"/api/v1/workspaces/{world.workspace_id}/members"
    newcomer = person(database, "Nia New")
    added = client.post(base, json={"email": newcomer.user.email, "role": "approver"}, headers=world.admin.headers)
    assert added.status_code == 201
    assert added.json()["data"]["role"] == "approver"
    again = client.post(base, json={"email": newcomer.user.email}, headers=world.admin.headers)
    assert again.status_code == 409
    changed = client.patch(f"{base}/{newcomer.id}", json={"role": "member"}, headers=world.admin.headers)
    assert changed.json()["data"]["role"] == "member"
    assert client.delete(f"{base}/{newcomer.id}", headers=world.admin.headers).status_code == 200
    listed = client.get(base, headers=world.approver.headers).json()["data"]
    assert newcomer.id not in {m["user_id"] for m in listed}
    unknown = client.post(base, json={"email": "ghost@example.com"}, headers=world.admin.headers)
    assert unknown.status_code == 422


def test_the_last_admin_can_be_neither_removed_nor_demoted(client: TestClient, world: World) -> None:
    base = f"/api/v1/workspaces/{world.workspace_id}/members/{world.admin.id}"
    removed = client.delete(base, headers=world.admin.headers)
    demoted = client.patch(base, json={"role": "member"}, headers=world.admin.headers)
    assert (removed.status_code, demoted.status_code) == (409, 409)
    client.patch(
        f"/api/v1/workspaces/{world.workspace_id}/members/{world.approver.id}",
        json={"role": "admin"},
        headers=world.admin.headers,
    )
    assert client.delete(base, headers=world.admin.headers).status_code == 200
