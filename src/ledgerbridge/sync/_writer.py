"""The sync's single writer thread: workspace writes run one at a time, in order, except those sent ahead."""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

T = TypeVar("T")


class Writer(Executor):
    """Runs jobs one at a time in one thread, in the order submitted; ``submit_next`` jumps the queue.

    SQLite takes one writer at a time, so the sync writes from one thread. A job that does not depend on the
    writes still waiting (the category plan needs the accounts read, not stored) goes next, so its own work
    in SQLite overlaps the rows still being read instead of waiting behind them.
    """

    def __init__(self, name: str = "sync-writer") -> None:
        self._jobs: collections.deque[tuple[Future[Any], Callable[[], Any]]] = collections.deque()
        self._ready = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return self._add(lambda: fn(*args, **kwargs), first=False)

    def submit_next(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        """Run ``fn`` before every job still waiting (after the one running)."""
        return self._add(lambda: fn(*args), first=True)

    def _add(self, call: Callable[[], T], *, first: bool) -> Future[T]:
        done: Future[T] = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the writer is shut down")
            if first:
                self._jobs.appendleft((done, call))
            else:
                self._jobs.append((done, call))
            self._ready.notify()
        return done

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._jobs and not self._closed:
                    self._ready.wait()
                if not self._jobs:
                    return
                done, call = self._jobs.popleft()
            if not done.set_running_or_notify_cancel():
                continue
            try:
                result = call()
            except BaseException as exc:
                done.set_exception(exc)
            else:
                done.set_result(result)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._ready:
            self._closed = True
            if cancel_futures:
                while self._jobs:
                    self._jobs.popleft()[0].cancel()
            self._ready.notify()
        if wait:
            self._thread.join()
