"""Preflight: every problem synced data can predict for a report, per expense line, all at once.

`preflight` is pure: it reads a report, its expenses and a `WorkspaceView` (what Intacct held at the last
Sync Now) and returns findings with the INT codes Intacct would answer with, or a `PF-` workspace condition
where no INT code applies. Nothing is sent and nothing stops at the first problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ledgerbridge.domain.reports import Expense, Report
from ledgerbridge.export.preflight import conditions
from ledgerbridge.export.preflight.conditions import CONDITIONS
from ledgerbridge.export.preflight.context import ReportContext, build, expense_label
from ledgerbridge.export.preflight.finding import Finding, Restriction, finding
from ledgerbridge.export.preflight.lines import check_line, coding_findings
from ledgerbridge.export.preflight.report import check_approval, check_documents
from ledgerbridge.export.view import WorkspaceView


def preflight(
    report: Report,
    expenses: Sequence[Expense],
    view: WorkspaceView,
    *,
    export_date: date | None = None,
    owner_email: str | None = None,
) -> list[Finding]:
    """Every finding for `report`: report-wide ones first, then each line's in order.

    `export_date` is the day the export would run (used when the workspace dates exports by export date);
    `owner_email` overrides the owner's email the view knows, for matching the Intacct employee.
    """
    ctx = build(report, view, export_date, owner_email)
    report_wide: list[Finding] = []
    check_approval(ctx, report_wide)
    by_line: list[Finding] = []
    if not view.synced:
        # Without a sync every account and card would look unknown: say so, and check only the workspace side.
        report_wide.append(finding(conditions.NOT_SYNCED, blocking=False))
        by_line.extend(finding("INT680", expense.id, expense=expense_label(expense))
                       for expense in expenses if expense.category_id is None)
        return report_wide + by_line
    for line, expense in enumerate(expenses, 1):
        check_line(ctx, expense, line, by_line)
    check_documents(ctx, report_wide)
    return report_wide + by_line


__all__ = [
    "CONDITIONS",
    "Finding",
    "ReportContext",
    "Restriction",
    "build",
    "coding_findings",
    "conditions",
    "preflight",
]
