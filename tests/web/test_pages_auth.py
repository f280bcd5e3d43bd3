"""Signing in and out, sessions, and CSRF protection of every form."""

from __future__ import annotations

import re

import pytest

from ledgerbridge.domain import new_id
from ledgerbridge.web.pages.auth import throttle
from ledgerbridge.web.pages.context import SESSION_COOKIE
from tests.web.conftest import Site, Visitor


def test_a_page_sends_a_visitor_who_is_not_signed_in_to_sign_in_and_back(site: Site) -> None:
    visitor = site.visitor()
    target = site.url("settings", "categories")

    response = visitor.get(target)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=")

    form = visitor.follow(response)
    assert 'for="f-email"' in form.text and 'for="f-password"' in form.text
    signed_in = visitor.post("/signin", {"email": site.member.email, "password": "correct horse battery staple",
                                         "next": target})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == target
    cookie = signed_in.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Categories" in visitor.get(target).text


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(site: Site) -> None:
    visitor = site.visitor()
    visitor.get("/signin")
    wrong_password = visitor.post("/signin", {"email": site.admin.email, "password": "not it"})
    unknown_email = visitor.post("/signin", {"email": f"{new_id()}@nowhere.example", "password": "not it"})

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert "The email or password is wrong." in wrong_password.text
    assert "The email or password is wrong." in unknown_email.text
    assert "not it" not in wrong_password.text


def test_too_many_wrong_passwords_are_refused_whether_or_not_the_email_exists(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "limit", 3)
    visitor = site.visitor()
    visitor.get("/signin")
    unknown = f"{new_id()}@nowhere.example"
    for email in (site.approver.email, unknown):
        for _ in range(throttle.limit):
            assert visitor.post("/signin", {"email": email, "password": "guess"}).status_code == 401
    for email in (site.approver.email, unknown):
        refused = visitor.post("/signin", {"email": email, "password": "guess"})
        assert refused.status_code == 429 and "Too many wrong passwords" in refused.text
    throttle.succeeded(site.approver.email)


def test_sign_in_form_rejects_bad_input_with_field_messages(site: Site) -> None:
    visitor = site.visitor()
    visitor.get("/signin")
    response = visitor.post("/signin", {"email": "not-an-email", "password": ""})
    assert response.status_code == 422
    assert "Enter an email address like name@example.com." in response.text
    assert "Enter your password." in response.text
    assert 'aria-invalid="true"' in response.text


def test_sign_in_never_redirects_to_another_site(site: Site) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        visitor = site.visitor()
        visitor.get("/signin")
        response = visitor.post("/signin", {"email": site.member.email, "password": "correct horse battery staple",
                                            "next": target})
        assert response.headers["location"] == "/"


def test_signing_out_ends_the_session_on_the_server(site: Site) -> None:
    visitor = site.visitor(site.admin)
    secret = visitor.client.cookies[SESSION_COOKIE]
    signed_out = visitor.post("/signout")
    assert signed_out.status_code == 303
    assert "You are signed out." in visitor.follow(signed_out).text

    replay = Visitor(site.app)
    replay.client.cookies.set(SESSION_COOKIE, secret)
    assert replay.get(site.url("settings", "categories")).status_code == 303


def test_a_form_without_the_sessions_csrf_token_is_refused(site: Site) -> None:
    admin = site.visitor(site.admin)
    url = site.url("settings", "categories", site.restricted_category, "enabled")

    missing = admin.post(url, {"enabled": "off"}, csrf=False)
    forged = admin.post(url, {"enabled": "off", "csrf_token": "0" * 64})
    other_session = site.visitor(site.approver).token
    borrowed = admin.post(url, {"enabled": "off", "csrf_token": other_session})
    for refused in (missing, forged, borrowed):
        assert refused.status_code == 403
        assert "could not be verified" in refused.text
    assert "Enabled" in _row(admin.get(site.url("settings", "categories")).text, "Entertainment")

    via_htmx = admin.client.post(url, data={"enabled": "off"}, headers={"X-CSRF-Token": admin.token,
                                                                         "HX-Request": "true"})
    assert via_htmx.status_code == 204 and via_htmx.headers["HX-Redirect"].endswith("/settings/categories")
    assert "Disabled" in _row(admin.get(site.url("settings", "categories")).text, "Entertainment")


def test_pages_carry_security_headers_and_the_api_keeps_json_errors(site: Site) -> None:
    admin = site.visitor(site.admin)
    page = admin.get(site.url("settings", "categories"))
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"

    missing_page = admin.get("/no/such/page")
    assert missing_page.status_code == 404 and "Page not found" in missing_page.text
    missing_api = admin.client.get("/api/v1/no/such/thing")
    assert missing_api.status_code == 404 and missing_api.json()["error"]["code"] == "not_found"


def _row(html: str, name: str) -> str:
    found = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{re.escape(name)}</th>.*?</tr>", html, re.S)
    assert found, f"no row for {name}"
    return found.group(0)
