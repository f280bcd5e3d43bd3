"""The export service: preflight, export (queued or blocking), retry, and auto-export on approval."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from ledgerbridge.domain import SYSTEM, EventKind, HistoryEvent, ReportState, new_id
from ledgerbridge.domain.exports import ExportAttempt
from ledgerbridge.domain.ids import ReportId, WorkspaceId
from ledgerbridge.domain.reports import Actor
from ledgerbridge.export.deliver_outcome import ExportRun, Outcome, PreflightResult, ReportOutcome
from ledgerbridge.export.deliver_run import ExportRunner, Progress
from ledgerbridge.export.deliver_state import NotConnected, not_approved
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.export.preflight import preflight
from ledgerbridge.export.suggest import suggest
from ledgerbridge.intacct import ClientOptions, RetryPolicy
from ledgerbridge.jobs import Job, JobRunner
from ledgerbridge.store import Connections, Database, ExportAttempts, ReportFilter, Reports, SecretBox

logger = logging.getLogger("ledgerbridge.export")

DEFAULT_SENDING_LEASE = timedelta(minutes=20)
"""How long a `sending` claim holds: past the client's own timeouts and retries, so only a dead exporter's
claim lapses. Taking one over early is still safe (lookup first, same controlid), only wasteful."""


def _now() -> datetime:
    return datetime.now(UTC)


class ExportService:
    """Exports a workspace's approved reports to Sage Intacct exactly once, in the caller's thread or the runner."""

    def __init__(
        self,
        database: Database,
        box: SecretBox,
        runner: JobRunner | None = None,
        client_options: ClientOptions | None = None,
        *,
        sending_lease: timedelta = DEFAULT_SENDING_LEASE,
        max_rounds: int = 8,
        round_backoff: RetryPolicy | None = None,
    ) -> None:
        self.database = database
        self.box = box
        self.runner = runner
        self.client_options = client_options
        self.sending_lease = sending_lease
        self.max_rounds = max_rounds
        self.round_backoff = round_backoff or (client_options.retry if client_options else RetryPolicy())

    # Preflight.

    def preflight(self, workspace_id: WorkspaceId, report_id: ReportId, actor: Actor = SYSTEM) -> PreflightResult:
        """Every finding for the report from synced data, with the fixes the data allows; recorded in history."""
        with self.database.session() as session:
            reports = Reports(session)
            report = reports.get(workspace_id, report_id)
            expenses = reports.expenses(report_id)
            view = load_view(session, self.box, workspace_id, {report.owner})
        today = _now().date()
        findings = preflight(report, expenses, view, export_date=today)
        suggestions = suggest(report, expenses, view, findings, export_date=today) if findings else []
        with self.database.session() as session:
            Reports(session).record(HistoryEvent(new_id(), report_id, _now(), actor, EventKind.PREFLIGHT, {
                "automatic": False,
                "blocking": sum(1 for f in findings if f.blocking),
                "findings": [{"code": f.code, "message": f.message, "expense_id": f.expense_id,
                              "blocking": f.blocking} for f in findings],
            }))
        return PreflightResult(report_id, tuple(findings), tuple(suggestions))

    # Export.

    def export_now(
        self,
        workspace_id: WorkspaceId,
        report_ids: Sequence[ReportId],
        actor: Actor,
        *,
        check: bool = True,
        progress: Progress | None = None,
    ) -> ExportRun:
        """Export the reports and return when each has an outcome. `check=False` skips the preflight gate."""
        return ExportRunner(self, workspace_id, actor, check=check, queued=False, progress=progress).execute(
            report_ids)

    def export(self, workspace_id: WorkspaceId, report_ids: Sequence[ReportId], actor: Actor) -> list[ReportOutcome]:
        """Queue the reports for export in the job runner and return at once, one outcome per report."""
        return self._queue(workspace_id, report_ids, actor, trigger="export")

    def approved(self, workspace_id: WorkspaceId) -> list[ReportId]:
        """The workspace's approved reports, oldest first: what `export --approved` sends."""
        return self._select(workspace_id, ReportFilter(states=(ReportState.APPROVED,)))

    # Retry.

    def retry_now(self, workspace_id: WorkspaceId, which: Sequence[ReportId] | str, actor: Actor,
                  *, progress: Progress | None = None) -> ExportRun:
        """Retry reports (ids) or every approved report that last failed with an INT code (a str); blocking."""
        report_ids = self._retry_selection(workspace_id, which, actor)
        return ExportRunner(self, workspace_id, actor, check=True, queued=True, progress=progress).execute(
            report_ids)

    def retry(self, workspace_id: WorkspaceId, which: Sequence[ReportId] | str, actor: Actor) -> list[ReportOutcome]:
        """Like `retry_now`, through the job runner: returns at once."""
        report_ids = self._retry_selection(workspace_id, which, actor)
        return self._submit(workspace_id, report_ids, actor)

    def _retry_selection(self, workspace_id: WorkspaceId, which: Sequence[ReportId] | str,
                         actor: Actor) -> list[ReportId]:
        if isinstance(which, str):
            report_ids = self._select(workspace_id, ReportFilter(states=(ReportState.APPROVED,), int_code=which))
            reason: dict[str, object] = {"int_code": which}
        else:
            report_ids = list(dict.fromkeys(which))
            reason = {}
        with self.database.session() as session:
            reports = Reports(session)
            for report_id in report_ids:
                report = reports.get(workspace_id, report_id)
                reports.record(HistoryEvent(new_id(), report_id, _now(), actor, EventKind.RETRIED, {
                    "automatic": False, "last_int_code": report.last_int_code,
                    "export_status": report.export_status, **reason}))
        return report_ids

    # Automation.

    def auto_export_on_approval(self, workspace_id: WorkspaceId, report_id: ReportId) -> bool:
        """Queue the just-approved report when the workspace exports automatically; True when queued."""
        with self.database.session() as session:
            if not Connections(session, self.box).settings(workspace_id).auto_export:
                return False
            if Connections(session, self.box).get(workspace_id) is None:
                return False
        if self.runner is None:
            self.export_now(workspace_id, [report_id], SYSTEM)
        else:
            self._queue(workspace_id, [report_id], SYSTEM, trigger="auto_export")
        return True

    # Attempts.

    def attempts(self, workspace_id: WorkspaceId, report_id: ReportId) -> list[ExportAttempt]:
        with self.database.session() as session:
            Reports(session).get(workspace_id, report_id)
            return ExportAttempts(session).of_report(workspace_id, report_id)

    # Internals.

    def _select(self, workspace_id: WorkspaceId, where: ReportFilter) -> list[ReportId]:
        found: list[ReportId] = []
        with self.database.session() as session:
            reports = Reports(session)
            after = None
            while True:
                page = reports.page(workspace_id, where, limit=500, after=after)
                found.extend(report.id for report in page.reports)
                if page.next_cursor is None:
                    break
                after = page.next_cursor
        found.reverse()
        return found

    def _queue(self, workspace_id: WorkspaceId, report_ids: Sequence[ReportId], actor: Actor,
               *, trigger: str) -> list[ReportOutcome]:
        with self.database.session() as session:
            if Connections(session, self.box).get(workspace_id) is None:
                raise NotConnected(workspace_id)
            reports = Reports(session)
            for report_id in dict.fromkeys(report_ids):
                report = reports.get(workspace_id, report_id)
                if report.state is ReportState.APPROVED:
                    reports.record(HistoryEvent(new_id(), report_id, _now(), actor, EventKind.EXPORT_QUEUED,
                                                {"trigger": trigger}))
                    reports.set_export_outcome(workspace_id, report_id, "queued", None)
        return self._submit(workspace_id, list(dict.fromkeys(report_ids)), actor)

    def _submit(self, workspace_id: WorkspaceId, report_ids: list[ReportId], actor: Actor) -> list[ReportOutcome]:
        if self.runner is None:
            raise RuntimeError("queued exports need a job runner; use export_now to export in this thread")
        outcomes = []
        with self.database.session() as session:
            reports = Reports(session)
            for report_id in report_ids:
                report = reports.get(workspace_id, report_id)
                if report.state is ReportState.EXPORTED:
                    outcomes.append(ReportOutcome(report_id, Outcome.ALREADY_EXPORTED))
                elif report.state is not ReportState.APPROVED:
                    outcomes.append(not_approved(report))
                else:
                    outcomes.append(ReportOutcome(report_id, Outcome.QUEUED))
        queued = [o.report_id for o in outcomes if o.outcome is Outcome.QUEUED]
        if queued:
            self.runner.submit(f"export-{workspace_id}", self.run_queued, workspace_id, queued, actor,
                               job=Job("export", {"workspace_id": workspace_id, "report_ids": queued, "actor": actor}))
        return outcomes

    def run_queued(self, workspace_id: WorkspaceId, report_ids: list[ReportId], actor: Actor) -> ExportRun:
        """Export reports queued by `export` or `retry`, here or in a job runner's worker."""
        return ExportRunner(self, workspace_id, actor, check=True, queued=True, progress=None).execute(report_ids)


__all__ = ["DEFAULT_SENDING_LEASE", "ExportService", "NotConnected"]
