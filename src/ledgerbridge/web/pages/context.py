"""What every page shares: the visitor (signed in or not), the workspace and role, CSRF, flashes, rendering."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from ledgerbridge.domain import Action, ApiToken, Role, User, Workspace, can
from ledgerbridge.store import NotFound, Workspaces
from ledgerbridge.web.api.context import Services, services, utcnow
from ledgerbridge.web.api.errors import ApiError, Forbidden, Missing, Unauthorized

TEMPLATES_DIR: Final = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR: Final = Path(__file__).resolve().parent.parent / "static"

SESSION_COOKIE: Final = "lb_session"
"""Holds the secret of a sign-in session (an API token named `SESSION_TOKEN_NAME`), HttpOnly, SameSite=Lax."""
VISIT_COOKIE: Final = "lb_visit"
"""A random value for visitors not signed in yet: it keys their CSRF token and flashes (the sign-in form)."""
FLASH_COOKIE: Final = "lb_flash"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "X-CSRF-Token"

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
templates.env.globals.update(Action=Action, Role=Role, can=can)


class SignInRequired(Exception):
    """The page needs a signed-in visitor; the app answers with a redirect to the sign-in page."""


class CsrfRefused(ApiError):
    status = 403
    code = "csrf"


@dataclass(frozen=True, slots=True)
class Flash:
    """A one-time message shown on the next page: `tone` is 'success', 'info' or 'error'."""

    message: str
    tone: str = "success"


def _digest(seed: str, purpose: str, payload: str = "") -> str:
    return hmac.new(seed.encode(), f"{purpose}\0{payload}".encode(), hashlib.sha256).hexdigest()


@dataclass(slots=True)
class Visit:
    """One request as a page sees it: who is signed in (if anyone) and the per-session secrets."""

    services: Services
    user: User | None
    session_token: ApiToken | None
    seed: str
    """The session secret (signed in) or the visit cookie (not yet): CSRF tokens and flashes are keyed by it."""
    new_visit_seed: bool = False
    flashes: list[Flash] = field(default_factory=list)
    flashes_read: bool = False

    @property
    def csrf_token(self) -> str:
        return _digest(self.seed, "csrf")

    def csrf_matches(self, presented: str) -> bool:
        return bool(presented) and hmac.compare_digest(presented, self.csrf_token)


async def visit(request: Request) -> Visit:
    """The visit of this request (worked out once, kept on `request.state`)."""
    found: Visit | None = getattr(request.state, "visit", None)
    if found is None:
        found = await run_in_threadpool(_open_visit, request)
        request.state.visit = found
    return found


def _open_visit(request: Request) -> Visit:
    from ledgerbridge.web.api.auth import SESSION_TOKEN_NAME, authenticate

    found = services(request)
    secret = request.cookies.get(SESSION_COOKIE, "")
    if secret:
        try:
            with found.database.session() as session:
                user, token = authenticate(session, secret, utcnow())
        except (Unauthorized, NotFound):
            pass  # an expired, revoked or forged cookie is no session
        else:
            if token.name == SESSION_TOKEN_NAME:
                return _with_flashes(request, Visit(found, user, token, secret))
    seed = request.cookies.get(VISIT_COOKIE, "")
    if len(seed) < 32:
        return Visit(found, None, None, secrets.token_urlsafe(32), new_visit_seed=True)
    return _with_flashes(request, Visit(found, None, None, seed))


def _with_flashes(request: Request, found: Visit) -> Visit:
    raw = request.cookies.get(FLASH_COOKIE, "")
    payload, _, signature = raw.rpartition(".")
    if payload and hmac.compare_digest(signature, _digest(found.seed, "flash", payload)):
        try:
            items = json.loads(base64.urlsafe_b64decode(payload.encode()))
            found.flashes = [Flash(str(item["message"]), str(item["tone"])) for item in items]
        except (ValueError, KeyError, TypeError):
            found.flashes = []
    found.flashes_read = bool(raw)
    return found


async def form_data(request: Request) -> FormData:
    """The posted form (already read and CSRF-checked by `csrf_guard`)."""
    return await request.form()


async def csrf_guard(request: Request) -> None:
    """Every unsafe request to a page carries the session's CSRF token, in the form or the htmx header."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    current = await visit(request)
    presented = request.headers.get(CSRF_HEADER, "")
    if not presented:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        presented = value if isinstance(value, str) else ""
    if not current.csrf_matches(presented):
        raise CsrfRefused(
            "This form could not be verified: it has expired or was not sent from this site. "
            "Open the page again and repeat the change."
        )


def signed_in(current: Visit = Depends(visit)) -> User:
    """The signed-in user; visitors who are not are sent to the sign-in page."""
    if current.user is None:
        raise SignInRequired
    return current.user


