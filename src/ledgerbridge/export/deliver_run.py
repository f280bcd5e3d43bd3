"""One export run: decide per report, then deliver in rounds (reconcile, claim, send, record).

Each round first asks Intacct about documents that may already be there (uncertain, or left `sending` by
a process that died), then claims what must go out (`sending` is committed before the request leaves),
sends everything in batched requests, and records each outcome. No transaction is open while a request
is in flight. Documents keep their controlid across rounds, runs and processes, so with ``uniqueid`` a
document that did reach Intacct can never be created twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ledgerbridge.catalog import render_unknown
from ledgerbridge.domain import SYSTEM, EventKind, HistoryEvent, ReportState, new_id
from ledgerbridge.domain.exports import NEEDS_RECONCILING, AttemptState, ExportAttempt
from ledgerbridge.domain.ids import ReportId, WorkspaceId
from ledgerbridge.domain.reports import Actor, Expense, transition
from ledgerbridge.export.deliver_outcome import ExportRun, Outcome, ReportOutcome
from ledgerbridge.export.deliver_send import Delivery, Wanted, errors_json, look_up, open_client, send
from ledgerbridge.export.deliver_state import (
    NotConnected,
    ReportRun,
    RunDocument,
    event,
    failure_detail,
    finding_detail,
    not_approved,
    utcnow,
)
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.export.payloads import PlanningError, plan_documents
from ledgerbridge.export.preflight import preflight
from ledgerbridge.intacct import DEFAULT_FUNCTIONS_PER_REQUEST, IntacctClient, IntacctError
from ledgerbridge.store import Connections, ExportAttempts, ReportChanged, Reports

if TYPE_CHECKING:
    from ledgerbridge.export.deliver import ExportService

logger = logging.getLogger("ledgerbridge.export")

Progress = Callable[[int, int], None]
"""Called with (reports settled, reports in the run) as the run goes."""


class ExportRunner:
    """Carries out one export run for a workspace; `ExportService` makes one per call."""

    def __init__(self, service: ExportService, workspace_id: WorkspaceId, actor: Actor, *, check: bool,
                 queued: bool, progress: Progress | None) -> None:
        self.service = service
        self.db = service.database
        self.workspace_id = workspace_id
        self.actor = actor
        self.check = check
        self.queued = queued
        self.progress = progress
        self.requests = 0
        self.reports: dict[ReportId, ReportRun] = {}

    # Deciding, before anything is sent.

    def execute(self, report_ids: Sequence[ReportId]) -> ExportRun:
        ordered = list(dict.fromkeys(report_ids))
        credentials = self._prepare(ordered)
        pending = [d for run in self.reports.values() for d in run.documents if not d.done]
        self._report_progress()
        if pending and credentials is not None:
            asyncio.run(self._deliver(credentials))
        self._close_open_reports()
        outcomes = tuple(self.reports[r].outcome or ReportOutcome(r, Outcome.FAILED) for r in ordered)
        return ExportRun(self.workspace_id, outcomes, self.requests)

    def _prepare(self, report_ids: list[ReportId]) -> Any:
        ws, now = self.workspace_id, utcnow()
        with self.db.session() as session:
            reports_repo = Reports(session)
            reports = [reports_repo.get(ws, report_id) for report_id in report_ids]
            expenses = {r.id: reports_repo.expenses(r.id) for r in reports if r.state is ReportState.APPROVED}
            attempts: dict[ReportId, list[ExportAttempt]] = {}
            for attempt in ExportAttempts(session).of_reports(ws, list(expenses)):
                attempts.setdefault(attempt.report_id, []).append(attempt)
            connection = Connections(session, self.service.box).get(ws)
            view = load_view(session, self.service.box, ws, {r.owner for r in reports})
        if connection is None and expenses:
            raise NotConnected(ws)
        today = now.date()
        with self.db.session() as session:
            for report in reports:
                run = self.reports[report.id] = ReportRun(report)
                if report.state is ReportState.EXPORTED:
                    run.outcome = ReportOutcome(report.id, Outcome.ALREADY_EXPORTED)
                elif report.state is not ReportState.APPROVED:
                    run.outcome = not_approved(report)
                else:
                    self._decide(session, run, expenses[report.id], attempts.get(report.id, []), view, today)
        return connection.credentials if connection is not None else None

    def _decide(self, session: Session, run: ReportRun, expenses: list[Expense], attempts: list[ExportAttempt],
                view: Any, today: date) -> None:
        report, reports = run.report, Reports(session)
        now = utcnow()
        if not self.queued:
            reports.record(event(report.id, EventKind.EXPORT_QUEUED, {"trigger": "export"}, self.actor))
        # A document that may already be in Intacct is looked up first, whatever preflight would say now.
        unsettled = [a for a in attempts if a.state in NEEDS_RECONCILING and a.export_version == report.export_version]
        live = [a for a in unsettled if a.state is AttemptState.SENDING and a.claimed_until is not None
                and a.claimed_until > now]
        if live:
            run.outcome = ReportOutcome(report.id, Outcome.IN_PROGRESS,
                                        message="another export of this report is sending it right now")
            return
        if self.check and not unsettled:
            findings = preflight(report, expenses, view, export_date=today)
            blocking = [f for f in findings if f.blocking]
            reports.record(event(report.id, EventKind.PREFLIGHT, {
                "automatic": True, "blocking": len(blocking), "findings": finding_detail(findings)}))
            if blocking:
                first = blocking[0]
                reports.record(event(report.id, EventKind.EXPORT_FAILED, {
                    "stage": "preflight", "code": first.code, "message": first.message,
                    "codes": list(dict.fromkeys(f.code for f in blocking)), "sent": False}))
                reports.set_export_outcome(self.workspace_id, report.id, "failed", first.code)
                run.outcome = ReportOutcome(report.id, Outcome.BLOCKED, first.code, first.message,
                                            findings=tuple(findings))
                return
        try:
            planned = plan_documents(report, expenses, view, exported_on=today, owner_employee_id=None)
        except PlanningError as problem:
            planned = []
            if not unsettled:
                error = render_unknown(str(problem))
                reports.record(event(report.id, EventKind.EXPORT_FAILED, {
                    "stage": "planning", "code": error.code, "message": str(problem), "sent": False}))
                reports.set_export_outcome(self.workspace_id, report.id, "failed", error.code)
                run.outcome = ReportOutcome(report.id, Outcome.FAILED, error.code, str(problem))
                return
        if not planned and not unsettled:
            message = "the report has no expenses to export"
            reports.record(event(report.id, EventKind.EXPORT_FAILED, {
                "stage": "planning", "message": message, "sent": False}))
            reports.set_export_outcome(self.workspace_id, report.id, "failed", None)
            run.outcome = ReportOutcome(report.id, Outcome.FAILED, message=message)
            return
        repo = ExportAttempts(session)
        by_controlid = {a.controlid: a for a in attempts}
        for index, document in enumerate(planned):
            attempt = by_controlid.get(document.controlid)
            if attempt is None:
                attempt = repo.add(ExportAttempt(
                    new_id(), self.workspace_id, report.id, report.export_version, index, document.kind.value,
                    document.controlid, document.reference, document.reference_object, document.reference_field,
                    AttemptState.QUEUED, now, now))
            run.documents.append(RunDocument(report.id, attempt, document,
                                           sendable=attempt.state not in NEEDS_RECONCILING,
                                           done=attempt.state is AttemptState.EXPORTED))
        in_plan = {d.controlid for d in planned}
        run.documents += [RunDocument(report.id, a, None, sendable=False)
                          for a in unsettled if a.controlid not in in_plan]
        reports.set_export_outcome(self.workspace_id, report.id, "queued", None)
        if all(d.done for d in run.documents):
            self._finish_report(session, run)

    # Delivering, round by round.

    async def _deliver(self, credentials: Any) -> None:
        service = self.service
        async with open_client(credentials, service.client_options) as client:
            for round_no in range(1, service.max_rounds + 1):
                open_docs = [d for run in self.reports.values() if run.outcome is None
                             for d in run.documents if not d.done]
                if not open_docs:
                    return
                await self._reconcile(client, [d for d in open_docs if not d.sendable])
                to_send = self._claim([d for d in open_docs if d.sendable and not d.done and d.planned is not None],
                                      round_no)
                await self._send(client, to_send)
                self._report_progress()
                still = [d for run in self.reports.values() if run.outcome is None for d in run.documents
                         if not d.done]
                if still and all(d.sendable for d in still):
                    # Only refusals where nothing ran are left (rate limits, an unavailable gateway): back off.
                    await asyncio.sleep(service.round_backoff.wait_before(round_no))

    async def _send(self, client: IntacctClient, documents: list[RunDocument]) -> None:
        """One request per batch, as many in flight as the company allows; each batch recorded as it returns."""
        options = self.service.client_options
        size = options.functions_per_request if options else DEFAULT_FUNCTIONS_PER_REQUEST
        batches = [documents[start:start + size] for start in range(0, len(documents), size)]
        self.requests += len(batches)

        async def one(batch: list[RunDocument]) -> tuple[list[RunDocument], list[Delivery]]:
            return batch, await send(client, [d.planned for d in batch if d.planned is not None])

        for finished in asyncio.as_completed([one(batch) for batch in batches]):
            batch, deliveries = await finished
            self._record(batch, deliveries)
            self._report_progress()

    async def _reconcile(self, client: IntacctClient, documents: list[RunDocument]) -> None:
        if not documents:
            return
        wanted = {id(d): Wanted(d.attempt.reference_object, d.attempt.reference_field, d.attempt.reference)
                  for d in documents}
        try:
            found = await look_up(client, list(wanted.values()))
        except IntacctError as problem:
            logger.info("could not look up %d uncertain document(s) yet: %s", len(documents), problem)
            return
        with self.db.session() as session:
            attempts, reports = ExportAttempts(session), Reports(session)
            for document in documents:
                keys = found.get(wanted[id(document)], ())
                attempt = document.attempt
                detail: dict[str, Any] = {"controlid": attempt.controlid, "reference": attempt.reference,
                                          "was": attempt.state.value, "found": bool(keys)}
                if keys:
                    key = ",".join(keys)
                    if attempts.settle(attempt, AttemptState.EXPORTED, at=utcnow(), intacct_key=key):
                        document.attempt = dataclasses.replace(attempt, state=AttemptState.EXPORTED, intacct_key=key)
                        document.done = True
                        detail["intacct_key"] = key
                        if len(keys) > 1:
                            detail["duplicates"] = list(keys)
                        reports.record(event(document.report_id, EventKind.RECONCILED, detail))
                    else:
                        self._lost_race(document)
                elif document.planned is None:
                    # Not in Intacct, and no longer part of the report's plan: it will not be sent.
                    if attempts.settle(attempt, AttemptState.FAILED, at=utcnow(),
                                       message="not in Intacct; superseded by the report's current documents"):
                        document.done = True
                        detail["decision"] = "superseded"
                        reports.record(event(document.report_id, EventKind.RECONCILED, detail))
                    else:
                        self._lost_race(document)
                else:
                    document.sendable = True
                    detail["decision"] = "send again with the same controlid"
                    reports.record(event(document.report_id, EventKind.RECONCILED, detail))
            for run in self._touched(documents):
                self._finish_if_complete(session, run)

    def _claim(self, documents: list[RunDocument], round_no: int) -> list[RunDocument]:
        if not documents:
            return []
        claimed: list[RunDocument] = []
        now = utcnow()
        until = now + self.service.sending_lease
        with self.db.session() as session:
            attempts, reports = ExportAttempts(session), Reports(session)
            sent_by_report: dict[ReportId, list[dict[str, Any]]] = {}
            for document in documents:
                attempt = document.attempt
                if not attempts.claim(attempt, until=until, at=now):
                    self._lost_race(document)
                    continue
                if attempt.state is AttemptState.FAILED and round_no > 1:
                    reports.record(event(document.report_id, EventKind.RETRIED, {
                        "automatic": True, "controlid": attempt.controlid, "round": round_no,
                        "reason": attempt.int_code or "nothing was executed"}))
                document.attempt = dataclasses.replace(attempt, state=AttemptState.SENDING,
                                                       attempts=attempt.attempts + 1, claimed_until=until)
                claimed.append(document)
                sent_by_report.setdefault(document.report_id, []).append(
                    {"controlid": attempt.controlid, "document_kind": attempt.document_kind,
                     "reference": attempt.reference, "attempt": attempt.attempts + 1})
            for report_id, sent in sent_by_report.items():
                reports.record(event(report_id, EventKind.EXPORT_SENT, {"documents": sent}))
                reports.set_export_outcome(self.workspace_id, report_id, "sending", None)
        return claimed

    def _record(self, documents: list[RunDocument], deliveries: list[Delivery]) -> None:
        at = utcnow()
        with self.db.session() as session:
            attempts, reports = ExportAttempts(session), Reports(session)
            for document, delivery in zip(documents, deliveries, strict=True):
                attempt = document.attempt
                failure = delivery.failure
                settled = attempts.settle(
                    attempt, delivery.state, at=at, intacct_key=delivery.intacct_key,
                    int_code=failure.code if failure else None, message=failure.message if failure else None,
                    intacct_errors=errors_json(failure.intacct_errors) if failure else ())
                if not settled:
                    self._lost_race(document)
                    continue
                document.attempt = dataclasses.replace(
                    attempt, state=delivery.state, intacct_key=delivery.intacct_key, claimed_until=None,
                    int_code=failure.code if failure else None, message=failure.message if failure else None)
                document.failure = failure
                if delivery.state is AttemptState.EXPORTED:
                    document.done = True
                elif delivery.state is AttemptState.UNCERTAIN:
                    assert failure is not None
                    document.sendable = False
                    reports.record(event(document.report_id, EventKind.EXPORT_UNCERTAIN,
                                          failure_detail(document, failure)))
                    reports.set_export_outcome(self.workspace_id, document.report_id, "uncertain", None)
                else:
                    assert failure is not None
                    reports.record(event(document.report_id, EventKind.EXPORT_FAILED,
                                          {**failure_detail(document, failure), "transient": delivery.transient}))
                    reports.set_export_outcome(self.workspace_id, document.report_id, "failed", failure.code)
                    if not delivery.transient:
                        document.done = True
            for run in self._touched(documents):
                self._finish_if_complete(session, run)

    # Settling reports.

    def _touched(self, documents: list[RunDocument]) -> list[ReportRun]:
        return [self.reports[r] for r in dict.fromkeys(d.report_id for d in documents)]

    def _lost_race(self, document: RunDocument) -> None:
        # Another exporter moved this attempt since it was read: that exporter owns the outcome.
        document.done = True
        run = self.reports[document.report_id]
        if run.outcome is None:
            run.outcome = ReportOutcome(document.report_id, Outcome.IN_PROGRESS,
                                        message="another export of this report took over its documents")

    def _finish_if_complete(self, session: Session, run: ReportRun) -> None:
        if run.outcome is not None or not all(d.done for d in run.documents):
            return
        failed = [d for d in run.documents if d.planned is not None and d.attempt.state is not AttemptState.EXPORTED]
        if failed:
            first = next((d.failure for d in failed if d.failure is not None), None)
            code = first.code if first else failed[0].attempt.int_code
            message = first.message if first else failed[0].attempt.message
            Reports(session).set_export_outcome(self.workspace_id, run.report.id, "failed", code)
            run.outcome = ReportOutcome(run.report.id, Outcome.FAILED, code, message)
            return
        self._finish_report(session, run)

    def _finish_report(self, session: Session, run: ReportRun) -> None:
        """Every document is in Intacct: the report becomes exported (approved -> exported)."""
        reports, report = Reports(session), run.report
        at = utcnow()
        keys = tuple(d.attempt.intacct_key or "" for d in run.documents if d.planned is not None)
        documents = [{"controlid": d.attempt.controlid, "document_kind": d.attempt.document_kind,
                      "reference": d.attempt.reference, "intacct_key": d.attempt.intacct_key}
                     for d in run.documents if d.planned is not None]
        exported = transition(report, ReportState.EXPORTED, SYSTEM, at)
        try:
            reports.save(dataclasses.replace(exported, export_status="exported", last_int_code=None),
                         if_state=ReportState.APPROVED)
        except ReportChanged:
            # Unapproved while its documents were on their way: Intacct has them all the same.
            logger.warning("report %s changed state while exporting; its documents are in Intacct", report.id)
            reports.set_export_outcome(self.workspace_id, report.id, "exported", None)
        reports.record(HistoryEvent(new_id(), report.id, at, SYSTEM, EventKind.EXPORTED,
                                    {"from": report.state.value, "to": ReportState.EXPORTED.value,
                                     "documents": documents}))
        run.outcome = ReportOutcome(report.id, Outcome.EXPORTED, intacct_keys=keys)

    def _close_open_reports(self) -> None:
        """Reports still open after the last round: uncertain ones wait for the next run to look them up."""
        for run in self.reports.values():
            if run.outcome is not None:
                continue
            open_docs = [d for d in run.documents if not d.done]
            uncertain = [d for d in open_docs if not d.sendable]
            if uncertain:
                run.outcome = ReportOutcome(run.report.id, Outcome.UNCERTAIN, message=(
                    "Intacct's answer was lost; the next export or retry looks the document up before sending"))
                continue
            first = next((d.failure for d in run.documents if d.failure is not None), None)
            run.outcome = ReportOutcome(run.report.id, Outcome.FAILED, first.code if first else None,
                                        first.message if first else "not sent")

    def _report_progress(self) -> None:
        if self.progress is None:
            return
        settled = sum(1 for run in self.reports.values() if run.outcome is not None)
        self.progress(settled, len(self.reports))

