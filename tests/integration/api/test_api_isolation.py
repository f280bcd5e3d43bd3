"""Tenant isolation: every API route, called by an outsider or by a member without the role, changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ledgerbridge.domain import Action, Role, can
from ledgerbridge.store import Coding, Connections, Database, Reports, SecretBox, SyncRuns, Users, Workspaces
from ledgerbridge.web.api.context import ACTION_KEY
from tests.integration.api.conftest import World, join, person

PREFIX = "/api/v1"

UNSCOPED = {
    ("POST", "/api/v1/session"),
    ("GET", "/api/v1/session"),
    ("DELETE", "/api/v1/session"),
    ("GET", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens"),
    ("GET", "/api/v1/workspaces"),
    ("POST", "/api/v1/workspaces"),
}
"""Routes that act only on the caller's own account; all others name a workspace or a token."""

EXPENSE = {"spent_on": "2026-03-04", "merchant": "Cafe", "amount": {"amount": "9.50", "currency": "USD"}}
CREDENTIALS = {
    "sender_id": "s",
    "sender_password": "p",
    "company_id": "C",
    "user_id": "u",
    "user_password": "p",
}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/session"): {"email": "nobody@example.com", "password": "x"},
    ("POST", "/api/v1/tokens"): {"name": "ci"},
    ("POST", "/api/v1/workspaces"): {"name": "Mine"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}"): {"name": "Hijacked"},
    ("POST", "/api/v1/workspaces/{workspace_id}/members"): {"email": "x@example.com", "role": "admin"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}/members/{user_id}"): {"role": "admin"},
    ("POST", "/api/v1/workspaces/{workspace_id}/categories"): {"name": "Hijack"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}/categories/{category_id}"): {"enabled": False},
    ("POST", "/api/v1/workspaces/{workspace_id}/tags"): {"dimension": "DEPARTMENT", "code": "X", "name": "X"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}/tags/{tag_id}"): {"enabled": False},
    ("POST", "/api/v1/workspaces/{workspace_id}/cards"): {"number": "4111111111111111"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}/cards/{card_id}"): {"charge_card_account": "HIJACK"},
    ("POST", "/api/v1/workspaces/{workspace_id}/reports"): {"title": "Hijack"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}/reports/{report_id}"): {"title": "Hijacked"},
    ("POST", "/api/v1/workspaces/{workspace_id}/reports/{report_id}/expenses"): EXPENSE,
    ("PATCH", "/api/v1/workspaces/{workspace_id}/reports/{report_id}/expenses/{expense_id}"): {"merchant": "X"},
    ("PUT", "/api/v1/workspaces/{workspace_id}/connection"): CREDENTIALS,
    ("PATCH", "/api/v1/workspaces/{workspace_id}/connection"): {"user_password": "x"},
    ("PUT", "/api/v1/workspaces/{workspace_id}/settings"): {"version": 1, "auto_sync": True},
    ("POST", "/api/v1/workspaces/{workspace_id}/exports/retry"): {"int_code": "INT860"},
    ("POST", "/api/v1/workspaces/{workspace_id}/reports/{report_id}/recategorize"): {"category_id": "any"},
}
"""A valid body for every route that takes one: a request must reach the access check, not fail validation."""


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    action: Action | None
    takes_body: bool

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _contexts(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()


def api_endpoints(app: FastAPI) -> list[Endpoint]:
    """Every API route of the app, by method."""
    found = []
    for route in _contexts(app.routes):
        if not route.path.startswith(PREFIX):
            continue
        extra = route.openapi_extra or {}
        action = Action(extra[ACTION_KEY]) if ACTION_KEY in extra else None
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            found.append(Endpoint(method, route.path, action, route.body_field is not None))
    return found


def path_for(endpoint: Endpoint, world: World, *, report_owner: str) -> str:
    own = report_owner == "member"
    values = {
        "workspace_id": world.workspace_id,
        "report_id": world.member_report_id if own else world.admin_report_id,
        "expense_id": world.member_expense_id if own else world.expense_id,
        "category_id": world.category_id,
        "tag_id": world.tag_id,
        "card_id": world.card_id,
        "user_id": world.approver.id,
        "run_id": world.run_id,
        "token_id": world.admin.token_id,
    }
    names = re.findall(r"{(\w+)}", endpoint.path)
    missing = [n for n in names if n not in values]
    assert not missing, f"{endpoint}: the isolation test has no value for {missing}; add one"
    return endpoint.path.format(**{n: values[n] for n in names})


def call(client: TestClient, endpoint: Endpoint, path: str, headers: dict[str, str]) -> Any:
    key = (endpoint.method, endpoint.path)
    if endpoint.takes_body:
        assert key in BODIES, f"{endpoint} takes a body: add a valid sample to BODIES"
        return client.request(endpoint.method, path, json=BODIES[key], headers=headers)
    return client.request(endpoint.method, path, headers=headers)


def state_of(database: Database, box: SecretBox, world: World) -> dict[str, Any]:
    """Everything a request could have changed in the victim workspace."""
    ws = world.workspace_id
    with database.session() as session:
        reports = Reports(session)
        listed = reports.page(ws, limit=1000).reports
        return {
            "workspace": Workspaces(session).get(ws),
            "members": Workspaces(session).members(ws),
            "categories": Coding(session).categories(ws),
            "tags": Coding(session).tags(ws),
            "cards": Coding(session).cards(ws),
            "reports": listed,
            "expenses": {r.id: reports.expenses(r.id) for r in listed},
            "history": {r.id: reports.history(r.id) for r in listed},
            "connection": Connections(session, box).get(ws),
            "settings": Connections(session, box).settings(ws),
            "runs": SyncRuns(session).history(ws, limit=100),
            "admin_tokens": Users(session).tokens_of(world.admin.id),
        }


def test_every_route_is_scoped_or_known_to_be_personal(app: FastAPI) -> None:
    endpoints = api_endpoints(app)
    assert len(endpoints) > 40
    for endpoint in endpoints:
        if (endpoint.method, endpoint.path) in UNSCOPED:
            continue
        assert "{workspace_id}" in endpoint.path or "{token_id}" in endpoint.path, endpoint
        if "{workspace_id}" in endpoint.path:
            assert endpoint.action is not None, f"{endpoint} does not declare its action (openapi_extra=needs(...))"


def test_a_user_of_another_workspace_gets_404_everywhere_and_changes_nothing(
    app: FastAPI, client: TestClient, database: Database, secret_box: SecretBox, world: World
) -> None:
    outsider = person(database, "Olly Outsider")
    client.post("/api/v1/workspaces", json={"name": "Outsider's own"}, headers=outsider.headers)
    before = state_of(database, secret_box, world)
    wrong = []
    for endpoint in api_endpoints(app):
        if (endpoint.method, endpoint.path) in UNSCOPED:
            continue
        response = call(client, endpoint, path_for(endpoint, world, report_owner="admin"), outsider.headers)
        if response.status_code != 404 or "error" not in response.json():
            wrong.append(f"{endpoint}: {response.status_code} {response.text[:200]}")
    assert wrong == []
    assert state_of(database, secret_box, world) == before


def test_unscoped_routes_show_an_outsider_nothing_of_the_workspace(
    client: TestClient, database: Database, world: World
) -> None:
    outsider = person(database, "Olly Outsider")
    listed = client.get("/api/v1/workspaces", headers=outsider.headers).json()["data"]
    assert world.workspace_id not in {w["id"] for w in listed}
    tokens = client.get("/api/v1/tokens", headers=outsider.headers).json()["data"]
    assert world.admin.token_id not in {t["id"] for t in tokens}


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPROVER])
def test_a_member_without_the_role_gets_403_and_changes_nothing(
    app: FastAPI, client: TestClient, database: Database, secret_box: SecretBox, world: World, role: Role
) -> None:
    caller = world.member if role is Role.MEMBER else world.approver
    before = state_of(database, secret_box, world)
    checked, wrong = 0, []
    for endpoint in api_endpoints(app):
        if endpoint.action is None or can(role, endpoint.action):
            continue
        path = path_for(endpoint, world, report_owner="member")
        response = call(client, endpoint, path, caller.headers)
        checked += 1
        if response.status_code != 403 or response.json()["error"]["code"] != "forbidden":
            wrong.append(f"{endpoint}: {response.status_code} {response.text[:200]}")
    assert checked > 10
    assert wrong == []
    assert state_of(database, secret_box, world) == before


