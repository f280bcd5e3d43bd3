"""What every browser test shares: Debian's Chromium driven by Playwright, viewports, screenshots, web sign-in.

Import the `chromium` fixture into a test module (`from tests.browser.chromium import chromium`). On a machine
without Chromium the tests skip, except in CI, where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ledgerbridge.demo import DEMO_PASSWORD, PEOPLE
from ledgerbridge.domain import Role
from tests.conftest import REPO
from tests.web.running import RunningApp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = REPO / "test-artifacts"
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = "Debian's Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def shot(page: Page, folder: str, name: str) -> None:
    """A full-page screenshot in test-artifacts/<folder>/<name>.png."""
    (ARTIFACTS / folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / folder / f"{name}.png"), full_page=True)


def email_of(role: Role) -> str:
    return next(person.email for person in PEOPLE if person.role is role)


def sign_in(page: Page, app: RunningApp, role: Role) -> None:
    """Sign in to the web app as the demo user with `role`, through the sign-in page."""
    page.goto(f"{app.base_url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(email_of(role))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
