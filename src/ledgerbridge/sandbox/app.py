"""The sandbox as an HTTP application: the XML gateway endpoint, admin console, health and statistics."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

from lxml import etree
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from ledgerbridge.sandbox import schema, seeding
from ledgerbridge.sandbox.console import console_app
from ledgerbridge.sandbox.context import GATEWAY_PATH, endpoint_for
from ledgerbridge.sandbox.errors import IntacctError
from ledgerbridge.sandbox.gateway import Gateway
from ledgerbridge.sandbox.knobs import Knobs, Stats
from ledgerbridge.sandbox.seedfile import load_seed
from ledgerbridge.sandbox.store import Store
from ledgerbridge.sandbox.xmlsafe import MAX_BODY_BYTES, XmlRejected

XML = 'text/xml; encoding="UTF-8"'
RATE_LIMITED = IntacctError("GW-0010", description="API rate limit exceeded")


def open_store(data_dir: Path, seed: str | None) -> Store:
    """The store under the data dir, seeded once when empty (later starts keep what is there)."""
    store = Store(data_dir / "sandbox.sqlite3")
    if seed and seeding.is_empty(store):
        seeding.load(store, load_seed(seed))
    seeding.add_missing_journals(store)
    return store


async def read_capped(request: Request, limit: int) -> bytes | None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class ConnectionDropped(Exception):
    """Raised after the response has started, so the server closes the connection mid-response."""


class XmlGatewayEndpoint:
    """POST /ia/xml/xmlgw.phtml, with the latency, rate-limit and fault knobs around the gateway."""

    def __init__(self, gateway: Gateway, knobs: Knobs, stats: Stats, max_body: int) -> None:
        self.gateway = gateway
        self.knobs = knobs
        self.stats = stats
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        body = await read_capped(request, self.max_body)
        if body is None:
            error = IntacctError("XL03000003", description2=f"The request is larger than {self.max_body} bytes.")
            reply = self.gateway.control_failure(error, status=413)
            await Response(reply.body, status_code=413, media_type=XML)(scope, receive, send)
            return
        parsed, company = await run_in_threadpool(self._read, body)
        if not self.stats.enter(company, self.knobs.max_concurrency):
            reply = self.gateway.control_failure(RATE_LIMITED, status=429)
            await Response(reply.body, status_code=429, media_type=XML)(scope, receive, send)
            return
        try:
            await self._serve(request, body, parsed, company, scope, receive, send)
        finally:
            self.stats.leave(company)

    def _read(self, body: bytes) -> tuple[etree._Element | XmlRejected, str]:
        # Parsed once: the company decides the concurrency slot, the tree is then handled as is.
        parsed = self.gateway.read(body)
        return parsed, self.gateway.company_of(body, parsed)

    async def _serve(self, request: Request, body: bytes, parsed: etree._Element | XmlRejected, company: str,
                     scope: Scope, receive: Receive, send: Send) -> None:
        # A distant Intacct answers no sooner than its latency, and its own work is part of that time:
        # the sandbox's processing counts toward --latency-ms instead of adding to it.
        answer_at = time.monotonic() + self.knobs.delay_seconds()
        fault = self.knobs.draw_fault()
        if fault is not None:
            self.stats.fault(fault)
        if fault == "drop":
            await _wait_until(answer_at)
            await _drop(send)
        if fault == "503":
            await _wait_until(answer_at)
            await Response(b"Service Temporarily Unavailable", status_code=503,
                           media_type="text/plain")(scope, receive, send)
            return
        reply = await run_in_threadpool(self.gateway.handle, body, endpoint_for(request), parsed)
        self.stats.completed(company, reply.functions, reply.created)
        await _wait_until(answer_at)
        if fault == "lost":
            await _drop(send)
        if fault == "524":
            await Response(b"A timeout occurred", status_code=524, media_type="text/plain")(scope, receive, send)
            return
        if fault == "slow":
            await asyncio.sleep(self.knobs.slow_ms / 1000)
        await Response(reply.body, status_code=reply.status, media_type=XML)(scope, receive, send)


def _nothing() -> None:
    return None


async def _wait_until(moment: float) -> None:
    remaining = moment - time.monotonic()
    if remaining > 0:
        await asyncio.sleep(remaining)


async def _drop(send: Send) -> None:
    """Start a response and abandon it: the client sees the connection close without an answer."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", XML.encode()), (b"content-length", b"1048576")]})
    raise ConnectionDropped


def create_app(store: Store, *, knobs: Knobs | None = None, max_body: int = MAX_BODY_BYTES) -> Starlette:
    gateway = Gateway(store)
    stats = Stats()
    endpoint = XmlGatewayEndpoint(gateway, knobs or Knobs(), stats, max_body)

    warm = threading.Event()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "companies": [c.companyid for c in store.companies()]})

    async def readyz(request: Request) -> Response:
        # Requests are served while the schema loads, but they wait for it; ready means they no longer do.
        if warm.is_set():
            # The process id tells a starter that the sandbox answering on its port is the one it started.
            return JSONResponse({"status": "ready", "pid": os.getpid()})
        return JSONResponse({"status": "warming up"}, status_code=503)

    async def stats_page(request: Request) -> Response:
        return JSONResponse(stats.snapshot())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Loading the XSD takes a second or two, decoding a large company's records a fraction of one; do both
        # while the server already answers health checks.
        def warm_up() -> None:
            with contextlib.suppress(sqlite3.Error):  # closed meanwhile: the first reads decode instead
                store.warm()
            schema.warm_up()
            warm.set()

        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
        # Every request is read in a worker thread; the first one handed over would load that machinery (about a
        # quarter of a second on a slow machine) while the rest of its wave waits.
        await run_in_threadpool(_nothing)
        yield

    app = Starlette(
        routes=[
            Route(GATEWAY_PATH, endpoint, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/stats", stats_page, methods=["GET"]),
            Mount("/console", app=console_app(store), name="console"),
        ],
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.gateway = gateway
    app.state.stats = stats
    return app
