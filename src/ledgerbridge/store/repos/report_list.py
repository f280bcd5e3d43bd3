"""Read-only queries behind the report list and the export health page.

Pages are keyset pages on (created_at, id), newest first, so the 2,000th page costs what the first does;
every filter lines up with one of the `ix_reports_workspace_*` indexes. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, cast

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ledgerbridge.domain.ids import ReportId, UserId, WorkspaceId
from ledgerbridge.domain.reports import EventKind, Report, ReportState
from ledgerbridge.store.models import ExpenseRow, HistoryEventRow, ReportRow, UserRow

NEVER_EXPORTED: Final = "none"
"""The export-status filter value for reports no export has touched yet (no status)."""

EXPORT_STATUSES: Final = ("failed", "exported", "queued", "sending", "uncertain", NEVER_EXPORTED)
"""Every value the export-status filter takes."""

MAX_PAGE: Final = 200
_TITLE_SEARCH_MAX: Final = 100

_REPORTS: Final = cast(Table, ReportRow.__table__)
_EXPENSES: Final = cast(Table, ExpenseRow.__table__)
_HISTORY: Final = cast(Table, HistoryEventRow.__table__)
_USERS: Final = cast(Table, UserRow.__table__)

Cursor = tuple[datetime, ReportId]
"""Where a page starts or ends: the (created_at, id) of a report on its edge."""


@dataclass(frozen=True, slots=True)
class ListFilter:
    """Which reports the list shows; each field narrows it. `owner` keeps a member to their own reports."""

    states: Collection[ReportState] = ()
    owner: UserId | None = None
    export_status: str | None = None
    """One of `EXPORT_STATUSES`; `NEVER_EXPORTED` matches reports without a status."""
    int_code: str | None = None
    title: str | None = None
    """Part of the title, any case."""


@dataclass(frozen=True, slots=True)
class ListedReport:
    """One line of the list: the report, its owner's name and its total (per currency, usually one)."""

    report: Report
    owner_name: str
    totals: tuple[tuple[str, Decimal], ...] = ()
    expense_count: int = 0


@dataclass(frozen=True, slots=True)
class ListPage:
    """A page of the list, newest first, and the cursors of the pages either side (None at an end)."""

    rows: list[ListedReport]
    next_cursor: Cursor | None
    prev_cursor: Cursor | None


@dataclass(frozen=True, slots=True)
class ListCounts:
    """How many reports the list's scope holds, by state and by the INT code they last failed with."""

    by_state: dict[ReportState, int]
    by_int_code: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


@dataclass(frozen=True, slots=True)
class HealthDay:
    """What exports did on one day (UTC): reports exported, failed by INT code, left uncertain."""

    day: date
    exported: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    uncertain: int = 0

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())


def _report(row: Row[Any]) -> Report:
    return Report(
        id=row.id, workspace_id=row.workspace_id, owner=row.owner_id, title=row.title, currency=row.currency,
        created_at=row.created_at, state=ReportState(row.state), submitted_at=row.submitted_at,
        submitted_by=row.submitted_by, approved_at=row.approved_at, approved_by=row.approved_by,
        exported_at=row.exported_at, reimbursed_at=row.reimbursed_at, export_version=row.export_version,
        export_status=row.export_status, last_int_code=row.last_int_code,
    )


def _conditions(workspace_id: WorkspaceId, where: ListFilter) -> list[ColumnElement[bool]]:
    reports = _REPORTS.c
    found: list[ColumnElement[bool]] = [reports.workspace_id == workspace_id]
    if where.states:
        found.append(reports.state.in_(sorted(s.value for s in where.states)))
    if where.owner is not None:
        found.append(reports.owner_id == where.owner)
    if where.export_status == NEVER_EXPORTED:
        found.append(reports.export_status.is_(None))
    elif where.export_status is not None:
        found.append(reports.export_status == where.export_status)
    if where.int_code is not None:
        found.append(reports.last_int_code == where.int_code)
    if where.title:
        needle = where.title.strip()[:_TITLE_SEARCH_MAX].lower()
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found.append(func.lower(reports.title).like(f"%{escaped}%", escape="\\"))
    return found


def _before(cursor: Cursor) -> ColumnElement[bool]:
    # `created_at <= c` bounds the index range scan; the OR only settles ties within one timestamp.
    created, report_id = cursor
    reports = _REPORTS.c
    return and_(reports.created_at <= created,
                or_(reports.created_at < created, reports.id < report_id))


def _after(cursor: Cursor) -> ColumnElement[bool]:
    created, report_id = cursor
    reports = _REPORTS.c
    return and_(reports.created_at >= created,
                or_(reports.created_at > created, reports.id > report_id))


