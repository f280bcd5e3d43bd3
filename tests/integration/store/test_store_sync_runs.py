"""Sync runs: progress while running, outcome and errors after, the watermark for the next run."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from ledgerbridge.domain import KindCounts, SyncFailure, SyncProgress, SyncRun, SyncStatus, SyncTrigger, new_id
from ledgerbridge.store import Database, NotFound, SyncRuns
from tests.db import new_workspace, now


def test_a_run_reports_progress_then_its_outcome(database: Database) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        run = SyncRuns(session).start(SyncRun(new_id(), workspace.id, now(), SyncTrigger.AUTO))
    with database.session() as session:
        SyncRuns(session).save_progress(
            run.id, SyncProgress(kinds_done=2, kinds_total=11, rows_read=4000), {"GLACCOUNT": KindCounts(read=4000)},
            now(),
        )
    with database.session() as session:
        running = SyncRuns(session).running(workspace.id)
        assert running is not None and running.progress.rows_read == 4000
        assert running.counts == {"GLACCOUNT": KindCounts(read=4000)}
    failure = SyncFailure("INT402", "User-defined dimension REGION cannot be read", "BL34000061 ...", "REGION")
    with database.session() as session:
        ended = dataclasses.replace(running, counts={"GLACCOUNT": KindCounts(4000, 3, 10, 1)})
        SyncRuns(session).save(ended.finished(SyncStatus.FAILED, now(), (failure,)))
    with database.session() as session:
        runs = SyncRuns(session)
        stored = runs.get(workspace.id, run.id)
        assert stored.status is SyncStatus.FAILED and stored.errors == (failure,)
        assert stored.counts["GLACCOUNT"] == KindCounts(4000, 3, 10, 1)
        assert runs.running(workspace.id) is None
        assert runs.last_watermark(workspace.id) == {}


def test_a_running_run_silent_since_a_moment_is_given_up_and_one_showing_progress_is_not(
        db_session: Session) -> None:
    workspace = new_workspace(db_session)
    runs = SyncRuns(db_session)
    started = now() - timedelta(hours=2)
    run = runs.start(SyncRun(new_id(), workspace.id, started))
    silent = SyncFailure("INT999", "stopped without finishing")

    runs.save_progress(run.id, SyncProgress(1, 11, 10), {}, started + timedelta(minutes=50))
    assert runs.give_up_silent(workspace.id, started + timedelta(minutes=40), silent, now()) is None
    assert runs.running(workspace.id) is not None

    given_up = runs.give_up_silent(workspace.id, started + timedelta(minutes=60), silent, now())

    assert given_up is not None and given_up.id == run.id
    stored = runs.get(workspace.id, run.id)
    assert stored.status is SyncStatus.FAILED and stored.errors == (silent,) and stored.finished_at is not None
    assert runs.running(workspace.id) is None
    assert runs.give_up_silent(workspace.id, now(), silent, now()) is None


def test_the_watermark_comes_from_the_newest_successful_run(db_session: Session) -> None:
    workspace = new_workspace(db_session)
    runs = SyncRuns(db_session)
    start = now()
    first_mark = {"GLACCOUNT": start - timedelta(days=2), "VENDOR": start - timedelta(days=3)}
    for offset, status, mark in [
        (0, SyncStatus.SUCCEEDED, first_mark),
        (1, SyncStatus.FAILED, {"GLACCOUNT": start}),
    ]:
        run = SyncRun(new_id(), workspace.id, start + timedelta(minutes=offset), watermark=mark)
        runs.start(run)
        runs.save(run.finished(status, start + timedelta(minutes=offset, seconds=30)))
    assert runs.last_watermark(workspace.id) == first_mark
    assert [r.status for r in runs.history(workspace.id)] == [SyncStatus.FAILED, SyncStatus.SUCCEEDED]


def test_a_kind_counts_as_read_once_a_finished_run_read_it(database: Database) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        runs = SyncRuns(session)
        assert not runs.has_read(workspace.id, "GLJOURNAL")
        before = SyncRun(new_id(), workspace.id, now() - timedelta(minutes=5), counts={"GLACCOUNT": KindCounts(9)})
        runs.start(before)
        runs.save(before.finished(SyncStatus.SUCCEEDED, now()))
        running = runs.start(SyncRun(new_id(), workspace.id, now(), counts={"GLJOURNAL": KindCounts(3)}))
        assert not runs.has_read(workspace.id, "GLJOURNAL")  # still running: not read in full yet
        runs.save(running.finished(SyncStatus.SUCCEEDED, now()))
    with database.session() as session:
        assert SyncRuns(session).has_read(workspace.id, "GLJOURNAL")
        assert not SyncRuns(session).has_read(new_workspace(session).id, "GLJOURNAL")


def test_another_workspaces_run_is_not_found(db_session: Session) -> None:
    mine, theirs = new_workspace(db_session), new_workspace(db_session)
    run = SyncRuns(db_session).start(SyncRun(new_id(), theirs.id, now()))
    with pytest.raises(NotFound):
        SyncRuns(db_session).get(mine.id, run.id)
