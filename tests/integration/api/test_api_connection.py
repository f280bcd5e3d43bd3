"""The Intacct connection (tested against a real sandbox), versioned settings and Sync Now."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledgerbridge.store import Connections, Database, SecretBox
from tests.conftest import RunningSandbox
from tests.integration.api.conftest import FAKE_CREDENTIALS, PASSWORD, World, person

SENDER_PASSWORD = "sandbox"
USER_PASSWORD = "sandbox"


def sandbox_credentials(sandbox: RunningSandbox, **changes: str) -> dict[str, str]:
    return {
        "sender_id": "ledgerbridge",
        "sender_password": SENDER_PASSWORD,
        "company_id": "DEMO",
        "user_id": "xml_gateway",
        "user_password": USER_PASSWORD,
        "endpoint_url": sandbox.gateway_url,
    } | changes


def url(world: World, tail: str) -> str:
    return f"/api/v1/workspaces/{world.workspace_id}/{tail}"


def test_settings_start_at_version_one_and_a_stale_edit_is_refused(client: TestClient, world: World) -> None:
    headers = world.admin.headers
    first = client.get(url(world, "settings"), headers=headers).json()["data"]
    assert (first["version"], first["dimensions"]["DEPARTMENT"], first["auto_sync"]) == (1, "tag", False)
    saved = client.put(
        url(world, "settings"),
        headers=headers,
        json={
            "version": 1,
            "auto_sync": True,
            "company_card_as": "journal_entry",
            "preferred_exporter": world.admin.id,
            "user_defined_dimensions": [{"integration_name": "GLDIMFUND", "imported_as": "report_field"}],
        },
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["data"]["version"], saved.json()["data"]["company_card_as"]) == (2, "journal_entry")
    stale = client.put(url(world, "settings"), headers=headers, json={"version": 1, "auto_sync": False})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_edit"
    assert stale.json()["error"]["details"] == {"read_version": 1, "current_version": 2}
    now = client.get(url(world, "settings"), headers=headers).json()["data"]
    assert (now["version"], now["auto_sync"]) == (2, True)


def test_the_card_journal_defaults_to_the_general_journal_and_may_be_changed_or_cleared(
    client: TestClient, world: World
) -> None:
    headers = world.admin.headers
    assert client.get(url(world, "settings"), headers=headers).json()["data"]["card_journal"] == "GJ"
    changed = client.put(url(world, "settings"), headers=headers, json={"version": 1, "card_journal": "ADJ"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["card_journal"] == "ADJ"
    cleared = client.put(url(world, "settings"), headers=headers, json={"version": 2, "card_journal": None})
    assert cleared.status_code == 200, cleared.text
    assert client.get(url(world, "settings"), headers=headers).json()["data"]["card_journal"] is None


def test_settings_refuse_bad_values(client: TestClient, world: World) -> None:
    headers = world.admin.headers
    exporter = client.put(
        url(world, "settings"), headers=headers, json={"version": 1, "preferred_exporter": world.member.id}
    )
    dimension = client.put(
        url(world, "settings"), headers=headers, json={"version": 1, "dimensions": {"PLANET": "tag"}}
    )
    assert (exporter.status_code, dimension.status_code) == (422, 422)
    assert client.get(url(world, "settings"), headers=headers).json()["data"]["version"] == 1


def test_connection_status_never_shows_secrets(client: TestClient, world: World) -> None:
    response = client.get(url(world, "connection"), headers=world.admin.headers)
    status = response.json()["data"]
    assert (status["connected"], status["company_id"], status["sender_id"]) == (True, "ACME", "acme-sender")
    assert FAKE_CREDENTIALS.sender_password not in response.text
    assert FAKE_CREDENTIALS.user_password not in response.text


def test_disconnect_keeps_settings_unless_asked(
    client: TestClient, database: Database, secret_box: SecretBox, world: World
) -> None:
    headers = world.admin.headers
    client.put(url(world, "settings"), headers=headers, json={"version": 1, "tax": True})
    assert client.delete(url(world, "connection"), headers=headers).json()["data"]["connected"] is False
    assert client.get(url(world, "settings"), headers=headers).json()["data"]["tax"] is True
    assert client.delete(url(world, "connection"), headers=headers).status_code == 409
    with database.session() as session:
        assert Connections(session, secret_box).get(world.workspace_id) is None
    assert client.post(url(world, "sync"), headers=headers).status_code == 409


def test_sync_now_is_refused_while_a_run_is_in_progress(client: TestClient, world: World) -> None:
    response = client.post(url(world, "sync"), headers=world.admin.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "sync_running"
    runs = client.get(url(world, "sync/runs"), headers=world.admin.headers).json()["data"]
    assert [r["id"] for r in runs] == [world.run_id]


def test_sync_history_and_one_run(client: TestClient, world: World) -> None:
    runs = client.get(url(world, "sync/runs"), headers=world.admin.headers).json()["data"]
    assert [r["id"] for r in runs] == [world.run_id]
    one = client.get(url(world, f"sync/runs/{world.run_id}"), headers=world.admin.headers).json()["data"]
    assert (one["status"], one["trigger"]) == ("running", "manual")


# Against a real sandbox: the connection is tested before it is stored.


def _connected_world(client: TestClient, database: Database, sandbox: RunningSandbox) -> tuple[Any, str]:
    admin = person(database, "Ada Admin", password=PASSWORD)
    workspace = client.post("/api/v1/workspaces", json={"name": "Sandbox Co"}, headers=admin.headers).json()["data"]
    base = f"/api/v1/workspaces/{workspace['id']}"
    connected = client.put(f"{base}/connection", json=sandbox_credentials(sandbox), headers=admin.headers)
    assert connected.status_code == 200, connected.text
    return admin, base


def test_connect_update_and_refusals_against_the_sandbox(
    client: TestClient, database: Database, sandbox_server: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    admin, base = _connected_world(client, database, sandbox_server)
    status = client.get(f"{base}/connection", headers=admin.headers).json()["data"]
    assert (status["connected"], status["company_id"], status["endpoint_url"]) == (
        True,
        "DEMO",
        sandbox_server.gateway_url,
    )
    refused = client.patch(f"{base}/connection", json={"user_password": "not-the-password-Qx7"}, headers=admin.headers)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "connection_refused"
    assert error["details"]["int_code"].startswith("INT")
    updated = client.patch(f"{base}/connection", json={"user_password": USER_PASSWORD}, headers=admin.headers)
    assert updated.status_code == 200, updated.text
    wrong_company = client.put(
        f"{base}/connection", json=sandbox_credentials(sandbox_server, company_id="NOPE"), headers=admin.headers
    )
    assert wrong_company.status_code == 422
    still = client.get(f"{base}/connection", headers=admin.headers).json()["data"]
    assert still["company_id"] == "DEMO"
    signed_in = client.post("/api/v1/session", json={"email": admin.user.email, "password": PASSWORD})
    session_token = signed_in.json()["data"]["token"]
    logged = caplog.text
    for secret in ("not-the-password-Qx7", PASSWORD, admin.token, session_token):
        assert secret not in logged
    for response in (status, refused.text, updated.text, wrong_company.text):
        assert "not-the-password-Qx7" not in str(response)


def test_sync_now_runs_in_the_background_and_is_recorded(
    client: TestClient, database: Database, sandbox_server: RunningSandbox
) -> None:
    admin, base = _connected_world(client, database, sandbox_server)
    started = client.post(f"{base}/sync", headers=admin.headers)
    assert started.status_code == 202, started.text
    run = started.json()["data"]
    assert run["status"] == "running"
    deadline = time.monotonic() + 120
    while run["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        run = client.get(f"{base}/sync/runs/{run['id']}", headers=admin.headers).json()["data"]
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["GLACCOUNT"]["read"] > 0
    history = client.get(f"{base}/sync/runs", headers=admin.headers).json()["data"]
    assert [r["id"] for r in history] == [run["id"]]
    categories = client.get(f"{base}/categories", headers=admin.headers).json()["data"]
    assert categories
