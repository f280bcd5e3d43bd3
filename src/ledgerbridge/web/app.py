"""The web application: the JSON API, with errors in one uniform body."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ledgerbridge.settings import AppSettings
from ledgerbridge.store import Database, SecretBox
from ledgerbridge.web.api import api_router
from ledgerbridge.web.api.context import Services
from ledgerbridge.web.api.errors import TRANSLATED, ApiError, translate

if TYPE_CHECKING:
    from ledgerbridge.jobs import JobRunner

log = logging.getLogger(__name__)

_HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details or {}}}, status_code=status)


async def _translated(request: Request, exc: Exception) -> JSONResponse:
    error = translate(exc)
    if error is None:  # pragma: no cover - handlers are registered only for translatable types
        raise exc
    return JSONResponse(error.body(), status_code=error.status)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The offending input is left out: it may be a password.
    problems = [
        {"location": [str(part) for part in e.get("loc", ())], "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    summary = "; ".join(f"{'.'.join(p['location'][1:]) or 'body'}: {p['message']}" for p in problems)
    return _error(422, "invalid_request", summary or "the request is not valid", {"problems": problems})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return _error(exc.status_code, code, str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _error(500, "internal_error", "something went wrong on our side; the error is logged")


def create_app(
    settings: AppSettings | None = None,
    *,
    database: Database | None = None,
    box: SecretBox | None = None,
    runner: JobRunner | None = None,
) -> FastAPI:
    """The application over `database` and `box` (by default those the settings point at)."""
    settings = settings or AppSettings()
    services = Services(
        database=database or Database.from_settings(settings),
        box=box or SecretBox.from_settings(settings),
        runner=runner,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(
        title="ledgerbridge",
        summary="Export approved expense reports into Sage Intacct",
        version="1",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.services = services
    app.include_router(api_router())
    for kind in TRANSLATED:
        app.add_exception_handler(kind, _translated)
    app.add_exception_handler(ApiError, _translated)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    return app
