"""Per-company concurrency limits shared by every client of that company in this process."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import heapq
import itertools
import threading
import weakref
from collections.abc import AsyncIterator, Iterator

# Intacct Tier 1 allows 6 concurrent requests per application (8 per company).
DEFAULT_MAX_CONCURRENCY = 6

_priority: contextvars.ContextVar[int] = contextvars.ContextVar("intacct_request_priority", default=0)


def current_priority() -> int:
    return _priority.get()


@contextlib.contextmanager
def request_priority(priority: int) -> Iterator[None]:
    """Requests started inside (and in tasks created inside) wait for a slot with this priority."""
    token = _priority.set(priority)
    try:
        yield
    finally:
        _priority.reset(token)


class CompanySlots:
    """A company's request slots. A freed slot goes to the waiting request of the highest priority, in the
    order they asked among equals: a caller can let the requests that other work waits on go first."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a concurrency limit must be at least 1")
        self.limit = limit
        self._free = limit
        self._order = itertools.count()
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot for the block, waiting with the priority of the current context."""
        await self._acquire(_priority.get())
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, priority: int) -> None:
        if self._free and not self._waiting:
            self._free -= 1
            return
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (-priority, next(self._order), granted))
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self._release()  # handed over just as the waiter was cancelled: pass it on
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, granted = heapq.heappop(self._waiting)
            if not granted.done():  # a cancelled waiter's future is done already
                granted.set_result(None)
                return
        self._free += 1


_lock = threading.Lock()
# Slots belong to one event loop; keyed by loop so separate asyncio.run() calls never share them.
_by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, CompanySlots]] = (
    weakref.WeakKeyDictionary()
)


def company_slots(company_id: str, limit: int = DEFAULT_MAX_CONCURRENCY) -> CompanySlots:
    """The slots of ``company_id`` on the running loop; the first client to ask sets how many."""
    if limit < 1:
        raise ValueError("a concurrency limit must be at least 1")
    loop = asyncio.get_running_loop()
    with _lock:
        companies = _by_loop.setdefault(loop, {})
        slots = companies.get(company_id)
        if slots is None:
            slots = companies[company_id] = CompanySlots(limit)
        return slots
