"""Settings > Workspaces > Cedar Ridge > Accounting > Sync Now in Chromium, on a running `ledgerbridge up`;
and a member who cannot see Accounting settings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ledgerbridge.domain import Role
from tests.browser.chromium import LAPTOP, PHONE, sign_in
from tests.browser.chromium import shot as save_shot
from tests.web.running import RunningApp, running_app

__all__ = ["running_app"]

pytestmark = pytest.mark.browser


def shot(page: Page, name: str) -> None:
    save_shot(page, "web", name)


def test_admin_syncs_from_settings_accounting(chromium: Browser, running_app: RunningApp) -> None:
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, running_app, Role.ADMIN)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Workspaces")).to_be_visible()
    page.get_by_role("link", name="Cedar Ridge").click()
    page.get_by_role("navigation", name="Workspace settings").get_by_role("link", name="Accounting").click()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs).to_have_text(re.compile(r"Settings\s*>\s*Workspaces\s*>\s*Cedar Ridge\s*>\s*Accounting"))
    expect(page.locator("#connection")).to_contain_text("Connected to company DEMO")
    expect(page.locator("#sync-state")).to_contain_text("Last sync: Succeeded")
    shot(page, "01-accounting-before-sync")

    before = page.locator("#sync-state time").get_attribute("datetime")
    page.get_by_role("button", name="Sync Now").click()
    # The panel shows the run's progress while it runs, then its outcome; htmx polls until it has finished.
    expect(page.locator("#sync-state")).to_contain_text(re.compile(r"Syncing with Sage Intacct|Last sync"))
    shot(page, "02-sync-started")
    expect(page.locator("#sync-state time")).not_to_have_attribute("datetime", before or "")
    expect(page.locator("#sync-state")).to_contain_text("Last sync: Succeeded", timeout=30_000)
    expect(page.get_by_role("button", name="Sync Now")).to_be_enabled()
    page.get_by_text("What the last sync read and changed").click()
    expect(page.get_by_role("row", name=re.compile(r"^GLACCOUNT"))).to_be_visible()
    shot(page, "03-sync-finished")

    page.get_by_role("navigation", name="Workspace settings").get_by_role("link", name="Categories").click()
    entertainment = page.get_by_role("row", name=re.compile(r"^Entertainment"))
    expect(entertainment).to_contain_text("Restricted in Intacct")
    expect(entertainment).to_contain_text("6400")
    shot(page, "04-categories-restricted-badge")

    page.set_viewport_size(PHONE)
    page.get_by_role("navigation", name="Workspace settings").get_by_role("link", name="Accounting").click()
    expect(page.get_by_role("button", name="Sync Now")).to_be_visible()
    shot(page, "05-accounting-phone")
    context.close()


def test_member_cannot_see_accounting_settings(chromium: Browser, running_app: RunningApp) -> None:
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, running_app, Role.MEMBER)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Cedar Ridge").click()
    tabs = page.get_by_role("navigation", name="Workspace settings")
    expect(tabs.get_by_role("link", name="Categories")).to_be_visible()
    expect(tabs.get_by_role("link", name="Accounting")).to_have_count(0)

    page.goto(page.url.replace("/settings/categories", "/settings/accounting"))
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Your role in this workspace (member) does not allow")
    expect(page.get_by_role("button", name="Sync Now")).to_have_count(0)
    shot(page, "06-member-accounting-refused")
    context.close()
