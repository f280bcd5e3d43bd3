"""Reports and expenses: money as strings, the state machine, history, filters and cursor pages."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledgerbridge.store import Database, Reports
from tests.integration.api.conftest import World

HOSTILE = "<img src=x onerror=alert(1)> ' \" ; -- \\ \u202e ŝ 𝄞 \t\n"


def base(world: World) -> str:
    return f"/api/v1/workspaces/{world.workspace_id}/reports"


def new_report(client: TestClient, world: World, headers: dict[str, str], title: str = "Berlin trip") -> Any:
    response = client.post(base(world), json={"title": title}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_a_report_is_filled_submitted_and_approved(client: TestClient, world: World) -> None:
    report = new_report(client, world, world.member.headers, HOSTILE)
    assert (report["title"], report["state"], report["currency"]) == (HOSTILE, "draft", "USD")
    url = f"{base(world)}/{report['id']}"
    added = client.post(
        f"{url}/expenses",
        headers=world.member.headers,
        json={
            "spent_on": "2026-03-04",
            "merchant": HOSTILE,
            "amount": {"amount": "1,234.50", "currency": "usd"},
            "category_id": world.category_id,
            "tags": {"DEPARTMENT": "D100"},
            "description": HOSTILE,
        },
    )
    assert added.status_code == 201, added.text
    expense = added.json()["data"]
    assert expense["amount"] == {"amount": "1234.50", "currency": "USD"}
    assert (expense["merchant"], expense["description"]) == (HOSTILE, HOSTILE)
    edited = client.patch(
        f"{url}/expenses/{expense['id']}",
        headers=world.member.headers,
        json={"amount": {"amount": "99", "currency": "JPY"}, "billable": True},
    )
    assert edited.json()["data"]["amount"] == {"amount": "99", "currency": "JPY"}
    assert client.post(f"{url}/submit", headers=world.member.headers).json()["data"]["state"] == "submitted"
    locked = client.patch(f"{url}/expenses/{expense['id']}", headers=world.member.headers, json={"merchant": "x"})
    assert locked.status_code == 409
    assert client.post(f"{url}/approve", headers=world.member.headers).status_code == 403
    approved = client.post(f"{url}/approve", headers=world.approver.headers).json()["data"]
    assert (approved["state"], approved["approved_by"]) == ("approved", world.approver.id)
    shown = client.get(url, headers=world.member.headers).json()["data"]
    assert [e["kind"] for e in shown["history"]] == ["created", "edited", "edited", "submitted", "approved"]
    assert shown["expenses"][0]["amount"] == {"amount": "99", "currency": "JPY"}


def test_return_and_unapprove_go_back_to_draft(client: TestClient, world: World) -> None:
    report = new_report(client, world, world.member.headers)
    url = f"{base(world)}/{report['id']}"
    assert client.post(f"{url}/unapprove", headers=world.approver.headers).status_code == 409
    client.post(f"{url}/submit", headers=world.member.headers)
    returned = client.post(f"{url}/return", headers=world.approver.headers).json()["data"]
    assert (returned["state"], returned["submitted_at"]) == ("draft", None)
    client.post(f"{url}/submit", headers=world.member.headers)
    client.post(f"{url}/approve", headers=world.approver.headers)
    assert client.post(f"{url}/return", headers=world.approver.headers).status_code == 409
    unapproved = client.post(f"{url}/unapprove", headers=world.approver.headers).json()["data"]
    assert (unapproved["state"], unapproved["approved_by"]) == ("draft", None)
    kinds = [e["kind"] for e in unapproved["history"]]
    assert kinds == ["created", "submitted", "returned", "submitted", "approved", "unapproved"]


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        (12.5, "string"),
        ("12.505", "decimal places"),
        ("twelve", "not an amount"),
        ("NaN", "not an amount"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(
    client: TestClient, database: Database, world: World, amount: Any, fragment: str
) -> None:
    url = f"{base(world)}/{world.member_report_id}/expenses"
    body = {"spent_on": "2026-03-04", "merchant": "Cafe", "amount": {"amount": amount, "currency": "USD"}}
    response = client.post(url, json=body, headers=world.member.headers)
    assert response.status_code == 422
    assert fragment in response.json()["error"]["message"]
    with database.session() as session:
        assert len(Reports(session).expenses(world.member_report_id)) == 1


def test_an_unknown_currency_or_a_foreign_category_is_refused(client: TestClient, world: World) -> None:
    url = f"{base(world)}/{world.member_report_id}/expenses"
    body = {"spent_on": "2026-03-04", "merchant": "Cafe", "amount": {"amount": "1", "currency": "XYZ"}}
    assert client.post(url, json=body, headers=world.member.headers).status_code == 422
    body["amount"] = {"amount": "1", "currency": "USD"}
    foreign = client.post(url, json=body | {"category_id": "0" * 32}, headers=world.member.headers)
    assert foreign.status_code == 422


def test_title_edits_and_expense_deletes_are_recorded(client: TestClient, world: World) -> None:
    url = f"{base(world)}/{world.member_report_id}"
    assert client.patch(url, json={"title": "Lyon"}, headers=world.member.headers).status_code == 200
    deleted = client.delete(f"{url}/expenses/{world.member_expense_id}", headers=world.member.headers)
    assert deleted.status_code == 200
    shown = client.get(url, headers=world.member.headers).json()["data"]
    assert shown["title"] == "Lyon"
    assert shown["expenses"] == []
    assert [e["detail"] for e in shown["history"]] == [
        {"title": {"from": "Member trip", "to": "Lyon"}},
        {"expense_deleted": world.member_expense_id},
    ]


def test_the_list_filters_and_pages_with_a_cursor(client: TestClient, database: Database, world: World) -> None:
    made = [new_report(client, world, world.admin.headers, f"R{i}")["id"] for i in range(5)]
    client.post(f"{base(world)}/{made[0]}/submit", headers=world.admin.headers)
    with database.session() as session:
        Reports(session).set_export_outcome(world.workspace_id, made[1], "failed", "INT860")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get(base(world), params=params, headers=world.admin.headers).json()
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    assert seen[:5] == made[::-1]
    submitted = client.get(base(world), params={"state": "submitted"}, headers=world.admin.headers).json()["data"]
    assert [r["id"] for r in submitted] == [made[0]]
    failing = client.get(base(world), params={"int_code": "INT860"}, headers=world.admin.headers).json()["data"]
    assert [(r["id"], r["export_status"]) for r in failing] == [(made[1], "failed")]
    bad = client.get(base(world), params={"cursor": "garbage"}, headers=world.admin.headers)
    assert bad.status_code == 422


def test_a_member_lists_only_their_own_reports(client: TestClient, world: World) -> None:
    mine = client.get(base(world), headers=world.member.headers).json()["data"]
    assert [r["id"] for r in mine] == [world.member_report_id]
    everyone = client.get(base(world), headers=world.approver.headers).json()["data"]
    assert {r["id"] for r in everyone} == {world.member_report_id, world.admin_report_id}


def test_text_that_no_database_can_store_is_refused_alike(client: TestClient, world: World) -> None:
    response = client.post(base(world), json={"title": "nul \x00 byte"}, headers=world.member.headers)
    assert response.status_code == 422
    assert "NUL" in response.json()["error"]["message"]
