"""Job runner: background work for the web app and the CLI, in-process by default; on a Celery worker pool with
a Redis broker when configured (`ledgerbridge.jobs.celery`, `ledgerbridge worker`)."""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

logger = logging.getLogger("ledgerbridge.jobs")

__all__ = ["InProcessRunner", "Job", "JobQueueUnavailable", "JobRunner"]


class JobQueueUnavailable(Exception):
    """A job could not be handed over: the queue (Redis) did not take it. Nothing of it ran."""


@dataclass(frozen=True)
class Job:
    """The same work described for another process: a kind the workers know (`sync`, `export`) and its
    arguments, ids and names only, as JSON."""

    kind: str
    args: Mapping[str, Any] = field(default_factory=dict)


class JobRunner(Protocol):
    """Runs named jobs in the background and hands back a future for each.

    `fn(*args)` is the work as this process does it; `job` describes it for a runner whose workers are other
    processes (`runs_here` is then false, and the future is done once the job is handed over).
    """

    runs_here: bool

    def submit(self, name: str, fn: Callable[..., T], *args: object,
               job: Job | None = None) -> concurrent.futures.Future[Any]: ...

    def shutdown(self, wait: bool = True) -> None: ...


class InProcessRunner:
    """A thread pool in this process; each job runs on a thread named after it, and failures are logged."""

    runs_here = True

    def __init__(self, max_workers: int = 4, *, thread_name_prefix: str = "ledgerbridge-job") -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=max_workers)
        self._prefix = thread_name_prefix
        self._sequence = itertools.count(1)

    def __repr__(self) -> str:
        return f"InProcessRunner(prefix={self._prefix!r})"

    def submit(self, name: str, fn: Callable[..., T], *args: object,
               job: Job | None = None) -> concurrent.futures.Future[T]:
        label = f"{self._prefix}-{next(self._sequence)}-{name}"

        def work() -> T:
            thread = threading.current_thread()
            pool_name = thread.name
            thread.name = label
            try:
                return fn(*args)
            except BaseException:
                logger.exception("job %s failed", label)
                raise
            finally:
                thread.name = pool_name

        return self._pool.submit(work)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking jobs; with ``wait``, return once the running ones have finished."""
        self._pool.shutdown(wait=wait)

    def __enter__(self) -> InProcessRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(wait=True)
