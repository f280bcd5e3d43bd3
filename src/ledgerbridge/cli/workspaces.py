"""``ledgerbridge workspaces``: create and list expense workspaces."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ledgerbridge.cli import lookup
from ledgerbridge.cli.common import UsageProblem, cell, guarded, iso, opened_database, print_json
from ledgerbridge.domain import Member, Role, Workspace, new_id
from ledgerbridge.domain.money import minor_units
from ledgerbridge.store import Workspaces

app = typer.Typer(help="Expense workspaces: their people, coding, reports and Intacct connection.",
                  no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def workspace_dict(workspace: Workspace) -> dict[str, Any]:
    return {"id": workspace.id, "name": workspace.name, "base_currency": workspace.base_currency,
            "created_at": iso(workspace.created_at)}


@app.command("create")
@guarded
def create(
    name: Annotated[str, typer.Argument(help="The workspace's name, e.g. 'Acme US'.")],
    admin: Annotated[str, typer.Option("--admin", help="Email of an existing user who becomes its admin.")],
    currency: Annotated[str, typer.Option("--currency", help="Base currency (ISO 4217).")] = "USD",
    json_output: JsonOption = False,
) -> None:
    """Create a workspace with one admin."""
    name = name.strip()
    if not name:
        raise UsageProblem("the workspace name cannot be blank")
    code = currency.strip().upper()
    minor_units(code)
    now = datetime.now(UTC)
    with opened_database() as database, database.session() as session:
        owner = lookup.user(session, admin)
        workspace = Workspaces(session).add(Workspace(new_id(), name, code, now))
        Workspaces(session).add_member(Member(workspace.id, owner.id, Role.ADMIN, now))
    if json_output:
        print_json({**workspace_dict(workspace), "admin": owner.email})
    else:
        typer.echo(f"Created workspace {workspace.name!r} ({workspace.id}), admin {owner.email}.")


@app.command("list")
@guarded
def list_workspaces(json_output: JsonOption = False) -> None:
    """List every workspace with its id, base currency, members and whether it is connected to Intacct."""
    with opened_database() as database, database.session() as session:
        rows = lookup.all_workspaces(session)
        linked = lookup.connected_workspace_ids(session)
    if json_output:
        print_json([{**workspace_dict(ws), "members": count, "connected": ws.id in linked} for ws, count in rows])
        return
    if not rows:
        typer.echo("No workspaces yet; create one with `ledgerbridge workspaces create NAME --admin EMAIL`.")
        return
    table = Table(title="Workspaces")
    for column in ("Id", "Name", "Currency", "Members", "Intacct"):
        table.add_column(column)
    for ws, count in rows:
        table.add_row(ws.id, cell(ws.name), ws.base_currency, str(count),
                      "connected" if ws.id in linked else "not connected")
    Console().print(table)
