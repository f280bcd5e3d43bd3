"""Storage tests run on SQLite and PostgreSQL through the shared `database` fixture."""

from tests.db import database, db_session, secret_box

__all__ = ["database", "db_session", "secret_box"]
