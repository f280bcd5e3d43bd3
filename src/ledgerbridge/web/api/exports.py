"""Export to Sage Intacct: preflight a report, export it (in the background), retry, and see its attempts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field, StringConstraints

from ledgerbridge.domain import Action, ReportState
from ledgerbridge.export.deliver_outcome import attempts_dicts
from ledgerbridge.store import Connections, Reports
from ledgerbridge.web.api.context import Caller, current_caller, needs, require, visible_report
from ledgerbridge.web.api.errors import Conflict, Invalid, StateConflict
from ledgerbridge.web.api.schemas import Body

router = APIRouter(tags=["export"])
REPORT = "/workspaces/{workspace_id}/reports/{report_id}"
RETRY = "/workspaces/{workspace_id}/exports/retry"

ReportIdIn = Annotated[str, StringConstraints(min_length=1, max_length=64)]
IntCode = Annotated[str, StringConstraints(pattern=r"^INT\d{3}$")]


class RetryRequest(Body):
    """Either the reports to retry, or an INT code: every approved report that last failed with it."""

    report_ids: Annotated[list[ReportIdIn], Field(max_length=1000)] | None = None
    int_code: IntCode | None = None


def _require_connection(caller: Caller, workspace_id: str) -> None:
    with caller.session() as session:
        if Connections(session, caller.services.box).get(workspace_id) is None:
            raise Conflict(f"workspace {workspace_id} is not connected to Sage Intacct; connect it first")


@router.post(REPORT + "/preflight", openapi_extra=needs(Action.PREFLIGHT_REPORT),
             summary="Every problem Intacct would refuse, from synced data, with suggested fixes")
def preflight_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        visible_report(session, workspace_id, report_id, caller, Action.PREFLIGHT_REPORT)
    result = caller.services.export_service().preflight(workspace_id, report_id, caller.id)
    return {"data": result.as_dict()}


@router.post(REPORT + "/export", status_code=202, openapi_extra=needs(Action.EXPORT_REPORT),
             summary="Queue an approved report for export; follow it with GET .../exports")
def export_report(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        report = visible_report(session, workspace_id, report_id, caller, Action.EXPORT_REPORT)
    if report.state is not ReportState.APPROVED:
        raise StateConflict(f"report {report_id} is {report.state.value}; only approved reports export",
                            {"state": report.state.value})
    _require_connection(caller, workspace_id)
    (outcome,) = caller.services.export_service().export(workspace_id, [report_id], caller.id)
    return {"data": outcome.as_dict()}


@router.post(RETRY, status_code=202, openapi_extra=needs(Action.RETRY_EXPORT),
             summary="Retry exports: named reports, or every report that last failed with an INT code")
def retry_exports(workspace_id: str, body: RetryRequest, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.RETRY_EXPORT)
        if (body.report_ids is None) == (body.int_code is None):
            raise Invalid("send either report_ids or int_code", {"fields": ["report_ids", "int_code"]})
        for report_id in body.report_ids or []:
            Reports(session).get(workspace_id, report_id)
    _require_connection(caller, workspace_id)
    which: list[str] | str = body.int_code if body.int_code is not None else list(body.report_ids or [])
    outcomes = caller.services.export_service().retry(workspace_id, which, caller.id)
    return {"data": [outcome.as_dict() for outcome in outcomes]}


@router.get(REPORT + "/exports", openapi_extra=needs(Action.VIEW_OWN_REPORTS),
            summary="The report's export attempts: one per Intacct document, with state, key and INT code")
def export_attempts(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        visible_report(session, workspace_id, report_id, caller, Action.VIEW_OWN_REPORTS)
    return {"data": attempts_dicts(caller.services.export_service().attempts(workspace_id, report_id))}
