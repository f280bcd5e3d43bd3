"""Sync Now: read Intacct first, then write the workspace in short transactions; record the run throughout."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from ledgerbridge.domain import (
    Category,
    CompanyCardAs,
    ConnectionSettings,
    DimensionImport,
    ImportAs,
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctJournal,
    KindCounts,
    SnapshotRecord,
    SyncProgress,
    SyncRun,
    SyncStatus,
    SyncTrigger,
    Tag,
    TagList,
    new_id,
)
from ledgerbridge.domain.ids import DEPARTMENT, LOCATION, WorkspaceId
from ledgerbridge.domain.sync_runs import SyncFailure
from ledgerbridge.export.translate import no_card_journal, no_expense_types, translate_sync
from ledgerbridge.intacct import ClientOptions, IntacctError
from ledgerbridge.jobs import Job, JobRunner
from ledgerbridge.store import Coding, Connections, Database, NotFound, SecretBox, Snapshots, SyncRuns, key_of
from ledgerbridge.sync._connection import as_run_failure, open_client
from ledgerbridge.sync._fetch import Fetched, Known, Pending, Relationships, fetch_kind, fetch_relationships
from ledgerbridge.sync._kinds import RECORD_KINDS, STANDARD_DIMENSIONS, Kind, dimension_kind
from ledgerbridge.sync._mapping import Changes, flag_duplicate_emails, plan_categories, plan_tags
from ledgerbridge.sync._writer import Writer

logger = logging.getLogger("ledgerbridge.sync")

R = TypeVar("R", bound=SnapshotRecord)
Key = tuple[str, ...]

SIGN_IN = "getAPISession"
CATEGORY_SOURCES = ("GLACCOUNT", "CREDITCARD", "EEACCOUNTLABEL")
# Read ahead of the rest: the categories are planned from these kinds, and the accounts' dimension
# relationships are asked of each department and location once they are read.
READ_FIRST = frozenset((*CATEGORY_SOURCES, DEPARTMENT, LOCATION))
FIRST, AFTER = 1, 0


# A running sync records progress as each kind is read; one silent this long lost its process (a restart, a
# worker that died) and no longer holds the workspace: the next Sync Now fails it and starts anew.
SILENT_FOR = timedelta(minutes=30)
_SILENT = SyncFailure("INT999", "the sync stopped without finishing (no progress for 30 minutes: the process "
                                "running it ended); the next Sync Now replaced it")


class SyncAlreadyRunning(Exception):
    """The workspace already has a sync in progress."""

    def __init__(self, workspace_id: WorkspaceId, run_id: str) -> None:
        super().__init__(f"a sync of workspace {workspace_id} is already running (run {run_id})")
        self.workspace_id = workspace_id
        self.run_id = run_id


def _now() -> datetime:
    return datetime.now(UTC)


_claims_lock = threading.Lock()
_claims: set[WorkspaceId] = set()

# While a sync runs: the youngest generation is collected after this many allocations (700 by default), the
# older ones only after this many collections of the youngest.
SYNC_GC_YOUNG = 10_000
SYNC_GC_OLDER_AFTER = 10_000
_gc_lock = threading.Lock()
_gc_syncs = 0
_gc_threshold = gc.get_threshold()


@contextlib.contextmanager
def _young_collections() -> Iterator[None]:
    """While any sync runs, the garbage collector runs less often and mostly leaves the older generations alone.

    A full sync keeps tens of thousands of new records alive, and every collection of an older generation walks
    all of them again: a fifth of a large sync's CPU. Short-lived cycles are still collected, in larger batches.
    """
    global _gc_syncs, _gc_threshold
    with _gc_lock:
        if _gc_syncs == 0:
            _gc_threshold = gc.get_threshold()
            young, _, oldest = _gc_threshold
            gc.set_threshold(max(young, SYNC_GC_YOUNG), SYNC_GC_OLDER_AFTER, oldest)
        _gc_syncs += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_syncs -= 1
            if _gc_syncs == 0:
                gc.set_threshold(*_gc_threshold)


class SyncService:
    """Runs Sync Now for a workspace, in the caller's thread (`run`) or in the job runner (`start`)."""

    def __init__(
        self,
        database: Database,
        box: SecretBox,
        runner: JobRunner | None = None,
        *,
        client_options: ClientOptions | None = None,
    ) -> None:
        self._database = database
        self._box = box
        self._runner = runner
        self._client_options = client_options

    def run(
        self,
        workspace_id: WorkspaceId,
        trigger: SyncTrigger = SyncTrigger.MANUAL,
        progress: Callable[[SyncRun], None] | None = None,
    ) -> SyncRun:
        """Sync now and return the finished run; raises SyncAlreadyRunning if one is in progress."""
        run = self._begin(workspace_id, trigger)
        return self._carry_out(run, progress)

    def start(self, workspace_id: WorkspaceId, trigger: SyncTrigger = SyncTrigger.MANUAL) -> SyncRun:
        """Record a running sync and hand the work to the runner; returns the run at once."""
        if self._runner is None:
            raise RuntimeError("SyncService.start needs a job runner")
        run = self._begin(workspace_id, trigger)
        try:
            self._runner.submit(f"sync-{workspace_id}", self._carry_out, run, None,
                                job=Job("sync", {"workspace_id": workspace_id, "run_id": run.id}))
        except BaseException as exc:
            self._release(workspace_id)
            self._finish(dataclasses.replace(run), SyncStatus.FAILED,
                         (SyncFailure("INT999", f"the sync could not be started: {exc}"),))
            raise
        if not self._runner.runs_here:
            # Another process carries it out; the stored running run keeps a second sync from starting meanwhile.
            self._release(workspace_id)
        return run

    def carry_out(self, workspace_id: WorkspaceId, run_id: str) -> SyncRun:
        """Carry out a run that `start` recorded in another process (a job runner's worker)."""
        with self._database.session() as session:
            run = SyncRuns(session).get(workspace_id, run_id)
        if run.status is not SyncStatus.RUNNING:
            return run  # carried out already (a job handed to a worker again after its first worker died)
        return self._carry_out(run, None)

    # The run's bookkeeping.

    def _begin(self, workspace_id: WorkspaceId, trigger: SyncTrigger) -> SyncRun:
        with _claims_lock:
            # One process claims first; the stored running run covers other processes.
            if workspace_id in _claims:
                with self._database.session() as session:
                    current = SyncRuns(session).running(workspace_id)
                raise SyncAlreadyRunning(workspace_id, current.id if current else "")
            with self._database.session() as session:
                given_up = SyncRuns(session).give_up_silent(workspace_id, _now() - SILENT_FOR, _SILENT, _now())
                if given_up is not None:
                    logger.warning("sync %s of workspace %s showed no progress for %s: given up", given_up.id,
                                   workspace_id, SILENT_FOR)
                current = SyncRuns(session).running(workspace_id)
                if current is not None:
                    raise SyncAlreadyRunning(workspace_id, current.id)
                if Connections(session, self._box).get(workspace_id) is None:
                    raise NotFound("connection of workspace", workspace_id)
                run = SyncRuns(session).start(SyncRun(new_id(), workspace_id, _now(), trigger))
            _claims.add(workspace_id)
        return run

    def _carry_out(self, run: SyncRun, progress: Callable[[SyncRun], None] | None) -> SyncRun:
        try:
            with _young_collections():
                return _Sync(self, run, progress).execute()
        except BaseException as exc:
            logger.exception("sync %s of workspace %s failed", run.id, run.workspace_id)
            failure = SyncFailure("INT999", f"the sync stopped unexpectedly: {exc}")
            return self._finish(run, SyncStatus.FAILED, (failure,))
        finally:
            self._release(run.workspace_id)

    @staticmethod
    def _release(workspace_id: WorkspaceId) -> None:
        with _claims_lock:
            _claims.discard(workspace_id)

    def _finish(self, run: SyncRun, status: SyncStatus, errors: tuple[SyncFailure, ...]) -> SyncRun:
        done = run.finished(status, _now(), errors)
        with self._database.session() as session:
            SyncRuns(session).save(done)
        return done