def test_a_member_cannot_see_or_touch_someone_elses_report(
    app: FastAPI, client: TestClient, database: Database, secret_box: SecretBox, world: World
) -> None:
    before = state_of(database, secret_box, world)
    wrong = []
    for endpoint in api_endpoints(app):
        if "{report_id}" not in endpoint.path:
            continue
        response = call(client, endpoint, path_for(endpoint, world, report_owner="admin"), world.member.headers)
        if response.status_code != 404:
            wrong.append(f"{endpoint}: {response.status_code}")
    assert wrong == []
    assert state_of(database, secret_box, world) == before


def test_no_token_is_401_everywhere_but_sign_in(app: FastAPI, client: TestClient, world: World) -> None:
    for endpoint in api_endpoints(app):
        if (endpoint.method, endpoint.path) == ("POST", "/api/v1/session"):
            continue
        response = call(client, endpoint, path_for(endpoint, world, report_owner="admin"), {})
        assert response.status_code == 401, endpoint
        assert response.json()["error"]["code"] == "unauthorized"


def test_a_new_member_joins_only_their_workspace(client: TestClient, database: Database, world: World) -> None:
    newcomer = person(database, "Nia New")
    join(database, world.workspace_id, newcomer, Role.MEMBER)
    response = client.get(f"/api/v1/workspaces/{world.workspace_id}/reports", headers=newcomer.headers)
    assert response.status_code == 200
    assert response.json()["data"] == []
