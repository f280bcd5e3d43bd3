"""One export run: decide per report, then deliver in rounds (reconcile, claim, send, record).

Each round first asks Intacct about documents that may already be there (uncertain, or left `sending` by
a process that died), then claims what must go out (`sending` is committed before the request leaves),
sends everything in batched requests, and records each outcome. No transaction is open while a request
is in flight. Documents keep their controlid across rounds, runs and processes, so with ``uniqueid`` a
document that did reach Intacct can never be created twice.

The first round is a pipeline: the sign-in leaves first; the reports are read, then decided and claimed a
slice at a time in a worker thread (while the sign-in and the requests of earlier slices are in flight), and
each full batch is sent as soon as it is claimed. Outcomes are recorded batch by batch in a thread of their
own, so a response never holds back the next request.
Documents that may already be in Intacct are not part of it; they are looked up after.
Every read and write of a slice or a batch is one statement per table.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.orm import Session

from ledgerbridge.catalog import render_unknown
from ledgerbridge.domain import SYSTEM, EventKind, HistoryEvent, ReportState, new_id
from ledgerbridge.domain.exports import NEEDS_RECONCILING, AttemptState, ExportAttempt
from ledgerbridge.domain.ids import ReportId, WorkspaceId
from ledgerbridge.domain.reports import Actor, Expense, Report, transition
from ledgerbridge.export.deliver_outcome import ExportRun, Outcome, ReportOutcome
from ledgerbridge.export.deliver_send import Delivery, Wanted, errors_json, look_up, open_client, send
from ledgerbridge.export.deliver_state import (
    NotConnected,
    ReportRun,
    RunDocument,
    Writes,
    failure_detail,
    finding_detail,
    not_approved,
    utcnow,
)
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.export.payloads import PlanningError, VendorLookup, plan_documents, vendors_by_name
from ledgerbridge.export.preflight import preflight
from ledgerbridge.export.view import WorkspaceView
from ledgerbridge.intacct import DEFAULT_FUNCTIONS_PER_REQUEST, IntacctClient, IntacctError
from ledgerbridge.store import Connections, ExportAttempts, Reports
from ledgerbridge.store.repos.exports import Settlement

if TYPE_CHECKING:
    from ledgerbridge.domain import IntacctCredentials
    from ledgerbridge.export.deliver import ExportService

logger = logging.getLogger("ledgerbridge.export")

Progress = Callable[[int, int], None]
"""Called with (reports settled, reports in the run) as the run goes."""

SLICE: Final = 200
"""Reports decided and claimed together in the first round: large enough for bulk statements to pay off,
small enough that batches leave as they are ready rather than a few at a time, and a slice's rows stay small."""

FIRST_SLICE: Final = 100
"""The first slice, decided while the sign-in is in flight: its batch is ready when the session is."""

EXPORTED_FIELDS: Final = ("state", "exported_at", "export_status", "last_int_code")
"""What becoming exported changes in a report."""

RUN_GC_YOUNG: Final = 10_000
"""Allocations between collections of the youngest generation while an export runs (see `_fewer_collections`)."""

