"""The ``ledgerbridge`` command."""

from __future__ import annotations

import functools
import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from ledgerbridge import __version__
from ledgerbridge.cli import logs

# Each command and its module, in the order `--help` lists them: a command's module (and what it needs, the
# store, the export machinery ...) is imported when that command runs, so `ledgerbridge sandbox serve` or
# `ledgerbridge errors explain` do not load the rest.
COMMANDS: dict[str, tuple[str, str]] = {
    "up": ("up", "up"),
    "demo": ("demo", "demo"),
    "sync": ("sync", "sync"),
    "preflight": ("export", "preflight"),
    "export": ("export", "export"),
    "retry": ("export", "retry"),
    "recategorize": ("recategorize", "recategorize"),
    "db": ("db", "app"),
    "users": ("users", "app"),
    "workspaces": ("workspaces", "app"),
    "connection": ("connection", "app"),
    "reports": ("reports", "app"),
    "expenses": ("expenses", "app"),
    "sandbox": ("sandbox", "app"),
    "errors": ("errors", "app"),
    "worker": ("worker", "worker"),
}


@functools.cache
def command(name: str) -> Any:
    """The click command of `name`, built from its module on first use exactly as a group holding it builds it."""
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(f"ledgerbridge.cli.{module}"), attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class _Commands(TyperGroup):
    """The top-level group: its commands are loaded by name.

    Click's types are `Any` here: Typer carries its own copy of click in recent releases, the click package in
    older ones.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return command(cmd_name) if cmd_name in COMMANDS else None

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        if args and args[0] not in COMMANDS:
            # A name that is no command: Typer suggests the closest of the group's commands, so load them.
            for name in COMMANDS:
                self.commands.setdefault(name, command(name))
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="ledgerbridge",
    cls=_Commands,
    help="Export approved expense reports into Sage Intacct, exactly once, with actionable INT errors.",
    no_args_is_help=True,
    add_completion=False,
    epilog="Exit status: 0 success; 1 the work failed or was refused; 2 usage error; 3 database or secret key "
           "problem; 4 unexpected error (run again with --debug). Details in docs/cli.md.",
)


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
    logs.set_debug(debug)
    logs.configure(debug)


def run() -> None:
    app()
