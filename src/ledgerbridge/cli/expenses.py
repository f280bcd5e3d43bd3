"""``ledgerbridge expenses import``: expenses from a CSV file onto a draft report, all rows or none."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Final

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from ledgerbridge.cli import lookup
from ledgerbridge.cli.common import (
    CliError,
    ExitCode,
    UsageProblem,
    cell,
    guarded,
    opened_database,
    print_json,
    printable,
)
from ledgerbridge.cli.expense_csv import ExpenseLine, RowProblem, WorkspaceCoding, read_expenses
from ledgerbridge.cli.views import People, report_dict, totals, totals_text
from ledgerbridge.domain import SYSTEM, EventKind, Expense, HistoryEvent, Report, User, Workspace, new_id
from ledgerbridge.domain.reports import is_editable
from ledgerbridge.store import Coding, Reports, Users, Workspaces

app = typer.Typer(help="Expenses on reports.", no_args_is_help=True)

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
SOURCE: Final = "csv_import"


def _read_file(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UsageProblem(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it")
        # newline="" keeps line breaks inside quoted cells exactly as written; the csv module splits rows.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise UsageProblem(f"{path} is not UTF-8 text", "save the spreadsheet as 'CSV UTF-8'") from None
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror or exc}") from None


def _coding(session: Session, space: Workspace, currency: str) -> WorkspaceCoding:
    coding = Coding(session)
    return WorkspaceCoding(
        default_currency=currency,
        categories=tuple(coding.categories(space.id)),
        tags=tuple(coding.tags(space.id)),
        cards=tuple(coding.cards(space.id)),
    )


def _owner(session: Session, space: Workspace, email: str | None) -> User:
    if email is not None:
        return lookup.member(session, space, email)
    members = Workspaces(session).members(space.id)
    if len(members) != 1:
        raise UsageProblem(f"workspace {space.name!r} has {len(members)} members; say whose report it is",
                           "pass --owner EMAIL")
    return Users(session).get(members[0].user_id)


def _target_report(
    session: Session, space: Workspace, report_id: str | None, title: str | None, owner_email: str | None, file: Path
) -> tuple[Report, bool]:
    """The draft report to add to, and whether it is new (not stored yet)."""
    if report_id is not None:
        if title is not None or owner_email is not None:
            raise UsageProblem("--report adds to an existing report; leave out --report-title and --owner")
        report = lookup.report(session, report_id, space)
        if not is_editable(report):
            raise CliError(f"report {report.id} is {report.state.value}; expenses can be added only to drafts")
        return report, False
    owner = _owner(session, space, owner_email)
    title = (title or f"Imported from {file.name}").strip()
    if not title or len(title) > 300:
        raise UsageProblem("--report-title must be 1 to 300 characters")
    now = datetime.now(UTC)
    return Report(new_id(), space.id, owner.id, title, space.base_currency, now), True


def _store(session: Session, report: Report, is_new: bool, lines: list[ExpenseLine], file: Path) -> list[Expense]:
    reports = Reports(session)
    now = datetime.now(UTC)
    if is_new:
        reports.add(report)
    expenses = [
        Expense(new_id(), report.id, line.spent_on, line.merchant, line.amount, line.category_id, line.tags,
                line.payment, line.card_id, line.billable, line.description, line.vendor)
        for line in lines
    ]
    reports.add_expenses(expenses)
    detail = {"source": SOURCE, "file": file.name, "expenses": len(expenses)}
    kind = EventKind.CREATED if is_new else EventKind.EDITED
    reports.record(HistoryEvent(new_id(), report.id, now, SYSTEM, kind, detail))
    return reports.expenses(report.id)


def _print_problems(problems: list[RowProblem]) -> None:
    table = Table(title="Problems (nothing was imported)")
    for column in ("Row", "Column", "Problem"):
        table.add_column(column)
    for problem in problems:
        table.add_row(str(problem.row), cell(problem.column), cell(problem.problem))
    Console(stderr=True).print(table)


@app.command("import")
@guarded
def import_csv(
    file: Annotated[Path, typer.Argument(help="CSV file, UTF-8, header row first (format in docs/cli.md).")],
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id or unique name.")],
    report_title: Annotated[
        str | None, typer.Option("--report-title", help="Title of the new draft report (default: from the file "
                                                        "name)."),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Email of the member whose report it is (default: the "
                                                 "workspace's only member)."),
    ] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="Add to this existing draft report instead of creating one."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Import expenses from CSV: every row is checked first, and if any row has a problem nothing is imported."""
    text = _read_file(file)
    with opened_database() as database, database.session() as session:
        space = lookup.workspace(session, workspace)
        target, is_new = _target_report(session, space, report, report_title, owner, file)
        parsed = read_expenses(text, _coding(session, space, target.currency))
        stored = [] if parsed.problems else _store(session, target, is_new, parsed.lines, file)
        people = People.load(session, [target.owner])
    if parsed.problems:
        if json_output:
            print_json({"imported": 0, "report": None, "errors": [
                {"row": p.row, "column": p.column, "problem": p.problem} for p in parsed.problems]})
        else:
            _print_problems(parsed.problems)
        rows = len({p.row for p in parsed.problems})
        typer.echo(f"error: {rows} row{'s' if rows != 1 else ''} of {file.name} "
                   f"{'have' if rows != 1 else 'has'} problems; nothing was imported", err=True)
        raise typer.Exit(ExitCode.FAILED)
    if json_output:
        print_json({"imported": len(parsed.lines), "report": report_dict(target, stored, people), "errors": []})
        return
    verb = "Created" if is_new else "Added to"
    typer.echo(f"{verb} draft report {printable(target.title)!r} ({target.id}): {len(parsed.lines)} expenses imported; "
               f"report total {totals_text(totals(stored))}.")
