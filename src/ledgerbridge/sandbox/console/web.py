"""What every console page shares: the visit (who, which company, which form), rendering and refusals."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ledgerbridge.sandbox.console.session import (
    COOKIE_NAME,
    MAX_AGE_SECONDS,
    ConsoleSession,
    SessionSigner,
    fresh_session,
)
from ledgerbridge.sandbox.store import Company, Store, User

TEMPLATES = Path(__file__).parent / "templates"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'none'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Console:
    """The console's long-lived parts: the store, the templates and the cookie signer."""

    def __init__(self, store: Store, signer: SessionSigner) -> None:
        self.store = store
        self.signer = signer
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), trim_blocks=True,
            lstrip_blocks=True,
        )


@dataclass(slots=True)
class Visit:
    """One request as a page handler sees it."""

    console: Console
    request: Request
    session: ConsoleSession
    user: User | None
    company: Company | None
    form: FormData = field(default_factory=FormData)
    session_changed: bool = False

    @property
    def store(self) -> Store:
        return self.console.store

    @property
    def companyid(self) -> str:
        return self.company.companyid if self.company else ""

    @property
    def userid(self) -> str:
        return self.user.userid if self.user else ""

    @property
    def root(self) -> str:
        return str(self.request.scope.get("root_path", "")).rstrip("/")

    def url(self, path: str, *keys: str, **query: str) -> str:
        """A console URL: the mount point, the path, each key as one escaped segment, then the query."""
        tail = "".join("/" + quote(key, safe="") for key in keys)
        wanted = {k: v for k, v in query.items() if v}
        return f"{self.root}{path}{tail}" + (f"?{urlencode(wanted)}" if wanted else "")

    def arg(self, name: str) -> str:
        return str(self.form.get(name, "")).strip()

    def args(self, name: str) -> list[str]:
        return [str(v).strip() for v in self.form.getlist(name) if str(v).strip()]

    def param(self, name: str) -> str:
        return self.request.query_params.get(name, "").strip()

    def replace_session(self, session: ConsoleSession) -> None:
        self.session = session
        self.session_changed = True

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        page = self.console.templates.get_template(template).render(
            visit=self, user=self.user, company=self.company, csrf=self.session.csrf, url=self.url,
            notice=self.param("notice"), **context,
        )
        return HTMLResponse(page, status_code=status)

    def redirect(self, location: str) -> Response:
        return RedirectResponse(location, status_code=303)

    def refuse(self, status: int, title: str, message: str, back: str = "") -> Response:
        return self.render("refused.html", status=status, title=title, message=message,
                           back=back or self._referring_page() or self.url("/"))

    def _referring_page(self) -> str:
        """The console page the visitor came from, never a page of another site."""
        came_from = urlsplit(self.request.headers.get("referer", ""))
        same_site = came_from.netloc == self.request.url.netloc and came_from.path.startswith(f"{self.root}/")
        return came_from.path + (f"?{came_from.query}" if came_from.query else "") if same_site else ""


def version_of(*parts: Any) -> str:
    """A short digest of what a form was built from, so a save over someone else's change is caught."""
    blob = json.dumps(parts, sort_keys=True, default=sorted, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


Handler = Callable[[Visit], Response]

# What a non-admin is told for each area when a change is attempted.
AREAS: Mapping[str, str] = {
    "accounts": "change GL accounts or their posting restrictions",
    "cards": "change charge card accounts",
    "journals": "add or change journals",
    "books": "open or close periods and subledgers",
    "vendors": "change vendors",
    "employees": "change employees",
    "authorizations": "grant or revoke Web Services authorizations",
    "users": "change users",
}


def page(console: Console, handler: Handler, *, public: bool = False, change: str = "") -> Callable[
        [Request], Awaitable[Response]]:
    """Wrap a page handler with sign-in, CSRF and (for changes) the administrator check."""

    async def endpoint(request: Request) -> Response:
        visit = await run_in_threadpool(_open_visit, console, request)
        if request.method == "POST":
            visit.form = await request.form()
        response = await run_in_threadpool(_guarded, visit, handler, public, change)
        if visit.session_changed or request.cookies.get(COOKIE_NAME) is None:
            response.set_cookie(
                COOKIE_NAME, console.signer.dumps(visit.session), max_age=MAX_AGE_SECONDS,
                path=visit.root or "/", httponly=True, samesite="lax", secure=request.url.scheme == "https",
            )
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return endpoint


def _open_visit(console: Console, request: Request) -> Visit:
    session = console.signer.loads(request.cookies.get(COOKIE_NAME))
    changed = session is None
    session = session or fresh_session()
    user = company = None
    if session.signed_in:
        user = console.store.user(session.companyid, session.userid)
        company = console.store.company(session.companyid)
        if user is None or company is None or user.status != "active":
            # Deactivated or removed since signing in: the session no longer counts.
            user, company = None, None
            session, changed = fresh_session(), True
    return Visit(console, request, session, user, company, session_changed=changed)


def _guarded(visit: Visit, handler: Handler, public: bool, change: str) -> Response:
    request = visit.request
    if request.method == "POST" and not visit.session.csrf_matches(visit.arg("csrf_token")):
        return visit.refuse(
            403, "Request not accepted",
            "This form could not be verified: it has expired or was not sent from this console. "
            "Open the page again and repeat the change.",
            back=visit.url("/"),
        )
    if not public and visit.user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return visit.redirect(visit.url("/login", next=target if request.method == "GET" else ""))
    if change and visit.user is not None and not visit.user.admin:
        return visit.refuse(
            403, "Permission denied",
            f"You do not have permission to {AREAS[change]}. User {visit.user.userid} is not a company "
            "administrator, so nothing was changed. Ask an administrator to make this change.",
        )
    return handler(visit)
