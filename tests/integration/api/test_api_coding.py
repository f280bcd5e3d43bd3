"""Categories, tags and company cards."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from ledgerbridge.domain import Expense, Money, new_id
from ledgerbridge.store import Database, Reports
from tests.integration.api.conftest import World


def test_categories_are_created_mapped_disabled_and_deleted(client: TestClient, world: World) -> None:
    base = f"/api/v1/workspaces/{world.workspace_id}/categories"
    headers = world.admin.headers
    created = client.post(
        base, json={"name": "Meals 🍜 '; DROP TABLE categories; --", "expense_type": "Meals"}, headers=headers
    )
    assert created.status_code == 201
    category = created.json()["data"]
    assert category["name"] == "Meals 🍜 '; DROP TABLE categories; --"
    assert category["origin"] == "manual"
    both = client.patch(f"{base}/{category['id']}", json={"gl_account": "6400"}, headers=headers)
    assert both.status_code == 422
    remapped = client.patch(
        f"{base}/{category['id']}", json={"gl_account": "6400", "expense_type": None, "enabled": False}, headers=headers
    )
    assert remapped.json()["data"] | {} == category | {"gl_account": "6400", "expense_type": None, "enabled": False}
    names = [c["name"] for c in client.get(base, headers=world.member.headers).json()["data"]]
    assert category["name"] in names
    assert client.post(base, json={"name": category["name"]}, headers=headers).status_code == 409
    assert client.delete(f"{base}/{category['id']}", headers=headers).status_code == 200
    assert client.get(f"{base}/{category['id']}", headers=headers).status_code == 404


def test_a_category_in_use_is_not_deleted(client: TestClient, world: World) -> None:
    url = f"/api/v1/workspaces/{world.workspace_id}/categories/{world.category_id}"
    response = client.delete(url, headers=world.admin.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_use"
    assert client.get(url, headers=world.admin.headers).status_code == 200


def test_tags_are_listed_per_dimension_and_deleted_unless_in_use(
    client: TestClient, database: Database, world: World
) -> None:
    base = f"/api/v1/workspaces/{world.workspace_id}/tags"
    headers = world.admin.headers
    made = client.post(base, json={"dimension": "LOCATION", "code": "L-1", "name": "Zürich"}, headers=headers)
    assert made.status_code == 201
    tag = made.json()["data"]
    only = client.get(base, params={"dimension": "LOCATION"}, headers=headers).json()["data"]
    assert [(t["code"], t["name"]) for t in only] == [("L-1", "Zürich")]
    renamed = client.patch(f"{base}/{tag['id']}", json={"name": "Zurich"}, headers=headers)
    assert renamed.json()["data"]["name"] == "Zurich"
    in_use = client.delete(f"{base}/{world.tag_id}", headers=headers)
    assert in_use.status_code == 409
    assert client.patch(f"{base}/{world.tag_id}", json={"code": "D999"}, headers=headers).status_code == 409
    assert client.delete(f"{base}/{tag['id']}", headers=headers).status_code == 200


def test_cards_keep_only_the_last_four_digits(client: TestClient, database: Database, world: World) -> None:
    base = f"/api/v1/workspaces/{world.workspace_id}/cards"
    headers = world.admin.headers
    created = client.post(base, json={"number": "4111 1111 1111 4242"}, headers=headers)
    assert created.status_code == 201
    card = created.json()["data"]
    assert card["masked_number"] == "•••• 4242"
    assert "4111" not in created.text
    mapped = client.patch(
        f"{base}/{card['id']}", json={"charge_card_account": "AMEX-01", "cardholder": world.member.id}, headers=headers
    )
    assert mapped.json()["data"] | {} == card | {"charge_card_account": "AMEX-01", "cardholder": world.member.id}
    stranger = client.patch(f"{base}/{card['id']}", json={"cardholder": new_id()}, headers=headers)
    assert stranger.status_code == 422
    assert client.post(base, json={"number": "12"}, headers=headers).status_code == 422
    with database.session() as session:
        Reports(session).add_expense(
            Expense(
                new_id(), world.member_report_id, date(2026, 3, 1), "Fuel", Money.of("40", "USD"), card_id=card["id"]
            )
        )
    assert client.delete(f"{base}/{card['id']}", headers=headers).status_code == 409
