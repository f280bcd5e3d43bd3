"""``ledgerbridge preflight``, ``export`` and ``retry``: reports into Sage Intacct from the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ledgerbridge.cli import lookup
from ledgerbridge.cli.common import ExitCode, UsageProblem, cell, guarded, opened_database, print_json, printable
from ledgerbridge.deployment import client_options
from ledgerbridge.domain import SYSTEM, Workspace
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.export.deliver_outcome import ExportRun, Outcome, PreflightResult
from ledgerbridge.export.deliver_run import Progress as ProgressCallback
from ledgerbridge.settings import AppSettings
from ledgerbridge.store import Database, SecretBox

WorkspaceOption = Annotated[str, typer.Option("--workspace", "-w", help="Workspace id or unique name.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the outcome as JSON (no progress bar).")]
ReportsOption = Annotated[list[str] | None, typer.Option("--report", "-r", help="A report id; repeat for more.")]

_STYLE = {Outcome.EXPORTED: "green", Outcome.ALREADY_EXPORTED: "green", Outcome.FAILED: "red",
          Outcome.BLOCKED: "red", Outcome.UNCERTAIN: "yellow", Outcome.IN_PROGRESS: "yellow",
          Outcome.NOT_APPROVED: "dim", Outcome.QUEUED: "dim"}


def _connected(database: Database, workspace: str) -> Workspace:
    with database.session() as session:
        space = lookup.workspace(session, workspace)
        connected = lookup.is_connected(session, space.id)
    if not connected:
        raise UsageProblem(f"workspace {space.name!r} is not connected to Sage Intacct",
                           f"run `ledgerbridge connection set --workspace {space.id} ...` first")
    return space


def _checked_reports(database: Database, space: Workspace, report_ids: list[str]) -> list[str]:
    with database.session() as session:
        return [lookup.report(session, report_id, space).id for report_id in report_ids]


def _run(json_output: bool, label: str, total: int,
         work: Callable[[ProgressCallback | None], ExportRun]) -> ExportRun:
    """Run `work`, with a progress bar on stderr unless the output is JSON."""
    if json_output or total == 0:
        return work(None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)

        def advance(done: int, of: int) -> None:
            progress.update(task, completed=done, total=of)

        return work(advance)


def _summary(console: Console, run: ExportRun, title: str) -> None:
    table = Table(title=escape(printable(title)))
    for column in ("Report", "Outcome", "Code", "Intacct key", "Message"):
        table.add_column(column)
    for item in run.outcomes:
        style = _STYLE.get(item.outcome, "")
        table.add_row(item.report_id, f"[{style}]{item.outcome.value}[/{style}]" if style else item.outcome.value,
                      item.int_code or "", ", ".join(item.intacct_keys), cell(item.message))
    console.print(table)
    counts = ", ".join(f"{kind.value} {run.count(kind)}" for kind in Outcome if run.count(kind))
    console.print(f"{len(run.outcomes)} report(s): {counts or 'none'}; {run.requests} gateway request(s).")


def _finish(run: ExportRun, json_output: bool, title: str) -> None:
    if json_output:
        print_json(run.as_dict())
    else:
        _summary(Console(), run, title)
    if not run.ok:
        raise typer.Exit(ExitCode.FAILED)


@guarded
def preflight(
    workspace: WorkspaceOption,
    report: Annotated[str, typer.Option("--report", "-r", help="The report id.")],
    json_output: JsonOption = False,
) -> None:
    """Check a report against the last synced Intacct data: every problem Intacct would refuse, all at once.

    Exits 0 when nothing blocks the export and 1 when something does.
    """
    box = SecretBox.from_settings()
    with opened_database() as database:
        with database.session() as session:
            space = lookup.workspace(session, workspace)
            report_id = lookup.report(session, report, space).id
        result = ExportService(database, box).preflight(space.id, report_id, SYSTEM)
    if json_output:
        print_json(result.as_dict())
    else:
        _print_preflight(Console(), result)
    if not result.ok:
        raise typer.Exit(ExitCode.FAILED)


def _print_preflight(console: Console, result: PreflightResult) -> None:
    if not result.findings:
        console.print(f"Report {result.report_id}: nothing stops the export.")
        return
    table = Table(title=f"Preflight of report {result.report_id}")
    for column in ("Code", "Blocks", "Expense", "Message"):
        table.add_column(column)
    for finding in result.findings:
        table.add_row(finding.code, "yes" if finding.blocking else "no", finding.expense_id or "",
                      cell(finding.message))
    console.print(table)
    for suggestion in result.suggestions:
        options = ", ".join(option.name for option in suggestion.categories)
        console.print(cell(f"Suggestion: {suggestion.title}" + (f" ({options})" if options else "")))


@guarded
def export(
    workspace: WorkspaceOption,
    report: ReportsOption = None,
    approved: Annotated[bool, typer.Option("--approved", help="Every approved report of the workspace.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Export approved reports to Sage Intacct, exactly once: preflight first, then batched delivery.

    Exits 0 when every report is in Intacct and 1 when any failed, was blocked or is still uncertain.
    """
    if bool(report) == approved:
        raise UsageProblem("name reports with --report, or pass --approved for every approved report")
    box = SecretBox.from_settings()
    with opened_database() as database:
        space = _connected(database, workspace)
        service = ExportService(database, box, client_options=client_options(AppSettings()))
        report_ids = service.approved(space.id) if approved else _checked_reports(database, space, report or [])
        actor = _actor(database, space)

        run = _run(json_output, "Exporting", len(report_ids),
                   lambda progress: service.export_now(space.id, report_ids, actor, progress=progress))
    _finish(run, json_output, f"Export: {space.name}")


@guarded
def retry(
    workspace: WorkspaceOption,
    report: ReportsOption = None,
    code: Annotated[str | None, typer.Option("--code", help="Every approved report that last failed with this "
                                                             "INT code, e.g. INT860.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Retry failed or uncertain exports: named reports, or all that failed with one INT code.

    Uncertain documents are looked up in Intacct first, so nothing is created twice.
    """
    if bool(report) == (code is not None):
        raise UsageProblem("name reports with --report, or pass --code INT### for every report failed with it")
    box = SecretBox.from_settings()
    with opened_database() as database:
        space = _connected(database, workspace)
        service = ExportService(database, box, client_options=client_options(AppSettings()))
        which: list[str] | str = code.strip().upper() if code else _checked_reports(database, space, report or [])
        actor = _actor(database, space)

        run = _run(json_output, "Retrying", len(which) if isinstance(which, list) else 1,
                   lambda progress: service.retry_now(space.id, which, actor, progress=progress))
    _finish(run, json_output, f"Retry: {space.name}")


def _actor(database: Database, space: Workspace) -> str:
    """Commands run as the workspace's preferred exporter when one is set, else as the system."""
    from ledgerbridge.store import Connections

    with database.session() as session:
        preferred = Connections(session, SecretBox.from_settings()).settings(space.id).preferred_exporter
    return preferred or SYSTEM
