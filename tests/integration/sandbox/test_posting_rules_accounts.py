"""Restricted and demanding GL accounts over HTTP: each refusal posts nothing, and the same document posts
once an administrator fixes the account through the API or the admin console."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import KINDS, Doc, call, create, posts, refused, succeeded, unique, update
from tests.integration.sandbox.test_console import ConsoleBrowser

BL = "BL01001973"


@pytest.fixture
def admin_console(console_sandbox: RunningSandbox) -> Iterator[ConsoleBrowser]:
    browser = ConsoleBrowser(console_sandbox)
    browser.sign_in("xml_gateway")
    yield browser
    browser.http.close()


def every_kind(lines: list[dict[str, str]], **options: str) -> list[Doc]:
    """The same lines as a card charge, an expense report, a bill (legacy and generic) and a journal entry."""
    return [Doc(kind, lines, unique(f"R-{kind}"), **options) for kind in KINDS]


def save_account(browser: ConsoleBrowser, accountno: str, **form: str | list[str]) -> None:
    saved = browser.post(f"/accounts/{accountno}", {**browser.form_fields(f"/accounts/{accountno}"), **form})
    assert saved.status_code == 303, saved.text
    assert f"Account {accountno} saved." in browser.follow(saved).text


def test_entity_private_account_posts_once_the_console_moves_it_to_the_top_level(
        console_sandbox: RunningSandbox, admin_console: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    docs = every_kind([{"account": "6400", "amount": "86.40", "location": "L110"}])
    for doc in docs:
        refused(url, doc, BL, "GL account is restricted by entity 'E200'")
    save_account(admin_console, "6400", MEGAENTITYID="", STATUS="active")
    for doc in docs:
        assert {e["MEGAENTITYID"] for e in posts(url, doc)} == {"E100"}


def test_dimension_relationships_refuse_other_values_until_the_console_relates_them(
        console_sandbox: RunningSandbox, admin_console: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    meals = every_kind([{"account": "6150", "amount": "40.00", "location": "L110", "department": "D300"}])
    hardware = every_kind([{"account": "6210", "amount": "999.00", "location": "L110", "department": "D100"}])
    for doc in meals:
        errors = refused(url, doc, BL, "GL account is restricted by Department")
        assert any("Department 'D300' specified is not valid" in e["description2"] for e in errors)
    for doc in hardware:
        refused(url, doc, BL, "'6210': 'Computer Hardware - Expensed' specified is not valid")
    save_account(admin_console, "6150", STATUS="active", LOCATION=["E100", "L110", "L120"],
                 DEPARTMENT=["D100", "D200", "D300"])
    save_account(admin_console, "6210", STATUS="active", DEPARTMENT=["D100", "D400"])
    for doc in meals + hardware:
        posts(url, doc)
    # Outside the relationship it is still refused: the location list of 6150 was kept.
    refused(url, Doc("cctransaction", [{"account": "6150", "amount": "40.00", "location": "L210",
                                        "department": "D100"}], unique("R-meal"), card="AMEX-2010"),
            BL, "GL account is restricted by Location")


def test_card_offset_account_refused_as_a_line_until_the_card_gets_another_offset(
        console_sandbox: RunningSandbox, admin_console: ConsoleBrowser) -> None:
    url = console_sandbox.gateway_url
    lines = [{"account": "2100", "amount": "500.00", "location": "L110"}]
    docs = [doc for doc in every_kind(lines) if doc.kind != "glbatch"]
    for doc in docs:
        refused(url, doc, BL, "The account number 2100 is associated to the Credit Card AMEX-1005")
    # A journal entry may move the card liability itself (paying the card down).
    posts(url, Doc("glbatch", lines, unique("R-je-card")))
    succeeded(call(url, create("GLACCOUNT", {"ACCOUNTNO": "2101", "TITLE": "AMEX East Card Payable (new)",
                                             "NORMALBALANCE": "credit"})))
    card = admin_console.post("/cards/AMEX-1005", {
        **admin_console.form_fields("/cards/AMEX-1005"), "OFFSETGLACCOUNTNO": "2101", "VENDORID": "V-AMEX",
        "EXP_MONTH": "December", "EXP_YEAR": "2028", "STATUS": "active"})
    assert card.status_code == 303, card.text
    for doc in docs:
        posts(url, doc)
    charge = posts(url, Doc("cctransaction", [{"account": "6410", "amount": "12.00", "location": "L110"}],
                            unique("R-cc")))
    assert {e["ACCOUNTNO"] for e in charge if e["TR_TYPE"] == "-1"} == {"2101"}


def test_api_fixes_inactive_accounts_required_dimensions_and_direct_posting(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.gateway_url
    cases: list[tuple[list[Doc], str, dict[str, object]]] = [
        (every_kind([{"account": "6950", "amount": "15.00", "location": "L110"}]),
         "GL account is restricted because it is inactive", {"ACCOUNTNO": "6950", "STATUS": "active"}),
        (every_kind([{"account": "6600", "amount": "450.00", "location": "L110"}]),
         "missing the Department dimension for the Account 6600", {"ACCOUNTNO": "6600", "REQUIREDEPT": "false"}),
        (every_kind([{"account": "5100", "amount": "210.00", "location": "L110", "customer": "CUST-1001"}]),
         "missing the Project dimension for the Account 5100", {"ACCOUNTNO": "5100", "REQUIREPROJECT": "false"}),
        (every_kind([{"account": "5100", "amount": "220.00", "location": "L110", "project": "PRJ-300"}]),
         "missing the Customer dimension for the Account 5100", {"ACCOUNTNO": "5100", "REQUIRECUSTOMER": "false"}),
        (every_kind([{"account": "6220", "amount": "900.00", "location": "L110"}]),
         "missing the Class dimension for the Account 6220", {"ACCOUNTNO": "6220", "REQUIRECLASS": "false"}),
        ([Doc("glbatch", [{"account": "2000", "amount": "75.00", "location": "L110"}], unique("R-je"))],
         "Direct posting to GL account '2000': 'Accounts Payable' is disallowed",
         {"ACCOUNTNO": "2000", "SUBLEDGERCONTROLON": "false"}),
    ]
    # Expense reports carry their employee on every line, so only the other kinds miss it.
    gifts = [d for d in every_kind([{"account": "6970", "amount": "60.00", "location": "L110"}])
             if d.kind != "expensereport"]
    cases.append((gifts, "missing the Employee dimension for the Account 6970",
                  {"ACCOUNTNO": "6970", "REQUIREEMPLOYEE": "false"}))
    for docs, phrase, _ in cases:
        for doc in docs:
            refused(url, doc, BL, phrase)
    # A location is required of every line at the top level of a multi-entity company; inside an entity
    # the account's own REQUIRELOC is what refuses a line without one.
    rent = every_kind([{"account": "6800", "amount": "1500.00"}])
    for doc in rent:
        refused(url, doc, BL, "missing the Location dimension for the Account 6800", entity="E100")
    posts(url, Doc("expensereport", [{"account": "6970", "amount": "60.00", "location": "L110"}], unique("R-er")))

    for _, _, fix in cases:
        succeeded(call(url, update("GLACCOUNT", fix)))
    succeeded(call(url, update("GLACCOUNT", {"ACCOUNTNO": "6800", "REQUIRELOC": "false"})))
    for docs, _, _ in cases:
        for doc in docs:
            posts(url, doc)
    for doc in rent:
        assert {e["MEGAENTITYID"] for e in posts(url, doc, entity="E100")} == {"E100"}
