"""``ledgerbridge db``: the workspace database schema."""

from __future__ import annotations

import typer
from alembic.runtime.migration import MigrationContext

from ledgerbridge.cli.common import guarded, opened_database

app = typer.Typer(help="The workspace database (SQLite file or PostgreSQL).", no_args_is_help=True)


@app.command("upgrade")
@guarded
def upgrade() -> None:
    """Create or migrate the database schema to the newest revision (safe to run again)."""
    with opened_database(check_schema=False) as database:
        database.migrate()
        with database.engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
        shown = database.url.render_as_string(hide_password=True)
    typer.echo(f"Database {shown} is at revision {revision}.")
