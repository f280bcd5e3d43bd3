"""Export attempts: each claim and outcome is a compare-and-set, so two exporters never both send."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ledgerbridge.domain.exports import AttemptState, ExportAttempt, check_move
from ledgerbridge.domain.ids import ReportId, WorkspaceId
from ledgerbridge.store.models import ExportAttemptRow
from ledgerbridge.store.repos._rows import affected


def _attempt(row: ExportAttemptRow) -> ExportAttempt:
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
        self.session.add(ExportAttemptRow(
            id=attempt.id,
            workspace_id=attempt.workspace_id,
            report_id=attempt.report_id,
            export_version=attempt.export_version,
            document_index=attempt.document_index,
            document_kind=attempt.document_kind,
            controlid=attempt.controlid,
            reference=attempt.reference,
            reference_object=attempt.reference_object,
            reference_field=attempt.reference_field,
            state=attempt.state.value,
            attempts=attempt.attempts,
            intacct_key=attempt.intacct_key,
            int_code=attempt.int_code,
            message=attempt.message,
            intacct_errors=list(attempt.intacct_errors),
            claimed_until=attempt.claimed_until,
            created_at=attempt.created_at,
            updated_at=attempt.updated_at,
        ))
        self.session.flush()
        return attempt

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
        found: list[ExportAttempt] = []
        ids = list(report_ids)
        for start in range(0, len(ids), 500):
            rows = self.session.scalars(
                select(ExportAttemptRow)
                .where(ExportAttemptRow.workspace_id == workspace_id,
                       ExportAttemptRow.report_id.in_(ids[start:start + 500]))
                .order_by(ExportAttemptRow.report_id, ExportAttemptRow.document_index)
                .execution_options(populate_existing=True)
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