@dataclass(frozen=True, slots=True)
class PageContext:
    """A workspace page: who is looking, at which workspace, with which role, and their other workspaces."""

    user: User
    workspace: Workspace
    role: Role
    workspaces: tuple[tuple[Workspace, Role], ...]
    services: Services

    @property
    def workspace_id(self) -> str:
        return self.workspace.id

    def can(self, action: Action) -> bool:
        return can(self.role, action)

    def require(self, action: Action) -> None:
        """403 unless the role allows `action` (for a form that needs more than the page does)."""
        if not can(self.role, action):
            raise Forbidden(refusal(self.role, action), {"action": action.value, "role": self.role.value})

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.services.database.session() as session:
            yield session

    def url(self, *parts: str) -> str:
        """A URL inside this workspace, e.g. `url("settings", "accounting")`."""
        return "/".join([f"/workspaces/{self.workspace.id}", *parts])


def refusal(role: Role, action: Action) -> str:
    return (f"Your role in this workspace ({role.value}) does not allow you to "
            f"{action.value.replace('_', ' ')}. Ask a workspace admin if you need this.")


def workspace_page(action: Action) -> Callable[..., PageContext]:
    """A dependency loading the `{workspace_id}` of the path for `action`: 404 for non-members, 403 without role."""

    def load(workspace_id: str, request: Request, user: User = Depends(signed_in)) -> PageContext:
        found = services(request)
        with found.database.session() as session:
            workspaces = Workspaces(session)
            role = workspaces.role_of(workspace_id, user.id)
            if role is None:
                raise Missing("This workspace does not exist, or you are not a member of it.",
                              {"kind": "workspace", "id": workspace_id})
            workspace = workspaces.get(workspace_id)
            mine = tuple(workspaces.of_user(user.id))
        page = PageContext(user, workspace, role, mine, found)
        request.state.page = page
        page.require(action)
        return page

    return load


def user_workspaces(request: Request, user: User) -> list[tuple[Workspace, Role]]:
    with services(request).database.session() as session:
        return Workspaces(session).of_user(user.id)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """Render a template with what every page needs (visit, page, CSRF token, flashes) and the security headers."""
    current: Visit | None = getattr(request.state, "visit", None)
    fragment = is_htmx(request) and not context.pop("full_page", False)
    shown = [] if current is None or fragment else current.flashes
    values = {
        "visit": current,
        "user": current.user if current else None,
        "page": getattr(request.state, "page", None),
        "csrf_token": current.csrf_token if current else "",
        "flashes": shown,
        **context,
    }
    response = templates.TemplateResponse(request, template, values, status_code=status)
    if current is not None and not fragment and current.flashes_read:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return finish(request, response)


def finish(request: Request, response: Response) -> Response:
    """Cookies the visit needs and the security headers, on any page response."""
    current: Visit | None = getattr(request.state, "visit", None)
    if current is not None and current.new_visit_seed:
        response.set_cookie(VISIT_COOKIE, current.seed, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def redirect(request: Request, location: str, *flashes: Flash) -> Response:
    """303 to `location` (after a POST), with one-time messages for the next page."""
    response: Response = RedirectResponse(location, status_code=303)
    if is_htmx(request):
        response = Response(status_code=204, headers={"HX-Redirect": location})
    current: Visit | None = getattr(request.state, "visit", None)
    if flashes and current is not None:
        set_flashes(request, response, current, list(flashes))
    return finish(request, response)


def set_flashes(request: Request, response: Response, current: Visit, flashes: list[Flash]) -> None:
    payload = base64.urlsafe_b64encode(
        json.dumps([{"message": f.message, "tone": f.tone} for f in flashes]).encode()).decode()
    response.set_cookie(FLASH_COOKIE, f"{payload}.{_digest(current.seed, 'flash', payload)}", httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/", max_age=300)


def local_target(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site (never another site: no scheme, host or `//`), else `default`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def sign_in_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/signin?" + urlencode({"next": target}) if request.method == "GET" else "/signin"


# Forms

FieldErrors = dict[str, str]
"""Field name -> what is wrong with its value, shown next to the field."""


def text_of(form: FormData, name: str) -> str:
    """A submitted text value, trimmed ('' when missing or a file)."""
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def flag_of(form: FormData, name: str) -> bool:
    """A checkbox: sent (with any value) means checked."""
    return name in form


def check_text(errors: FieldErrors, name: str, value: str, label: str, *, required: bool = True,
               max_length: int = 200) -> str | None:
    """`value` if acceptable, else None with a message for the field in `errors`."""
    if not value:
        if required:
            errors[name] = f"Enter the {label}."
        return None
    if len(value) > max_length:
        errors[name] = f"The {label} can be at most {max_length} characters."
        return None
    if "\x00" in value or any(ord(ch) < 32 for ch in value):
        errors[name] = f"The {label} contains characters that are not allowed."
        return None
    return value


def check_email(errors: FieldErrors, name: str, value: str) -> str | None:
    if not value:
        errors[name] = "Enter an email address."
        return None
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or " " in value or len(value) > 320 or domain.startswith("."):
        errors[name] = "Enter an email address like name@example.com."
        return None
    return value
