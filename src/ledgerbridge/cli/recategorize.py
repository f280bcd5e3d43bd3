"""``ledgerbridge recategorize``: move a report's expenses to a category whose GL account takes them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from ledgerbridge.cli import lookup
from ledgerbridge.cli.common import CliError, ExitCode, UsageProblem, cell, guarded, opened_database, print_json
from ledgerbridge.domain import SYSTEM, Workspace
from ledgerbridge.domain.coding import Category
from ledgerbridge.export.recategorize import (
    NothingToMove,
    NotRecategorizable,
    Recategorized,
    RecategorizeError,
    Recategorizer,
    UnknownExpenses,
    UnusableCategory,
)
from ledgerbridge.store import Coding, SecretBox


def _category(session: Session, space: Workspace, ref: str) -> Category:
    """A category by id, or by name when exactly one category has it (letter case ignored)."""
    categories = Coding(session).categories(space.id)
    by_id = [category for category in categories if category.id == ref]
    if by_id:
        return by_id[0]
    named = [category for category in categories if category.name.casefold() == ref.strip().casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(category.id for category in named)
        raise UsageProblem(f"{len(named)} categories are named {ref!r} in workspace {space.name!r}",
                           f"name one by id: {ids}")
    raise UsageProblem(f"no category {ref!r} in workspace {space.name!r}",
                       "`ledgerbridge preflight --workspace W --report R` lists the categories that fit")


@guarded
def recategorize(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id or unique name.")],
    report: Annotated[str, typer.Option("--report", "-r", help="The report id.")],
    category: Annotated[str, typer.Option("--category", "-c", help="The category to move to, by name or id.")],
    expense: Annotated[list[str] | None, typer.Option(
        "--expense", "-e", help="An expense to move; repeat for more. Default: every expense the suggestion for "
        "this category covers.")] = None,
    int_code: Annotated[str | None, typer.Option(
        "--code", help="The INT code that prompted the change (default: the report's last export failure).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Move expenses of an approved (or failed) report to another category, then preflight the report again.

    The change is recorded in the report's history as made by the system (the command's operator).
    Exits 0 when nothing blocks the export afterwards and 1 when something still does.
    """
    box = SecretBox.from_settings()
    with opened_database() as database:
        with database.session() as session:
            space = lookup.workspace(session, workspace)
            report_id = lookup.report(session, report, space).id
            target = _category(session, space, category)
        try:
            done = Recategorizer(database, box).recategorize(
                space.id, report_id, target.id, SYSTEM, expense_ids=expense,
                int_code=int_code.strip().upper() if int_code else None)
        except (UnknownExpenses, NothingToMove, UnusableCategory) as exc:
            raise UsageProblem(str(exc)) from None
        except NotRecategorizable as exc:
            raise CliError(str(exc), "retry or re-export the report instead") from None
        except RecategorizeError as exc:
            raise CliError(str(exc)) from None
    if json_output:
        print_json(done.as_dict())
    else:
        _print(Console(), done)
    if not done.preflight.ok:
        raise typer.Exit(ExitCode.FAILED)


def _print(console: Console, done: Recategorized) -> None:
    if done.moves:
        table = Table(title=f"Moved to {done.category.name}")
        for column in ("Expense", "From", "To"):
            table.add_column(column)
        for move in done.moves:
            table.add_row(move.expense_id, cell(move.from_category or move.from_category_id or "(none)"),
                          cell(move.to_category))
        console.print(table)
    else:
        console.print(cell(f"Every expense named is already in {done.category.name}; nothing changed."))
    blocking = done.preflight.blocking
    if not blocking:
        console.print(f"Report {done.report_id}: nothing stops the export now; run `ledgerbridge retry` or "
                      "`ledgerbridge export` to send it.")
        return
    console.print(f"Report {done.report_id}: {len(blocking)} problem(s) still stop the export:")
    for finding in blocking:
        console.print(cell(f"  {finding.code} {finding.expense_id or ''} {finding.message}"))
