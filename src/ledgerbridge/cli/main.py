"""The ``ledgerbridge`` command."""

from __future__ import annotations

import typer

from ledgerbridge import __version__
from ledgerbridge.cli import (
    connection,
    db,
    demo,
    errors,
    expenses,
    export,
    logs,
    recategorize,
    reports,
    sandbox,
    sync,
    up,
    users,
    workspaces,
)
from ledgerbridge.cli.common import set_debug

app = typer.Typer(
    name="ledgerbridge",
    help="Export approved expense reports into Sage Intacct, exactly once, with actionable INT errors.",
    no_args_is_help=True,
    add_completion=False,
    epilog="Exit status: 0 success; 1 the work failed or was refused; 2 usage error; 3 database or secret key "
           "problem; 4 unexpected error (run again with --debug). Details in docs/cli.md.",
)
app.command("up")(up.up)
app.command("demo")(demo.demo)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(workspaces.app, name="workspaces")
app.add_typer(connection.app, name="connection")
app.command("sync")(sync.sync)
app.command("preflight")(export.preflight)
app.command("export")(export.export)
app.command("retry")(export.retry)
app.command("recategorize")(recategorize.recategorize)
app.add_typer(reports.app, name="reports")
app.add_typer(expenses.app, name="expenses")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(errors.app, name="errors")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", is_eager=True, callback=_print_version),
    debug: bool = typer.Option(
        False, "--debug", help="Show the full traceback when a command fails, and the log from DEBUG up."),
) -> None:
    """ledgerbridge: approved expense reports into Sage Intacct."""
    set_debug(debug)
    logs.configure(debug)


def run() -> None:
    app()