_gc_lock = threading.Lock()
_gc_runs = 0
_gc_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """While any export runs, the youngest generation is collected less often.

    A run allocates a few records per expense and keeps most of them until it ends: at the default threshold,
    collections keep walking the run's live reports, documents and history events, over a tenth of the run's
    CPU. The older generations keep their thresholds, so nothing piles up for whatever runs next. The threshold
    is put back when the last run ends, unless something else changed it since.
    """
    global _gc_runs, _gc_saved
    with _gc_lock:
        if _gc_runs == 0:
            _gc_saved = saved = gc.get_threshold()
            gc.set_threshold(max(RUN_GC_YOUNG, saved[0]), *saved[1:])
        _gc_runs += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_runs -= 1
            if _gc_runs == 0 and _gc_saved is not None:
                saved = _gc_saved
                if gc.get_threshold() == (max(RUN_GC_YOUNG, saved[0]), *saved[1:]):
                    gc.set_threshold(*saved)
                _gc_saved = None


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
        self._recorder: ThreadPoolExecutor | None = None
        options = service.client_options
        self.batch_size = options.functions_per_request if options else DEFAULT_FUNCTIONS_PER_REQUEST

    def execute(self, report_ids: Sequence[ReportId]) -> ExportRun:
        with _fewer_collections():
            return self._execute(report_ids)

    def _execute(self, report_ids: Sequence[ReportId]) -> ExportRun:
        ordered = list(dict.fromkeys(report_ids))
        with self.db.session() as session:
            connection = Connections(session, self.service.box).get(self.workspace_id)
        if connection is None:
            reports, view = self._read(ordered)
            self._report_progress()
            if any(r.state is ReportState.APPROVED for r in reports):
                raise NotConnected(self.workspace_id)
            self._decide_slice(reports, view, utcnow().date())
        else:
            asyncio.run(self._deliver(connection.credentials, ordered))
        self._close_open_reports()
        outcomes = tuple(self.reports[r].outcome or ReportOutcome(r, Outcome.FAILED) for r in ordered)
        return ExportRun(self.workspace_id, outcomes, self.requests)

    def _read(self, ordered: list[ReportId]) -> tuple[list[Report], WorkspaceView]:
        """The run's reports and the workspace as exporting sees it; starts every report's run."""
        ws = self.workspace_id
        with self.db.session() as session:
            reports = Reports(session).get_many(ws, ordered)
            view = load_view(session, self.service.box, ws, {r.owner for r in reports})
        self.reports = {r.id: ReportRun(r) for r in reports}
        return reports, view

    # Deciding, before anything is sent.

    def _decide_slice(self, reports: Sequence[Report], view: WorkspaceView, today: date) -> list[RunDocument]:
        """Decide each report of the slice and claim what can go out now; returns the claimed documents.

        Runs in a worker thread: it touches only the slice's own runs and their documents.
        """
        ws = self.workspace_id
        runs = {r.id: self.reports[r.id] for r in reports}
        approved = [r.id for r in reports if r.state is ReportState.APPROVED]
        with self.db.session() as session:
            expenses = Reports(session).expenses_of(approved)
            attempts: dict[ReportId, list[ExportAttempt]] = {}
            for attempt in ExportAttempts(session).of_reports(ws, approved) if approved else ():
                attempts.setdefault(attempt.report_id, []).append(attempt)
        writes = Writes(ws)
        added: list[ExportAttempt] = []
        finished: list[ReportRun] = []
        lookup = vendors_by_name(view)
        for run in runs.values():
            report = run.report
            if report.state is ReportState.EXPORTED:
                run.outcome = ReportOutcome(report.id, Outcome.ALREADY_EXPORTED)
            elif report.state is not ReportState.APPROVED:
                run.outcome = not_approved(report)
            else:
                self._decide(run, expenses[report.id], attempts.get(report.id, []), view, lookup, today, writes,
                             added)
                if run.outcome is None and all(d.done for d in run.documents):
                    finished.append(run)
        sendable = [d for run in runs.values() if run.outcome is None
                    for d in run.documents if d.sendable and not d.done and d.planned is not None]
        if not approved:
            return []
        with self.db.session() as session:
            ExportAttempts(session).add_many(added)
            claimed = self._claim_in(session, sendable, 1, runs, writes)
            writes.flush(session)
            self._finish_reports(session, finished)
        return claimed

    def _decide(self, run: ReportRun, expenses: list[Expense], attempts: list[ExportAttempt], view: WorkspaceView,
                lookup: VendorLookup, today: date, writes: Writes, added: list[ExportAttempt]) -> None:
        report = run.report
        now = utcnow()
        if not self.queued:
            writes.event(report.id, EventKind.EXPORT_QUEUED, {"trigger": "export"}, self.actor)
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
            writes.event(report.id, EventKind.PREFLIGHT, {
                "automatic": True, "blocking": len(blocking), "findings": finding_detail(findings)})
            if blocking:
                first = blocking[0]
                writes.event(report.id, EventKind.EXPORT_FAILED, {
                    "stage": "preflight", "code": first.code, "message": first.message,
                    "codes": list(dict.fromkeys(f.code for f in blocking)), "sent": False})
                writes.status(report.id, "failed", first.code)
                run.outcome = ReportOutcome(report.id, Outcome.BLOCKED, first.code, first.message,
                                            findings=tuple(findings))
                return
        try:
            planned = plan_documents(report, expenses, view, exported_on=today, owner_employee_id=None,
                                     vendor_lookup=lookup)
        except PlanningError as problem:
            planned = []
            if not unsettled:
                error = render_unknown(str(problem))
                writes.event(report.id, EventKind.EXPORT_FAILED, {
                    "stage": "planning", "code": error.code, "message": str(problem), "sent": False})
                writes.status(report.id, "failed", error.code)
                run.outcome = ReportOutcome(report.id, Outcome.FAILED, error.code, str(problem))
                return
        if not planned and not unsettled:
            message = "the report has no expenses to export"
            writes.event(report.id, EventKind.EXPORT_FAILED, {"stage": "planning", "message": message, "sent": False})
            writes.status(report.id, "failed", None)
            run.outcome = ReportOutcome(report.id, Outcome.FAILED, message=message)
            return
        by_controlid = {a.controlid: a for a in attempts}
        for index, document in enumerate(planned):
            attempt = by_controlid.get(document.controlid)
            if attempt is None:
                attempt = ExportAttempt(
                    new_id(), self.workspace_id, report.id, report.export_version, index, document.kind.value,
                    document.controlid, document.reference, document.reference_object, document.reference_field,
                    AttemptState.QUEUED, now, now)
                added.append(attempt)
            run.documents.append(RunDocument(report.id, attempt, document,
                                             sendable=attempt.state not in NEEDS_RECONCILING,
                                             done=attempt.state is AttemptState.EXPORTED))
        in_plan = {d.controlid for d in planned}
        run.documents += [RunDocument(report.id, a, None, sendable=False)
                          for a in unsettled if a.controlid not in in_plan]
        writes.status(report.id, "queued", None)

    # Delivering, round by round.

    async def _deliver(self, credentials: IntacctCredentials, ordered: list[ReportId]) -> None:
        service = self.service
        # Outcomes are recorded one batch after another in a thread of their own, so that the event loop
        # hands a freed request slot to the next batch at once instead of after the database writes.
        recorder = self._recorder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-record")
        try:
            async with open_client(credentials, service.client_options) as client:
                for round_no in range(1, service.max_rounds + 1):
                    if round_no == 1:
                        await self._first_round(client, ordered)
                    else:
                        open_docs = self._open_documents()
                        if not open_docs:
                            return
                        await self._reconcile(client, [d for d in open_docs if not d.sendable])
                        to_send = [d for d in self._open_documents() if d.sendable and d.planned is not None]
                        await self._send(client, self._claim(to_send, round_no))
                    self._report_progress()
                    still = self._open_documents()
                    if not still:
                        return
                    if all(d.sendable for d in still) and round_no < service.max_rounds:
                        # Only refusals where nothing ran are left (rate limits, an unavailable gateway): back off.
                        await asyncio.sleep(service.round_backoff.wait_before(round_no))
        finally:
            recorder.shutdown(wait=True)

    async def _first_round(self, client: IntacctClient, ordered: list[ReportId]) -> None:
        """Decide and claim slice by slice, sending each full batch at once; then look up the unsettled."""
        # The sign-in is in flight while the reports are read and the first slices decided.
        signing_in = asyncio.ensure_future(_sign_in(client))
        try:
            reports, view = await asyncio.to_thread(self._read, ordered)
        except BaseException:
            signing_in.cancel()
            raise
        self._report_progress()
        today = utcnow().date()
        sending: list[asyncio.Future[None]] = []
        waiting: list[RunDocument] = []
        start = 0
        while start < len(reports):
            # The first slice is small, so that its batches are ready when the session is.
            size = FIRST_SLICE if start == 0 else SLICE
            # In a worker thread, so that responses are read and recorded while the next slice is decided.
            waiting += await asyncio.to_thread(self._decide_slice, reports[start:start + size], view, today)
            start += size
            self._report_progress()
            while len(waiting) >= self.batch_size:
                sending.append(asyncio.ensure_future(self._send_batch(client, waiting[:self.batch_size])))
                waiting = waiting[self.batch_size:]
        if waiting:
            sending.append(asyncio.ensure_future(self._send_batch(client, waiting)))
        await asyncio.gather(signing_in, *sending)
        # What an earlier run left uncertain or sending: looked up now, sent again only where Intacct lacks it.
        unsettled = [d for d in self._open_documents() if not d.sendable]
        if unsettled:
            again = await self._reconcile(client, unsettled)
            await self._send(client, self._claim(again, 1))

    async def _send(self, client: IntacctClient, documents: list[RunDocument]) -> None:
        """One request per batch, as many in flight as the company allows; each batch recorded as it returns."""
        size = self.batch_size
        await asyncio.gather(*(self._send_batch(client, documents[start:start + size])
                               for start in range(0, len(documents), size)))

    async def _send_batch(self, client: IntacctClient, batch: list[RunDocument]) -> None:
        self.requests += 1
        deliveries = await send(client, [d.planned for d in batch if d.planned is not None])
        await asyncio.get_running_loop().run_in_executor(self._recorder, self._record, batch, deliveries)
        self._report_progress()

    async def _reconcile(self, client: IntacctClient, documents: list[RunDocument]) -> list[RunDocument]:
        """Look the documents up in Intacct and settle what is there; returns those to send again."""
        if not documents:
            return []
        wanted = {id(d): Wanted(d.attempt.reference_object, d.attempt.reference_field, d.attempt.reference)
                  for d in documents}
        try:
            found = await look_up(client, list(wanted.values()))
        except IntacctError as problem:
            logger.info("could not look up %d uncertain document(s) yet: %s", len(documents), problem)
            return []
        at = utcnow()
        settlements: list[Settlement] = []
        again: list[RunDocument] = []
        details: dict[int, dict[str, Any]] = {}
        for document in documents:
            keys = found.get(wanted[id(document)], ())
            attempt = document.attempt
            detail = details[id(document)] = {"controlid": attempt.controlid, "reference": attempt.reference,
                                              "was": attempt.state.value, "found": bool(keys)}
            if keys:
                settlements.append(Settlement(attempt, AttemptState.EXPORTED, intacct_key=",".join(keys)))
            elif document.planned is None:
                # Not in Intacct, and no longer part of the report's plan: it will not be sent.
                settlements.append(Settlement(attempt, AttemptState.FAILED,
                                              message="not in Intacct; superseded by the report's current documents"))
        settled = {s.attempt.id: s for s in settlements}
        writes = Writes(self.workspace_id)
        with self.db.session() as session:
            lost = {a.id for a in ExportAttempts(session).settle_many(settlements, at=at)}
            for document in documents:
                attempt, detail = document.attempt, details[id(document)]
                settlement = settled.get(attempt.id)
                if attempt.id in lost:
                    self._lost_race(document, self.reports)
                elif settlement is None:
                    document.sendable = True
                    again.append(document)
                    detail["decision"] = "send again with the same controlid"
                    writes.event(document.report_id, EventKind.RECONCILED, detail)
                elif settlement.state is AttemptState.EXPORTED:
                    key = settlement.intacct_key
                    document.attempt = dataclasses.replace(attempt, state=AttemptState.EXPORTED, intacct_key=key)
                    document.done = True
                    detail["intacct_key"] = key
                    keys = found.get(wanted[id(document)], ())
                    if len(keys) > 1:
                        detail["duplicates"] = list(keys)
                    writes.event(document.report_id, EventKind.RECONCILED, detail)
                else:
                    document.done = True
                    detail["decision"] = "superseded"
                    writes.event(document.report_id, EventKind.RECONCILED, detail)
            self._settle_reports(session, self._touched(documents), writes)
        return again

    def _claim(self, documents: list[RunDocument], round_no: int) -> list[RunDocument]:
        if not documents:
            return []
        writes = Writes(self.workspace_id)
        with self.db.session() as session:
            claimed = self._claim_in(session, documents, round_no, self.reports, writes)
            writes.flush(session)
        return claimed

    def _claim_in(self, session: Session, documents: list[RunDocument], round_no: int,
                  runs: Mapping[ReportId, ReportRun], writes: Writes) -> list[RunDocument]:
        """Move the documents' attempts to `sending` (in the caller's transaction); returns those claimed."""
        if not documents:
            return []
        now = utcnow()
        until = now + self.service.sending_lease
        lost = {a.id for a in ExportAttempts(session).claim_many([d.attempt for d in documents], until=until, at=now)}
        claimed: list[RunDocument] = []
        sent_by_report: dict[ReportId, list[dict[str, Any]]] = {}
        for document in documents:
            attempt = document.attempt
            if attempt.id in lost:
                self._lost_race(document, runs)
                continue
            if attempt.state is AttemptState.FAILED and round_no > 1:
                writes.event(document.report_id, EventKind.RETRIED, {
                    "automatic": True, "controlid": attempt.controlid, "round": round_no,
                    "reason": attempt.int_code or "nothing was executed"})
            document.attempt = _moved(attempt, AttemptState.SENDING, attempt.attempts + 1, attempt.intacct_key,
                                      attempt.int_code, attempt.message, until)
            claimed.append(document)
            sent_by_report.setdefault(document.report_id, []).append(
                {"controlid": attempt.controlid, "document_kind": attempt.document_kind,
                 "reference": attempt.reference, "attempt": attempt.attempts + 1})
        for report_id, sent in sent_by_report.items():
            writes.event(report_id, EventKind.EXPORT_SENT, {"documents": sent})
            writes.status(report_id, "sending", None)
        return claimed

    def _record(self, documents: list[RunDocument], deliveries: list[Delivery]) -> None:
        at = utcnow()
        settlements = [
            Settlement(d.attempt, delivery.state, intacct_key=delivery.intacct_key,
                       int_code=delivery.failure.code if delivery.failure else None,
                       message=delivery.failure.message if delivery.failure else None,
                       intacct_errors=errors_json(delivery.failure.intacct_errors) if delivery.failure else ())
            for d, delivery in zip(documents, deliveries, strict=True)
        ]
        writes = Writes(self.workspace_id)
        with self.db.session() as session:
            lost = {a.id for a in ExportAttempts(session).settle_many(settlements, at=at)}
            for document, delivery in zip(documents, deliveries, strict=True):
                attempt = document.attempt
                failure = delivery.failure
                if attempt.id in lost:
                    self._lost_race(document, self.reports)
                    continue
                document.attempt = _moved(attempt, delivery.state, attempt.attempts, delivery.intacct_key,
                                          failure.code if failure else None, failure.message if failure else None,
                                          None)
                document.failure = failure
                if delivery.state is AttemptState.EXPORTED:
                    document.done = True
                elif delivery.state is AttemptState.UNCERTAIN:
                    assert failure is not None
                    document.sendable = False
                    writes.event(document.report_id, EventKind.EXPORT_UNCERTAIN, failure_detail(document, failure))
                    writes.status(document.report_id, "uncertain", None)
                else:
                    assert failure is not None
                    writes.event(document.report_id, EventKind.EXPORT_FAILED,
                                 {**failure_detail(document, failure), "transient": delivery.transient})
                    writes.status(document.report_id, "failed", failure.code)
                    if not delivery.transient:
                        document.done = True
            self._settle_reports(session, self._touched(documents), writes)

    # Settling reports.

    def _open_documents(self) -> list[RunDocument]:
        return [d for run in self.reports.values() if run.outcome is None for d in run.documents if not d.done]

    def _touched(self, documents: list[RunDocument]) -> list[ReportRun]:
        return [self.reports[r] for r in dict.fromkeys(d.report_id for d in documents)]

    def _lost_race(self, document: RunDocument, runs: Mapping[ReportId, ReportRun]) -> None:
        # Another exporter moved this attempt since it was read: that exporter owns the outcome.
        document.done = True
        run = runs[document.report_id]
        if run.outcome is None:
            run.outcome = ReportOutcome(document.report_id, Outcome.IN_PROGRESS,
                                        message="another export of this report took over its documents")

    def _settle_reports(self, session: Session, runs: list[ReportRun], writes: Writes) -> None:
        """Give an outcome to each run whose documents are all done, then write everything gathered."""
        finished = []
        for run in runs:
            if run.outcome is not None or not all(d.done for d in run.documents):
                continue
            failed = [d for d in run.documents
                      if d.planned is not None and d.attempt.state is not AttemptState.EXPORTED]
            if not failed:
                finished.append(run)
                continue
            first = next((d.failure for d in failed if d.failure is not None), None)
            code = first.code if first else failed[0].attempt.int_code
            message = first.message if first else failed[0].attempt.message
            writes.status(run.report.id, "failed", code)
            run.outcome = ReportOutcome(run.report.id, Outcome.FAILED, code, message)
        writes.flush(session)
        self._finish_reports(session, finished)
        for run in runs:
            if run.outcome is not None:
                # Nothing reads a settled report's documents again: their request trees and planning state go
                # now rather than at the end of the run (tens of thousands of reports in one run).
                run.documents = []

    def _finish_reports(self, session: Session, runs: list[ReportRun]) -> None:
        """Every document of these runs is in Intacct: each report becomes exported (approved -> exported)."""
        if not runs:
            return
        reports = Reports(session)
        at = utcnow()
        exported = [_exported(run.report, at) for run in runs]
        changed = set(reports.save_many(exported, if_state=ReportState.APPROVED, fields=EXPORTED_FIELDS))
        events = []
        for run in runs:
            report = run.report
            if report.id in changed:
                # Unapproved while its documents were on their way: Intacct has them all the same.
                logger.warning("report %s changed state while exporting; its documents are in Intacct", report.id)
            documents = [d for d in run.documents if d.planned is not None]
            events.append(HistoryEvent(new_id(), report.id, at, SYSTEM, EventKind.EXPORTED, {
                "from": report.state.value, "to": ReportState.EXPORTED.value,
                "documents": [{"controlid": d.attempt.controlid, "document_kind": d.attempt.document_kind,
                               "reference": d.attempt.reference, "intacct_key": d.attempt.intacct_key}
                              for d in documents]}))
            run.outcome = ReportOutcome(report.id, Outcome.EXPORTED,
                                        intacct_keys=tuple(d.attempt.intacct_key or "" for d in documents))
        reports.set_export_outcomes(self.workspace_id, dict.fromkeys(changed, ("exported", None)))
        reports.record_many(events)

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



