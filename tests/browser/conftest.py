from tests.browser.chromium import chromium  # noqa: F401
