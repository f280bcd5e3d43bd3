"""The sync's writer thread: one job at a time, in order, with jobs sent ahead of those waiting."""

from __future__ import annotations

import threading

import pytest

from ledgerbridge.sync._writer import Writer


def test_jobs_run_one_at_a_time_in_order_and_submit_next_goes_before_those_waiting() -> None:
    ran: list[str] = []
    release = threading.Event()
    with Writer() as writer:
        blocker = writer.submit(release.wait)  # keeps the thread busy while the others queue up
        later = [writer.submit(ran.append, name) for name in ("a", "b", "c")]
        urgent = writer.submit_next(ran.append, "categories")
        release.set()
        for done in (blocker, *later, urgent):
            done.result(timeout=5)
    assert ran == ["categories", "a", "b", "c"]


def test_a_failing_job_fails_its_own_future_only() -> None:
    with Writer() as writer:
        failed = writer.submit(lambda: 1 / 0)
        fine = writer.submit(lambda: "written")
        with pytest.raises(ZeroDivisionError):
            failed.result(timeout=5)
        assert fine.result(timeout=5) == "written"


def test_after_shutdown_nothing_more_is_taken() -> None:
    writer = Writer()
    writer.shutdown()
    with pytest.raises(RuntimeError):
        writer.submit(print)


def test_shutdown_can_cancel_the_jobs_still_waiting() -> None:
    started, release = threading.Event(), threading.Event()

    def hold() -> bool:
        started.set()
        return release.wait()

    writer = Writer()
    busy = writer.submit(hold)
    waiting = writer.submit(print, "never")
    assert started.wait(timeout=5)
    writer.shutdown(wait=False, cancel_futures=True)
    release.set()
    assert busy.result(timeout=5) is True
    assert waiting.cancelled()
