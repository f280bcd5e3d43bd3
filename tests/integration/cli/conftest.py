"""CLI tests run the real `ledgerbridge` app against the shared test databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledgerbridge.store import Database
from tests.db import database, db_session, secret_box
from tests.integration.cli.helpers import Cli

__all__ = ["cli", "database", "db_session", "secret_box"]


@pytest.fixture
def cli(database: Database, tmp_path: Path) -> Cli:
    env = {
        "LEDGERBRIDGE_DATABASE_URL": database.url.render_as_string(hide_password=False),
        "LEDGERBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "250",
        "NO_COLOR": "1",
        "LEDGERBRIDGE_SECRET_KEY": None,
    }
    return Cli(database, env, tmp_path / "data")
