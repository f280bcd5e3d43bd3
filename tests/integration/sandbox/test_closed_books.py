"""Closed books read over the gateway (CLOSEDBOOKS), following what the console closes and reopens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lxml import etree

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import call, el, query, rows
from tests.integration.sandbox.test_console import ConsoleBrowser

SELECT = ("RECORDNO", "LOCATIONID", "CLOSEDTHROUGH", "WHENMODIFIED")


@pytest.fixture
def console(console_sandbox: RunningSandbox) -> Iterator[ConsoleBrowser]:
    browser = ConsoleBrowser(console_sandbox)
    browser.sign_in("xml_gateway")
    yield browser
    browser.http.close()


def closed_books(sandbox: RunningSandbox, *extra: etree._Element) -> dict[str, str]:
    # An entity's closed books are its own, like its master data: the top level reads them with showprivate.
    show_private = el("options", el("showprivate", "true"))
    found = rows(call(sandbox.gateway_url, query("CLOSEDBOOKS", SELECT, *extra, show_private)))
    return {row["LOCATIONID"]: row["CLOSEDTHROUGH"] for row in found}


def test_closed_books_follow_the_console(console_sandbox: RunningSandbox, console: ConsoleBrowser) -> None:
    assert closed_books(console_sandbox) == {"E200": "09/30/2026"}

    token = console.form_fields("/books")["csrf_token"]
    closing = console.post("/books/periods", {"csrf_token": token, "entity": "", "action": "close",
                                              "closed_through": "2026-06-30"})
    assert closing.status_code == 303, closing.text
    reopening = console.post("/books/periods", {"csrf_token": token, "entity": "E200", "action": "open"})
    assert reopening.status_code == 303, reopening.text

    # The top level's own books: an empty LOCATIONID, as the top level is named elsewhere.
    assert closed_books(console_sandbox) == {"": "06/30/2026"}


def test_the_top_level_sees_entity_books_only_when_asked(console_sandbox: RunningSandbox) -> None:
    plain = rows(call(console_sandbox.gateway_url, query("CLOSEDBOOKS", SELECT)))
    assert plain == []


def test_closed_books_are_filtered_like_any_query(console_sandbox: RunningSandbox) -> None:
    later = el("filter", el("greaterthan", el("field", "CLOSEDTHROUGH"), el("value", "12/31/2026")))
    assert closed_books(console_sandbox, later) == {}
    earlier = el("filter", el("lessthan", el("field", "CLOSEDTHROUGH"), el("value", "12/31/2026")))
    assert closed_books(console_sandbox, earlier) == {"E200": "09/30/2026"}
