"""How one process of a deployment is put together from its settings: the Intacct client's shared company
limits, the job runner, and what a worker does with a job."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ledgerbridge.intacct import ClientOptions, RedisSlots
from ledgerbridge.jobs import InProcessRunner, Job, JobRunner
from ledgerbridge.settings import AppSettings
from ledgerbridge.store import Database, SecretBox

if TYPE_CHECKING:
    from ledgerbridge.jobs.celery_pool import CeleryRunner


@functools.cache
def _slots(redis_url: str) -> RedisSlots:
    return RedisSlots(redis_url)  # one connection pool per process, whatever the clients


def client_options(settings: AppSettings) -> ClientOptions | None:
    """Client options for `settings`: company limits held in Redis when `redis_url` is set; else the defaults."""
    if not settings.redis_url:
        return None
    return ClientOptions(shared_slots=_slots(settings.redis_url))


def job_runner(settings: AppSettings) -> JobRunner:
    """Threads of this process, or the Celery workers when `jobs = celery`."""
    if settings.jobs == "celery":
        return celery_runner(settings)
    return InProcessRunner()


def celery_runner(settings: AppSettings) -> CeleryRunner:
    """The Celery job runner of `settings` (the `scale` extra installs Celery)."""
    try:
        from ledgerbridge.jobs.celery_pool import CeleryRunner
    except ImportError as exc:
        raise RuntimeError("jobs = celery needs Celery: pip install 'ledgerbridge[scale]'") from exc
    return CeleryRunner(settings)


@functools.cache
def _worker_services() -> tuple[Database, SecretBox, ClientOptions | None]:
    settings = AppSettings()
    return Database.from_settings(settings), SecretBox.from_settings(settings), client_options(settings)


def carry_out(job: Job) -> None:
    """A worker's part: the job done with the services of this process's settings."""
    from ledgerbridge.export.deliver import ExportService
    from ledgerbridge.sync import SyncService

    database, box, options = _worker_services()
    args = job.args
    if job.kind == "sync":
        SyncService(database, box, client_options=options).carry_out(args["workspace_id"], args["run_id"])
    elif job.kind == "export":
        ExportService(database, box, client_options=options).run_queued(
            args["workspace_id"], list(args["report_ids"]), args["actor"])
    else:
        raise ValueError(f"unknown job kind {job.kind!r}")
