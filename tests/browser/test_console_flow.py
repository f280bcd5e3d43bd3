"""The founding INT860 fix in the admin console, driven through Chromium: admin saves it, a clerk cannot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.chromium import LAPTOP, PHONE
from tests.browser.chromium import shot as save_shot
from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import call, cc_transaction, failed, key_of, read_by_name, rows, unique

pytestmark = pytest.mark.browser


def shot(page: Page, name: str) -> None:
    save_shot(page, "console", name)


def sign_in(page: Page, sandbox: RunningSandbox, userid: str) -> None:
    page.goto(f"{sandbox.base_url}/console/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Company ID").fill("DEMO")
    page.get_by_label("User ID").fill(userid)
    page.get_by_label("Password").fill("sandbox")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"User {userid}")).to_be_visible()


def open_account_6400(page: Page) -> None:
    page.get_by_role("link", name="Chart of Accounts").first.click()
    page.get_by_label("Account number or title").fill("6400")
    page.get_by_label("Account number or title").press("Enter")
    expect(page.get_by_role("row")).to_have_count(2)
    page.get_by_role("link", name="6400", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"GL Account 6400"))).to_be_visible()
    expect(page.locator("#restrictions")).to_contain_text("Entity E200 only")


def entertainment_charge() -> object:
    return cc_transaction("AMEX-1005", [{"glaccountno": "6400", "paymentamount": "86.40", "locationid": "E100"}],
                          reference=unique("INT860"))


def test_admin_removes_the_restriction_of_account_6400(chromium: Browser, console_sandbox: RunningSandbox) -> None:
    failed(call(console_sandbox.gateway_url, entertainment_charge()))
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, console_sandbox, "xml_gateway")
    open_account_6400(page)
    shot(page, "01-admin-account-6400-restricted")

    page.get_by_label("Owned by").select_option(label="Top level (all entities)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Account 6400 saved.")
    expect(page.locator("#restrictions")).to_have_text("None. Every entity can post to this account.")
    expect(page.get_by_label("Owned by")).to_have_value("")
    shot(page, "02-admin-account-6400-saved")

    (account,) = rows(call(console_sandbox.gateway_url, read_by_name("GLACCOUNT", "6400")))
    assert account["MEGAENTITYID"] == ""
    assert key_of(call(console_sandbox.gateway_url, entertainment_charge())) > 0

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("row", name=re.compile(r"xml_gateway GLACCOUNT 6400 update"))).to_contain_text("E200")
    shot(page, "03-audit-trail")
    page.set_viewport_size(PHONE)
    page.goto(f"{console_sandbox.base_url}/console/accounts?status=restricted")
    expect(page.get_by_role("link", name="6150", exact=True)).to_be_visible()
    shot(page, "04-restricted-accounts-phone")
    context.close()


def test_clerk_cannot_remove_the_restriction(chromium: Browser, console_sandbox: RunningSandbox) -> None:
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, console_sandbox, "clerk")
    open_account_6400(page)
    expect(page.get_by_text("only an administrator can save changes")).to_be_visible()

    page.get_by_label("Owned by").select_option(label="Top level (all entities)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Permission denied")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("You do not have permission to change GL accounts")
    shot(page, "05-clerk-save-refused")

    page.goto(f"{console_sandbox.base_url}/console/accounts/6400")
    expect(page.locator("#restrictions")).to_contain_text("Entity E200 only")
    (account,) = rows(call(console_sandbox.gateway_url, read_by_name("GLACCOUNT", "6400")))
    assert account["MEGAENTITYID"] == "E200"
    failed(call(console_sandbox.gateway_url, entertainment_charge()))
    context.close()
