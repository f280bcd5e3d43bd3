"""POST .../reports/{id}/recategorize: an admin moves a failed report's expenses; the report then preflights clean."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ledgerbridge.domain import EventKind, Role
from ledgerbridge.store import Database, Reports, SecretBox
from tests.conftest import RunningSandbox
from tests.integration.api.conftest import join, person
from tests.integration.export.test_int_codes_sandbox import Line, report
from tests.integration.export.workspace import category, demo_workspace


def test_an_admin_recategorizes_the_suggested_expenses_and_members_may_not(
    client: TestClient, database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, "maria.alvarez@cedarridge.example")
    report_id, (grill,) = report(database, ws, owner, [Line("Harbor Grill", "Entertainment", on_card=True, tags={})])
    admin, approver = person(database, "Ada Admin"), person(database, "Abe Approver")
    join(database, ws, admin, Role.ADMIN)
    join(database, ws, approver, Role.APPROVER)
    target = category(database, ws, "Company Events")
    path = f"/api/v1/workspaces/{ws}/reports/{report_id}/recategorize"

    denied = client.post(path, json={"category_id": target.id}, headers=approver.headers)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    unknown = client.post(path, json={"category_id": target.id, "expense_ids": ["nope"]}, headers=admin.headers)
    assert unknown.status_code == 422 and "nope" in unknown.json()["error"]["message"]

    done = client.post(path, json={"category_id": target.id}, headers=admin.headers)

    assert done.status_code == 200, done.text
    data = done.json()["data"]
    assert data["moved"] == [{"expense_id": grill, "from_category_id": category(database, ws, "Entertainment").id,
                              "from_category": "Entertainment", "to_category_id": target.id,
                              "to_category": "Company Events"}]
    assert data["int_code"] == "INT860" and data["preflight"]["ok"] is True
    with database.session() as session:
        (event,) = [e for e in Reports(session).history(report_id) if e.kind is EventKind.RECATEGORIZED]
    assert event.actor == admin.id

    openapi = client.get("/openapi.json").json()
    assert "/api/v1/workspaces/{workspace_id}/reports/{report_id}/recategorize" in openapi["paths"]
