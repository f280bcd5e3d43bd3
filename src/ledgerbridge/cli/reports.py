"""``ledgerbridge reports``: list a workspace's reports and show one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ledgerbridge.cli import lookup
from ledgerbridge.cli.common import cell, guarded, opened_database, print_json
from ledgerbridge.cli.views import People, ReportDetail, report_dict, totals, totals_text
from ledgerbridge.domain import ReportState
from ledgerbridge.store import ReportFilter, Reports

app = typer.Typer(help="Expense reports: their state, totals, expenses, export outcome and history.",
                  no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
MAX_LIMIT = 500


@app.command("list")
@guarded
def list_reports(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id or unique name.")],
    state: Annotated[ReportState | None, typer.Option("--state", help="Only reports in this state.")] = None,
    export_status: Annotated[
        str | None, typer.Option("--export-status", help="Only reports whose last export ended so, e.g. failed."),
    ] = None,
    int_code: Annotated[
        str | None, typer.Option("--int-code", help="Only reports whose last export failed with this code, "
                                                    "e.g. INT860."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="At most this many, newest first.")] = 50,
    json_output: JsonOption = False,
) -> None:
    """List reports, newest first, with their totals per currency and last export outcome."""
    where = ReportFilter(
        states=(state,) if state is not None else (),
        export_status=export_status,
        int_code=int_code.strip().upper() if int_code else None,
    )
    with opened_database() as database, database.session() as session:
        space = lookup.workspace(session, workspace)
        reports = Reports(session)
        page = reports.page(space.id, where, limit=limit)
        matching = reports.count(space.id, where)
        expenses = {report.id: reports.expenses(report.id) for report in page.reports}
        people = People.load(session, (report.owner for report in page.reports))
    if json_output:
        print_json({
            "workspace": {"id": space.id, "name": space.name},
            "count": matching,
            "reports": [report_dict(report, expenses[report.id], people) for report in page.reports],
        })
        return
    if not page.reports:
        typer.echo(f"No reports in workspace {space.name!r} match.")
        return
    table = Table(title=f"Reports: {len(page.reports)} of {matching}")
    for column in ("Id", "Title", "Owner", "State", "Expenses", "Total", "Export", "INT code", "Created (UTC)"):
        table.add_column(column)
    for report in page.reports:
        lines = expenses[report.id]
        table.add_row(
            report.id, cell(report.title), cell(people.label(report.owner)), report.state.value, str(len(lines)),
            totals_text(totals(lines)), report.export_status or "", report.last_int_code or "",
            f"{report.created_at:%Y-%m-%d %H:%M}",
        )
    Console().print(table)


@app.command("show")
@guarded
def show(
    report: Annotated[str, typer.Argument(help="The report id (see `reports list`).")],
    workspace: Annotated[
        str | None, typer.Option("--workspace", "-w", help="Workspace id or unique name the report must be in."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Show one report: its expenses, totals per currency, export outcome and history."""
    with opened_database() as database, database.session() as session:
        space = lookup.workspace(session, workspace) if workspace is not None else None
        detail = ReportDetail.load(session, lookup.report(session, report, space))
    if json_output:
        print_json(detail.as_dict())
    else:
        detail.print(Console())
