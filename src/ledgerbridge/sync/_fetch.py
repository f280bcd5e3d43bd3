"""Reading from Intacct: every kind in parallel, whole or only what changed since the last run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
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

    kind: Kind
    rows: list[SnapshotRecord] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    live: set[str] | None = None
    full: bool = True
    watermark: datetime | None = None
    failure: SyncFailure | None = None

    @property
    def read(self) -> int:
        return len(self.rows)


def _failure(error: Result | IntacctError, kind: Kind) -> SyncFailure:
    translated = translate_sync(error, object_name=kind.object_name, dimension=kind.dimension)
    return as_run_failure(translated, kind.name)


async def fetch_kind(
    client: IntacctClient,
    kind: Kind,
    known: Known,
    workspace_id: WorkspaceId,
    synced_at: datetime,
    *,
    showprivate: bool,
) -> Fetched:
    """Read one kind. Incremental: rows modified after the watermark, plus a RECORDNO/WHENMODIFIED key scan
    that finds deletions and any change the watermark missed (same-second writes, clock drift)."""
    outcome = Fetched(kind, full=not known.incremental, watermark=known.watermark)
    try:
        if not known.incremental:
            rows = await client.query_all(kind.object_name, kind.select, showprivate=showprivate)
            keys = None
        else:
            assert known.watermark is not None
            newer = Condition("greaterthan", "WHENMODIFIED", format_timestamp(known.watermark))
            rows, keys = await asyncio.gather(
                client.query_all(kind.object_name, kind.select, filter=newer, showprivate=showprivate),
                client.query_all(kind.object_name, ("RECORDNO", "WHENMODIFIED"), showprivate=showprivate),
            )
            seen = {row.get("RECORDNO") for row in rows}
            missed = [
                number for row in keys
                if (number := row.get("RECORDNO") or "") and number not in seen
                and (number not in known.modified
                     or known.modified[number] != intacct_timestamp(row.get("WHENMODIFIED")))
            ]
            if missed:
                rows = (*rows, *await _by_recordno(client, kind, missed, showprivate=showprivate))
    except IntacctError as exc:
        outcome.failure = _failure(exc, kind)
        return outcome
    outcome.rows = [kind.build(row, workspace_id, synced_at) for row in rows]
    if keys is not None:
        outcome.live = {row.get("RECORDNO") or "" for row in keys} - {""}
        outcome.removed = set(known.modified) - outcome.live
    stamps = [row.modified_at for row in outcome.rows if row.modified_at is not None]
    if stamps:
        outcome.watermark = max([*stamps, *([known.watermark] if known.watermark else [])])
    return outcome


async def _by_recordno(
    client: IntacctClient, kind: Kind, numbers: Sequence[str], *, showprivate: bool
) -> tuple[Record, ...]:
    chunks = [numbers[start : start + MAX_IN] for start in range(0, len(numbers), MAX_IN)]
    pages = await asyncio.gather(*(
        client.query_all(kind.object_name, kind.select, filter=Condition("in", "RECORDNO", *chunk),
                         showprivate=showprivate)
        for chunk in chunks
    ))
    return tuple(row for page in pages for row in page)


@dataclass(slots=True)
class Relationships:
    """GL account -> dimension -> the values it is related to (an account absent here is unrestricted)."""

    by_account: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    requests: int = 0
    failure: SyncFailure | None = None


async def fetch_relationships(
    client: IntacctClient, values: Mapping[str, Sequence[str]], *, on_done: Callable[[], None] | None = None
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
    results = await client.execute_many([function for _, _, function in asked])
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
