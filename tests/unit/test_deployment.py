"""A process put together from its settings: shared company limits with Redis, jobs where the settings say."""

from __future__ import annotations

import pytest

from ledgerbridge.deployment import client_options, job_runner
from ledgerbridge.intacct import RedisSlots
from ledgerbridge.jobs import InProcessRunner
from ledgerbridge.jobs.celery_pool import CeleryRunner
from ledgerbridge.settings import AppSettings


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LEDGERBRIDGE_REDIS_URL", "LEDGERBRIDGE_JOBS", "LEDGERBRIDGE_JOB_QUEUE", "LEDGERBRIDGE_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def test_without_redis_each_process_keeps_its_own_limit_and_runs_its_own_jobs() -> None:
    settings = AppSettings()

    assert client_options(settings) is None
    runner = job_runner(settings)
    try:
        assert isinstance(runner, InProcessRunner) and runner.runs_here
    finally:
        runner.shutdown()


def test_with_redis_every_client_of_the_process_shares_one_set_of_slots() -> None:
    settings = AppSettings(redis_url="redis://127.0.0.1:6379/0")

    first, second = client_options(settings), client_options(settings)

    assert first is not None and second is not None
    assert isinstance(first.shared_slots, RedisSlots)
    assert first.shared_slots is second.shared_slots


def test_jobs_on_celery_go_to_the_settings_queue() -> None:
    runner = job_runner(AppSettings(redis_url="redis://127.0.0.1:6379/0", jobs="celery", job_queue="q1"))
    try:
        assert isinstance(runner, CeleryRunner) and not runner.runs_here
        assert repr(runner) == "CeleryRunner(queue='q1')"
        with pytest.raises(ValueError, match="no description another process can carry out"):
            runner.submit("sync-x", print)
    finally:
        runner.shutdown()
