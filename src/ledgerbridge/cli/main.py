"""The ``ledgerbridge`` command."""

from __future__ import annotations

import typer

from ledgerbridge import __version__
from ledgerbridge.cli import errors, sandbox

app = typer.Typer(
    name="ledgerbridge",
    help="Export approved expense reports into Sage Intacct, exactly once, with actionable INT errors.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(errors.app, name="errors")


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """ledgerbridge: approved expense reports into Sage Intacct."""
    if version:
        typer.echo(__version__)
        raise typer.Exit()


def run() -> None:
    app()
