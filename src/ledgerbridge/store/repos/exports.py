"""Export attempts: each claim and outcome is a compare-and-set, so two exporters never both send."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import Table, bindparam, insert, or_, select, update
from sqlalchemy.engine import Dialect, Row
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from ledgerbridge.domain.exports import AttemptState, ExportAttempt, check_move
from ledgerbridge.domain.ids import ReportId, WorkspaceId
from ledgerbridge.store.models import ExportAttemptRow
from ledgerbridge.store.repos._rows import affected
from ledgerbridge.store.repos.reports import execute_rows

IN_CHUNK: Final = 500
_ATTEMPTS: Final = cast(Table, ExportAttemptRow.__table__)
_ATTEMPT_KEYS: Final = ("id", "workspace_id", "report_id", "export_version", "document_index", "document_kind",
                        "controlid", "reference", "reference_object", "reference_field", "state", "attempts",
                        "intacct_key", "int_code", "message", "intacct_errors", "claimed_until", "created_at",
                        "updated_at")


@dataclass(frozen=True, slots=True)
class Settlement:
    """An outcome to record for an attempt (see `ExportAttempts.settle`)."""

    attempt: ExportAttempt
    state: AttemptState
    intacct_key: str | None = None
    int_code: str | None = None
    message: str | None = None
    intacct_errors: Sequence[dict[str, Any]] = field(default_factory=tuple)


def _attempt(row: ExportAttemptRow | Row[Any]) -> ExportAttempt:
    return ExportAttempt(
        id=row.id,
        workspace_id=row.workspace_id,
        report_id=row.report_id,
        export_version=row.export_version,
        document_index=row.document_index,
        document_kind=row.document_kind,
        controlid=row.controlid,
        reference=row.reference,
        reference_object=row.reference_object,
        reference_field=row.reference_field,
        state=AttemptState(row.state),
        created_at=row.created_at,
        updated_at=row.updated_at,
        attempts=row.attempts,
        intacct_key=row.intacct_key,
        int_code=row.int_code,
        message=row.message,
        intacct_errors=tuple(row.intacct_errors or ()),
        claimed_until=row.claimed_until,
    )


class ExportAttempts:
    """The export attempts of a workspace's reports."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, attempt: ExportAttempt) -> ExportAttempt:
        self.session.add(ExportAttemptRow(**_attempt_values(attempt)))
        self.session.flush()
        return attempt

    def add_many(self, attempts: Sequence[ExportAttempt]) -> None:
        """Insert many new attempts in one statement."""
        self.session.flush()
        execute_rows(self.session, insert(_ATTEMPTS), _ATTEMPT_KEYS, [
            (a.id, a.workspace_id, a.report_id, a.export_version, a.document_index, a.document_kind, a.controlid,
             a.reference, a.reference_object, a.reference_field, a.state.value, a.attempts, a.intacct_key,
             a.int_code, a.message, list(a.intacct_errors), a.claimed_until, a.created_at, a.updated_at)
            for a in attempts])

    def of_report(self, workspace_id: WorkspaceId, report_id: ReportId) -> list[ExportAttempt]:
        """Every attempt of the report, all versions, in plan order."""
        rows = self.session.scalars(
            select(ExportAttemptRow)
            .where(ExportAttemptRow.workspace_id == workspace_id, ExportAttemptRow.report_id == report_id)
            .order_by(ExportAttemptRow.export_version, ExportAttemptRow.document_index, ExportAttemptRow.created_at)
            .execution_options(populate_existing=True)
        )
        return [_attempt(row) for row in rows]

    def of_reports(self, workspace_id: WorkspaceId, report_ids: Collection[ReportId]) -> list[ExportAttempt]:
        """Every attempt of the reports, read a few hundred reports to a query, by report and plan order."""
        found: list[ExportAttempt] = []
        ids = list(report_ids)
        for start in range(0, len(ids), IN_CHUNK):
            rows = self.session.execute(
                select(_ATTEMPTS)
                .where(_ATTEMPTS.c.workspace_id == workspace_id, _ATTEMPTS.c.report_id.in_(ids[start:start + IN_CHUNK]))
                .order_by(_ATTEMPTS.c.report_id, _ATTEMPTS.c.export_version, _ATTEMPTS.c.document_index,
                          _ATTEMPTS.c.created_at)
            )
            found.extend(_attempt(row) for row in rows)
        return found

    def unsettled_reports(self, workspace_id: WorkspaceId) -> list[ReportId]:
        """Reports with a document that may be in Intacct without our knowing: uncertain or still sending."""
        rows = self.session.scalars(
            select(ExportAttemptRow.report_id).distinct()
            .where(ExportAttemptRow.workspace_id == workspace_id,
                   ExportAttemptRow.state.in_([AttemptState.UNCERTAIN.value, AttemptState.SENDING.value]))
        )
        return list(rows)

    def claim(self, attempt: ExportAttempt, *, until: datetime, at: datetime) -> bool:
        """Move the attempt to `sending` if nobody changed it since it was read; False when someone did."""
        check_move(attempt.controlid, attempt.state, AttemptState.SENDING)
        query = (
            update(ExportAttemptRow)
            .where(ExportAttemptRow.id == attempt.id, ExportAttemptRow.state == attempt.state.value,
                   ExportAttemptRow.attempts == attempt.attempts)
        )
        if attempt.state is AttemptState.SENDING:
            # Taking over a sending attempt is only for one whose process let its claim lapse.
            query = query.where(or_(ExportAttemptRow.claimed_until.is_(None), ExportAttemptRow.claimed_until <= at))
        values: dict[str, Any] = {"state": AttemptState.SENDING.value, "claimed_until": until, "updated_at": at}
        values["attempts"] = attempt.attempts + 1
        return bool(affected(self.session.execute(query.values(**values))))

    def claim_many(self, attempts: Sequence[ExportAttempt], *, until: datetime,
                   at: datetime) -> list[ExportAttempt]:
        """`claim` for many attempts; returns those someone else moved first (not claimed here).

        Attempts read in the same state with the same count (in a first round, all of them) are claimed by one
        set-based UPDATE a few hundred ids at a time.
        """
        for attempt in attempts:
            check_move(attempt.controlid, attempt.state, AttemptState.SENDING)
        # Sending attempts whose claim lapsed (what a dead exporter left) are few: taken over one by one.
        lapsed = [a for a in attempts if a.state is AttemptState.SENDING]
        lost = [a for a in lapsed if not self.claim(a, until=until, at=at)]
        fresh = [a for a in attempts if a.state is not AttemptState.SENDING]
        if not fresh:
            return lost
        self.session.flush()
        groups: dict[tuple[str, int], list[str]] = {}
        for attempt in fresh:
            groups.setdefault((attempt.state.value, attempt.attempts), []).append(attempt.id)
        moved = 0
        for (state, count), ids in groups.items():
            for start in range(0, len(ids), IN_CHUNK):
                moved += affected(self.session.execute(
                    update(_ATTEMPTS)
                    .where(_ATTEMPTS.c.id.in_(ids[start:start + IN_CHUNK]), _ATTEMPTS.c.state == state,
                           _ATTEMPTS.c.attempts == count)
                    .values(state=AttemptState.SENDING.value, claimed_until=until, updated_at=at,
                            attempts=count + 1)))
        if moved == len(fresh):
            return lost
        shared = {"state": AttemptState.SENDING.value, "claimed_until": until, "updated_at": at}
        return lost + self._not_ours(fresh, [{**shared, "attempts": a.attempts + 1} for a in fresh])

    def settle_many(self, settlements: Sequence[Settlement], *, at: datetime) -> list[ExportAttempt]:
        """`settle` for many attempts; returns the attempts that moved on since they were read (not settled)."""
        for item in settlements:
            check_move(item.attempt.controlid, item.attempt.state, item.state)
        by_attempt = {item.attempt.id: item for item in settlements}

        def values(attempt: ExportAttempt) -> dict[str, Any]:
            item = by_attempt[attempt.id]
            return {"state": item.state.value, "intacct_key": item.intacct_key, "int_code": item.int_code,
                    "message": item.message, "intacct_errors": list(item.intacct_errors),
                    "attempts": attempt.attempts}

        return self._compare_and_set([item.attempt for item in settlements],
                                     {"claimed_until": None, "updated_at": at}, values)

    def _compare_and_set(self, attempts: Sequence[ExportAttempt], shared: dict[str, Any],
                         values: Callable[[ExportAttempt], dict[str, Any]]) -> list[ExportAttempt]:
        """One compare-and-set UPDATE (state and attempts as read) over many attempts; returns those it missed.

        The statement is compiled once and run with one tuple of parameters per attempt; values shared by all
        rows are converted once.
        """
        if not attempts:
            return []
        self.session.flush()
        rows = [values(a) for a in attempts]
        names = list(rows[0])
        connection = self.session.connection()
        dialect = connection.dialect
        statement = (
            update(_ATTEMPTS)
            .where(_ATTEMPTS.c.id == bindparam("b_id"), _ATTEMPTS.c.state == bindparam("b_state"),
                   _ATTEMPTS.c.attempts == bindparam("b_attempts"))
            .values({**{name: bindparam(f"v_{name}") for name in names},
                     **{name: bindparam(f"s_{name}") for name in shared}})
        )
        compiled = statement.compile(dialect=dialect)
        order = list(compiled.positiontup or ()) if compiled.positional else list(compiled.params)
        converters = {key: _bind(compiled, dialect, key) for key in order}
        fixed = {f"s_{name}": converters[f"s_{name}"](value) for name, value in shared.items()}
        params: list[Any] = []
        for attempt, row in zip(attempts, rows, strict=True):
            by_key: dict[str, Any] = {"b_id": attempt.id, "b_state": attempt.state.value,
                                      "b_attempts": attempt.attempts}
            for name, value in row.items():
                by_key[f"v_{name}"] = converters[f"v_{name}"](value)
            by_key.update(fixed)
            params.append(tuple(by_key[key] for key in order) if compiled.positional else by_key)
        if affected(connection.exec_driver_sql(compiled.string, params)) == len(params):
            return []
        return self._not_ours(attempts, [{**row, **shared} for row in rows])

    def _not_ours(self, attempts: Sequence[ExportAttempt], rows: Sequence[dict[str, Any]]) -> list[ExportAttempt]:
        """After an update that changed fewer rows than asked: the attempts whose rows do not hold what it wrote.

        Someone moved those first; the rows holding exactly what was written here (this call's `updated_at`
        included) are this call's.
        """
        written = dict(zip((a.id for a in attempts), rows, strict=True))
        names = list(rows[0])
        ours: set[str] = set()
        ids = list(written)
        for start in range(0, len(ids), IN_CHUNK):
            query = select(_ATTEMPTS.c.id, *(_ATTEMPTS.c[name] for name in names)).where(
                _ATTEMPTS.c.id.in_(ids[start:start + IN_CHUNK]))
            for found in self.session.execute(query):
                mine = written[found.id]
                if all(_same(getattr(found, name), mine[name]) for name in names):
                    ours.add(found.id)
        return [attempt for attempt in attempts if attempt.id not in ours]

    def settle(
        self,
        attempt: ExportAttempt,
        state: AttemptState,
        *,
        at: datetime,
        intacct_key: str | None = None,
        int_code: str | None = None,
        message: str | None = None,
        intacct_errors: Sequence[dict[str, Any]] = (),
    ) -> bool:
        """Record an outcome for an attempt still in the state it was read in; False when it moved on."""
        check_move(attempt.controlid, attempt.state, state)
        query = (
            update(ExportAttemptRow)
            .where(ExportAttemptRow.id == attempt.id, ExportAttemptRow.state == attempt.state.value,
                   ExportAttemptRow.attempts == attempt.attempts)
            .values(state=state.value, intacct_key=intacct_key, int_code=int_code, message=message,
                    intacct_errors=list(intacct_errors), claimed_until=None, updated_at=at)
        )
        return bool(affected(self.session.execute(query)))


