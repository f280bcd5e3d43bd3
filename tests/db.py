"""The `database` fixture: every storage test runs once on SQLite and once on PostgreSQL.

Use it from any test directory by importing the fixtures into that directory's conftest.py:

    from tests.db import database, db_session, secret_box  # noqa: F401

`database` is session-scoped and migrated to head; tests isolate themselves by creating their own
workspaces and users (`new_workspace`, `new_user`), never by truncating tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ledgerbridge.domain import Member, Role, User, Workspace, new_id
from ledgerbridge.store import Database, SecretBox, Users, Workspaces

POSTGRES_ADMIN_URL = os.environ.get(
    "LEDGERBRIDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
"""A database on the test server to connect to while creating and dropping the per-run database."""

BACKENDS = ("sqlite", "postgresql")


def now() -> datetime:
    return datetime.now(UTC)


def _create_postgres_database() -> tuple[str, str]:
    name = f"lb_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        raise RuntimeError(
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}; start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
        ) from exc
    finally:
        admin.dispose()
    return name, make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def open_test_database(backend: str, directory: Path) -> tuple[Database, str | None]:
    """A migrated database for `backend`; the second value names a PostgreSQL database to drop later."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{directory / 'ledgerbridge.sqlite3'}")
        database.migrate()
        return database, None
    name, url = _create_postgres_database()
    database = Database(url)
    database.migrate()
    return database, name


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated database, once on SQLite (a temporary file) and once on PostgreSQL (a fresh database)."""
    database, pg_name = open_test_database(request.param, tmp_path_factory.mktemp("db"))
    yield database
    database.dispose()
    if pg_name is not None:
        _drop_postgres_database(pg_name)


@pytest.fixture
def db_session(database: Database) -> Iterator[Session]:
    """A session that commits when the test passes."""
    with database.session() as session:
        yield session


@pytest.fixture(scope="session")
def secret_box() -> SecretBox:
    return SecretBox(Fernet.generate_key())


def new_user(session: Session, *, name: str = "Dana Reyes", email: str | None = None) -> User:
    """A user with a unique email (tests share one database)."""
    user_id = new_id()
    user = User(user_id, email or f"{user_id}@example.com", name, "argon2-hash-placeholder", now())
    return Users(session).add(user)


def new_workspace(
    session: Session, *, name: str = "Acme", currency: str = "USD", admin: User | None = None
) -> Workspace:
    """A workspace of its own, with `admin` (or a new user) as its admin."""
    workspace = Workspaces(session).add(Workspace(new_id(), name, currency, now()))
    owner = admin or new_user(session, name="Ada Admin")
    Workspaces(session).add_member(Member(workspace.id, owner.id, Role.ADMIN, now()))
    return workspace
