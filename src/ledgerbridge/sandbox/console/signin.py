"""Signing in with company ID, user ID and password, and signing out."""

from __future__ import annotations

from starlette.responses import Response

from ledgerbridge.sandbox.auth import verify_password
from ledgerbridge.sandbox.console.session import fresh_session
from ledgerbridge.sandbox.console.web import Visit

FAILED = "Sign-in failed. Check the company ID, user ID and password, and try again."


def _next_page(visit: Visit, wanted: str) -> str:
    """Only a page of this console; anything else (another site, a scheme) goes to the home page."""
    root = visit.root or ""
    inside = wanted.startswith(f"{root}/") and not wanted.startswith("//") and "\\" not in wanted
    return wanted if inside else visit.url("/")


def sign_in_page(visit: Visit, problem: str = "", status: int = 200) -> Response:
    if visit.user is not None and not problem:
        return visit.redirect(visit.url("/"))
    return visit.render("login.html", status=status, problem=problem, next=visit.param("next") or visit.arg("next"),
                        companyid=visit.arg("companyid"), userid=visit.arg("userid"))


def sign_in(visit: Visit) -> Response:
    companyid, userid, password = visit.arg("companyid"), visit.arg("userid"), str(visit.form.get("password", ""))
    user = visit.store.user(companyid, userid) if companyid and userid else None
    if user is None or not password or not verify_password(user.password_hash, password):
        return sign_in_page(visit, FAILED, status=401)
    if user.status != "active":
        return sign_in_page(visit, f"User {userid} is inactive and cannot sign in. Ask a company administrator "
                                   "to reactivate it.", status=403)
    # A new session id and CSRF token at sign-in, so nothing issued before it carries over.
    visit.replace_session(fresh_session(user.companyid, user.userid))
    return visit.redirect(_next_page(visit, visit.arg("next")))


def sign_out(visit: Visit) -> Response:
    visit.console.signer.sign_out(visit.session)
    visit.replace_session(fresh_session())
    return visit.redirect(visit.url("/login", notice="You have signed out."))
