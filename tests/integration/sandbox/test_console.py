"""The admin console over HTTP: sign-in, the founding INT860 fix, admin-only changes, CSRF and the audit trail."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    HOSTILE,
    call,
    cc_transaction,
    create,
    data_of,
    failed,
    key_of,
    read_by_name,
    rows,
    unique,
)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')


class ConsoleBrowser:
    """A cookie-keeping HTTP client that fills in console forms the way a browser submits them."""

    def __init__(self, sandbox: RunningSandbox) -> None:
        self.origin = sandbox.base_url
        self.http = httpx.Client(base_url=f"{sandbox.base_url}/console", timeout=30)

    def follow(self, reply: httpx.Response) -> httpx.Response:
        """The page a redirect leads to (locations are server-absolute paths)."""
        assert reply.status_code == 303, reply.text
        return self.http.get(self.origin + reply.headers["location"])

    def get(self, path: str, **params: str) -> httpx.Response:
        return self.http.get(path, params=params)

    def post(self, path: str, data: dict[str, str | list[str]]) -> httpx.Response:
        return self.http.post(path, data=data)

    def form_fields(self, path: str) -> dict[str, str]:
        """The hidden CSRF token and record version of the form on a page."""
        page = self.get(path)
        assert page.status_code == 200, page.text
        found = {"csrf_token": html.unescape(CSRF.findall(page.text)[-1])}
        version = VERSION.search(page.text)
        if version:
            found["version"] = html.unescape(version.group(1))
        return found

    def sign_in(self, userid: str, password: str = "sandbox", company: str = "DEMO") -> httpx.Response:
        token = self.form_fields("/login")["csrf_token"]
        return self.post("/login", {"csrf_token": token, "companyid": company, "userid": userid,
                                    "password": password})


@pytest.fixture
def browser(console_sandbox: RunningSandbox) -> Iterator[ConsoleBrowser]:
    client = ConsoleBrowser(console_sandbox)
    yield client
    client.http.close()


def account_6400_unrestricted(fields: dict[str, str]) -> dict[str, str | list[str]]:
    """The account form as shown for 6400 (active, nothing required), with the owning entity cleared."""
    return {**fields, "MEGAENTITYID": "", "STATUS": "active"}


def entertainment_charge(reference: str) -> object:
    """The founding case: an AMEX-1005 (E100) charge coded to 6400, which entity E200 owns."""
    return cc_transaction("AMEX-1005", [{"glaccountno": "6400", "paymentamount": "86.40", "locationid": "E100",
                                         "description": "Client entertainment"}], reference=reference)


def account_6400(sandbox: RunningSandbox) -> dict[str, str]:
    (account,) = rows(call(sandbox.gateway_url, read_by_name("GLACCOUNT", "6400")))
    return account


def test_every_page_needs_sign_in(console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    for path in ("/", "/accounts", "/accounts/6400", "/cards", "/journals", "/journals/GJ", "/books", "/vendors",
                 "/employees", "/authorizations", "/users", "/audit"):
        reply = browser.get(path)
        assert reply.status_code == 303, path
        assert reply.headers["location"].startswith("/console/login?next="), path
    login = browser.get("/login")
    for label in ("Company ID", "User ID", "Password"):
        assert f">{label}</label>" in login.text


def test_wrong_password_and_inactive_user_cannot_sign_in(browser: ConsoleBrowser) -> None:
    wrong = browser.sign_in("xml_gateway", password="not-the-password")
    assert wrong.status_code == 401
    assert "Sign-in failed" in wrong.text
    inactive = browser.sign_in("former_admin")
    assert inactive.status_code == 403
    assert "inactive" in inactive.text
    assert browser.get("/accounts").status_code == 303


def test_sign_in_returns_to_the_page_asked_for_and_sign_out_ends_the_session(browser: ConsoleBrowser) -> None:
    token = browser.form_fields("/login")["csrf_token"]
    signed_in = browser.post("/login", {"csrf_token": token, "companyid": "DEMO", "userid": "xml_gateway",
                                        "password": "sandbox", "next": "/console/accounts/6400"})
    assert signed_in.headers["location"] == "/console/accounts/6400"
    old_cookie = browser.http.cookies.get("ledgerbridge_console")
    token = browser.form_fields("/accounts")["csrf_token"]
    assert browser.post("/logout", {"csrf_token": token}).status_code == 303
    assert browser.get("/accounts").status_code == 303
    # The signed-out cookie is no longer a way in, even when replayed.
    replay = httpx.Client(base_url=str(browser.http.base_url), cookies={"ledgerbridge_console": old_cookie or ""})
    assert replay.get("/accounts").status_code == 303


def test_sign_in_does_not_redirect_off_the_console(browser: ConsoleBrowser) -> None:
    token = browser.form_fields("/login")["csrf_token"]
    reply = browser.post("/login", {"csrf_token": token, "companyid": "DEMO", "userid": "xml_gateway",
                                    "password": "sandbox", "next": "//evil.example/"})
    assert reply.headers["location"] == "/console/"


def test_chart_of_accounts_search_shows_restrictions(browser: ConsoleBrowser) -> None:
    browser.sign_in("clerk")
    page = browser.get("/accounts", q="6400").text
    assert 'href="/console/accounts/6400"' in page
    assert "Entertainment - West Region" in page
    assert "Entity E200 only" in page
    assert 'href="/console/accounts/6410"' not in page
    restricted = browser.get("/accounts", status="restricted").text
    assert "6150" in restricted
    assert "Location: E100, L110, L120" in restricted
    assert 'href="/console/accounts/6410"' not in restricted


def test_admin_removes_the_restriction_and_the_refused_charge_then_posts(
        console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    reference = unique("INT860")
    errors = failed(call(url, entertainment_charge(reference)))
    assert any("6400" in e["description2"] for e in errors), errors

    browser.sign_in("xml_gateway")
    page = browser.get("/accounts/6400").text
    assert "Entity E200 only" in page
    assert "Expense type Entertainment" in page
    saved = browser.post("/accounts/6400", account_6400_unrestricted(browser.form_fields("/accounts/6400")))
    assert saved.status_code == 303
    shown = browser.follow(saved).text
    assert "Account 6400 saved." in shown
    assert "None. Every entity can post to this account." in shown

    account = account_6400(console_sandbox)
    assert (account["MEGAENTITYID"], account["MODIFIEDBY"]) == ("", "xml_gateway")
    assert key_of(call(url, entertainment_charge(reference))) > 0


def test_clerk_cannot_change_the_account_and_nothing_changes(
        console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    before = account_6400(console_sandbox)
    browser.sign_in("clerk")
    page = browser.get("/accounts/6400").text
    assert "only an administrator can save changes" in page
    refused = browser.post("/accounts/6400", account_6400_unrestricted(browser.form_fields("/accounts/6400")))
    assert refused.status_code == 403
    assert "You do not have permission to change GL accounts" in refused.text
    assert "nothing was changed" in refused.text

    assert account_6400(console_sandbox) == before
    failed(call(console_sandbox.gateway_url, entertainment_charge(unique("INT860"))))
    assert "No changes recorded yet." in browser.get("/audit").text


@pytest.mark.parametrize(("path", "data"), [
    ("/cards/AMEX-1005", {"STATUS": "inactive"}),
    ("/journals/CCJ", {"TITLE": "Card Journal", "STATUS": "active"}),
    ("/journals", {"SYMBOL": "CARD", "TITLE": "Card Journal"}),
    ("/vendors/V-IRONBRIDGE", {"STATUS": "active"}),
    ("/employees/EMP-001", {"STATUS": "inactive"}),
    ("/users/clerk", {"admin": "true", "status": "active"}),
    ("/books/periods", {"entity": "E200", "action": "open"}),
    ("/books/subledgers", {"entity": "E300", "subledger": "CM", "action": "open"}),
    ("/authorizations", {"senderid": "unauthorized-partner", "action": "grant"}),
])
def test_clerk_changes_are_refused_everywhere(browser: ConsoleBrowser, path: str, data: dict[str, str]) -> None:
    browser.sign_in("clerk")
    token = browser.form_fields("/books")["csrf_token"]
    refused = browser.post(path, {"csrf_token": token, **data})
    assert refused.status_code == 403
    assert "You do not have permission" in refused.text
    assert "No changes recorded yet." in browser.get("/audit").text


def test_a_post_without_the_csrf_token_is_refused(console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    before = account_6400(console_sandbox)
    browser.sign_in("xml_gateway")
    fields = browser.form_fields("/accounts/6400")
    missing = browser.post("/accounts/6400", {**account_6400_unrestricted(fields), "csrf_token": ""})
    forged = browser.post("/accounts/6400", {**account_6400_unrestricted(fields), "csrf_token": "forged"})
    for reply in (missing, forged):
        assert reply.status_code == 403
        assert "This form could not be verified" in reply.text
    anonymous = httpx.post(f"{console_sandbox.base_url}/console/login",
                           data={"companyid": "DEMO", "userid": "xml_gateway", "password": "sandbox"})
    assert anonymous.status_code == 403
    assert account_6400(console_sandbox) == before


def test_a_save_over_a_newer_change_is_refused(console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    browser.sign_in("xml_gateway")
    stale = browser.form_fields("/accounts/6400")
    assert browser.post("/accounts/6400", {**stale, "MEGAENTITYID": "E200", "STATUS": "inactive"}).status_code == 303
    conflict = browser.post("/accounts/6400", account_6400_unrestricted(stale))
    assert conflict.status_code == 409
    assert "changed by xml_gateway after you opened it" in conflict.text
    assert account_6400(console_sandbox)["MEGAENTITYID"] == "E200"


def test_audit_trail_lists_the_change(browser: ConsoleBrowser) -> None:
    browser.sign_in("xml_gateway")
    browser.post("/accounts/6400", account_6400_unrestricted(browser.form_fields("/accounts/6400")))
    trail = browser.get("/audit").text
    row = re.search(r"<tr>\s*<td>[^<]+</td><td>xml_gateway</td><td>GLACCOUNT</td><td>6400</td>\s*<td>update</td>"
                    r"(.*?)</tr>", trail, re.S)
    assert row is not None, trail
    assert re.search(r'MEGAENTITYID</span>: <del>E200</del>\s*→ <ins>\(empty\)</ins>', row.group(1))
    assert browser.get("/audit", q="clerk").text.count("<td>GLACCOUNT</td>") == 0


def test_dimension_relationships_are_edited_and_enforced(
        console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    meal = cc_transaction("AMEX-1005", [{"glaccountno": "6150", "paymentamount": "40.00", "locationid": "L110",
                                         "departmentid": "D300"}])
    failed(call(url, meal))
    browser.sign_in("xml_gateway")
    fields = browser.form_fields("/accounts/6150")
    saved = browser.post("/accounts/6150", {
        **fields, "STATUS": "active", "MEGAENTITYID": "", "LOCATION": ["E100", "L110", "L120"],
        "DEPARTMENT": ["D100", "D200", "D300"]})
    assert saved.status_code == 303
    assert key_of(call(url, meal)) > 0
    unknown = browser.post("/accounts/6150", {**browser.form_fields("/accounts/6150"), "STATUS": "active",
                                              "DEPARTMENT": ["D999"]})
    assert unknown.status_code == 422
    assert "Unknown department values: D999." in unknown.text


def test_closing_and_reopening_a_subledger_is_enforced_and_audited(
        console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    charge = cc_transaction("AMEX-1005", [{"glaccountno": "6410", "paymentamount": "12.00", "locationid": "L110"}])
    browser.sign_in("xml_gateway")
    token = browser.form_fields("/books")["csrf_token"]
    closed = browser.post("/books/subledgers", {"csrf_token": token, "entity": "E100", "subledger": "CM",
                                                "action": "close"})
    assert "Cash Management closed in E100" in browser.follow(closed).text
    failed(call(url, charge))
    browser.post("/books/subledgers", {"csrf_token": token, "entity": "E100", "subledger": "CM", "action": "open"})
    assert key_of(call(url, charge)) > 0
    trail = browser.get("/audit", q="SUBLEDGER").text
    assert trail.count("<td>E100 CM</td>") == 2


def test_vendor_on_hold_and_employee_fields_are_saved(browser: ConsoleBrowser) -> None:
    browser.sign_in("xml_gateway")
    vendor = browser.post("/vendors/V-IRONBRIDGE", {**browser.form_fields("/vendors/V-IRONBRIDGE"),
                                                    "STATUS": "active"})
    assert "Vendor V-IRONBRIDGE saved." in browser.follow(vendor).text
    assert "<td>No</td>" in browser.get("/vendors", q="V-IRONBRIDGE").text
    employee = browser.post("/employees/EMP-007", {
        **browser.form_fields("/employees/EMP-007"), "CONTACT.EMAIL1": "Aisha.Bello@cedarridge.example",
        "STARTDATE": "2026-01-05", "LOCATIONID": "L110", "STATUS": "active"})
    assert employee.status_code == 303
    listed = browser.get("/employees", q="EMP-007").text
    assert "Aisha.Bello@cedarridge.example" in listed
    assert "01/05/2026" in listed


def test_users_cannot_lock_themselves_out(browser: ConsoleBrowser) -> None:
    browser.sign_in("xml_gateway")
    token = browser.form_fields("/users/xml_gateway")["csrf_token"]
    refused = browser.post("/users/xml_gateway", {"csrf_token": token, "status": "active"})
    assert refused.status_code == 422
    assert "cannot remove your own administrator rights" in refused.text
    promoted = browser.post("/users/clerk", {"csrf_token": token, "admin": "true", "status": "active"})
    assert promoted.status_code == 303
    assert "<td>clerk</td>" in browser.get("/audit", q="USERINFO").text


def test_what_users_type_is_shown_escaped(browser: ConsoleBrowser) -> None:
    browser.sign_in("xml_gateway")
    page = browser.get("/accounts", q=HOSTILE).text
    assert "<tag>" not in page
    assert "&lt;tag&gt; &amp; &#34;quoted&#34;" in page


def journal_entry(journal: str) -> object:
    """A two-line journal entry (GLBATCH) to `journal`."""
    title = unique("JE")
    return create("GLBATCH", {"JOURNAL": journal, "BATCH_DATE": "11/04/2026", "BATCH_TITLE": title, "ENTRIES": [
        ("GLENTRY", {"ACCOUNTNO": "7100", "TR_TYPE": "1", "TRX_AMOUNT": "80.00", "LOCATION": "L110"}),
        ("GLENTRY", {"ACCOUNTNO": "1590", "TR_TYPE": "-1", "TRX_AMOUNT": "80.00", "LOCATION": "L110"}),
    ]})


def test_int498_fix_reactivating_the_journal_in_the_console_lets_entries_post(
        console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    first, _ = failed(call(url, journal_entry("CCJ")))
    assert "The journal is inactive" in first["description2"]
    browser.sign_in("xml_gateway")
    listed = browser.get("/journals", q="ccj").text
    assert "Card Journal (retired)" in listed and "Inactive" in listed and "General Journal" not in listed
    saved = browser.post("/journals/CCJ", {**browser.form_fields("/journals/CCJ"), "TITLE": "Card Journal",
                                           "STATUS": "active"})
    assert "Journal CCJ saved." in browser.follow(saved).text
    assert data_of(call(url, journal_entry("CCJ"))).findtext("glbatch/RECORDNO")
    trail = browser.get("/audit", q="GLJOURNAL").text
    assert re.search(r"<td>GLJOURNAL</td><td>CCJ</td>\s*<td>update</td>", trail)
    (journal,) = rows(call(url, read_by_name("GLJOURNAL", "CCJ")))
    assert (journal["STATUS"], journal["MODIFIEDBY"]) == ("active", "xml_gateway")


def test_a_journal_added_in_the_console_takes_entries(
        console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    failed(call(url, journal_entry("CARD")))
    browser.sign_in("xml_gateway")
    token = browser.form_fields("/journals")["csrf_token"]
    added = browser.post("/journals", {"csrf_token": token, "SYMBOL": "card", "TITLE": "Company card journal"})
    page = browser.follow(added)
    assert "Journal CARD added." in page.text and "Company card journal" in page.text
    assert data_of(call(url, journal_entry("CARD"))).findtext("glbatch/RECORDNO")
    (journal,) = rows(call(url, read_by_name("GLJOURNAL", "CARD")))
    assert (journal["TITLE"], journal["STATUS"], journal["CREATEDBY"]) == (
        "Company card journal", "active", "xml_gateway")
    assert browser.get(f"/records/GLJOURNAL/{journal['RECORDNO']}").headers["location"] == "/console/journals/CARD"
    assert "<td>create</td>" in browser.get("/audit", q="GLJOURNAL").text


@pytest.mark.parametrize(("symbol", "title", "problem"), [
    ("GJ", "Another general journal", "Journal GJ already exists."),
    ("", "No symbol", "The symbol must be"),
    ("<tag>", "Hostile", "The symbol must be"),
    ("NEW", "", "A journal needs a title."),
    ("NEW", "x" * 81, "longer than 80 characters"),
])
def test_adding_a_journal_refuses_what_intacct_would_and_keeps_what_was_typed(
        browser: ConsoleBrowser, symbol: str, title: str, problem: str) -> None:
    browser.sign_in("xml_gateway")
    token = browser.form_fields("/journals")["csrf_token"]
    refused = browser.post("/journals", {"csrf_token": token, "SYMBOL": symbol, "TITLE": title})
    assert refused.status_code == 422
    assert html.escape(problem, quote=False) in refused.text
    if symbol:
        assert f'value="{html.escape(symbol)}"' in refused.text  # what was typed is shown again, escaped
    assert "No changes recorded yet." in browser.get("/audit").text


def test_a_journal_title_with_hostile_text_is_saved_and_shown_escaped(
        console_sandbox: RunningSandbox, browser: ConsoleBrowser) -> None:
    browser.sign_in("xml_gateway")
    saved = browser.post("/journals/ADJ", {**browser.form_fields("/journals/ADJ"), "TITLE": HOSTILE,
                                           "STATUS": "active"})
    page = browser.follow(saved).text
    assert "<tag>" not in page and "&lt;tag&gt; &amp; &#34;quoted&#34;" in page
    (journal,) = rows(call(console_sandbox.gateway_url, read_by_name("GLJOURNAL", "ADJ")))
    assert journal["TITLE"] == HOSTILE.strip()  # form fields are trimmed, as everywhere in the console
