"""The founding article in Chromium, step by step on the demo data of a running `ledgerbridge up`:
export -> INT860 banner; fix account 6400 in the sandbox console; Sync Now; retry -> exported. And the FAQ
path: recategorize from the banner's suggestion, then retry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ledgerbridge.demo import FOUNDING_REPORT_TITLE
from ledgerbridge.domain import Role
from tests.browser.chromium import LAPTOP, PHONE, sign_in
from tests.browser.chromium import shot as save_shot
from tests.web.running import RunningApp, running_app, start_up, stop_up

__all__ = ["running_app"]


def shot(page: Page, name: str) -> None:
    save_shot(page, "web", f"founding-{name}")


pytestmark = pytest.mark.browser

def console_sign_in(page: Page, app: RunningApp, userid: str) -> None:
    page.goto(app.console_url)
    page.get_by_label("Company ID").fill("DEMO")
    page.get_by_label("User ID").fill(userid)
    page.get_by_label("Password").fill("sandbox")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"User {userid}")).to_be_visible()
    page.get_by_role("link", name="Chart of Accounts").first.click()
    page.get_by_label("Account number or title").fill("6400")
    page.get_by_label("Account number or title").press("Enter")
    page.get_by_role("link", name="6400", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"GL Account 6400"))).to_be_visible()


def open_founding_report(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    page.get_by_role("link", name=FOUNDING_REPORT_TITLE).click()
    expect(page.get_by_role("heading", name=FOUNDING_REPORT_TITLE)).to_be_visible()


def export_to_int860(page: Page) -> None:
    page.get_by_role("button", name="Export to Sage Intacct").click()
    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("INT860 Export Error")
    expect(banner).to_contain_text(re.compile(r"account 6400 \(linked to Credit Card AMEX-1005"))
    expect(banner).to_contain_text("Needs Sage Intacct admin rights")
    expect(banner.get_by_role("button", name="Sync Now")).to_be_visible()
    expect(banner.get_by_role("button", name="Retry export")).to_be_visible()


def retry_to_exported(page: Page) -> None:
    page.locator("#error-banner").get_by_role("button", name="Retry export").click()
    record = page.locator("#intacct-record")
    expect(record).to_contain_text("Credit card charge", timeout=30_000)
    expect(record).to_contain_text(re.compile(r"record key \d+"))
    expect(page.locator("#error-banner")).to_have_count(0)
    expect(page.locator(".report-meta")).to_contain_text("Exported")


def test_clerk_cannot_save_account_6400_in_the_console(chromium: Browser, running_app: RunningApp) -> None:
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    console_sign_in(page, running_app, "clerk")
    page.get_by_label("Owned by").select_option(label="Top level (all entities)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Permission denied")).to_be_visible()
    shot(page, "00-clerk-cannot-save")
    context.close()


def test_founding_article_export_fix_in_intacct_sync_now_and_retry(chromium: Browser,
                                                                    running_app: RunningApp) -> None:
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, running_app, Role.ADMIN)

    # 1. Export the card report: INT860 names account 6400 and card AMEX-1005, with the fixes in place.
    open_founding_report(page)
    expect(page.locator("tr.line-findings")).to_contain_text("INT860")
    export_to_int860(page)
    shot(page, "01-int860-banner")

    # 2. In Sage Intacct (the sandbox console), as an admin: open GL account 6400, lift the restriction, Save.
    console = context.new_page()
    console_sign_in(console, running_app, "xml_gateway")
    console.get_by_label("Owned by").select_option(label="Top level (all entities)")
    console.get_by_role("button", name="Save").click()
    expect(console.get_by_role("status")).to_have_text("Account 6400 saved.")
    shot(console, "02-console-account-6400-saved")
    console.close()

    # 3. Settings > Workspaces > Cedar Ridge > Accounting > Sync Now, until it has finished.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Cedar Ridge").click()
    page.get_by_role("navigation", name="Workspace settings").get_by_role("link", name="Accounting").click()
    before = page.locator("#sync-state time").get_attribute("datetime")
    page.get_by_role("button", name="Sync Now").click()
    expect(page.locator("#sync-state time")).not_to_have_attribute("datetime", before or "", timeout=30_000)
    expect(page.locator("#sync-state")).to_contain_text("Last sync: Succeeded", timeout=30_000)
    shot(page, "03-sync-finished")

    # 4. Open the report and retry: exported, with the Intacct record shown.
    open_founding_report(page)
    expect(page.locator("#error-banner")).to_contain_text("no longer finds this problem")
    retry_to_exported(page)
    shot(page, "04-exported")
    page.set_viewport_size(PHONE)
    shot(page, "05-exported-phone")

    page.set_viewport_size(LAPTOP)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Export health").click()
    expect(page.get_by_role("img", name="Export outcomes per day")).to_be_visible()
    shot(page, "06-health")
    context.close()


def test_faq_recategorize_from_the_banner_then_retry(chromium: Browser, tmp_path: Path) -> None:
    proc, app = start_up(tmp_path)
    try:
        context = chromium.new_context(viewport=LAPTOP)
        page = context.new_page()
        sign_in(page, app, Role.ADMIN)
        open_founding_report(page)
        export_to_int860(page)

        banner = page.locator("#error-banner")
        choice = banner.get_by_label(re.compile(r"Recategorize 1 expense to"))
        suggested = choice.locator("optgroup[label^='Suggested'] option", has_text="Company Events")
        expect(suggested).to_have_count(1)
        choice.select_option(value=suggested.get_attribute("value") or "")
        shot(page, "faq-01-recategorize")
        banner.get_by_role("button", name="Recategorize").click()
        expect(page.get_by_role("status").filter(has_text="Moved 1 expense to Company Events")).to_be_visible()
        expect(page.locator("table.expenses")).to_contain_text("Company Events")
        retry_to_exported(page)
        shot(page, "faq-02-exported")
        context.close()
    finally:
        stop_up(proc)
