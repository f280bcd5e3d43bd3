"""Jobs on a Celery worker pool with a Redis broker: the runner that hands jobs over, and the one task the
workers (`ledgerbridge worker`) run them with."""

from __future__ import annotations

import concurrent.futures
import logging
from typing import Any

from celery import Celery

from ledgerbridge.jobs import Job, JobQueueUnavailable
from ledgerbridge.settings import AppSettings

logger = logging.getLogger("ledgerbridge.jobs")

TASK = "ledgerbridge.job"


def celery_app(settings: AppSettings) -> Celery:
    """The Celery application of `settings`: Redis broker, JSON messages, one queue (`job_queue`)."""
    if not settings.redis_url:
        raise ValueError("the Celery job runner needs redis_url (LEDGERBRIDGE_REDIS_URL)")
    app = Celery("ledgerbridge", broker=settings.redis_url, set_as_current=False)
    app.conf.update(
        task_default_queue=settings.job_queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,  # outcomes are in the database: runs, report states, history
        # A job is acknowledged once done, so a job whose worker died goes to another worker. Both kinds may
        # run again safely: a sync run already finished is left as it is, and exports are exactly once.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # A job that cannot be handed over fails its request within a few seconds instead of holding it.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1},
        broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 5},
        worker_hijack_root_logger=False,
    )
    app.task(name=TASK)(run_job)
    return app


def run_job(kind: str, args: dict[str, Any]) -> None:
    """The task: carry out a job with the services of this worker's settings."""
    from ledgerbridge.deployment import carry_out

    logger.info("job %s %s", kind, {key: value for key, value in args.items() if key != "report_ids"})
    carry_out(Job(kind, args))


class CeleryRunner:
    """Hands jobs to the Celery workers over Redis; the future is done once the broker has the job."""

    runs_here = False

    def __init__(self, settings: AppSettings) -> None:
        self._app = celery_app(settings)
        self._queue = settings.job_queue

    def __repr__(self) -> str:
        return f"CeleryRunner(queue={self._queue!r})"

    def submit(self, name: str, fn: Any, *args: object, job: Job | None = None) -> concurrent.futures.Future[Any]:
        if job is None:
            raise ValueError(f"job {name} has no description another process can carry out")
        try:
            sent = self._app.send_task(TASK, args=[job.kind, dict(job.args)], queue=self._queue)
        except Exception as exc:  # kombu's connection errors and the socket's alike
            raise JobQueueUnavailable(f"the job queue did not take {name} ({type(exc).__name__}); nothing was "
                                      f"started, try again once Redis answers") from exc
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()
        done.set_result(sent.id)
        return done

    def shutdown(self, wait: bool = True) -> None:
        self._app.close()

    def worker_main(self, argv: list[str]) -> None:
        """Run a worker of this application in this process (`ledgerbridge worker`)."""
        self._app.worker_main(argv)