async def _sign_in(client: IntacctClient) -> None:
    """Open the API session while the first slice is decided; batches ready before it is open sign in by
    themselves (see `IntacctClient.start_session`). A failure shows again on the first send."""
    try:
        await client.start_session()
    except IntacctError as problem:
        logger.info("sign-in before sending failed: %s", problem)


def _moved(attempt: ExportAttempt, state: AttemptState, attempts: int, intacct_key: str | None,
           int_code: str | None, message: str | None, claimed_until: datetime | None) -> ExportAttempt:
    """The attempt as this process knows it after a claim or an outcome; cheaper than `dataclasses.replace`."""
    return ExportAttempt(
        attempt.id, attempt.workspace_id, attempt.report_id, attempt.export_version, attempt.document_index,
        attempt.document_kind, attempt.controlid, attempt.reference, attempt.reference_object,
        attempt.reference_field, state, attempt.created_at, attempt.updated_at, attempts, intacct_key, int_code,
        message, attempt.intacct_errors, claimed_until)


def _exported(report: Report, at: datetime) -> Report:
    """The report once all its documents are in Intacct; a refused move raises as `transition` does."""
    if report.state is not ReportState.APPROVED:
        report = transition(report, ReportState.EXPORTED, SYSTEM, at)
    return dataclasses.replace(report, state=ReportState.EXPORTED, exported_at=at, export_status="exported",
                               last_int_code=None)
