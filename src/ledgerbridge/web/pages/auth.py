"""Signing in and out of the web app: a server-side session (a session token) in an HttpOnly cookie."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque
from typing import Final

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from ledgerbridge.domain import ApiToken, User, new_id
from ledgerbridge.domain.workspace import hash_api_token, new_api_token, normal_email
from ledgerbridge.store import Users
from ledgerbridge.web.api.auth import SESSION_LIFETIME, SESSION_TOKEN_NAME, password_matches
from ledgerbridge.web.api.context import services, utcnow
from ledgerbridge.web.pages.context import (
    SESSION_COOKIE,
    VISIT_COOKIE,
    FieldErrors,
    Flash,
    Visit,
    check_email,
    form_data,
    local_target,
    redirect,
    render,
    set_flashes,
    text_of,
    visit,
)

log = logging.getLogger(__name__)
router = APIRouter()

WRONG: Final = "The email or password is wrong."
ENTER_PASSWORD: Final = "Enter your password."  # noqa: S105 - a message, not a password


class Throttle:
    """At most `limit` wrong passwords per email in `window` seconds, whether or not the email has an account."""

    def __init__(self, limit: int = 10, window: float = 900.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, email: str) -> bool:
        with self._lock:
            return len(self._recent(normal_email(email), time.monotonic())) >= self.limit

    def failed(self, email: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(normal_email(email), now).append(now)
            if len(self._failures) > 10_000:  # bounded memory: forget the quietest addresses
                for key in [k for k, v in self._failures.items() if not v][:5_000]:
                    del self._failures[key]

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(normal_email(email), None)


throttle = Throttle()


@router.get("/signin", name="signin")
async def signin_form(request: Request, next: str = "", current: Visit = Depends(visit)) -> Response:
    if current.user is not None:
        return redirect(request, local_target(next))
    return render(request, "signin.html", next=local_target(next, ""), email="", errors={})


def _check(request: Request, email: str, password: str) -> User | None:
    with services(request).database.session() as session:
        user = Users(session).by_email(email)
        # The hash is verified even for an unknown email, so both take the same time.
        if not password_matches(user, password) or user is None or not user.active:
            return None
        return user


def _open_session(request: Request, user: User) -> str:
    secret = new_api_token()
    with services(request).database.session() as session:
        Users(session).add_token(ApiToken(new_id(), user.id, SESSION_TOKEN_NAME, hash_api_token(secret), utcnow()))
    return secret


@router.post("/signin")
async def signin(request: Request, form: FormData = Depends(form_data), current: Visit = Depends(visit)) -> Response:
    email, typed = text_of(form, "email"), form.get("password")
    password = typed if isinstance(typed, str) and typed else None
    target = local_target(text_of(form, "next"), "")
    errors: FieldErrors = {}
    check_email(errors, "email", email)
    if not password:
        errors["password"] = ENTER_PASSWORD
    if errors or password is None:
        return render(request, "signin.html", status=422, next=target, email=email, errors=errors)
    if throttle.blocked(email):
        message = "Too many wrong passwords for this email. Wait a few minutes and try again."
        return render(request, "signin.html", status=429, next=target, email=email, errors={}, problem=message)
    user = await run_in_threadpool(_check, request, email, password)
    if user is None:
        throttle.failed(email)
        return render(request, "signin.html", status=401, next=target, email=email, errors={}, problem=WRONG)
    throttle.succeeded(email)
    secret = await run_in_threadpool(_open_session, request, user)
    log.debug("user %s signed in to the web app", user.id)
    response = redirect(request, target or "/")
    response.set_cookie(SESSION_COOKIE, secret, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")
    return response


def _close_session(request: Request, current: Visit) -> None:
    if current.user is not None and current.session_token is not None:
        with services(request).database.session() as session:
            Users(session).revoke_token(current.user.id, current.session_token.id, utcnow())


@router.post("/signout")
async def signout(request: Request, current: Visit = Depends(visit)) -> Response:
    await run_in_threadpool(_close_session, request, current)
    response = redirect(request, "/signin")
    response.delete_cookie(SESSION_COOKIE, path="/")
    # The flash is keyed by the visit cookie from now on, the session being gone.
    seed = request.cookies.get(VISIT_COOKIE, "")
    if len(seed) < 32:
        seed = secrets.token_urlsafe(32)
        response.set_cookie(VISIT_COOKIE, seed, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                            path="/")
    set_flashes(request, response, Visit(current.services, None, None, seed), [Flash("You are signed out.", "info")])
    return response
