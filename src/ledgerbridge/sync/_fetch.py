"""Reading from Intacct: every kind in parallel, whole or only what changed since the last run."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ledgerbridge.domain.ids import DEPARTMENT, LOCATION, WorkspaceId
from ledgerbridge.domain.snapshot import SnapshotRecord
from ledgerbridge.domain.sync_runs import SyncFailure
from ledgerbridge.export.translate import translate_sync
from ledgerbridge.intacct import (
    Condition,
    Function,
    IntacctClient,
    IntacctError,
    Record,
    Result,
    get_dimension_restricted_data,
)
from ledgerbridge.sync._connection import as_run_failure
from ledgerbridge.sync._kinds import Kind, format_timestamp, intacct_timestamp

MAX_IN = 1000
RELATED_DIMENSIONS = (DEPARTMENT, LOCATION)

OnRows = Callable[[list[SnapshotRecord]], Awaitable[None]]
"""Takes rows of one kind as they are built: each page of a full read, or all rows of an incremental one."""


@dataclass(frozen=True, slots=True)
class Known:
    """What the store holds for a kind before the run: RECORDNO -> WHENMODIFIED, and the watermark."""

    modified: Mapping[str, datetime | None]
    watermark: datetime | None

    @property
    def incremental(self) -> bool:
        return self.watermark is not None and bool(self.modified)


@dataclass(slots=True)
class Fetched:
    """One kind as read: changed rows, RECORDNOs gone from Intacct, and the new watermark."""

    # The rows and keys stay out of the repr: asyncio prints a finished task's result in places (a run
    # in the main thread, when it restores the SIGINT handler), and tens of thousands of rows take seconds.
    kind: Kind
    rows: list[SnapshotRecord] = field(default_factory=list, repr=False)
    removed: set[str] = field(default_factory=set, repr=False)
    live: set[str] | None = field(default=None, repr=False)
    full: bool = True
    watermark: datetime | None = None
    failure: SyncFailure | None = None

    @property
    def read(self) -> int:
        return len(self.rows)


def _failure(error: Result | IntacctError, kind: Kind) -> SyncFailure:
    translated = translate_sync(error, object_name=kind.object_name, dimension=kind.dimension)
    return as_run_failure(translated, kind.name)


@dataclass(frozen=True, slots=True)
class Pending:
    """What the store holds for a kind while it is still being read: the watermark now, the rest when ready."""

    watermark: datetime | None
    ready: asyncio.Future[Known]


async def fetch_kind(
    client: IntacctClient,
    kind: Kind,
    known: Known | Pending,
    workspace_id: WorkspaceId,
    synced_at: datetime,
    *,
    showprivate: bool,
    on_rows: OnRows | None = None,
    priority: int = 0,
) -> Fetched:
    """Read one kind. Incremental: rows modified after the watermark, plus a RECORDNO/WHENMODIFIED key scan
    that finds deletions and any change the watermark missed (same-second writes, clock drift).

    Rows are built off the event loop and handed to ``on_rows`` as they are built: a full read page by page,
    so that the caller writes early pages while later ones are still in flight. With ``known`` still
    pending, a kind with a watermark sends its incremental queries at once; should the store turn out to
    hold none of it, they are dropped and the kind is read whole. Its requests wait for a slot with ``priority``.
    """
    if known.watermark is None or (isinstance(known, Known) and not known.incremental):
        return await _fetch_whole(client, kind, known, workspace_id, synced_at, showprivate, on_rows, priority)
    watermark = known.watermark
    newer = Condition("greaterthan", "WHENMODIFIED", format_timestamp(watermark))
    queries = asyncio.gather(
        client.query_all(kind.object_name, kind.select, filter=newer, showprivate=showprivate, priority=priority),
        client.query_all(kind.object_name, ("RECORDNO", "WHENMODIFIED"), showprivate=showprivate,
                         priority=priority),
    )
    try:
        ready = known if isinstance(known, Known) else await known.ready
    except BaseException:
        queries.cancel()
        await asyncio.gather(queries, return_exceptions=True)
        raise
    if not ready.incremental:
        queries.cancel()
        await asyncio.gather(queries, return_exceptions=True)
        return await _fetch_whole(client, kind, ready, workspace_id, synced_at, showprivate, on_rows, priority)
    known = ready
    outcome = Fetched(kind, full=False, watermark=watermark)
    try:
        rows, keys = await queries
        seen = {row.get("RECORDNO") for row in rows}
        missed = [
            number for row in keys
            if (number := row.get("RECORDNO") or "") and number not in seen
            and (number not in known.modified
                 or known.modified[number] != intacct_timestamp(row.get("WHENMODIFIED")))
        ]
        if missed:
            rows = (*rows, *await _by_recordno(client, kind, missed, showprivate=showprivate, priority=priority))
    except IntacctError as exc:
        outcome.failure = _failure(exc, kind)
        return outcome
    outcome.rows = await asyncio.to_thread(_build, kind, rows, workspace_id, synced_at)
    outcome.live = {row.get("RECORDNO") or "" for row in keys} - {""}
    outcome.removed = set(known.modified) - outcome.live
    if on_rows is not None and outcome.rows:
        await on_rows(outcome.rows)
    _advance_watermark(outcome)
    return outcome


async def _fetch_whole(
    client: IntacctClient,
    kind: Kind,
    known: Known | Pending,
    workspace_id: WorkspaceId,
    synced_at: datetime,
    showprivate: bool,
    on_rows: OnRows | None,
    priority: int,
) -> Fetched:
    outcome = Fetched(kind, full=True, watermark=known.watermark)
    await _fetch_full(client, kind, outcome, workspace_id, synced_at, showprivate, on_rows, priority)
    ready = known if isinstance(known, Known) else await known.ready
    if outcome.failure is None:
        # A whole read is all Intacct holds: what was stored and not read again is gone.
        outcome.removed = set(ready.modified) - {row.record_no for row in outcome.rows if row.record_no}
    return outcome


async def _fetch_full(
    client: IntacctClient,
    kind: Kind,
    outcome: Fetched,
    workspace_id: WorkspaceId,
    synced_at: datetime,
    showprivate: bool,
    on_rows: OnRows | None,
    priority: int,
) -> None:
    taken: list[asyncio.Future[None]] = []
    failed = False

    async def take(records: tuple[Record, ...]) -> None:
        rows = await asyncio.to_thread(_build, kind, records, workspace_id, synced_at)
        outcome.rows.extend(rows)
        if on_rows is not None:
            await on_rows(rows)

    def on_page(records: tuple[Record, ...]) -> None:
        # Pages still in flight when another one failed are dropped: the kind is not written as read.
        if not failed and records:
            taken.append(asyncio.ensure_future(take(records)))

    try:
        await client.query_all(kind.object_name, kind.select, showprivate=showprivate, on_page=on_page,
                               priority=priority, together=kind.few)
    except IntacctError as exc:
        failed = True
        await asyncio.gather(*taken, return_exceptions=True)
        outcome.failure = _failure(exc, kind)
        return
    await asyncio.gather(*taken)
    _advance_watermark(outcome)


def _build(kind: Kind, records: Sequence[Record], workspace_id: WorkspaceId, synced_at: datetime
           ) -> list[SnapshotRecord]:
    build = kind.build
    return [build(record, workspace_id, synced_at) for record in records]


def _advance_watermark(outcome: Fetched) -> None:
    stamps = [row.modified_at for row in outcome.rows if row.modified_at is not None]
    if stamps:
        outcome.watermark = max([*stamps, *([outcome.watermark] if outcome.watermark else [])])


async def _by_recordno(
    client: IntacctClient, kind: Kind, numbers: Sequence[str], *, showprivate: bool, priority: int
) -> tuple[Record, ...]:
    chunks = [numbers[start : start + MAX_IN] for start in range(0, len(numbers), MAX_IN)]
    pages = await asyncio.gather(*(
        client.query_all(kind.object_name, kind.select, filter=Condition("in", "RECORDNO", *chunk),
                         showprivate=showprivate, priority=priority)
        for chunk in chunks
    ))
    return tuple(row for page in pages for row in page)


@dataclass(slots=True)
class Relationships:
    """GL account -> dimension -> the values it is related to (an account absent here is unrestricted)."""

    by_account: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict, repr=False)
    requests: int = 0
    failure: SyncFailure | None = None


async def fetch_relationships(
    client: IntacctClient,
    values: Mapping[str, Sequence[str]],
    *,
    on_done: Callable[[], None] | None = None,
    priority: int = 0,
) -> Relationships:
    """Ask each department and location (few) which accounts it is related to, 100 functions a request,
    instead of asking each account (many)."""
    asked: list[tuple[str, str, Function]] = [
        (dimension, value, get_dimension_restricted_data(dimension, value))
        for dimension in RELATED_DIMENSIONS
        for value in values.get(dimension, ())
    ]
    outcome = Relationships()
    if not asked:
        return outcome
    results = await client.execute_many([function for _, _, function in asked], priority=priority)
    related: dict[str, dict[str, set[str]]] = {}
    for (dimension, value, _), result in zip(asked, results, strict=True):
        if isinstance(result, IntacctError) or not result.ok:
            # One refused value (say, deleted meanwhile) should not hide every other relationship.
            if outcome.failure is None:
                failure = translate_sync(result, object_name="GLACCOUNT")
                outcome.failure = as_run_failure(failure, "GLACCOUNT")
            continue
        for block in result.data.records if result.data else ():
            if (block.get("dimension") or "").upper() != "GLACCOUNT":
                continue
            for account in block.values("value"):
                related.setdefault(account, {}).setdefault(dimension, set()).add(value)
    outcome.by_account = {
        account: {dimension: frozenset(found) for dimension, found in dims.items()}
        for account, dims in related.items()
    }
    if on_done is not None:
        on_done()
    return outcome
