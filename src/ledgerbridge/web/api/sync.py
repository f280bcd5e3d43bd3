"""Sync Now: start a run (it continues in the background), follow it, and see past runs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from ledgerbridge.domain import Action, SyncRun
from ledgerbridge.store import Connections, SyncRuns
from ledgerbridge.web.api.context import Caller, current_caller, needs, require
from ledgerbridge.web.api.errors import Conflict
from ledgerbridge.web.api.schemas import when

router = APIRouter(tags=["sync"])
BASE = "/workspaces/{workspace_id}/sync"


def run_out(run: SyncRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "status": run.status.value,
        "trigger": run.trigger.value,
        "started_at": when(run.started_at),
        "finished_at": when(run.finished_at),
        "counts": {
            kind: {"read": c.read, "created": c.created, "updated": c.updated, "disabled": c.disabled}
            for kind, c in run.counts.items()
        },
        "progress": {
            "kinds_done": run.progress.kinds_done,
            "kinds_total": run.progress.kinds_total,
            "rows_read": run.progress.rows_read,
        },
        "errors": [
            {"int_code": e.int_code, "message": e.message, "intacct_error": e.intacct_error, "kind": e.kind}
            for e in run.errors
        ],
    }


class SyncRunning(Conflict):
    code = "sync_running"


@router.post(BASE, status_code=202, openapi_extra=needs(Action.RUN_SYNC), summary="Sync Now")
def start_sync(workspace_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    from ledgerbridge.sync import SyncAlreadyRunning

    with caller.session() as session:
        require(session, workspace_id, caller, Action.RUN_SYNC)
        if Connections(session, caller.services.box).get(workspace_id) is None:
            raise Conflict(f"workspace {workspace_id} is not connected to Sage Intacct; connect it first")
    try:
        run = caller.services.sync_service().start(workspace_id)
    except SyncAlreadyRunning as exc:
        raise SyncRunning(f"a sync of this workspace is already running: {exc}") from None
    return {"data": run_out(run)}


@router.get(BASE + "/runs", openapi_extra=needs(Action.VIEW_SYNC), summary="Past runs, newest first")
def sync_history(
    workspace_id: str, limit: int = Query(20, ge=1, le=100), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_SYNC)
        return {"data": [run_out(r) for r in SyncRuns(session).history(workspace_id, limit=limit)]}


@router.get(BASE + "/runs/{run_id}", openapi_extra=needs(Action.VIEW_SYNC), summary="One run, with its progress")
def sync_status(workspace_id: str, run_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_SYNC)
        return {"data": run_out(SyncRuns(session).get(workspace_id, run_id))}
