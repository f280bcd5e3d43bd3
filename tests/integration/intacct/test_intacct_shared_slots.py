"""A company's limit held in Redis: processes that each allow the limit in full stay within it together,
a slot left by a process that died comes back when its lease ends, and without Redis the process's own limit
still applies."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.integration.intacct.test_intacct_gateway_limits import _shared_fixtures

from ledgerbridge.domain import new_id
from ledgerbridge.intacct import RedisSlots

REDIS_URL = os.environ.get("LEDGERBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REPO = Path(__file__).resolve().parents[3]
CAP = 2
PROCESSES = 3
READS = 12


@pytest.fixture
def capped_sandbox(tmp_path: Path) -> Iterator[Any]:
    """A sandbox of its own per test (its peak concurrency is never reset)."""
    shared = _shared_fixtures()
    process, running = shared.start_sandbox(tmp_path, "--max-concurrency", str(CAP), "--latency-ms", "120")
    yield running
    shared.stop_sandbox(process)


def stats(sandbox: Any) -> dict[str, int]:
    zero = {"requests": 0, "rate_limited": 0, "peak_concurrency": 0}
    company: dict[str, int] = httpx.get(f"{sandbox.base_url}/stats").json()["companies"].get("DEMO", zero)
    return company


def read_in_processes(sandbox: Any, redis_url: str) -> list[int]:
    """PROCESSES processes, each with CAP requests in flight for the company, started at the same moment."""
    start_at = time.time() + 3.0
    prefix = f"ledgerbridge-test:{new_id()}:"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    processes = [
        subprocess.Popen([sys.executable, "-m", "tests.integration.intacct.shared_slots_reader", sandbox.gateway_url,
                          redis_url, prefix, str(start_at), str(READS), str(CAP)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
        for _ in range(PROCESSES)
    ]
    succeeded = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        succeeded.append(int(out.strip().splitlines()[-1]))
    return succeeded


def test_processes_sharing_the_limit_in_redis_are_never_refused(capped_sandbox: Any) -> None:
    succeeded = read_in_processes(capped_sandbox, REDIS_URL)

    after = stats(capped_sandbox)
    assert succeeded == [READS] * PROCESSES
    assert after["rate_limited"] == 0
    assert after["peak_concurrency"] == CAP


def test_without_shared_slots_the_same_processes_are_refused(capped_sandbox: Any) -> None:
    # The control: each process allows the limit by itself, so together they go over it (and retry).
    succeeded = read_in_processes(capped_sandbox, "")

    assert succeeded == [READS] * PROCESSES
    assert stats(capped_sandbox)["rate_limited"] > 0


def test_a_slot_left_by_a_dead_process_comes_back_when_its_lease_ends() -> None:
    slots = RedisSlots(REDIS_URL, prefix=f"ledgerbridge-test:{new_id()}:", lease_seconds=0.3, poll_seconds=0.01)
    try:
        # A process took the only slot and died without giving it back.
        dead: Any = slots._take(keys=[slots.key("C")], args=["dead", 1, 300])
        assert dead == 1 and slots.holders("C") == 1

        async def next_request() -> float:
            started = time.monotonic()
            async with slots.slot("C", 1):
                assert slots.holders("C") == 1
            return time.monotonic() - started

        waited = asyncio.run(next_request())

        assert 0.15 <= waited < 5
        assert slots.holders("C") == 0
    finally:
        slots.close()


def test_requests_go_on_under_the_process_limit_when_redis_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="ledgerbridge.intacct")

    def requests(slots: RedisSlots, count: int) -> None:
        async def run() -> None:
            for _ in range(count):
                async with slots.slot("C", 1):
                    pass

        try:
            asyncio.run(run())
        finally:
            slots.close()

    requests(RedisSlots("redis://127.0.0.1:9/0", prefix="ledgerbridge-test:"), 2)
    assert len([m for m in caplog.messages if "shared company limits unavailable" in m]) == 1

    # Once refused, Redis is not asked again before `retry_seconds`: each ask could wait for a connect timeout.
    for retry_seconds, asked in ((30.0, 1), (0.0, 3)):
        slots = RedisSlots(REDIS_URL, prefix="ledgerbridge-test:", retry_seconds=retry_seconds)
        calls = Counter[str]()
        slots._take = functools.partial(_refused, calls)
        requests(slots, 3)
        assert calls["asked"] == asked


def _refused(calls: Counter[str], **_: object) -> int:
    calls["asked"] += 1
    raise ConnectionError("refused")


def test_a_request_cancelled_while_taking_a_slot_gives_it_back() -> None:
    slots = RedisSlots(REDIS_URL, prefix=f"ledgerbridge-test:{new_id()}:")

    async def cancelled_requests() -> None:
        for _ in range(20):
            async def request() -> None:
                async with slots.slot("C", 5):
                    await asyncio.sleep(10)

            task = asyncio.create_task(request())
            await asyncio.sleep(0)  # asking Redis now, in a thread
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.sleep(0.3)

    try:
        asyncio.run(cancelled_requests())
        assert slots.holders("C") == 0
    finally:
        slots.close()
