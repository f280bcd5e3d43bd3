"""Reports, their expenses and their history."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import ClauseElement, Table, bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from ledgerbridge.domain.ids import ExpenseId, ReportId, UserId, WorkspaceId
from ledgerbridge.domain.money import Money
from ledgerbridge.domain.reports import EventKind, Expense, HistoryEvent, Payment, Report, ReportState
from ledgerbridge.store.errors import NotFound, StoreError
from ledgerbridge.store.models import ExpenseRow, HistoryEventRow, ReportRow
from ledgerbridge.store.repos._bulk import CHUNK, execute_many
from ledgerbridge.store.repos._rows import affected

IN_CHUNK: Final = 500
"""Ids per ``IN (...)`` list: well inside SQLite's and PostgreSQL's limits on bound parameters."""

_REPORTS: Final = cast(Table, ReportRow.__table__)
_EXPENSES: Final = cast(Table, ExpenseRow.__table__)
_HISTORY: Final = cast(Table, HistoryEventRow.__table__)
_EXPENSE_COLUMNS: Final = tuple(_EXPENSES.c[name] for name in (
    "id", "report_id", "spent_on", "merchant", "amount", "currency", "category_id", "tags", "payment", "card_id",
    "billable", "description", "vendor"))
"""An expense's columns in the order `Expense` takes its fields."""
_EVENT_KEYS: Final = ("id", "report_id", "at", "actor", "kind", "detail")


