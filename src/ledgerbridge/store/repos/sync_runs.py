"""Sync runs: started, progressing, finished; the watermark the next incremental run starts from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ledgerbridge.domain.ids import SyncRunId, WorkspaceId
from ledgerbridge.domain.sync_runs import KindCounts, SyncFailure, SyncProgress, SyncRun, SyncStatus, SyncTrigger
from ledgerbridge.store.errors import NotFound
from ledgerbridge.store.models import SyncRunRow
from ledgerbridge.store.repos._rows import affected


def _counts_out(counts: Mapping[str, KindCounts]) -> dict[str, Any]:
    return {
        kind: {"read": c.read, "created": c.created, "updated": c.updated, "disabled": c.disabled}
        for kind, c in counts.items()
    }


def _progress_out(progress: SyncProgress) -> dict[str, Any]:
    return {"kinds_done": progress.kinds_done, "kinds_total": progress.kinds_total, "rows_read": progress.rows_read}


def _values(run: SyncRun) -> dict[str, Any]:
    return {
        "workspace_id": run.workspace_id,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "status": run.status.value,
        "trigger": run.trigger.value,
        "counts": _counts_out(run.counts),
        "progress": _progress_out(run.progress),
        "errors": [
            {"int_code": e.int_code, "message": e.message, "intacct_error": e.intacct_error, "kind": e.kind}
            for e in run.errors
        ],
        "watermark": {kind: at.isoformat() for kind, at in run.watermark.items()},
    }


def _run(row: SyncRunRow) -> SyncRun:
    return SyncRun(
        id=row.id,
        workspace_id=row.workspace_id,
        started_at=row.started_at,
        trigger=SyncTrigger(row.trigger),
        status=SyncStatus(row.status),
        finished_at=row.finished_at,
        counts={kind: KindCounts(**c) for kind, c in row.counts.items()},
        progress=SyncProgress(**row.progress),
        errors=tuple(SyncFailure(**e) for e in row.errors),
        watermark={kind: datetime.fromisoformat(at) for kind, at in row.watermark.items()},
    )


class SyncRuns:
    """The record of every Sync Now run of a workspace."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def start(self, run: SyncRun) -> SyncRun:
        self.session.add(SyncRunRow(id=run.id, heartbeat_at=run.started_at, **_values(run)))
        self.session.flush()
        return run

    def save(self, run: SyncRun) -> SyncRun:
        """Store the run as it is now: progress while it runs, then its outcome."""
        query = update(SyncRunRow).where(SyncRunRow.id == run.id, SyncRunRow.workspace_id == run.workspace_id)
        if not affected(self.session.execute(query.values(**_values(run)))):
            raise NotFound("sync run", run.id)
        return run

    def save_progress(self, run_id: SyncRunId, progress: SyncProgress, counts: Mapping[str, KindCounts],
                      at: datetime) -> None:
        """Record how far a running sync has got, and that it was alive `at` (cheap enough after every page)."""
        query = update(SyncRunRow).where(SyncRunRow.id == run_id)
        query = query.values(progress=_progress_out(progress), counts=_counts_out(counts), heartbeat_at=at)
        if not affected(self.session.execute(query)):
            raise NotFound("sync run", run_id)

    def give_up_silent(self, workspace_id: WorkspaceId, silent_since: datetime, failure: SyncFailure,
                       at: datetime) -> SyncRun | None:
        """Fail the workspace's running run if it showed no progress since `silent_since` (its process ended
        without finishing it); the run given up, if any."""
        running = self.running(workspace_id)
        if running is None:
            return None
        row = self.session.get(SyncRunRow, running.id)
        assert row is not None
        if (row.heartbeat_at or row.started_at) >= silent_since:
            return None
        given_up = running.finished(SyncStatus.FAILED, at, (failure,))
        query = update(SyncRunRow).where(SyncRunRow.id == running.id, SyncRunRow.status == SyncStatus.RUNNING.value)
        if not affected(self.session.execute(query.values(**_values(given_up)))):
            return None  # finished meanwhile
        return given_up

    def get(self, workspace_id: WorkspaceId, run_id: SyncRunId) -> SyncRun:
        row = self.session.get(SyncRunRow, run_id, populate_existing=True)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound("sync run", run_id)
        return _run(row)

    def history(self, workspace_id: WorkspaceId, *, limit: int = 20) -> list[SyncRun]:
        """The workspace's runs, newest first."""
        rows = self.session.scalars(
            select(SyncRunRow)
            .where(SyncRunRow.workspace_id == workspace_id)
            .order_by(SyncRunRow.started_at.desc(), SyncRunRow.id.desc())
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return [_run(row) for row in rows]

    def running(self, workspace_id: WorkspaceId) -> SyncRun | None:
        """The run in progress, if any."""
        rows = self.session.scalars(
            select(SyncRunRow)
            .where(SyncRunRow.workspace_id == workspace_id, SyncRunRow.status == SyncStatus.RUNNING.value)
            .order_by(SyncRunRow.started_at.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        )
        row = rows.first()
        return None if row is None else _run(row)

    def has_read(self, workspace_id: WorkspaceId, kind: str, *, recent: int = 50) -> bool:
        """Whether one of the `recent` newest finished runs read `kind` in full (it shows in that run's counts)."""
        counts = self.session.scalars(
            select(SyncRunRow.counts)
            .where(SyncRunRow.workspace_id == workspace_id, SyncRunRow.status != SyncStatus.RUNNING.value)
            .order_by(SyncRunRow.started_at.desc())
            .limit(recent)
        )
        return any(kind in found for found in counts)

    def last_watermark(self, workspace_id: WorkspaceId) -> Mapping[str, datetime]:
        """The watermark of the newest succeeded run (empty before the first one: a full sync)."""
        row = self.session.scalar(
            select(SyncRunRow)
            .where(SyncRunRow.workspace_id == workspace_id, SyncRunRow.status == SyncStatus.SUCCEEDED.value)
            .order_by(SyncRunRow.started_at.desc())
            .limit(1)
        )
        return {} if row is None else _run(row).watermark
