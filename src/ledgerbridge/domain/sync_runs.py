"""One Sync Now run: what it read and changed, how far it got, and what went wrong."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ledgerbridge.domain.ids import SyncRunId, WorkspaceId


class SyncStatus(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class SyncTrigger(enum.StrEnum):
    MANUAL = "manual"
    AUTO = "auto"


@dataclass(frozen=True, slots=True)
class KindCounts:
    """Rows of one kind read from Intacct, and what the workspace made of them."""

    read: int = 0
    created: int = 0
    updated: int = 0
    disabled: int = 0

    def __add__(self, other: KindCounts) -> KindCounts:
        return KindCounts(
            self.read + other.read,
            self.created + other.created,
            self.updated + other.updated,
            self.disabled + other.disabled,
        )


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """How far a run is: kinds finished out of all kinds, and rows read so far."""

    kinds_done: int = 0
    kinds_total: int = 0
    rows_read: int = 0


@dataclass(frozen=True, slots=True)
class SyncFailure:
    """A sync error as the user sees it (an INT code and message) and as Intacct reported it."""

    int_code: str
    message: str
    intacct_error: str = ""
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class SyncRun:
    """A record of one sync; `watermark` is the highest WHENMODIFIED seen per kind."""

    id: SyncRunId
    workspace_id: WorkspaceId
    started_at: datetime
    trigger: SyncTrigger = SyncTrigger.MANUAL
    status: SyncStatus = SyncStatus.RUNNING
    finished_at: datetime | None = None
    counts: Mapping[str, KindCounts] = field(default_factory=dict)
    progress: SyncProgress = SyncProgress()
    errors: tuple[SyncFailure, ...] = ()
    watermark: Mapping[str, datetime] = field(default_factory=dict)

    def finished(self, status: SyncStatus, at: datetime, errors: tuple[SyncFailure, ...] = ()) -> SyncRun:
        """The run ended with `status` at `at`, adding `errors` to those already recorded."""
        if status is SyncStatus.RUNNING:
            raise ValueError("a run finishes as succeeded or failed")
        return dataclasses.replace(self, status=status, finished_at=at, errors=self.errors + errors)
