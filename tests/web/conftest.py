"""Page tests over HTTP: the app in-process (TestClient) over the shared `database` (SQLite and PostgreSQL),
connected to the session's sandbox; jobs run at once, so Sync Now has finished when its POST returns."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ledgerbridge.demo import sandbox_credentials
from ledgerbridge.domain import (
    ApiToken,
    Category,
    CompanyCard,
    IntacctState,
    Member,
    Origin,
    Role,
    Tag,
    TagList,
    User,
    new_id,
)
from ledgerbridge.domain.workspace import hash_api_token, new_api_token
from ledgerbridge.jobs import Job
from ledgerbridge.store import Coding, Connections, Database, SecretBox, Users, Workspaces
from ledgerbridge.web import create_app
from ledgerbridge.web.api.auth import SESSION_TOKEN_NAME, hash_password
from ledgerbridge.web.pages.context import SESSION_COOKIE
from tests.conftest import RunningSandbox
from tests.db import database, new_user, new_workspace, secret_box

__all__ = ["database", "secret_box"]

T = TypeVar("T")
PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)  # one argon2 hash for every test user keeps the fixtures fast
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def now() -> datetime:
    return datetime.now(UTC)


class ImmediateRunner:
    """Runs each job in the caller's thread before `submit` returns."""

    runs_here = True

    def submit(self, name: str, fn: Callable[..., T], *args: object,
               job: Job | None = None) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True) -> None:
        pass


@pytest.fixture
def app(database: Database, secret_box: SecretBox) -> FastAPI:
    return create_app(database=database, box=secret_box, runner=ImmediateRunner())


class Visitor:
    """One browser: its own cookies; `post` sends the page's CSRF token like a form would."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app, follow_redirects=False)
        self.token = ""

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        response = self.client.get(url, **kwargs)
        found = _CSRF.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def post(self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any) -> httpx.Response:
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.token or self._token())
        return self.client.post(url, data=form, **kwargs)

    def follow(self, response: httpx.Response) -> httpx.Response:
        assert response.status_code in (302, 303), response.text
        return self.get(response.headers["location"])

    def _token(self) -> str:
        self.get("/signin")
        return self.token

    def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        self.get("/signin")
        response = self.post("/signin", {"email": email, "password": password})
        assert response.status_code == 303, response.text
        self.token = ""
        self.get("/settings")
        return response


@dataclass(frozen=True)
class Site:
    """Cedar Ridge connected to the sandbox: an admin, an approver, a member, an outsider, and coding."""

    app: FastAPI
    database: Database
    box: SecretBox
    workspace_id: str
    admin: User
    approver: User
    member: User
    outsider: User
    restricted_category: str
    inactive_category: str
    card_id: str
    tag_id: str

    def visitor(self, who: User | None = None) -> Visitor:
        """A browser; with `who`, already signed in (a session opened directly, sparing the password hash)."""
        visitor = Visitor(self.app)
        if who is not None:
            secret = new_api_token()
            with self.database.session() as session:
                Users(session).add_token(ApiToken(new_id(), who.id, SESSION_TOKEN_NAME, hash_api_token(secret), now()))
            visitor.client.cookies.set(SESSION_COOKIE, secret)
            visitor.get("/settings")
        return visitor

    def url(self, *parts: str) -> str:
        return "/".join([f"/workspaces/{self.workspace_id}", *parts])


def _user(database: Database, name: str) -> User:
    with database.session() as session:
        user = new_user(session, name=name)
        return Users(session).save(dataclasses.replace(user, password_hash=_HASH))


def build_site(app: FastAPI, database: Database, box: SecretBox, gateway_url: str) -> Site:
    admin, approver, member, outsider = (_user(database, n) for n in
                                         ("James O'Connor", "David Chen", "Maria Alvarez", "Olga Outsider"))
    with database.session() as session:
        ws = new_workspace(session, name="Cedar Ridge", admin=admin).id
        Workspaces(session).add_member(Member(ws, approver.id, Role.APPROVER, now()))
        Workspaces(session).add_member(Member(ws, member.id, Role.MEMBER, now()))
        new_workspace(session, name="Outsider Ltd", admin=outsider)
        Connections(session, box).connect(ws, sandbox_credentials(gateway_url), now())
        coding = Coding(session)
        restricted = coding.add_category(Category(
            new_id(), ws, "Entertainment", gl_account="6400", origin=Origin.INTACCT,
            intacct_state=IntacctState.RESTRICTED, intacct_note="account 6400 belongs to entity E200"))
        inactive = coding.add_category(Category(
            new_id(), ws, "Old Travel", enabled=False, gl_account="6999", origin=Origin.INTACCT,
            intacct_state=IntacctState.INACTIVE, intacct_note="account 6999 is inactive"))
        coding.add_category(Category(new_id(), ws, "Airfare", expense_type="Airfare", origin=Origin.INTACCT))
        coding.save_tag_list(TagList(ws, "DEPARTMENT", "Department"))
        tag = coding.add_tag(Tag(new_id(), ws, "DEPARTMENT", "D100", "Sales", origin=Origin.INTACCT))
        coding.add_tag(Tag(new_id(), ws, "LOCATION", "L110", "Boston", origin=Origin.INTACCT))
        card = coding.add_card(CompanyCard(new_id(), ws, "•••• 1005", member.id, "AMEX-1005"))
    return Site(app, database, box, ws, admin, approver, member, outsider, restricted.id, inactive.id, card.id,
                tag.id)


@pytest.fixture
def site(app: FastAPI, database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox) -> Site:
    return build_site(app, database, secret_box, sandbox_server.gateway_url)


@pytest.fixture
def admin(site: Site) -> Visitor:
    return site.visitor(site.admin)


ROLES = ("admin", "approver", "member", "outsider")


def visitor_as(site: Site, role: str) -> Visitor:
    return site.visitor(getattr(site, role))
