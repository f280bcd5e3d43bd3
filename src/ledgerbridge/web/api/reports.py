"""Reports: listing with filters and cursor pages, creation, title edits and the state machine's steps."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import logging
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import StrictStr
from sqlalchemy.orm import Session

from ledgerbridge.domain import (
    Action,
    EventKind,
    HistoryEvent,
    Report,
    ReportState,
    can,
    new_id,
    transition,
    transition_event,
)
from ledgerbridge.domain.money import UnknownCurrencyError, minor_units
from ledgerbridge.store import ReportFilter, Reports, Workspaces
from ledgerbridge.web.api.context import Caller, current_caller, needs, require, utcnow, visible_report
from ledgerbridge.web.api.errors import Invalid, StateConflict
from ledgerbridge.web.api.expenses import expense_out
from ledgerbridge.web.api.history import record, require_editable
from ledgerbridge.web.api.schemas import Body, Title, when

log = logging.getLogger(__name__)

router = APIRouter(tags=["reports"])
BASE = "/workspaces/{workspace_id}/reports"
ONE = BASE + "/{report_id}"


def report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "owner": report.owner,
        "title": report.title,
        "state": report.state.value,
        "currency": report.currency,
        "created_at": when(report.created_at),
        "submitted_at": when(report.submitted_at),
        "submitted_by": report.submitted_by,
        "approved_at": when(report.approved_at),
        "approved_by": report.approved_by,
        "exported_at": when(report.exported_at),
        "reimbursed_at": when(report.reimbursed_at),
        "export_version": report.export_version,
        "export_status": report.export_status,
        "last_int_code": report.last_int_code,
    }


def event_out(event: HistoryEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": when(event.at),
        "actor": event.actor,
        "kind": event.kind.value,
        "detail": event.detail,
    }


def report_detail(session: Session, report: Report) -> dict[str, Any]:
    reports = Reports(session)
    return {
        **report_out(report),
        "expenses": [expense_out(e) for e in reports.expenses(report.id)],
        "history": [event_out(e) for e in reports.history(report.id)],
    }


def encode_cursor(cursor: tuple[datetime, str]) -> str:
    raw = json.dumps([cursor[0].isoformat(), cursor[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[datetime, str]:
    try:
        created, report_id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        return datetime.fromisoformat(created), str(report_id)
    except (ValueError, TypeError, binascii.Error):
        raise Invalid("the cursor is not one this API returned", {"field": "cursor"}) from None


class NewReport(Body):
    title: Title
    currency: StrictStr | None = None
    """Defaults to the workspace's base currency."""


class ReportEdit(Body):
    title: Title


@router.get(BASE, openapi_extra=needs(Action.VIEW_OWN_REPORTS), summary="List reports, newest first")
def list_reports(
    workspace_id: str,
    state: list[ReportState] = Query(default=[]),
    export_status: str | None = Query(None, max_length=32),
    int_code: str | None = Query(None, max_length=16),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=200),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    after = None if cursor is None else decode_cursor(cursor)
    with caller.session() as session:
        role = require(session, workspace_id, caller, Action.VIEW_OWN_REPORTS)
        mine_only = not can(role, Action.VIEW_ALL_REPORTS)
        where = ReportFilter(tuple(state), caller.id if mine_only else None, export_status, int_code)
        page = Reports(session).page(workspace_id, where, limit=limit, after=after)
    next_cursor = None if page.next_cursor is None else encode_cursor(page.next_cursor)
    return {"data": [report_out(r) for r in page.reports], "next_cursor": next_cursor}


@router.post(BASE, status_code=201, openapi_extra=needs(Action.CREATE_REPORT))
def create_report(workspace_id: str, body: NewReport, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.CREATE_REPORT)
        currency = (body.currency or Workspaces(session).get(workspace_id).base_currency).strip().upper()
        try:
            minor_units(currency)
        except UnknownCurrencyError as exc:
            raise Invalid(str(exc), {"field": "currency"}) from None
        report = Reports(session).add(Report(new_id(), workspace_id, caller.id, body.title, currency, utcnow()))
        record(session, report, caller, EventKind.CREATED, {"title": report.title})
        return {"data": report_detail(session, report)}


@router.get(ONE, openapi_extra=needs(Action.VIEW_OWN_REPORTS), summary="A report with its expenses and history")
def get_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        report = visible_report(session, workspace_id, report_id, caller, Action.VIEW_OWN_REPORTS)
        return {"data": report_detail(session, report)}


@router.patch(ONE, openapi_extra=needs(Action.EDIT_OWN_REPORT), summary="Edit the title of a draft")
def edit_report(
    workspace_id: str, report_id: str, body: ReportEdit, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    with caller.session() as session:
        report = visible_report(session, workspace_id, report_id, caller, Action.EDIT_OWN_REPORT)
        require_editable(report)
        edited = Reports(session).save(dataclasses.replace(report, title=body.title), if_state=report.state)
        record(session, edited, caller, EventKind.EDITED, {"title": {"from": report.title, "to": edited.title}})
        return {"data": report_detail(session, edited)}


@router.delete(ONE, openapi_extra=needs(Action.DELETE_OWN_REPORT), summary="Delete a draft report")
def delete_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        report = visible_report(session, workspace_id, report_id, caller, Action.DELETE_OWN_REPORT)
        require_editable(report)
        Reports(session).delete(workspace_id, report_id)
    return {"data": {"deleted": report_id}}


def _move(
    workspace_id: str, report_id: str, caller: Caller, action: Action, from_state: ReportState, to: ReportState
) -> dict[str, Any]:
    with caller.session() as session:
        before = visible_report(session, workspace_id, report_id, caller, action)
        if before.state is not from_state:
            raise StateConflict(
                f"report {report_id} is {before.state.value}; {action.value.replace('_', ' ')} needs "
                f"a {from_state.value} report",
                {"state": before.state.value},
            )
        at = utcnow()
        after = transition(before, to, caller.id, at)
        Reports(session).save(after, if_state=before.state)
        Reports(session).record(transition_event(before, after, caller.id, at, new_id()))
        return {"data": report_detail(session, after)}


@router.post(ONE + "/submit", openapi_extra=needs(Action.SUBMIT_OWN_REPORT))
def submit_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    return _move(workspace_id, report_id, caller, Action.SUBMIT_OWN_REPORT, ReportState.DRAFT, ReportState.SUBMITTED)


@router.post(ONE + "/return", openapi_extra=needs(Action.RETURN_REPORT), summary="Return a submitted report")
def return_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    return _move(workspace_id, report_id, caller, Action.RETURN_REPORT, ReportState.SUBMITTED, ReportState.DRAFT)


@router.post(ONE + "/approve", openapi_extra=needs(Action.APPROVE_REPORT))
def approve_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    approved = _move(workspace_id, report_id, caller, Action.APPROVE_REPORT, ReportState.SUBMITTED,
                     ReportState.APPROVED)
    try:
        caller.services.export_service().auto_export_on_approval(workspace_id, report_id)
    except Exception:
        # The approval stands; the report waits for a manual export, and the log says why.
        log.exception("auto-export of report %s could not be queued", report_id)
    return approved


@router.post(ONE + "/unapprove", openapi_extra=needs(Action.UNAPPROVE_REPORT), summary="Back to draft")
def unapprove_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    return _move(workspace_id, report_id, caller, Action.UNAPPROVE_REPORT, ReportState.APPROVED, ReportState.DRAFT)
