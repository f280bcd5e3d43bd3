"""Report pages: the list (filters, keyset pages, bulk retry) and one report (lines, findings, the error
banner with its fixes in place, export, retry, recategorize, Sync Now, history)."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from ledgerbridge.catalog import CATALOG
from ledgerbridge.domain import Action, Report, ReportState, can_on_report, new_id, transition, transition_event
from ledgerbridge.domain.ids import ReportId
from ledgerbridge.export.deliver_outcome import Outcome, ReportOutcome
from ledgerbridge.export.deliver_state import NotConnected
from ledgerbridge.export.recategorize import RecategorizeError, Recategorizer
from ledgerbridge.store import Connections, NotFound, ReportChanged, Reports, SyncRuns
from ledgerbridge.store.repos.report_list import (
    EXPORT_STATUSES,
    NEVER_EXPORTED,
    Cursor,
    ListFilter,
    ReportList,
)
from ledgerbridge.web.api.errors import Missing
from ledgerbridge.web.pages.context import (
    FieldErrors,
    Flash,
    PageContext,
    form_data,
    redirect,
    render,
    text_of,
    workspace_page,
)
from ledgerbridge.web.pages.reports_view import load_report_view

log = logging.getLogger(__name__)
router = APIRouter()

PAGE_SIZE: Final = 50
BULK_LIMIT: Final = 1000
"""Reports one bulk retry takes at most (the API's limit too)."""
_INT_CODE = re.compile(r"^INT\d{3}$")
STATUS_LABELS: Final = {
    "failed": "Failed", "exported": "Exported", "queued": "Queued", "sending": "Sending",
    "uncertain": "Uncertain", NEVER_EXPORTED: "Not exported yet",
}


# Filters and cursors in the address.

@dataclass(frozen=True, slots=True)
class Query:
    """The list's filters as given in the address, checked; `errors` names the fields that were refused."""

    states: tuple[ReportState, ...]
    export_status: str
    int_code: str
    title: str
    after: Cursor | None
    before: Cursor | None
    errors: FieldErrors

    def params(self, **override: str) -> str:
        values: list[tuple[str, str]] = [("state", s.value) for s in self.states]
        for name in ("export_status", "int_code", "q"):
            value = override.get(name, self.title if name == "q" else getattr(self, name))
            if value:
                values.append((name, value))
        values += [(k, v) for k, v in override.items() if k in ("after", "before") and v]
        return urlencode(values)

    @property
    def filtered(self) -> bool:
        return bool(self.states or self.export_status or self.int_code or self.title)


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps([cursor[0].isoformat(), cursor[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> Cursor | None:
    try:
        created, report_id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        at = datetime.fromisoformat(created)
    except (ValueError, TypeError, binascii.Error):
        return None
    if at.tzinfo is None or not isinstance(report_id, str) or len(report_id) > 64:
        return None
    return at, report_id


def read_query(request: Request) -> Query:
    params = request.query_params
    errors: FieldErrors = {}
    states: list[ReportState] = []
    for value in params.getlist("state"):
        if not value:
            continue
        try:
            states.append(ReportState(value))
        except ValueError:
            errors["state"] = f"There is no report state {value[:40]!r}; choose one from the list."
    export_status = params.get("export_status", "").strip()
    if export_status and export_status not in EXPORT_STATUSES:
        errors["export_status"] = "Choose an export status from the list."
        export_status = ""
    int_code = params.get("int_code", "").strip().upper()
    if int_code and not _INT_CODE.match(int_code):
        errors["int_code"] = "An INT code is INT followed by three digits, like INT860."
        int_code = ""
    title = params.get("q", "").strip()
    if len(title) > 100:
        errors["q"] = "Search for at most 100 characters of a title."
        title = ""
    cursors: dict[str, Cursor | None] = {}
    for name in ("after", "before"):
        raw = params.get(name, "")
        cursors[name] = decode_cursor(raw) if raw else None
        if raw and cursors[name] is None:
            errors["page"] = "That page link is not valid any more; showing the first page."
    if cursors["after"] is not None and cursors["before"] is not None:
        errors["page"] = "That page link is not valid; showing the first page."
        cursors = {"after": None, "before": None}
    return Query(tuple(dict.fromkeys(states)), export_status, int_code, title, cursors["after"], cursors["before"],
                 errors)


def _scope(page: PageContext) -> str | None:
    """The owner a member's list is limited to; approvers and admins see everyone's reports."""
    return None if page.can(Action.VIEW_ALL_REPORTS) else page.user.id


# The list.

def _list_page(request: Request, page: PageContext, query: Query, *, status: int = 200,
               problem: str = "", form_errors: FieldErrors | None = None) -> Response:
    owner = _scope(page)
    where = ListFilter(query.states, owner, query.export_status or None, query.int_code or None, query.title or None)
    with page.session() as session:
        listing = ReportList(session)
        found = listing.page(page.workspace_id, where, limit=PAGE_SIZE, after=query.after, before=query.before)
        counts = listing.counts(page.workspace_id, owner)
    errors = {**query.errors, **(form_errors or {})}
    return render(
        request, "reports/list.html", status=status if not query.errors else 422, title="Reports",
        section="reports", switch_section="reports", query=query, found=found, counts=counts, errors=errors,
        problem=problem, states=list(ReportState), statuses=STATUS_LABELS,
        next_url=f"?{query.params(after=encode_cursor(found.next_cursor))}" if found.next_cursor else None,
        prev_url=f"?{query.params(before=encode_cursor(found.prev_cursor))}" if found.prev_cursor else None,
        in_flight=any(row.report.export_status in ("queued", "sending") for row in found.rows),
        catalog=CATALOG,
    )


@router.get("/workspaces/{workspace_id}/reports", name="reports_list")
def reports_list(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_OWN_REPORTS))) -> Response:
    return _list_page(request, page, read_query(request))


@router.post("/workspaces/{workspace_id}/reports/retry", name="reports_retry")
def reports_retry(request: Request, form: FormData = Depends(form_data),
                  page: PageContext = Depends(workspace_page(Action.RETRY_EXPORT))) -> Response:
    """Retry the selected reports, or every approved report that last failed with one INT code (queued)."""
    query = read_query(request)
    errors: FieldErrors = {}
    selected = [str(v) for v in form.getlist("report_id") if isinstance(v, str) and v][:BULK_LIMIT + 1]
    int_code = text_of(form, "int_code").upper()
    if int_code and not _INT_CODE.match(int_code):
        errors["int_code"] = "An INT code is INT followed by three digits, like INT860."
    elif not int_code and not selected:
        errors["report_id"] = "Select at least one report to retry."
    elif len(selected) > BULK_LIMIT:
        errors["report_id"] = f"Select at most {BULK_LIMIT} reports at a time."
    if errors:
        return _list_page(request, page, query, status=422, form_errors=errors,
                          problem="Nothing was retried.")
    with page.session() as session:
        if Connections(session, page.services.box).get(page.workspace_id) is None:
            return _list_page(request, page, query, status=409, problem=(
                "This workspace is not connected to Sage Intacct; connect it in Settings > Accounting first."))
        if selected:
            try:
                Reports(session).get_many(page.workspace_id, selected)
            except NotFound:
                return _list_page(request, page, query, status=422, form_errors={
                    "report_id": "Some of the selected reports no longer exist; reload the list."})
    service = page.services.export_service()
    which: list[ReportId] | str = int_code if int_code else selected
    outcomes = service.retry(page.workspace_id, which, page.user.id)
    queued = sum(1 for o in outcomes if o.outcome is Outcome.QUEUED)
    skipped = len(outcomes) - queued
    what = f"every approved report that failed with {int_code}" if int_code else "the selected reports"
    message = f"Retrying {what}: {queued} queued for export."
    if skipped:
        message += f" {skipped} skipped (not approved, or already exported)."
    if not outcomes:
        message = f"No approved report failed with {int_code}; nothing to retry."
    back = page.url("reports") + (f"?{query.params()}" if query.filtered else "")
    return redirect(request, back, Flash(message, "info" if queued else "error"))


# One report.

def _visible(page: PageContext, report_id: str) -> Report:
    with page.session() as session:
        try:
            report = Reports(session).get(page.workspace_id, report_id)
        except NotFound:
            report = None
    if report is None or not can_on_report(page.role, Action.VIEW_OWN_REPORTS, is_owner=report.owner == page.user.id):
        raise Missing("This report does not exist, or you may not see it.", {"kind": "report", "id": report_id})
    return report


def _report_page(request: Request, page: PageContext, report: Report, *, status: int = 200,
                 errors: FieldErrors | None = None, problem: str = "") -> Response:
    with page.session() as session:
        view = load_report_view(session, page.services.box, report)
        sync_id = request.query_params.get("sync", "")
        sync_run = None
        if sync_id and page.can(Action.VIEW_SYNC):
            try:
                sync_run = SyncRuns(session).get(page.workspace_id, sync_id[:64])
            except NotFound:
                sync_run = None
    is_owner = report.owner == page.user.id
    return render(
        request, "reports/report.html", status=status, title=report.title, section="reports",
        switch_section="reports", view=view, errors=errors or {}, problem=problem, sync_run=sync_run,
        may_submit=report.state is ReportState.DRAFT and can_on_report(page.role, Action.SUBMIT_OWN_REPORT,
                                                                     is_owner=is_owner),
        report_url=page.url("reports", report.id),
    )


@router.get("/workspaces/{workspace_id}/reports/{report_id}", name="report_page")
def report_page(request: Request, report_id: str,
                page: PageContext = Depends(workspace_page(Action.VIEW_OWN_REPORTS))) -> Response:
    return _report_page(request, page, _visible(page, report_id))


def _outcome_flash(outcome: ReportOutcome) -> Flash:
    match outcome.outcome:
        case Outcome.EXPORTED:
            keys = ", ".join(outcome.intacct_keys)
            return Flash(f"Exported to Sage Intacct (record {keys}).", "success")
        case Outcome.ALREADY_EXPORTED:
            return Flash("This report is already in Sage Intacct.", "info")
        case Outcome.BLOCKED:
            return Flash(f"Not sent: {outcome.message}", "error")
        case Outcome.FAILED:
            return Flash(f"Sage Intacct refused the export: {outcome.message}", "error")
        case Outcome.UNCERTAIN:
            return Flash(f"The outcome is not known yet: {outcome.message}", "error")
        case _:
            return Flash(outcome.message or f"Export {outcome.outcome.value.replace('_', ' ')}.", "info")


def _export(request: Request, page: PageContext, report_id: str, *, retry: bool) -> Response:
    report = _visible(page, report_id)
    url = page.url("reports", report.id)
    if report.state is not ReportState.APPROVED:
        return _report_page(request, page, report, status=409, problem=(
            f"This report is {report.state.value}; only approved reports are exported."))
    if report.export_status in ("queued", "sending"):
        return _report_page(request, page, report, status=409, problem=(
            "An export of this report is already on its way; wait for it to finish."))
    service = page.services.export_service()
    try:
        if retry:
            run = service.retry_now(page.workspace_id, [report.id], page.user.id)
        else:
            run = service.export_now(page.workspace_id, [report.id], page.user.id)
    except NotConnected:
        return _report_page(request, page, report, status=409, problem=(
            "This workspace is not connected to Sage Intacct; connect it in Settings > Accounting first."))
    return redirect(request, url, _outcome_flash(run.of(report.id)))


@router.post("/workspaces/{workspace_id}/reports/{report_id}/export", name="report_export")
def report_export(request: Request, report_id: str,
                  page: PageContext = Depends(workspace_page(Action.EXPORT_REPORT))) -> Response:
    return _export(request, page, report_id, retry=False)


@router.post("/workspaces/{workspace_id}/reports/{report_id}/retry", name="report_retry")
def report_retry(request: Request, report_id: str,
                 page: PageContext = Depends(workspace_page(Action.RETRY_EXPORT))) -> Response:
    return _export(request, page, report_id, retry=True)


@router.post("/workspaces/{workspace_id}/reports/{report_id}/recategorize", name="report_recategorize")
def report_recategorize(request: Request, report_id: str, form: FormData = Depends(form_data),
                        page: PageContext = Depends(workspace_page(Action.RECATEGORIZE))) -> Response:
    report = _visible(page, report_id)
    category_id = text_of(form, "category_id")
    expense_ids = [str(v) for v in form.getlist("expense_id") if isinstance(v, str) and v][:500]
    int_code = text_of(form, "int_code").upper() or None
    errors: FieldErrors = {}
    if not category_id:
        errors["category_id"] = "Choose the category to move the expenses to."
    if int_code is not None and not _INT_CODE.match(int_code):
        int_code = None
    if errors:
        return _report_page(request, page, report, status=422, errors=errors,
                            problem="Nothing was recategorized.")
    try:
        done = Recategorizer(page.services.database, page.services.box).recategorize(
            page.workspace_id, report.id, category_id, page.user.id,
            expense_ids=expense_ids or None, int_code=int_code)
    except NotFound:
        return _report_page(request, page, report, status=422, errors={
            "category_id": "That category does not exist in this workspace; choose one from the list."})
    except (RecategorizeError, ValueError) as problem:
        return _report_page(request, page, report, status=422, errors={"category_id": str(problem)},
                            problem="Nothing was recategorized.")
    moved = len(done.moves)
    note = (f"Moved {moved} expense{'s' if moved != 1 else ''} to {done.category.name}. "
            + ("Preflight finds nothing blocking: retry the export." if done.preflight.ok
               else f"Preflight still finds {len(done.preflight.blocking)} blocking problem(s)."))
    return redirect(request, page.url("reports", report.id), Flash(note, "success" if done.preflight.ok else "info"))


@router.post("/workspaces/{workspace_id}/reports/{report_id}/sync", name="report_sync")
def report_sync(request: Request, report_id: str,
                page: PageContext = Depends(workspace_page(Action.RUN_SYNC))) -> Response:
    """Sync Now from the report's banner: start it, then follow its progress on the report page."""
    from ledgerbridge.sync import SyncAlreadyRunning

    report = _visible(page, report_id)
    with page.session() as session:
        connected = Connections(session, page.services.box).get(page.workspace_id) is not None
        running = SyncRuns(session).running(page.workspace_id)
    if not connected:
        return _report_page(request, page, report, status=409, problem=(
            "This workspace is not connected to Sage Intacct; connect it in Settings > Accounting first."))
    try:
        run = page.services.sync_service().start(page.workspace_id)
    except SyncAlreadyRunning:
        if running is None:
            return _report_page(request, page, report, status=409, problem="A sync is already running.")
        run = running
    return redirect(request, page.url("reports", report.id) + f"?sync={run.id}",
                    Flash("Sync Now started: reading accounts, cards and the rest from Sage Intacct.", "info"))


@router.get("/workspaces/{workspace_id}/reports/{report_id}/sync/{run_id}", name="report_sync_progress")
def report_sync_progress(request: Request, report_id: str, run_id: str,
                         page: PageContext = Depends(workspace_page(Action.VIEW_SYNC))) -> Response:
    """The sync progress box (an htmx fragment that polls itself until the run has finished)."""
    report = _visible(page, report_id)
    with page.session() as session:
        run = SyncRuns(session).get(page.workspace_id, run_id)
    return render(request, "reports/_sync.html", sync_run=run, report_url=page.url("reports", report.id))


def _move(request: Request, page: PageContext, report_id: str, action: Action, to: ReportState) -> Response:
    report = _visible(page, report_id)
    is_owner = report.owner == page.user.id
    if not can_on_report(page.role, action, is_owner=is_owner):
        page.require(action)  # raises: the role does not allow it on this report
    try:
        at = datetime.now(tz=report.created_at.tzinfo)
        after = transition(report, to, page.user.id, at)
        with page.session() as session:
            Reports(session).save(after, if_state=report.state)
            Reports(session).record(transition_event(report, after, page.user.id, at, new_id()))
    except (ValueError, ReportChanged) as problem:
        return _report_page(request, page, report, status=409, problem=str(problem))
    if to is ReportState.APPROVED:
        try:
            page.services.export_service().auto_export_on_approval(page.workspace_id, report.id)
        except Exception:
            # The approval stands; the report waits for a manual export, and the log says why.
            log.exception("auto-export of report %s could not be queued", report.id)
    return redirect(request, page.url("reports", report.id), Flash(f"Report {to.value}.", "success"))


@router.post("/workspaces/{workspace_id}/reports/{report_id}/submit", name="report_submit")
def report_submit(request: Request, report_id: str,
                  page: PageContext = Depends(workspace_page(Action.SUBMIT_OWN_REPORT))) -> Response:
    return _move(request, page, report_id, Action.SUBMIT_OWN_REPORT, ReportState.SUBMITTED)


@router.post("/workspaces/{workspace_id}/reports/{report_id}/approve", name="report_approve")
def report_approve(request: Request, report_id: str,
                   page: PageContext = Depends(workspace_page(Action.APPROVE_REPORT))) -> Response:
    return _move(request, page, report_id, Action.APPROVE_REPORT, ReportState.APPROVED)

