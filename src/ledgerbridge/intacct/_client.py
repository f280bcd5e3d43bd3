"""The gateway client: sessions, one HTTP exchange at a time, retries, batching and the company limit."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import math
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

from ledgerbridge import __version__
from ledgerbridge.intacct._classify import Disposition, Exchange, classify, exception_for
from ledgerbridge.intacct._exceptions import (
    FunctionFailedError,
    IntacctError,
    InvalidRequestError,
    ProtocolError,
    ReauthenticationError,
    RetriableError,
)
from ledgerbridge.intacct._functions import (
    QUERY_MAX_PAGESIZE,
    READ_BY_QUERY_MAX_PAGESIZE,
    Filter,
    Function,
    Order,
    get_api_session,
)
from ledgerbridge.intacct._limits import DEFAULT_MAX_CONCURRENCY, company_slots, request_priority
from ledgerbridge.intacct._paging import query_all, read_all_by_query
from ledgerbridge.intacct._parser import DEFAULT_MAX_RESPONSE_BYTES, parse_response
from ledgerbridge.intacct._request import Login, Sender, Session, build_request, redacted_body
from ledgerbridge.intacct._results import Record, Response, Result
from ledgerbridge.intacct._retry import RetryPolicy
from ledgerbridge.intacct._secrets import Secret, logger
from ledgerbridge.intacct._shared_slots import SharedSlots
from ledgerbridge.intacct._together import Together

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"
# Intacct keeps working on a request for up to 15 minutes; Sage's SDKs give up on the socket after 300 s.
DEFAULT_TIMEOUT = httpx.Timeout(300.0, connect=15.0)
DEFAULT_FUNCTIONS_PER_REQUEST = 100
PARSE_INLINE_BYTES = 64 * 1024
"""Responses smaller than this are parsed on the event loop; larger ones in a worker thread."""

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """Tunables, all with production defaults."""

    endpoint: str = DEFAULT_ENDPOINT
    timeout: httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    functions_per_request: int = DEFAULT_FUNCTIONS_PER_REQUEST
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    # With uniqueid the gateway refuses a function controlid it already completed, which is what makes
    # re-sending a create after a lost session harmless. Turning it off also turns off those replays.
    uniqueid_for_writes: bool = True
    # Slots held beyond this process (`RedisSlots`): every process of a deployment shares each company's limit.
    shared_slots: SharedSlots | None = None


class IntacctClient:
    """Async client for one company. Use ``async with IntacctClient(...) as client``."""

    def __init__(
        self,
        sender: Sender,
        credentials: Login | Session,
        *,
        company_id: str | None = None,
        options: ClientOptions | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if isinstance(credentials, Session) and company_id is None:
            raise ValueError("a client built from an existing session needs its company_id")
        self._sender = sender
        self._login = credentials if isinstance(credentials, Login) else None
        self._session: Session | None = credentials if isinstance(credentials, Session) else None
        self._company_id = company_id or (self._login.company_id if self._login else "")
        self._options = options or ClientOptions()
        self._sleep = sleep
        self._session_lock: asyncio.Lock | None = None
        self._signing_in: asyncio.Future[Session] | None = None
        self._together = Together(self._execute_many)
        self._http = httpx.AsyncClient(
            timeout=self._options.timeout,
            transport=transport,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=self._options.max_concurrency),
            headers={"Content-Type": "application/xml", "User-Agent": f"ledgerbridge/{__version__}"},
            verify=_tls_context(),
        )

    def __repr__(self) -> str:
        return (
            f"IntacctClient(sender_id={self._sender.sender_id!r}, company_id={self._company_id!r}, "
            f"endpoint={self._options.endpoint!r})"
        )

    async def __aenter__(self) -> IntacctClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        opening = self._signing_in
        if opening is not None:
            if not opening.done():
                opening.cancel()
            # Retrieved here, so a sign-in nobody waited for is not reported as a lost exception.
            await asyncio.gather(opening, return_exceptions=True)
        await self._together.aclose()
        await self._http.aclose()

    # Public operations.

    async def session(self) -> Session:
        """The current API session, opened (login, then getAPISession) on first use."""
        return await self._retrying(self._current_session)

    def start_session(self) -> asyncio.Future[Session]:
        """Begin opening the API session without waiting for it; returns what ``session()`` will return.

        Until the session exists, requests sign in with the login themselves instead of waiting a round
        trip for it (Intacct accepts either in any request), so the first requests of a run leave together
        with getAPISession. A client built from an existing session has nothing to open.
        """
        if self._signing_in is None:
            self._signing_in = asyncio.ensure_future(self.session())
        return self._signing_in

    async def execute(self, functions: Sequence[Function], *, transaction: bool = False) -> tuple[Result, ...]:
        """Send the functions in one request and return their results in the same order.

        Function failures are results, not exceptions; exceptions mean the request as a whole failed.
        """
        response = await self._run(list(functions), transaction=transaction)
        return tuple(_result(response, function) for function in functions)

    async def execute_many(
        self, functions: Sequence[Function], *, functions_per_request: int | None = None, priority: int = 0
    ) -> tuple[Result | IntacctError, ...]:
        """Send many independent functions in batched requests, in parallel up to the company limit.

        Each position holds that function's result, or the exception that ended its whole request
        (an ``UncertainOutcomeError`` there means that function may have run). Requests waiting for a
        slot of the company go in order of ``priority``, highest first.
        """
        with request_priority(priority):
            return await self._execute_many(functions, functions_per_request)

    async def read_all_by_query(
        self,
        object_name: str,
        query: str = "",
        *,
        fields: str = "*",
        pagesize: int = READ_BY_QUERY_MAX_PAGESIZE,
    ) -> tuple[Record, ...]:
        """Every matching record through readByQuery and readMore."""
        return await read_all_by_query(self._run_one, object_name, query, fields=fields, pagesize=pagesize)

    async def query_all(
        self,
        object_name: str,
        select: Iterable[str],
        *,
        filter: Filter | None = None,
        orderby: Iterable[Order] = (),
        pagesize: int = QUERY_MAX_PAGESIZE,
        caseinsensitive: bool = False,
        showprivate: bool = False,
        on_page: Callable[[tuple[Record, ...]], None] | None = None,
        priority: int = 0,
        together: bool = False,
    ) -> tuple[Record, ...]:
        """Every matching record through ``query``; pages after the first are fetched in parallel.

        ``on_page`` is called with each page's records as that page arrives. Pages waiting for a slot of
        the company go in order of ``priority``, highest first: a caller reading several objects at once
        can have the ones other work waits on read first. With ``together``, the first page goes in one
        request with the other first pages asked ``together`` at the same moment (objects of a few rows
        each then take one request between them).
        """
        with request_priority(priority):
            return await query_all(
                self._run_one,
                object_name,
                select,
                run_first=self._together.ask if together else None,
                filter=filter,
                orderby=orderby,
                pagesize=pagesize,
                caseinsensitive=caseinsensitive,
                showprivate=showprivate,
                on_page=on_page,
            )

    # Internals.

    async def _execute_many(
        self, functions: Sequence[Function], functions_per_request: int | None = None
    ) -> tuple[Result | IntacctError, ...]:
        _require_unique_controlids(functions)
        size = functions_per_request or self._options.functions_per_request
        batches = _plan_batches(list(functions), size)
        outcomes = await asyncio.gather(*(self._execute_batch(batch) for batch in batches))
        return tuple(outcome for batch_outcomes in outcomes for outcome in batch_outcomes)

    async def _run_one(self, function: Function) -> Result:
        (result,) = await self.execute([function])
        return result

    async def _execute_batch(self, batch: list[Function]) -> tuple[Result | IntacctError, ...]:
        try:
            response = await self._run(batch, transaction=False)
        except IntacctError as exc:
            return tuple(exc for _ in batch)
        return tuple(_result(response, function) for function in batch)

    async def _run(self, functions: list[Function], *, transaction: bool) -> Response:
        if any(function.name == "getAPISession" for function in functions):
            raise InvalidRequestError("getAPISession is sent by the client itself, alone in its request")
        return await self._retrying(lambda: self._with_session(functions, transaction))

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        policy = self._options.retry
        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts),
            wait=policy.tenacity_wait,
            retry=retry_if_exception_type(RetriableError),
            sleep=self._sleep,
            reraise=True,
            before_sleep=lambda state: logger.info(
                "nothing was executed; retrying (attempt %d of %d failed): %s",
                state.attempt_number,
                policy.attempts,
                state.outcome.exception() if state.outcome else "",
            ),
        )

        # tenacity only awaits what is declared async; a lambda returning a coroutine would not be.
        async def attempt() -> T:
            return await call()

        outcome: T = await retrying(attempt)
        return outcome

    async def _with_session(self, functions: list[Function], transaction: bool) -> Response:
        if self._session is None and self._login is not None and self._signing_in is not None \
                and not self._signing_in.done():
            # Started, not yet open (start_session): this request signs in by itself.
            return await self._exchange(self._options.endpoint, self._login, functions, transaction)
        session = await self._current_session()
        try:
            return await self._exchange(session.endpoint, session, functions, transaction)
        except ReauthenticationError:
            if self._login is None or not self._replay_safe(functions):
                raise
            logger.info("session no longer accepted; signing in again and replaying %d function(s)", len(functions))
            session = await self._renew_session(session)
            return await self._exchange(session.endpoint, session, functions, transaction)

    def _replay_safe(self, functions: list[Function]) -> bool:
        # Reads can always be repeated; writes only when uniqueid lets the gateway spot a second run.
        return self._options.uniqueid_for_writes or not any(function.writes for function in functions)

    def _lock(self) -> asyncio.Lock:
        if self._session_lock is None:
            self._session_lock = asyncio.Lock()
        return self._session_lock

    async def _current_session(self) -> Session:
        if self._session is not None:
            return self._session
        async with self._lock():
            if self._session is None:
                self._session = await self._open_session()
            return self._session

    async def _renew_session(self, stale: Session) -> Session:
        async with self._lock():
            # Concurrent requests that all saw the same stale session sign in once between them.
            if self._session is stale or self._session is None:
                # Cleared first: if signing in fails, the next attempt signs in instead of reusing it.
                self._session = None
                self._session = await self._open_session()
            return self._session

    async def _open_session(self) -> Session:
        assert self._login is not None
        function = get_api_session(self._login.entity_id, controlid="getAPISession")
        response = await self._exchange(self._options.endpoint, self._login, [function], False)
        result = _result(response, function)
        if not result.ok:
            raise FunctionFailedError(result)
        api = result.data.records[0] if result.data and result.data.records else None
        session_id = api.get("sessionid") if api else None
        endpoint = (api.get("endpoint") or "") if api else ""
        if api is None or not session_id or urlsplit(endpoint).scheme not in ("http", "https"):
            raise ProtocolError("getAPISession answered without a session id and an http(s) endpoint")
        logger.info("opened an API session for company %s at %s", self._company_id, endpoint)
        return Session(Secret(session_id), endpoint, api.get("locationid") or "")

    async def _exchange(
        self, url: str, authentication: Login | Session, functions: list[Function], transaction: bool
    ) -> Response:
        writes = any(function.writes for function in functions)
        body = build_request(
            self._sender,
            authentication,
            functions,
            uniqueid=writes and self._options.uniqueid_for_writes,
            transaction=transaction,
        )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("POST %s (%d bytes): %s", url, len(body), redacted_body(body))
        by_session = isinstance(authentication, Session)
        started = time.monotonic()
        company = f"{urlsplit(self._options.endpoint).netloc}/{self._company_id}"
        shared = self._options.shared_slots
        async with company_slots(company, self._options.max_concurrency).slot(), (
            shared.slot(company, self._options.max_concurrency) if shared else contextlib.nullcontext()
        ):
            try:
                status, payload, unreadable = await self._post(url, body)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                exchange = Exchange(writes, by_session, transport_error=exc)
                raise _raise_for(exchange) from None
        response: Response | None = None
        if payload is not None:
            try:
                if len(payload) < PARSE_INLINE_BYTES:
                    response = parse_response(payload, max_bytes=self._options.max_response_bytes)
                else:
                    # A page of thousands of rows takes tens of ms to read; other pages keep arriving meanwhile.
                    response = await asyncio.to_thread(
                        parse_response, payload, max_bytes=self._options.max_response_bytes)
            except ProtocolError as exc:
                unreadable = exc
        missing: tuple[str, ...] = ()
        if response is not None and response.authentication is not None and not response.errors:
            missing = tuple(f.controlid for f in functions if response.result_for(f.controlid) is None)
        exchange = Exchange(
            writes,
            by_session,
            http_status=status,
            response=response,
            unreadable=unreadable,
            missing_results=missing,
        )
        logger.debug("HTTP %d in %.0f ms", status, (time.monotonic() - started) * 1000)
        if classify(exchange) is not Disposition.OK:
            raise _raise_for(exchange)
        assert response is not None
        return response

    async def _post(self, url: str, body: bytes) -> tuple[int, bytes | None, ProtocolError | None]:
        cap = self._options.max_response_bytes
        async with self._http.stream("POST", url, content=body) as reply:
            chunks: list[bytes] = []
            size = 0
            async for chunk in reply.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    return reply.status_code, None, ProtocolError(f"response exceeds the {cap}-byte cap")
                chunks.append(chunk)
            return reply.status_code, b"".join(chunks), None


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The default verifying TLS context, made once: loading the CA bundle costs tens of ms per client."""
    return httpx.create_ssl_context()


def _raise_for(exchange: Exchange) -> IntacctError:
    return exception_for(classify(exchange), exchange)


def _result(response: Response, function: Function) -> Result:
    result = response.result_for(function.controlid)
    if result is None:  # the exchange already refused responses with missing results
        raise ProtocolError(f"no result for function {function.controlid!r}")
    return result


def _require_unique_controlids(functions: Sequence[Function]) -> None:
    seen: set[str] = set()
    for function in functions:
        if function.controlid in seen:
            raise InvalidRequestError(f"controlid {function.controlid!r} is used twice; results would be ambiguous")
        seen.add(function.controlid)


def _plan_batches(functions: list[Function], size: int) -> list[list[Function]]:
    """Split into as few requests as the size allows, evenly, so no request is a straggler."""
    if size < 1:
        raise InvalidRequestError("functions per request must be at least 1")
    if not functions:
        return []
    count = math.ceil(len(functions) / size)
    base, extra = divmod(len(functions), count)
    batches: list[list[Function]] = []
    start = 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        batches.append(functions[start:end])
        start = end
    return batches
