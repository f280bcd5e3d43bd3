"""A company's request slots held in Redis, so that every process of a deployment (web app, workers, CLI)
shares the company's concurrency limit instead of each process allowing it in full."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import random
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any, Protocol

logger = logging.getLogger("ledgerbridge.intacct")

# A slot is a member of the company's sorted set, scored with the Redis time (ms) its lease ends. Expired
# leases (a process that died holding them) are dropped before counting; Redis's own clock is used, so the
# machines' clocks need not agree.
_TAKE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return 1
end
return 0
"""


class SharedSlots(Protocol):
    """Request slots shared beyond this process: one held per request, around the HTTP exchange."""

    def slot(self, company: str, limit: int) -> contextlib.AbstractAsyncContextManager[None]: ...


class RedisSlots:
    """`SharedSlots` in Redis (`redis://host:port/db`).

    A waiting request asks again every `poll_seconds` (with jitter). A slot is leased for `lease_seconds`:
    a process that dies holding slots gives them back when the lease ends, and a request longer than the
    lease no longer counts against the limit. When Redis cannot be reached, requests go on under this
    process's own limit (logged once per outage) and Redis is asked again after `retry_seconds`: Intacct still
    enforces its limit, and the client retries what it refuses.
    """

    def __init__(self, url: str, *, lease_seconds: float = 330.0, poll_seconds: float = 0.025,
                 retry_seconds: float = 30.0, prefix: str = "ledgerbridge:intacct:slots:") -> None:
        try:
            import redis
        except ImportError as exc:
            raise RuntimeError("company limits in Redis need the Redis client: pip install 'ledgerbridge[scale]'") \
                from exc
        if lease_seconds <= 0 or poll_seconds <= 0:
            raise ValueError("lease_seconds and poll_seconds must be positive")
        self._redis: Any = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self._take = self._redis.register_script(_TAKE)
        self._lease_ms = int(lease_seconds * 1000)
        self._poll = poll_seconds
        self._prefix = prefix
        # Redis calls are short and blocking: a few threads of their own keep them off the event loop and out
        # of the default executor, which parses responses.
        self._calls = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="intacct-slots")
        self._retry = retry_seconds
        self._unreachable_until: float | None = None  # monotonic time; None while Redis answers

    def __repr__(self) -> str:
        return f"RedisSlots(prefix={self._prefix!r})"

    def key(self, company: str) -> str:
        return self._prefix + company

    @contextlib.asynccontextmanager
    async def slot(self, company: str, limit: int) -> AsyncIterator[None]:
        key, token = self.key(company), secrets.token_hex(8)
        held = await self._acquire(key, token, limit)
        try:
            yield
        finally:
            if held:
                await self._release(key, token)

    def holders(self, company: str) -> int:
        """How many slots of `company` are held now (leases not yet ended)."""
        return int(self._redis.zcard(self.key(company)))

    def close(self) -> None:
        self._calls.shutdown(wait=False)
        self._redis.close()

    async def _acquire(self, key: str, token: str, limit: int) -> bool:
        loop = asyncio.get_running_loop()
        if self._unreachable_until is not None and time.monotonic() < self._unreachable_until:
            return False  # not asked again before `retry_seconds`: each ask could wait for the connect timeout
        while True:
            asked = loop.run_in_executor(self._calls, lambda: self._take(keys=[key], args=[token, limit,
                                                                                            self._lease_ms]))
            try:
                taken = await asyncio.shield(asked)
            except asyncio.CancelledError:
                # The call goes on in its thread: a slot it takes for a request no longer waiting is given back.
                asked.add_done_callback(lambda done: self._give_back_unused(done, key, token))
                raise
            except Exception as exc:  # redis.RedisError and socket errors alike
                if self._unreachable_until is None:
                    logger.warning("shared company limits unavailable (%s); this process's own limit applies",
                                   type(exc).__name__)
                self._unreachable_until = time.monotonic() + self._retry
                return False
            self._unreachable_until = None
            if taken:
                return True
            await asyncio.sleep(self._poll * random.uniform(0.5, 1.5))

    def _give_back_unused(self, done: asyncio.Future[Any], key: str, token: str) -> None:
        if not done.cancelled() and done.exception() is None and done.result():
            self._calls.submit(self._redis.zrem, key, token)

    async def _release(self, key: str, token: str) -> None:
        try:
            await self._call(self._redis.zrem, key, token)
        except Exception as exc:  # the lease ends by itself; the request's own outcome matters more
            logger.warning("could not give back a shared company slot (%s); its lease ends it", type(exc).__name__)

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._calls, lambda: fn(*args, **kwargs))
