"""The sandbox as an HTTP application: the XML gateway endpoint and a health check."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ledgerbridge.sandbox import schema, seeding
from ledgerbridge.sandbox.errors import IntacctError
from ledgerbridge.sandbox.gateway import Gateway
from ledgerbridge.sandbox.seedfile import load_seed
from ledgerbridge.sandbox.store import Store
from ledgerbridge.sandbox.xmlsafe import MAX_BODY_BYTES

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"
XML = 'text/xml; encoding="UTF-8"'


def open_store(data_dir: Path, seed: str | None) -> Store:
    """The store under the data dir, seeded once when empty (later starts keep what is there)."""
    store = Store(data_dir / "sandbox.sqlite3")
    if seed and seeding.is_empty(store):
        seeding.load(store, load_seed(seed))
    return store


def endpoint_for(request: Request) -> str:
    """The gateway URL on the host name the client used, as Intacct answers on the client's own pod."""
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}{GATEWAY_PATH}"


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


def create_app(store: Store, *, max_body: int = MAX_BODY_BYTES) -> Starlette:
    gateway = Gateway(store)

    async def xml_gateway(request: Request) -> Response:
        body = await read_capped(request, max_body)
        if body is None:
            error = IntacctError("XL03000003", description2=f"The request is larger than {max_body} bytes.")
            reply = gateway.control_failure(error, status=413)
            return Response(reply.body, status_code=reply.status, media_type=XML)
        reply = await run_in_threadpool(gateway.handle, body, endpoint_for(request))
        return Response(reply.body, status_code=reply.status, media_type=XML)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "companies": [c.companyid for c in store.companies()]})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(schema.warm_up)
        yield

    app = Starlette(
        routes=[
            Route(GATEWAY_PATH, xml_gateway, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.gateway = gateway
    return app
