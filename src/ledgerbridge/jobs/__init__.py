"""Job runner: background work for the web app and the CLI, in-process by default."""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")

logger = logging.getLogger("ledgerbridge.jobs")

__all__ = ["InProcessRunner", "JobRunner"]


class JobRunner(Protocol):
    """Runs named jobs in the background and hands back a future for each."""

    def submit(self, name: str, fn: Callable[..., T], *args: object) -> concurrent.futures.Future[T]: ...


class InProcessRunner:
    """A thread pool in this process; each job runs on a thread named after it, and failures are logged."""

    def __init__(self, max_workers: int = 4, *, thread_name_prefix: str = "ledgerbridge-job") -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=max_workers)
        self._prefix = thread_name_prefix
        self._sequence = itertools.count(1)

    def __repr__(self) -> str:
        return f"InProcessRunner(prefix={self._prefix!r})"

    def submit(self, name: str, fn: Callable[..., T], *args: object) -> concurrent.futures.Future[T]:
        label = f"{self._prefix}-{next(self._sequence)}-{name}"

        def job() -> T:
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

        return self._pool.submit(job)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking jobs; with ``wait``, return once the running ones have finished."""
        self._pool.shutdown(wait=wait)

    def __enter__(self) -> InProcessRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(wait=True)