class ReportList:
    """The report list of one workspace: filtered keyset pages, counts, and export health by day."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def page(
        self,
        workspace_id: WorkspaceId,
        where: ListFilter = ListFilter(),
        *,
        limit: int = 50,
        after: Cursor | None = None,
        before: Cursor | None = None,
    ) -> ListPage:
        """The page of reports older than `after` (or, with `before`, newer than it), newest first."""
        if after is not None and before is not None:
            raise ValueError("page after a cursor or before one, not both")
        limit = max(1, min(limit, MAX_PAGE))
        reports = _REPORTS.c
        query: Select[Any] = select(_REPORTS).where(*_conditions(workspace_id, where))
        if before is None:
            if after is not None:
                query = query.where(_before(after))
            query = query.order_by(reports.created_at.desc(), reports.id.desc())
        else:
            query = query.where(_after(before)).order_by(reports.created_at.asc(), reports.id.asc())
        rows = list(self.session.execute(query.limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        if before is not None:
            rows.reverse()
        found = [_report(row) for row in rows]
        if not found:
            return ListPage([], None, None)
        first, last = (found[0].created_at, found[0].id), (found[-1].created_at, found[-1].id)
        if before is None:
            next_cursor, prev_cursor = (last if more else None), (first if after is not None else None)
        else:
            next_cursor, prev_cursor = last, (first if more else None)
        return ListPage(self._decorate(found), next_cursor, prev_cursor)

    def _decorate(self, found: Sequence[Report]) -> list[ListedReport]:
        ids = [report.id for report in found]
        totals: dict[ReportId, list[tuple[str, Decimal]]] = {}
        counts: dict[ReportId, int] = {}
        # Summed here, not in SQL: SQLite would add the amounts as floats.
        expenses = _EXPENSES.c
        lines = select(expenses.report_id, expenses.currency, ExpenseRow.amount).where(expenses.report_id.in_(ids))
        sums: dict[tuple[ReportId, str], Decimal] = {}
        for report_id, currency, amount in self.session.execute(lines):
            sums[(report_id, currency)] = sums.get((report_id, currency), Decimal(0)) + amount
            counts[report_id] = counts.get(report_id, 0) + 1
        for (report_id, currency), total in sums.items():
            totals.setdefault(report_id, []).append((currency, total))
        owners = {report.owner for report in found}
        rows = self.session.execute(select(_USERS.c.id, _USERS.c.name).where(_USERS.c.id.in_(owners)))
        names: dict[str, str] = {row.id: row.name for row in rows}
        return [ListedReport(report, names.get(report.owner, report.owner),
                             tuple(sorted(totals.get(report.id, ()))), counts.get(report.id, 0))
                for report in found]

    def counts(self, workspace_id: WorkspaceId, owner: UserId | None = None) -> ListCounts:
        """Reports by state, and failed reports by INT code, within the workspace (or one owner's reports)."""
        reports = _REPORTS.c
        scope: list[ColumnElement[bool]] = [reports.workspace_id == workspace_id]
        if owner is not None:
            scope.append(reports.owner_id == owner)
        # Within one owner, grouping by an expression keeps SQLite on the owner index: grouping by the bare
        # column would walk the whole workspace through the state index instead.
        grouped = reports.state if owner is None else func.coalesce(reports.state, "")
        by_state = {ReportState(state): int(count) for state, count in self.session.execute(
            select(grouped, func.count()).where(*scope).group_by(grouped))}
        by_code = {code: int(count) for code, count in self.session.execute(
            select(reports.last_int_code, func.count())
            .where(*scope, reports.last_int_code.is_not(None))
            .group_by(reports.last_int_code)
            .order_by(func.count().desc(), reports.last_int_code))}
        return ListCounts({state: by_state.get(state, 0) for state in ReportState}, by_code)

    def ids(self, workspace_id: WorkspaceId, where: ListFilter, *, limit: int = 1000) -> list[ReportId]:
        """Ids of the first `limit` reports the filter matches, newest first (a bulk action's selection)."""
        reports = _REPORTS.c
        query = (select(reports.id).where(*_conditions(workspace_id, where))
                 .order_by(reports.created_at.desc(), reports.id.desc()).limit(limit))
        return list(self.session.scalars(query))

    def health(self, workspace_id: WorkspaceId, since: datetime, owner: UserId | None = None) -> list[HealthDay]:
        """Per UTC day since `since`: how many reports were exported, failed (by INT code) or left uncertain.

        Read from the reports' history, not from export attempts: an attempt row keeps only its latest
        state, so a failure that a retry later fixed would vanish from the day it happened. A report that
        failed twice on one day counts once for that day and code.
        """
        history = _HISTORY.c
        dialect = self.session.get_bind().dialect.name
        # SQLite keeps naive UTC text ('YYYY-MM-DD HH:MM:SS'); PostgreSQL an aware timestamp.
        day: ColumnElement[Any] = (func.date(func.timezone("UTC", history.at)) if dialect == "postgresql"
                                   else func.substr(history.at, 1, 10))
        code = HistoryEventRow.detail["code"].as_string()
        kinds = [EventKind.EXPORTED.value, EventKind.EXPORT_FAILED.value, EventKind.EXPORT_UNCERTAIN.value]
        query = (
            select(day.label("day"), history.kind, code.label("code"), func.count(history.report_id.distinct()))
            .select_from(_HISTORY.join(_REPORTS, _REPORTS.c.id == history.report_id))
            .where(_REPORTS.c.workspace_id == workspace_id, history.at >= since, history.kind.in_(kinds))
            .group_by(day, history.kind, code)
        )
        if owner is not None:
            query = query.where(_REPORTS.c.owner_id == owner)
        days: dict[date, dict[str, Any]] = {}
        for on, kind, failed_code, count in self.session.execute(query):
            when = on if isinstance(on, date) else date.fromisoformat(str(on))
            entry = days.setdefault(when, {"exported": 0, "failed": {}, "uncertain": 0})
            if kind == EventKind.EXPORTED.value:
                entry["exported"] += int(count)
            elif kind == EventKind.EXPORT_UNCERTAIN.value:
                entry["uncertain"] += int(count)
            else:
                label = failed_code or "unknown"
                entry["failed"][label] = entry["failed"].get(label, 0) + int(count)
        return [HealthDay(when, **days[when]) for when in sorted(days)]


__all__ = [
    "EXPORT_STATUSES",
    "MAX_PAGE",
    "NEVER_EXPORTED",
    "Cursor",
    "HealthDay",
    "ListCounts",
    "ListFilter",
    "ListPage",
    "ListedReport",
    "ReportList",
]
