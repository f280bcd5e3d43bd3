"""What an export run reports back: one outcome per report, in the order asked."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ledgerbridge.domain.exports import ExportAttempt
from ledgerbridge.domain.ids import ReportId, WorkspaceId
from ledgerbridge.export.preflight import Finding
from ledgerbridge.export.suggest import Suggestion


class Outcome(enum.StrEnum):
    EXPORTED = "exported"
    ALREADY_EXPORTED = "already_exported"
    FAILED = "failed"
    BLOCKED = "blocked"
    """Preflight found problems that Intacct would refuse; nothing was sent."""
    UNCERTAIN = "uncertain"
    IN_PROGRESS = "in_progress"
    """Another exporter holds the report's documents right now."""
    NOT_APPROVED = "not_approved"
    QUEUED = "queued"


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """How one report's export ended, with the INT code and message when it did not go through."""

    report_id: ReportId
    outcome: Outcome
    int_code: str | None = None
    message: str | None = None
    intacct_keys: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "outcome": self.outcome.value,
            "int_code": self.int_code,
            "message": self.message,
            "intacct_keys": list(self.intacct_keys),
            "findings": [finding.as_dict() for finding in self.findings],
        }


@dataclass(frozen=True, slots=True)
class ExportRun:
    """The outcomes of one export (or retry) of some of a workspace's reports."""

    workspace_id: WorkspaceId
    outcomes: tuple[ReportOutcome, ...] = ()
    requests: int = 0
    """Gateway requests that carried documents (batched, many documents each)."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.outcomes if item.outcome is outcome)

    @property
    def ok(self) -> bool:
        """Every report is in Intacct (now or before)."""
        return all(item.outcome in (Outcome.EXPORTED, Outcome.ALREADY_EXPORTED) for item in self.outcomes)

    def of(self, report_id: ReportId) -> ReportOutcome:
        return next(item for item in self.outcomes if item.report_id == report_id)

    def as_dict(self) -> dict[str, Any]:
        counts = {kind.value: self.count(kind) for kind in Outcome if self.count(kind)}
        return {"workspace_id": self.workspace_id, "counts": counts, "requests": self.requests,
                "reports": [item.as_dict() for item in self.outcomes]}


@dataclass(frozen=True, slots=True)
class PreflightResult:
    """Preflight of one report: every finding, and whether any of them stops the export."""

    report_id: ReportId
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.blocking)

    @property
    def ok(self) -> bool:
        return not self.blocking

    def as_dict(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "ok": self.ok, "findings": [f.as_dict() for f in self.findings],
                "suggestions": [s.as_dict() for s in self.suggestions]}


def attempt_dict(attempt: ExportAttempt) -> dict[str, Any]:
    """An attempt as JSON-ready data (times in ISO 8601)."""
    return {
        "id": attempt.id,
        "report_id": attempt.report_id,
        "export_version": attempt.export_version,
        "document_index": attempt.document_index,
        "document_kind": attempt.document_kind,
        "controlid": attempt.controlid,
        "reference": attempt.reference,
        "reference_object": attempt.reference_object,
        "state": attempt.state.value,
        "attempts": attempt.attempts,
        "intacct_key": attempt.intacct_key,
        "int_code": attempt.int_code,
        "message": attempt.message,
        "intacct_errors": list(attempt.intacct_errors),
        "created_at": attempt.created_at.isoformat(),
        "updated_at": attempt.updated_at.isoformat(),
    }


def attempts_dicts(attempts: Sequence[ExportAttempt]) -> list[dict[str, Any]]:
    return [attempt_dict(attempt) for attempt in attempts]