def _attempt_values(attempt: ExportAttempt) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "workspace_id": attempt.workspace_id,
        "report_id": attempt.report_id,
        "export_version": attempt.export_version,
        "document_index": attempt.document_index,
        "document_kind": attempt.document_kind,
        "controlid": attempt.controlid,
        "reference": attempt.reference,
        "reference_object": attempt.reference_object,
        "reference_field": attempt.reference_field,
        "state": attempt.state.value,
        "attempts": attempt.attempts,
        "intacct_key": attempt.intacct_key,
        "int_code": attempt.int_code,
        "message": attempt.message,
        "intacct_errors": list(attempt.intacct_errors),
        "claimed_until": attempt.claimed_until,
        "created_at": attempt.created_at,
        "updated_at": attempt.updated_at,
    }


def _bind(compiled: SQLCompiler, dialect: Dialect, key: str) -> Callable[[Any], Any]:
    """The column type's own conversion of a bound value, as a generic execute would apply it."""
    bind = compiled.binds[key].type.dialect_impl(dialect).bind_processor(dialect)
    return bind if bind is not None else _as_is


def _as_is(value: Any) -> Any:
    return value


def _same(stored: Any, written: Any) -> bool:
    if isinstance(written, list):
        return list(stored or ()) == written
    return bool(stored == written)