class _Sync:
    """One run: read Intacct with every kind in parallel; each page of a kind is written as soon as it is read,
    in a writer thread, so the workspace writes overlap the round trips still in flight."""

    def __init__(self, service: SyncService, run: SyncRun, progress: Callable[[SyncRun], None] | None) -> None:
        self.service = service
        self.db = service._database
        self.run = run
        self.report = progress
        self.counts: dict[str, KindCounts] = {}
        self.errors: list[SyncFailure] = []
        self.kinds_done = 0
        self.rows_read = 0
        self._progress_lock = threading.Lock()
        # Per kind: the records stored before the run, and what the store holds once the kind is written.
        self.stored: dict[str, list[SnapshotRecord]] = {}
        self.current: dict[str, list[SnapshotRecord]] = {}
        self.stored_accounts: dict[str, IntacctAccount] = {}
        # Per kind: the rows written as read, once they differ from how they were built (accounts).
        self.written: dict[str, dict[Key, SnapshotRecord]] = {}
        self.category_errors: list[SyncFailure] = []

    # Reading.

    def execute(self) -> SyncRun:
        ws = self.run.workspace_id
        with self.db.session() as session:
            connection = Connections(session, self.service._box).get(ws)
            settings = Connections(session, self.service._box).settings(ws)
            last = SyncRuns(session).last_watermark(ws)
            kinds = self._kinds(settings)
        self.settings = settings
        if connection is None:
            raise NotFound("connection of workspace", ws)
        self.total = len(kinds) + 1  # every kind, and the dimension relationships of GL accounts
        self._save_progress()
        with Writer() as writer:
            try:
                fetched = asyncio.run(self._fetch(connection.credentials, kinds, last, settings, writer))
            except IntacctError as exc:
                failure = as_run_failure(translate_sync(exc, object_name=SIGN_IN), None)
                self.run = self._snapshot_of_run()
                return self.service._finish(self.run, SyncStatus.FAILED, (failure,))
        return self._write(*fetched)

    def _kinds(self, settings: ConnectionSettings) -> list[Kind]:
        kinds = [*RECORD_KINDS, *(dimension_kind(dim) for dim in STANDARD_DIMENSIONS)]
        kinds += [dimension_kind(udd.integration_name, user_defined=True) for udd in settings.user_defined_dimensions]
        return kinds

    def _stored(self, snapshots: Snapshots, kinds: list[Kind]) -> dict[str, list[SnapshotRecord]]:
        """Every kind's stored records, each table read once (dimension values share one)."""
        tables: dict[type[SnapshotRecord], list[SnapshotRecord]] = {}
        stored: dict[str, list[SnapshotRecord]] = {}
        for kind in kinds:
            if kind.record_type not in tables:
                tables[kind.record_type] = list(snapshots.all(self.run.workspace_id, kind.record_type))
            records = tables[kind.record_type]
            if kind.dimension is not None:
                records = [r for r in records if isinstance(r, IntacctDimensionValue) and r.dimension == kind.dimension]
            stored[kind.name] = records
        return stored

    def _load_stored(self, kinds: list[Kind]) -> None:
        with self.db.session() as session:
            self.stored = self._stored(Snapshots(session), kinds)
        accounts = self.stored.get("GLACCOUNT", ())
        self.stored_accounts = {r.account_no: r for r in accounts if isinstance(r, IntacctAccount)}

    def _known(self, kind: Kind, watermark: datetime | None) -> Known:
        return Known({r.record_no: r.modified_at for r in self.stored[kind.name] if r.record_no}, watermark)

    async def _fetch(
        self,
        credentials: object,
        kinds: list[Kind],
        watermarks: Mapping[str, datetime],
        settings: ConnectionSettings,
        writer: Writer,
    ) -> tuple[list[Fetched], Relationships]:
        from ledgerbridge.domain import IntacctCredentials

        assert isinstance(credentials, IntacctCredentials)
        ws, at = self.run.workspace_id, _now()
        tagged = {dim for dim in [*STANDARD_DIMENSIONS, *(u.integration_name for u in settings.user_defined_dimensions)]
                  if settings.import_of(dim) is not DimensionImport.NONE}
        loop = asyncio.get_running_loop()
        writes: list[asyncio.Future[None]] = []

        def write(job: Callable[..., None], *args: Any) -> None:
            writes.append(loop.run_in_executor(writer, job, *args))

        # The store is read while the sign-in and the first queries are on their way.
        loaded = loop.run_in_executor(writer, self._load_stored, kinds)
        async with open_client(credentials, options=self.service._client_options) as client:
            # The first queries leave with the sign-in, each signing in by itself (see start_session).
            signing_in = client.start_session()

            async def known_of(kind: Kind) -> Known:
                await loaded
                return self._known(kind, watermarks.get(kind.name))

            known = {kind.name: Pending(watermarks.get(kind.name), asyncio.ensure_future(known_of(kind)))
                     for kind in kinds}

            async def read(kind: Kind) -> Fetched:
                async def store(rows: list[SnapshotRecord]) -> None:
                    # Accounts are written with the relationships stored before; those that changed are written
                    # again once the relationships are read (few), so no page waits for that request. The kind
                    # is read once its pages are built; its finish is queued after their writes.
                    write(self._store_rows, kind, rows, None)

                outcome = await fetch_kind(client, kind, known[kind.name], ws, at, showprivate=True, on_rows=store,
                                           priority=FIRST if kind.name in READ_FIRST else AFTER)
                write(self._kind_read, outcome.read)
                return outcome

            async def finish(kind: Kind) -> None:
                outcome = await reads[kind.name]
                found = await related if kind.record_type is IntacctAccount else None
                write(self._finish_kind, outcome, found)
                if kind.name in tagged and outcome.failure is None:
                    write(self._update_tags, settings, kind.name)

            # The kinds read first also ask first: the first requests take their slots as they are made.
            reads = {kind.name: asyncio.ensure_future(read(kind))
                     for kind in sorted(kinds, key=lambda kind: kind.name not in READ_FIRST)}

            async def relationships() -> Relationships:
                await loaded
                stored_values = {
                    dim: [v.value_id for v in self.stored[dim] if isinstance(v, IntacctDimensionValue)]
                    for dim in (DEPARTMENT, LOCATION)
                }
                values: dict[str, list[str]] = {}
                for dim in (DEPARTMENT, LOCATION):
                    outcome = await reads[dim]
                    current = set(stored_values.get(dim, ())) - outcome.removed
                    current |= {r.value_id for r in outcome.rows if isinstance(r, IntacctDimensionValue)}
                    values[dim] = sorted(current)
                found = await fetch_relationships(client, values, priority=FIRST)
                write(self._kind_read, 0)
                return found

            related = asyncio.ensure_future(relationships())
            finished = {kind.name: asyncio.ensure_future(finish(kind)) for kind in kinds}

            async def categories() -> None:
                # Planned as soon as their sources are read, ahead of the writes still waiting: they depend
                # neither on the accounts' relationships nor on the rows being stored first.
                sources = {name: await reads[name] for name in CATEGORY_SOURCES}
                writes.append(asyncio.wrap_future(writer.submit_next(self._update_categories, settings, sources)))

            planned = asyncio.ensure_future(categories())
            try:
                await signing_in
            except BaseException:
                # A refused sign-in ends the run (INT122), whatever the queries that left with it answer.
                pending: list[asyncio.Future[Any]] = [*reads.values(), related, *finished.values(), planned,
                                                      *(k.ready for k in known.values())]
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, loaded, return_exceptions=True)
                await asyncio.gather(*writes, return_exceptions=True)
                raise
            fetched = await asyncio.gather(*reads.values())
            found = await related
            await asyncio.gather(planned, *finished.values())
        await asyncio.gather(*writes)
        return list(fetched), found

    def _kind_read(self, rows: int) -> None:
        with self._progress_lock:
            self.kinds_done += 1
            self.rows_read += rows
        self._save_progress()

    def _save_progress(self) -> None:
        with self._progress_lock:
            progress = SyncProgress(self.kinds_done, self.total, self.rows_read)
            counts = dict(self.counts)
        with self.db.session() as session:
            SyncRuns(session).save_progress(self.run.id, progress, counts, _now())
        self.run = dataclasses.replace(self.run, progress=progress, counts=counts)
        if self.report is not None:
            self.report(self.run)

    def _snapshot_of_run(self) -> SyncRun:
        return dataclasses.replace(self.run, counts=dict(self.counts), errors=tuple(self.errors))

    # Writing, in short transactions.

    def _store_rows(self, kind: Kind, rows: list[SnapshotRecord], related: Relationships | None) -> None:
        """Write rows of one kind as read (a page of a full read), accounts with their relationships."""
        if kind.record_type is IntacctAccount:
            rows = [self._related(row, related) for row in rows]
            self.written.setdefault(kind.name, {}).update((key_of(r), r) for r in rows)
        with self.db.session() as session:
            Snapshots(session).upsert(rows)

    def _finish_kind(self, outcome: Fetched, related: Relationships | None) -> None:
        """Once a kind's rows are written: remove what Intacct no longer holds, redo what depends on every row
        (duplicate emails, the relationships of accounts not read again), and keep what the store now holds."""
        kind, stored = outcome.kind, self.stored[outcome.kind.name]
        if outcome.failure is not None:
            self.current[kind.name] = stored
            return
        removed = outcome.removed
        read = self.written.pop(kind.name, None) or {key_of(r): r for r in outcome.rows}
        held = {key_of(r): r for r in stored if r.record_no is None or r.record_no not in removed}
        held.update(read)
        changed: dict[Key, SnapshotRecord] = {}
        if kind.record_type is IntacctAccount and related is not None and related.failure is None:
            # Accounts read were written with their stored relationships: any account may differ.
            for key, account in held.items():
                if (now := self._related(account, related)) is not account:
                    changed[key] = held[key] = now
        if kind.record_type is IntacctEmployee:
            employees = [r for r in held.values() if isinstance(r, IntacctEmployee)]
            for corrected in flag_duplicate_emails(employees):
                changed[key_of(corrected)] = held[key_of(corrected)] = corrected
        # A key read again under a new RECORDNO (deleted, then created anew) is written, not deleted.
        gone = [key_of(r) for r in stored if r.record_no in removed and key_of(r) not in read]
        if gone or changed:
            with self.db.session() as session:
                snapshots = Snapshots(session)
                if gone:
                    snapshots.delete(self.run.workspace_id, kind.record_type, gone)
                snapshots.upsert(changed.values())
        self.current[kind.name] = list(held.values())
        with self._progress_lock:
            # The categories of a kind may be counted already: they are planned as soon as it is read.
            self.counts[kind.name] = self.counts.get(kind.name, KindCounts()) + KindCounts(read=outcome.read)

    def _related(self, record: SnapshotRecord, related: Relationships | None) -> SnapshotRecord:
        """An account with its dimension relationships as just read; without them, as stored before."""
        assert isinstance(record, IntacctAccount)
        if related is not None and related.failure is None:
            now = related.by_account.get(record.account_no, {})
        else:
            before = self.stored_accounts.get(record.account_no)
            if before is None:
                return record
            now = dict(before.related)
        return record if dict(record.related) == now else dataclasses.replace(record, related=now)

    def _current(self, kind_name: str, record_type: type[R]) -> list[R]:
        return [r for r in self.current.get(kind_name, self.stored.get(kind_name, [])) if isinstance(r, record_type)]

    def _as_read(self, outcome: Fetched, record_type: type[R]) -> list[R]:
        """A kind as the store holds it once finished, relationships aside; usable before it is finished."""
        name = outcome.kind.name
        if name in self.current or outcome.failure is not None:
            return self._current(name, record_type)
        removed = outcome.removed
        held = {key_of(r): r for r in self.stored[name] if r.record_no is None or r.record_no not in removed}
        held.update((key_of(r), r) for r in outcome.rows)
        return [r for r in held.values() if isinstance(r, record_type)]

    def _write(self, fetched: list[Fetched], related: Relationships) -> SyncRun:
        """What is left once every kind is written: the run's errors, watermarks and outcome."""
        watermark = dict(self.run.watermark)
        for outcome in fetched:
            if outcome.failure is not None and outcome.kind.optional:
                logger.info("sync %s: %s not readable, kept as last synced: %s", self.run.id, outcome.kind.name,
                            outcome.failure.message)
            elif outcome.failure is not None:
                self.errors.append(outcome.failure)
            elif outcome.watermark is not None:
                watermark[outcome.kind.name] = outcome.watermark
        if related.failure is not None:
            self.errors.append(related.failure)
        self.errors.extend(self.category_errors)
        journal_problem = self._card_journal_problem(fetched)
        if journal_problem is not None:
            self.errors.append(journal_problem)
        self.run = dataclasses.replace(self.run, counts=dict(self.counts), watermark=watermark)
        self._save_progress()
        status = SyncStatus.FAILED if self.errors and len(self.errors) >= len(fetched) else SyncStatus.SUCCEEDED
        return self.service._finish(self.run, status, tuple(self.errors))

    def _card_journal_problem(self, fetched: list[Fetched]) -> SyncFailure | None:
        """INT498 when company card spend exports as journal entries and the workspace chose no journal, or one that
        is not active among the journals just read (not judged when they could not be read)."""
        settings = self.settings
        if settings.company_card_as is not CompanyCardAs.JOURNAL_ENTRY:
            return None
        symbol = settings.card_journal
        if symbol is not None:
            if any(outcome.kind.name == "GLJOURNAL" and outcome.failure is not None for outcome in fetched):
                return None
            journal = next((j for j in self._current("GLJOURNAL", IntacctJournal) if j.symbol == symbol), None)
            if journal is not None and journal.active:
                return None
        return as_run_failure(no_card_journal(symbol), "GLJOURNAL")

    def _update_categories(self, settings: ConnectionSettings, by_name: Mapping[str, Fetched]) -> None:
        ws = self.run.workspace_id
        source = "EEACCOUNTLABEL" if settings.categories_from.value == "expense_types" else "GLACCOUNT"
        if by_name[source].failure is not None or by_name["GLACCOUNT"].failure is not None:
            return  # without a full picture, disabling would be a guess
        accounts = {a.account_no: a for a in self._as_read(by_name["GLACCOUNT"], IntacctAccount)}
        expense_types = {e.name: e for e in self._as_read(by_name["EEACCOUNTLABEL"], IntacctExpenseType)}
        cards = self._as_read(by_name["CREDITCARD"], IntacctCardAccount)
        if source == "EEACCOUNTLABEL" and not expense_types:
            self.category_errors.append(as_run_failure(no_expense_types(), "EEACCOUNTLABEL"))
        with self.db.session() as session:
            coding = Coding(session)
            changes = plan_categories(ws, settings, coding.categories(ws), accounts, expense_types, cards)
            self._apply(coding, changes, source)

    def _update_tags(self, settings: ConnectionSettings, dimension: str) -> None:
        ws = self.run.workspace_id
        values = {v.value_id: v for v in self._current(dimension, IntacctDimensionValue)}
        with self.db.session() as session:
            coding = Coding(session)
            how = settings.import_of(dimension)
            imported_as = ImportAs(how.value)
            lists = {t.dimension: t for t in coding.tag_lists(ws)}
            if dimension not in lists or lists[dimension].imported_as is not imported_as:
                label = lists[dimension].label if dimension in lists else dimension.title()
                coding.save_tag_list(TagList(ws, dimension, label, imported_as))
            changes = plan_tags(ws, dimension, settings, coding.tags(ws, dimension), values)
            self._apply(coding, changes, dimension)

    def _apply(self, coding: Coding, changes: Changes, kind: str) -> None:
        coding.add_categories([item for item in changes.added if isinstance(item, Category)])
        coding.add_tags([item for item in changes.added if isinstance(item, Tag)])
        coding.save_categories([item for item in changes.saved if isinstance(item, Category)])
        coding.save_tags([item for item in changes.saved if isinstance(item, Tag)])
        with self._progress_lock:
            counts = self.counts.get(kind, KindCounts())
            self.counts[kind] = counts + KindCounts(0, len(changes.added), len(changes.saved), changes.disabled)
