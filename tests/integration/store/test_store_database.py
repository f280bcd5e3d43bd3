"""The database itself: migrations, dialect settings, sessions, configuration and the secret key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import inspect, text

import ledgerbridge.store.snapshot_models  # noqa: F401
from ledgerbridge.domain import Workspace, new_id
from ledgerbridge.settings import AppSettings
from ledgerbridge.store import Database, NotFound, SecretBox, SecretKeyError, Workspaces
from ledgerbridge.store.models import Base
from tests.db import now


def test_migrations_create_every_table_the_models_describe(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
    assert differences == []
    assert {"users", "reports", "expenses", "intacct_accounts", "sync_runs", "connection_settings"} <= tables


def test_migrate_again_is_a_no_op(database: Database) -> None:
    database.migrate()
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"


def test_report_list_indexes_exist(database: Database) -> None:
    with database.engine.connect() as connection:
        indexes = {ix["name"]: ix["column_names"] for ix in inspect(connection).get_indexes("reports")}
    assert indexes["ix_reports_workspace_state_created"] == ["workspace_id", "state", "created_at"]
    assert indexes["ix_reports_workspace_export_status"][:2] == ["workspace_id", "export_status"]
    assert indexes["ix_reports_workspace_int_code"][:2] == ["workspace_id", "last_int_code"]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(database: Database) -> None:
    if database.dialect != "sqlite":
        assert database.dialect == "postgresql"
        return
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_failing_unit_of_work_leaves_nothing_behind(database: Database) -> None:
    workspace = Workspace(new_id(), "Rolled back", "USD", now())

    def add_then_fail() -> None:
        with database.session() as session:
            Workspaces(session).add(workspace)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        add_then_fail()
    with database.session() as session, pytest.raises(NotFound):
        Workspaces(session).get(workspace.id)


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEDGERBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LEDGERBRIDGE_DATABASE_URL", raising=False)
    settings = AppSettings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'ledgerbridge.sqlite3'}"
    monkeypatch.setenv("LEDGERBRIDGE_DATABASE_URL", "postgresql+psycopg://app@db/ledger")
    assert AppSettings().resolved_database_url == "postgresql+psycopg://app@db/ledger"


def test_the_default_database_lives_in_the_data_dir(tmp_path: Path) -> None:
    database = Database.from_settings(AppSettings(data_dir=tmp_path / "data", database_url=None))
    database.migrate()
    database.dispose()
    assert (tmp_path / "data" / "ledgerbridge.sqlite3").exists()


def test_a_generated_key_file_is_private_and_reused(tmp_path: Path) -> None:
    settings = AppSettings(data_dir=tmp_path, secret_key=None)
    sealed = SecretBox.from_settings(settings).seal(b"hunter2")
    mode = stat.S_IMODE(settings.secret_key_file.stat().st_mode)
    assert mode == 0o600
    assert SecretBox.from_settings(settings).open(sealed) == b"hunter2"


def test_a_configured_key_wins_and_a_wrong_key_is_reported(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    box = SecretBox.from_settings(AppSettings(data_dir=tmp_path, secret_key=key))
    assert not (tmp_path / "secret.key").exists()
    with pytest.raises(SecretKeyError, match="cannot be decrypted"):
        SecretBox(Fernet.generate_key()).open(box.seal(b"x"))
    with pytest.raises(SecretKeyError, match="not a Fernet key"):
        SecretBox("short")
