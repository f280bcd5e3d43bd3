"""What an export run keeps per report and per document, and the history events it writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ledgerbridge.domain import SYSTEM, EventKind, HistoryEvent, new_id
from ledgerbridge.domain.exports import ExportAttempt
from ledgerbridge.domain.ids import ReportId, WorkspaceId
from ledgerbridge.domain.reports import Actor, Report
from ledgerbridge.export.deliver_outcome import Outcome, ReportOutcome
from ledgerbridge.export.deliver_send import errors_json
from ledgerbridge.export.failure import ExportFailure
from ledgerbridge.export.payloads import PlannedDocument
from ledgerbridge.export.preflight import Finding
from ledgerbridge.store import Reports


def utcnow() -> datetime:
    return datetime.now(UTC)


class NotConnected(Exception):
    """The workspace has no Sage Intacct connection to export through."""

    def __init__(self, workspace_id: WorkspaceId) -> None:
        super().__init__(f"workspace {workspace_id} is not connected to Sage Intacct; connect it first")
        self.workspace_id = workspace_id


@dataclass(slots=True)
class RunDocument:
    """One document of this run and the newest state of its attempt as this process knows it."""

    report_id: ReportId
    attempt: ExportAttempt
    planned: PlannedDocument | None
    """None for an attempt of an earlier plan that may have reached Intacct: only looked up, never re-sent."""
    sendable: bool = True
    """Whether it may be sent without asking Intacct first (never for uncertain or stale sending)."""
    done: bool = False
    failure: ExportFailure | None = None


@dataclass(slots=True)
class ReportRun:
    report: Report
    documents: list[RunDocument] = field(default_factory=list)
    outcome: ReportOutcome | None = None


@dataclass(slots=True)
class Writes:
    """History events and export statuses gathered while deciding, then written one statement each."""

    workspace_id: WorkspaceId
    events: list[HistoryEvent] = field(default_factory=list)
    statuses: dict[ReportId, tuple[str | None, str | None]] = field(default_factory=dict)

    def event(self, report_id: ReportId, kind: EventKind, detail: dict[str, Any], actor: Actor = SYSTEM) -> None:
        self.events.append(event(report_id, kind, detail, actor))

    def status(self, report_id: ReportId, status: str | None, int_code: str | None) -> None:
        """The report's export status and INT code; the last one given for a report is what is stored."""
        self.statuses[report_id] = (status, int_code)

    def flush(self, session: Session) -> None:
        reports = Reports(session)
        reports.record_many(self.events)
        reports.set_export_outcomes(self.workspace_id, self.statuses)
        self.events.clear()
        self.statuses.clear()


def not_approved(report: Report) -> ReportOutcome:
    return ReportOutcome(report.id, Outcome.NOT_APPROVED,
                         message=f"report is {report.state.value}; only approved reports export")


def event(report_id: ReportId, kind: EventKind, detail: dict[str, Any], actor: Actor = SYSTEM) -> HistoryEvent:
    return HistoryEvent(new_id(), report_id, utcnow(), actor, kind, detail)


def finding_detail(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [{"code": f.code, "message": f.message, "expense_id": f.expense_id, "blocking": f.blocking}
            for f in findings]


def failure_detail(document: RunDocument, failure: ExportFailure) -> dict[str, Any]:
    return {
        "controlid": document.attempt.controlid,
        "document_kind": document.attempt.document_kind,
        "code": failure.code,
        "codes": list(failure.codes),
        "message": failure.message,
        "disposition": failure.disposition.value,
        "expense_ids": list(failure.expense_ids),
        "support_ids": list(failure.support_ids),
        "intacct_errors": errors_json(failure.intacct_errors),
    }
