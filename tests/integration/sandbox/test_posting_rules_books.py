"""Periods, subledgers and charge cards over HTTP, fixed in the admin console; and what a non-admin cannot fix."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    CLERK,
    KINDS,
    Doc,
    call,
    failed,
    posts,
    read_by_name,
    refused,
    rows,
    unique,
    update,
)
from tests.integration.sandbox.test_console import ConsoleBrowser

BL = "BL01001973"


@pytest.fixture
def console(console_sandbox: RunningSandbox) -> Iterator[ConsoleBrowser]:
    browser = ConsoleBrowser(console_sandbox)
    yield browser
    browser.http.close()


def change(browser: ConsoleBrowser, path: str, **form: str) -> None:
    token = browser.form_fields("/books")["csrf_token"]
    reply = browser.post(path, {"csrf_token": token, **form})
    assert reply.status_code == 303, reply.text


def save_card(browser: ConsoleBrowser, cardid: str, **form: str) -> None:
    reply = browser.post(f"/cards/{cardid}", {**browser.form_fields(f"/cards/{cardid}"), **form})
    assert reply.status_code == 303, reply.text


def test_closed_period_and_subledgers_post_once_reopened_in_the_console(
        console_sandbox: RunningSandbox, console: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    console.sign_in("xml_gateway")
    september = [Doc(kind, [{"account": "6100", "amount": "40.00", "location": "L210"}], unique(f"R-{kind}"),
                     card="AMEX-2010", employee="EMP-002", when=(2026, 9, 15)) for kind in KINDS]
    for doc in september:
        refused(url, doc, BL, "closed through 09/30/2026. Date must be on or after 10/01/26")

    # Cash Management is closed in E300; its other subledgers still take reports and bills.
    toronto = [{"account": "6180", "amount": "55.00", "location": "L310"}]
    card_charge = Doc("cctransaction", toronto, unique("R-cc"), card="RBC-9001")
    refused(url, card_charge, BL, "The Cash Management subledger is closed for entity 'E300'", entity="E300")
    posts(url, Doc("expensereport", toronto, unique("R-er"), employee="EMP-005"), entity="E300")
    posts(url, Doc("bill", toronto, unique("R-bill"), vendor="V-RBC"), entity="E300")

    change(console, "/books/subledgers", entity="E100", subledger="AP", action="close")
    change(console, "/books/subledgers", entity="E100", subledger="EE", action="close")
    line = [{"account": "6100", "amount": "41.00", "location": "L110"}]
    payables = [Doc(kind, line, unique(f"R-{kind}")) for kind in ("bill", "apbill")]
    report = Doc("expensereport", line, unique("R-er"))
    for doc in payables:
        refused(url, doc, BL, "The Accounts Payable subledger is closed for entity 'E100'")
    refused(url, report, BL, "The Time & Expenses subledger is closed for entity 'E100'")

    change(console, "/books/periods", entity="E200", action="open")
    change(console, "/books/subledgers", entity="E300", subledger="CM", action="open")
    change(console, "/books/subledgers", entity="E100", subledger="AP", action="open")
    change(console, "/books/subledgers", entity="E100", subledger="EE", action="open")
    for doc in [*september, *payables, report]:
        posts(url, doc)
    assert {e["MEGAENTITYID"] for e in posts(url, card_charge, entity="E300")} == {"E300"}


def test_expired_inactive_and_foreign_currency_cards(console_sandbox: RunningSandbox, console: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    console.sign_in("xml_gateway")
    line = [{"account": "6100", "amount": "70.00", "location": "L110"}]
    expired = Doc("cctransaction", line, unique("R-cc"), card="MC-7788")
    inactive = Doc("cctransaction", line, unique("R-cc"), card="VISA-3300")
    canadian = Doc("cctransaction", [{"account": "6180", "amount": "70.00", "location": "L310"}], unique("R-cc"),
                   card="RBC-9001")
    refused(url, expired, BL, "The charge card account MC-7788 expired in June 2025.")
    refused(url, inactive, BL, "The charge card account VISA-3300 is inactive.")
    refused(url, canadian, BL, "Multi-currency charge card transactions can't be recorded at the top level")

    save_card(console, "MC-7788", OFFSETGLACCOUNTNO="2120", VENDORID="V-CITI", EXP_MONTH="June", EXP_YEAR="2028",
              STATUS="active")
    save_card(console, "VISA-3300", OFFSETGLACCOUNTNO="2115", VENDORID="V-CHASE", EXP_MONTH="March",
              EXP_YEAR="2027", STATUS="active")
    change(console, "/books/subledgers", entity="E300", subledger="CM", action="open")
    posts(url, expired)
    posts(url, inactive)
    # Reopening CM does not make a top-level session able to record a CAD card's charge; E300's can.
    refused(url, canadian, BL, "Multi-currency charge card transactions can't be recorded at the top level")
    entries = posts(url, canadian, entity="E300")
    assert {e["CURRENCY"] for e in entries} == {"CAD"}


def test_clerk_can_fix_nothing_through_the_api_or_the_console(
        console_sandbox: RunningSandbox, console: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url

    def master_data() -> list[list[dict[str, str]]]:
        return [rows(call(url, read_by_name(obj, key))) for obj, key in (
            ("GLACCOUNT", "6400"), ("GLACCOUNT", "6950"), ("GLACCOUNT", "6600"), ("VENDOR", "V-IRONBRIDGE"),
            ("EMPLOYEE", "EMP-006"))]

    before = master_data()
    attempts = [
        (update("GLACCOUNT", {"ACCOUNTNO": "6950", "STATUS": "active"}), "glaccount"),
        (update("GLACCOUNT", {"ACCOUNTNO": "6600", "REQUIREDEPT": "false"}), "glaccount"),
        (update("VENDOR", {"VENDORID": "V-IRONBRIDGE", "ONHOLD": "false"}), "vendor"),
        (update("EMPLOYEE", {"EMPLOYEEID": "EMP-006", "STATUS": "active"}), "employee"),
    ]
    for function, object_type in attempts:
        (error, *_) = failed(call(url, function, login=CLERK))
        assert error["errorno"] == "PL04000005"
        assert f"You do not have permission for API operation UPDATE on objects of type {object_type}" in (
            error["description2"])

    console.sign_in("clerk")
    for path, form in (
        ("/accounts/6400", {"MEGAENTITYID": "", "STATUS": "active"}),
        ("/books/periods", {"entity": "E200", "action": "open"}),
        ("/vendors/V-IRONBRIDGE", {"STATUS": "active"}),
        ("/employees/EMP-006", {"STATUS": "active"}),
    ):
        reply = console.post(path, {**console.form_fields("/books"), **form})
        assert reply.status_code == 403
        assert "You do not have permission" in reply.text
    assert master_data() == before
    assert "No changes recorded yet." in console.get("/audit").text
    # The clerk may still record documents, and the same ones stay refused.
    refused(url, Doc("cctransaction", [{"account": "6400", "amount": "86.40", "location": "L110"}],
                     unique("R-cc")), BL, "GL account is restricted by entity 'E200'", login=CLERK)
    refused(url, Doc("bill", [{"account": "6100", "amount": "9.00", "location": "L110"}], unique("R-bill"),
                     vendor="V-IRONBRIDGE"), BL, "The vendor 'V-IRONBRIDGE' is on hold.", login=CLERK)
    refused(url, Doc("cctransaction", [{"account": "6100", "amount": "9.00", "location": "L210"}],
                     unique("R-cc"), card="AMEX-2010", when=(2026, 9, 15)), BL, "Date must be on or after 10/01/26",
            login=CLERK)
