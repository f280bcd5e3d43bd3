"""The web application: the JSON API (errors in one uniform body) and the server-rendered pages."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ledgerbridge.deployment import client_options, job_runner
from ledgerbridge.settings import AppSettings
from ledgerbridge.store import Database, SecretBox
from ledgerbridge.web.api import api_router
from ledgerbridge.web.api.context import Services
from ledgerbridge.web.api.errors import TRANSLATED, ApiError, translate
from ledgerbridge.web.pages import pages_router
from ledgerbridge.web.pages.context import STATIC_DIR, SignInRequired, redirect, render, sign_in_url, visit

if TYPE_CHECKING:
    from ledgerbridge.jobs import JobRunner

log = logging.getLogger(__name__)

_HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
_JSON_PATHS = ("/api/", "/openapi.json", "/docs", "/redoc")
_PAGE_TITLES = {400: "Bad request", 401: "Sign in", 403: "Not allowed", 404: "Page not found",
                405: "Not allowed", 409: "Conflict", 422: "Not accepted", 429: "Too many requests",
                500: "Something went wrong"}


def _is_page(request: Request) -> bool:
    """Whether the request is for a page (HTML errors) rather than the API (JSON errors)."""
    return not request.url.path.startswith(_JSON_PATHS)


async def _error_page(request: Request, status: int, message: str) -> Response:
    with contextlib.suppress(Exception):  # the page is shown even when the visitor cannot be worked out
        await visit(request)
    template = {403: "403.html", 404: "404.html"}.get(status, "error.html")
    return render(request, template, status=status, title=_PAGE_TITLES.get(status, "Error"), message=message,
                  full_page=True)


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details or {}}}, status_code=status)


async def _translated(request: Request, exc: Exception) -> Response:
    error = translate(exc)
    if error is None:  # pragma: no cover - handlers are registered only for translatable types
        raise exc
    if _is_page(request):
        return await _error_page(request, error.status, error.message)
    return JSONResponse(error.body(), status_code=error.status)


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    return redirect(request, sign_in_url(request))


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_page(request):
        return await _error_page(request, 400, "The address or the form is not valid; go back and try again.")
    # The offending input is left out: it may be a password.
    problems = [
        {"location": [str(part) for part in e.get("loc", ())], "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    summary = "; ".join(f"{'.'.join(p['location'][1:]) or 'body'}: {p['message']}" for p in problems)
    return _error(422, "invalid_request", summary or "the request is not valid", {"problems": problems})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _is_page(request):
        message = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
        return await _error_page(request, exc.status_code, message)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return _error(exc.status_code, code, str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    if _is_page(request):
        return await _error_page(request, 500, "Something went wrong on our side; the error is logged.")
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
    # Without a runner passed in: the Celery workers when the settings say so, else a thread pool of the app's
    # own, started on first use.
    celery = job_runner(settings) if runner is None and settings.jobs == "celery" else None
    services = Services(
        database=database or Database.from_settings(settings),
        box=box or SecretBox.from_settings(settings),
        runner=runner or celery,
        client_options=client_options(settings),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()
        if celery is not None:
            celery.shutdown()

    app = FastAPI(
        title="ledgerbridge",
        summary="Export approved expense reports into Sage Intacct",
        version="1",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.services = services
    app.include_router(api_router())
    app.include_router(pages_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(SignInRequired, _sign_in_first)
    for kind in TRANSLATED:
        app.add_exception_handler(kind, _translated)
    app.add_exception_handler(ApiError, _translated)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    return app
