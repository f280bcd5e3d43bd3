"""Per-company concurrency limits shared by every client of that company in this process."""

from __future__ import annotations

import asyncio
import threading
import weakref

# Intacct Tier 1 allows 6 concurrent requests per application (8 per company).
DEFAULT_MAX_CONCURRENCY = 6

_lock = threading.Lock()
# Semaphores belong to one event loop; keyed by loop so separate asyncio.run() calls never share one.
_by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


def company_semaphore(company_id: str, limit: int = DEFAULT_MAX_CONCURRENCY) -> asyncio.Semaphore:
    """The semaphore of ``company_id`` on the running loop; the first client to ask sets its size."""
    if limit < 1:
        raise ValueError("a concurrency limit must be at least 1")
    loop = asyncio.get_running_loop()
    with _lock:
        companies = _by_loop.setdefault(loop, {})
        semaphore = companies.get(company_id)
        if semaphore is None:
            semaphore = companies[company_id] = asyncio.Semaphore(limit)
        return semaphore