def execute_rows(session: Session, statement: ClauseElement, keys: Sequence[str],
                 rows: Iterable[Sequence[Any]]) -> int:
    """Run an INSERT or UPDATE once per row, compiled once, rows given as tuples in `keys` order.

    Each value goes through its column type's own bind conversion, as a generic execute would do (a value
    repeated from the row before is converted once), without that path's per-row bookkeeping. Returns the
    rows the statement changed, as the driver counts them.
    """
    connection = session.connection()
    dialect = connection.dialect
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    order = list(compiled.positiontup or ()) if compiled.positional else list(compiled.params)
    at = {key: index for index, key in enumerate(keys)}
    picks = [at[key] for key in order]
    binds = [compiled.binds[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order]
    plain = all(bind is None for bind in binds)
    last: list[Any] = [_NOTHING] * len(order)
    converted: list[Any] = [None] * len(order)
    params: list[Any] = []
    for row in rows:
        if plain:
            values: Sequence[Any] = tuple(row[pick] for pick in picks)
        else:
            out = []
            for slot, (pick, bind) in enumerate(zip(picks, binds, strict=True)):
                value = row[pick]
                if bind is not None:
                    if value is last[slot]:
                        value = converted[slot]
                    else:
                        last[slot] = value
                        value = converted[slot] = bind(value)
                out.append(value)
            values = out
        params.append(tuple(values) if compiled.positional else dict(zip(order, values, strict=True)))
    if not params:
        return 0
    changed = 0
    for start in range(0, len(params), CHUNK):
        changed += affected(connection.exec_driver_sql(compiled.string, params[start:start + CHUNK]))
    return changed


_NOTHING: Final = object()


class ReportChanged(StoreError):
    """The report's state changed since it was read (e.g. two approvers at once)."""

    def __init__(self, report_id: ReportId, expected: ReportState) -> None:
        super().__init__(f"report {report_id} is no longer {expected.value}; reload it")
        self.report_id = report_id


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Which reports a list shows; every field narrows it. `owner` limits a member to their own reports."""

    states: Collection[ReportState] = ()
    owner: UserId | None = None
    export_status: str | None = None
    int_code: str | None = None


@dataclass(frozen=True, slots=True)
class ReportPage:
    """One page of reports, newest first; pass `next_cursor` to get the next page."""

    reports: list[Report]
    next_cursor: tuple[datetime, ReportId] | None


def _report(row: ReportRow | Row[Any]) -> Report:
    return Report(
        id=row.id,
        workspace_id=row.workspace_id,
        owner=row.owner_id,
        title=row.title,
        currency=row.currency,
        created_at=row.created_at,
        state=ReportState(row.state),
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        approved_at=row.approved_at,
        approved_by=row.approved_by,
        exported_at=row.exported_at,
        reimbursed_at=row.reimbursed_at,
        export_version=row.export_version,
        export_status=row.export_status,
        last_int_code=row.last_int_code,
    )


def _report_values(report: Report) -> dict[str, Any]:
    return {
        "workspace_id": report.workspace_id,
        "owner_id": report.owner,
        "title": report.title,
        "state": report.state.value,
        "currency": report.currency,
        "created_at": report.created_at,
        "submitted_at": report.submitted_at,
        "submitted_by": report.submitted_by,
        "approved_at": report.approved_at,
        "approved_by": report.approved_by,
        "exported_at": report.exported_at,
        "reimbursed_at": report.reimbursed_at,
        "export_version": report.export_version,
        "export_status": report.export_status,
        "last_int_code": report.last_int_code,
    }


def _expense(row: ExpenseRow | Row[Any]) -> Expense:
    return Expense(
        id=row.id,
        report_id=row.report_id,
        spent_on=row.spent_on,
        merchant=row.merchant,
        amount=Money(row.amount, row.currency),
        category_id=row.category_id,
        tags=dict(row.tags),
        payment=Payment(row.payment),
        card_id=row.card_id,
        billable=row.billable,
        description=row.description,
        vendor=row.vendor,
    )


def _expense_values(expense: Expense) -> dict[str, Any]:
    return {
        "report_id": expense.report_id,
        "spent_on": expense.spent_on,
        "merchant": expense.merchant,
        "amount": expense.amount.amount,
        "currency": expense.amount.currency,
        "category_id": expense.category_id,
        "tags": dict(expense.tags),
        "payment": expense.payment.value,
        "card_id": expense.card_id,
        "billable": expense.billable,
        "description": expense.description,
        "vendor": expense.vendor,
    }


class Reports:
    """Reports of a workspace with their expenses and history; others' reports are not found."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, report: Report) -> Report:
        self.session.add(ReportRow(id=report.id, **_report_values(report)))
        self.session.flush()
        return report

    def add_many(self, reports: Sequence[Report], expenses: Iterable[Expense] = ()) -> None:
        """Insert new reports and their expenses in bulk (an import); expenses keep the order given.

        Every expense must belong to one of `reports`.
        """
        positions = {report.id: 0 for report in reports}
        self.session.flush()
        execute_many(self.session, insert(_REPORTS), ({"id": r.id, **_report_values(r)} for r in reports))
        rows = []
        for expense in expenses:
            if expense.report_id not in positions:
                raise ValueError(f"expense {expense.id} belongs to report {expense.report_id}, not one added here")
            positions[expense.report_id] += 1
            rows.append({"id": expense.id, "position": positions[expense.report_id], **_expense_values(expense)})
        execute_many(self.session, insert(_EXPENSES), rows)

    def get(self, workspace_id: WorkspaceId, report_id: ReportId) -> Report:
        return _report(self._row(workspace_id, report_id))

    def workspace_of(self, report_id: ReportId) -> WorkspaceId | None:
        """The workspace a report belongs to, for callers that name a report without it (the command line)."""
        return self.session.scalar(select(_REPORTS.c.workspace_id).where(_REPORTS.c.id == report_id))

    def owners_of(self, workspace_id: WorkspaceId, report_ids: Sequence[ReportId]) -> set[UserId]:
        """The owners of the reports (those of the workspace among them)."""
        owners: set[UserId] = set()
        ids = list(dict.fromkeys(report_ids))
        for start in range(0, len(ids), IN_CHUNK):
            owners.update(self.session.scalars(
                select(_REPORTS.c.owner_id).distinct().where(_REPORTS.c.workspace_id == workspace_id,
                                                             _REPORTS.c.id.in_(ids[start:start + IN_CHUNK]))))
        return owners

    def get_many(self, workspace_id: WorkspaceId, report_ids: Sequence[ReportId]) -> list[Report]:
        """The reports in the order asked, read a few hundred to a query; NotFound names the first missing one."""
        found: dict[ReportId, Report] = {}
        ids = list(dict.fromkeys(report_ids))
        for start in range(0, len(ids), IN_CHUNK):
            query = select(_REPORTS).where(_REPORTS.c.workspace_id == workspace_id,
                                           _REPORTS.c.id.in_(ids[start:start + IN_CHUNK]))
            found.update((row.id, _report(row)) for row in self.session.execute(query))
        missing = next((report_id for report_id in report_ids if report_id not in found), None)
        if missing is not None:
            raise NotFound("report", missing)
        return [found[report_id] for report_id in report_ids]

    def save(self, report: Report, *, if_state: ReportState | None = None) -> Report:
        """Store the report; with `if_state`, only if it is still in that state (else `ReportChanged`)."""
        query = update(ReportRow).where(ReportRow.id == report.id, ReportRow.workspace_id == report.workspace_id)
        if if_state is not None:
            query = query.where(ReportRow.state == if_state.value)
        if not affected(self.session.execute(query.values(**_report_values(report)))):
            self._row(report.workspace_id, report.id)
            raise ReportChanged(report.id, if_state or report.state)
        return report

    def save_many(self, reports: Sequence[Report], *, if_state: ReportState,
                  fields: Collection[str] | None = None) -> list[ReportId]:
        """`save` for many reports still in `if_state`; returns the ids of those that were not (left as they are).

        `fields` limits what is written (e.g. only what a state change touches). When fewer rows changed than
        asked, the rows are read back: those holding what was written here were saved by this call.
        """
        if not reports:
            return []
        self.session.flush()
        names = [name for name in _report_values(reports[0]) if name != "workspace_id"
                 and (fields is None or name in fields)]
        query = (
            update(_REPORTS)
            .where(_REPORTS.c.id == bindparam("b_id"), _REPORTS.c.workspace_id == bindparam("b_workspace"),
                   _REPORTS.c.state == if_state.value)
            .values({name: bindparam(f"v_{name}") for name in names})
        )
        written = {r.id: {name: value for name, value in _report_values(r).items() if name in names} for r in reports}
        first = written[reports[0].id]
        workspaces = {r.workspace_id for r in reports}
        if len(workspaces) == 1 and all(values == first for values in written.values()):
            # The same change for every report (e.g. all becoming exported at one time): set-based statements.
            (workspace_id,) = workspaces
            ids = list(written)
            changed = 0
            for start in range(0, len(ids), IN_CHUNK):
                changed += affected(self.session.execute(
                    update(_REPORTS)
                    .where(_REPORTS.c.id.in_(ids[start:start + IN_CHUNK]), _REPORTS.c.workspace_id == workspace_id,
                           _REPORTS.c.state == if_state.value)
                    .values(first)))
            if changed == len(ids):
                return []
        else:
            rows = [{"b_id": r.id, "b_workspace": r.workspace_id,
                     **{f"v_{name}": written[r.id][name] for name in names}} for r in reports]
            if affected(self.session.execute(query, rows)) == len(rows):
                return []
        saved: set[ReportId] = set()
        ids = list(written)
        for start in range(0, len(ids), IN_CHUNK):
            for row in self.session.execute(select(_REPORTS).where(_REPORTS.c.id.in_(ids[start:start + IN_CHUNK]))):
                stored = _report_values(_report(row))
                if all(stored[name] == value for name, value in written[row.id].items()):
                    saved.add(row.id)
        return [r.id for r in reports if r.id not in saved]

    def set_export_outcomes(self, workspace_id: WorkspaceId,
                            outcomes: Mapping[ReportId, tuple[str | None, str | None]]) -> None:
        """`set_export_outcome` for many reports in one statement: report id -> (status, INT code)."""
        if not outcomes:
            return
        self.session.flush()
        # Reports sharing an outcome (a slice all `sending`, a batch all exported) take one statement.
        groups: dict[tuple[str | None, str | None], list[ReportId]] = {}
        for report_id, outcome in outcomes.items():
            groups.setdefault(outcome, []).append(report_id)
        for (status, code), ids in groups.items():
            for start in range(0, len(ids), IN_CHUNK):
                self.session.execute(
                    update(_REPORTS)
                    .where(_REPORTS.c.id.in_(ids[start:start + IN_CHUNK]), _REPORTS.c.workspace_id == workspace_id)
                    .values(export_status=status, last_int_code=code))

    def set_export_outcome(
        self, workspace_id: WorkspaceId, report_id: ReportId, status: str | None, int_code: str | None
    ) -> None:
        """Record the latest export status and INT code (None when the last attempt succeeded)."""
        query = (
            update(ReportRow)
            .where(ReportRow.id == report_id, ReportRow.workspace_id == workspace_id)
            .values(export_status=status, last_int_code=int_code)
        )
        if not affected(self.session.execute(query)):
            raise NotFound("report", report_id)

    def page(
        self,
        workspace_id: WorkspaceId,
        where: ReportFilter = ReportFilter(),
        *,
        limit: int = 50,
        after: tuple[datetime, ReportId] | None = None,
    ) -> ReportPage:
        """A page of the workspace's reports, newest first, narrowed by `where`."""
        query = select(ReportRow).where(ReportRow.workspace_id == workspace_id)
        if where.states:
            query = query.where(ReportRow.state.in_([s.value for s in where.states]))
        if where.owner is not None:
            query = query.where(ReportRow.owner_id == where.owner)
        if where.export_status is not None:
            query = query.where(ReportRow.export_status == where.export_status)
        if where.int_code is not None:
            query = query.where(ReportRow.last_int_code == where.int_code)
        if after is not None:
            created, report_id = after
            query = query.where(
                or_(ReportRow.created_at < created, (ReportRow.created_at == created) & (ReportRow.id < report_id))
            )
        rows = list(
            self.session.scalars(query.order_by(ReportRow.created_at.desc(), ReportRow.id.desc()).limit(limit + 1))
        )
        reports = [_report(row) for row in rows[:limit]]
        cursor = (reports[-1].created_at, reports[-1].id) if len(rows) > limit else None
        return ReportPage(reports, cursor)

    def count(self, workspace_id: WorkspaceId, where: ReportFilter = ReportFilter()) -> int:
        query = select(func.count()).select_from(ReportRow).where(ReportRow.workspace_id == workspace_id)
        if where.states:
            query = query.where(ReportRow.state.in_([s.value for s in where.states]))
        if where.owner is not None:
            query = query.where(ReportRow.owner_id == where.owner)
        if where.export_status is not None:
            query = query.where(ReportRow.export_status == where.export_status)
        if where.int_code is not None:
            query = query.where(ReportRow.last_int_code == where.int_code)
        return int(self.session.scalar(query) or 0)

    def delete(self, workspace_id: WorkspaceId, report_id: ReportId) -> None:
        self.session.delete(self._row(workspace_id, report_id))
        self.session.flush()

    def _row(self, workspace_id: WorkspaceId, report_id: ReportId) -> ReportRow:
        row = self.session.get(ReportRow, report_id, populate_existing=True)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound("report", report_id)
        return row

    # Expenses

    def add_expense(self, expense: Expense) -> Expense:
        """Append an expense to its report (expenses keep the order they were added in)."""
        last = self.session.scalar(
            select(func.max(ExpenseRow.position)).where(ExpenseRow.report_id == expense.report_id)
        )
        self.session.add(ExpenseRow(id=expense.id, position=(last or 0) + 1, **_expense_values(expense)))
        self.session.flush()
        return expense

    def add_expenses(self, expenses: Collection[Expense]) -> None:
        """Append many expenses at once (an import)."""
        positions: dict[ReportId, int] = {}
        rows = []
        for expense in expenses:
            if expense.report_id not in positions:
                last = self.session.scalar(
                    select(func.max(ExpenseRow.position)).where(ExpenseRow.report_id == expense.report_id)
                )
                positions[expense.report_id] = last or 0
            positions[expense.report_id] += 1
            rows.append({"id": expense.id, "position": positions[expense.report_id], **_expense_values(expense)})
        if rows:
            self.session.execute(insert(ExpenseRow), rows)

    def save_expense(self, expense: Expense) -> Expense:
        query = update(ExpenseRow).where(ExpenseRow.id == expense.id, ExpenseRow.report_id == expense.report_id)
        if not affected(self.session.execute(query.values(**_expense_values(expense)))):
            raise NotFound("expense", expense.id)
        return expense

    def expense(self, report_id: ReportId, expense_id: ExpenseId) -> Expense:
        row = self.session.get(ExpenseRow, expense_id, populate_existing=True)
        if row is None or row.report_id != report_id:
            raise NotFound("expense", expense_id)
        return _expense(row)

    def expenses_of(self, report_ids: Collection[ReportId]) -> dict[ReportId, list[Expense]]:
        """The expenses of many reports, each list in report order; reports without any map to []."""
        found: dict[ReportId, list[Expense]] = {report_id: [] for report_id in report_ids}
        ids = list(found)
        for start in range(0, len(ids), IN_CHUNK):
            query = (select(*_EXPENSE_COLUMNS).where(_EXPENSES.c.report_id.in_(ids[start:start + IN_CHUNK]))
                     .order_by(_EXPENSES.c.report_id, _EXPENSES.c.position))
            for (expense_id, report_id, spent_on, merchant, amount, currency, category_id, tags, payment, card_id,
                 billable, description, vendor) in self.session.execute(query):
                found[report_id].append(Expense(
                    expense_id, report_id, spent_on, merchant, Money(amount, currency), category_id, dict(tags),
                    Payment(payment), card_id, billable, description, vendor))
        return found

    def expenses(self, report_id: ReportId) -> list[Expense]:
        rows = self.session.scalars(
            select(ExpenseRow)
            .where(ExpenseRow.report_id == report_id)
            .order_by(ExpenseRow.position)
            .execution_options(populate_existing=True)
        )
        return [_expense(row) for row in rows]

    def delete_expense(self, report_id: ReportId, expense_id: ExpenseId) -> None:
        row = self.session.get(ExpenseRow, expense_id)
        if row is None or row.report_id != report_id:
            raise NotFound("expense", expense_id)
        self.session.delete(row)
        self.session.flush()

    # History

    def record(self, event: HistoryEvent) -> HistoryEvent:
        self.session.add(
            HistoryEventRow(
                id=event.id,
                report_id=event.report_id,
                at=event.at,
                actor=event.actor,
                kind=event.kind.value,
                detail=dict(event.detail),
            )
        )
        self.session.flush()
        return event

    def record_many(self, events: Iterable[HistoryEvent]) -> None:
        """Append many history events in one statement."""
        self.session.flush()
        execute_rows(self.session, insert(_HISTORY), _EVENT_KEYS,
                     [(e.id, e.report_id, e.at, e.actor, e.kind.value, dict(e.detail)) for e in events])

    def history(self, report_id: ReportId) -> list[HistoryEvent]:
        """The report's history, oldest first."""
        rows = self.session.scalars(
            select(HistoryEventRow)
            .where(HistoryEventRow.report_id == report_id)
            .order_by(HistoryEventRow.at, HistoryEventRow.id)
        )
        return [
            HistoryEvent(row.id, row.report_id, row.at, row.actor, EventKind(row.kind), dict(row.detail))
            for row in rows
        ]
