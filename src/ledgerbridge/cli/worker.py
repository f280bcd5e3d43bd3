"""``ledgerbridge worker``: a Celery worker that carries out Sync Now and queued exports."""

from __future__ import annotations

import logging
import os
from typing import Annotated

import typer

from ledgerbridge.cli.common import UsageProblem, guarded, opened_database
from ledgerbridge.deployment import celery_runner
from ledgerbridge.settings import AppSettings


@guarded
def worker(
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Jobs carried out at once (threads).")] = 4,
) -> None:
    """Carry out the jobs the web app hands over: Sync Now and queued exports (needs redis_url).

    Web and worker processes share the database, the secret key and redis_url; with jobs = celery they send jobs
    here.
    """
    settings = AppSettings()
    if not settings.redis_url:
        raise UsageProblem("a worker needs redis_url, the Celery broker",
                           "set LEDGERBRIDGE_REDIS_URL, e.g. redis://127.0.0.1:6379/0 (docs/operations.md)")
    with opened_database():
        pass  # reachable and migrated, or the command stops here with the reason
    try:
        runner = celery_runner(settings)
    except RuntimeError as exc:
        raise UsageProblem(str(exc), "install the scale extra where workers run") from None
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per Intacct request otherwise
    runner.worker_main([
        "worker", "--pool=threads", f"--concurrency={concurrency}", f"--queues={settings.job_queue}",
        "--loglevel=INFO", "--without-gossip", "--without-mingle", "--hostname", f"ledgerbridge-{os.getpid()}@%h",
    ])
