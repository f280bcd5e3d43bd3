"""API tests run against the app over the shared `database` fixture: once on SQLite, once on PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ledgerbridge.domain import (
    ApiToken,
    Category,
    CompanyCard,
    Expense,
    IntacctCredentials,
    Member,
    Money,
    Report,
    Role,
    SyncRun,
    Tag,
    User,
    new_id,
)
from ledgerbridge.domain.workspace import hash_api_token, new_api_token
from ledgerbridge.store import Coding, Connections, Database, Reports, SecretBox, SyncRuns, Users, Workspaces
from ledgerbridge.web import create_app
from ledgerbridge.web.api.auth import hash_password
from tests.db import database, new_user, new_workspace, secret_box

__all__ = ["database", "secret_box"]

PASSWORD = "correct horse battery staple"


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def app(database: Database, secret_box: SecretBox) -> FastAPI:
    return create_app(database=database, box=secret_box)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Person:
    user: User
    token: str
    token_id: str

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


def person(database: Database, name: str = "Pat Doe", *, password: str | None = None) -> Person:
    """A user with an API token (and a real password hash when `password` is given)."""
    with database.session() as session:
        user = new_user(session, name=name)
        if password is not None:
            user = Users(session).save(dataclasses.replace(user, password_hash=hash_password(password)))
        secret = new_api_token()
        token = Users(session).add_token(ApiToken(new_id(), user.id, "tests", hash_api_token(secret), now()))
    return Person(user, secret, token.id)


def join(database: Database, workspace_id: str, who: Person, role: Role) -> None:
    with database.session() as session:
        Workspaces(session).add_member(Member(workspace_id, who.id, role, now()))


@dataclass(frozen=True)
class World:
    """A workspace with an admin, an approver and a member, coding, reports, a connection and a sync run."""

    workspace_id: str
    admin: Person
    approver: Person
    member: Person
    category_id: str
    tag_id: str
    card_id: str
    admin_report_id: str
    member_report_id: str
    expense_id: str
    member_expense_id: str
    run_id: str


FAKE_CREDENTIALS = IntacctCredentials(
    "acme-sender", "sender-secret-Zq9", "ACME", "xml_user", "user-secret-Wk4", "https://127.0.0.1:9/none"
)


def build_world(database: Database, box: SecretBox) -> World:
    admin = person(database, "Ada Admin")
    approver = person(database, "Abe Approver")
    member = person(database, "Mia Member")
    with database.session() as session:
        workspace = new_workspace(session, name="Victim Co", admin=admin.user)
        ws = workspace.id
        Workspaces(session).add_member(Member(ws, approver.id, Role.APPROVER, now()))
        Workspaces(session).add_member(Member(ws, member.id, Role.MEMBER, now()))
        coding = Coding(session)
        category = coding.add_category(Category(new_id(), ws, "Travel", gl_account="6000"))
        tag = coding.add_tag(Tag(new_id(), ws, "DEPARTMENT", "D100", "Sales"))
        card = coding.add_card(CompanyCard(new_id(), ws, "•••• 1005", member.id, "AMEX"))
        reports = Reports(session)
        admin_report = reports.add(Report(new_id(), ws, admin.id, "Admin trip", "USD", now()))
        member_report = reports.add(Report(new_id(), ws, member.id, "Member trip", "USD", now()))
        expense = reports.add_expense(
            Expense(
                new_id(),
                admin_report.id,
                date(2026, 3, 2),
                "Hotel",
                Money.of("120.00", "USD"),
                category.id,
                {"DEPARTMENT": "D100"},
            )
        )
        member_expense = reports.add_expense(
            Expense(new_id(), member_report.id, date(2026, 3, 3), "Taxi", Money.of("18.40", "USD"), category.id)
        )
        Connections(session, box).connect(ws, FAKE_CREDENTIALS, now())
        run = SyncRuns(session).start(SyncRun(new_id(), ws, now()))
    return World(
        ws,
        admin,
        approver,
        member,
        category.id,
        tag.id,
        card.id,
        admin_report.id,
        member_report.id,
        expense.id,
        member_expense.id,
        run.id,
    )


@pytest.fixture
def world(database: Database, secret_box: SecretBox) -> World:
    return build_world(database, secret_box)
