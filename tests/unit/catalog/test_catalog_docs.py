"""The pages under docs/errors are generated from the catalog and must not drift from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledgerbridge.catalog import CATALOG
from ledgerbridge.catalog.docs import drifted, main, render_pages, write_pages

DOCS = Path(__file__).resolve().parents[3] / "docs" / "errors"


def test_committed_pages_match_the_catalog() -> None:
    stale = drifted(DOCS, render_pages())
    assert not stale, f"regenerate with `python -m ledgerbridge.catalog.docs`: {stale}"


def test_one_page_per_code_and_an_index_linking_them_all() -> None:
    pages = render_pages()
    assert set(pages) == {f"{entry.code}.md" for entry in CATALOG} | {"index.md"}
    for entry in CATALOG:
        assert f"[{entry.code}]({entry.code}.md)" in pages["index.md"]


def test_int860_page_shows_message_fixes_and_faq() -> None:
    page = render_pages()["INT860.md"]
    assert (
        "> INT860 Export Error: Sage Intacct couldn't create the transaction because account [account] "
        "(linked to Credit Card [card], reached through category [category]) is restricted."
    ) in page
    assert "because account [account] (linked to Credit Card [card]) is restricted." in page
    assert "**Sage Intacct, admin:** Sign in to Sage Intacct as an administrator" in page
    assert "### 2. Recategorize to an unrestricted account" in page
    assert "**Does INT860 mean the credit card is disconnected?**" in page


def test_index_explains_the_generic_code() -> None:
    assert "INT000 is ledgerbridge's own code" in render_pages()["index.md"]


def test_writing_updates_changed_pages_and_removes_retired_codes(tmp_path: Path) -> None:
    pages = render_pages()
    assert main([str(tmp_path)]) == 0
    assert drifted(tmp_path, pages) == []
    (tmp_path / "INT860.md").write_text("edited by hand", encoding="utf-8")
    (tmp_path / "INT123.md").write_text("a code that no longer exists", encoding="utf-8")
    (tmp_path / "README.md").write_text("not ours", encoding="utf-8")
    assert main([str(tmp_path), "--check"]) == 1
    assert write_pages(tmp_path, pages) == ["INT860.md", "INT123.md"]
    assert not (tmp_path / "INT123.md").exists()
    assert (tmp_path / "README.md").exists()
    assert main([str(tmp_path), "--check"]) == 0


def test_check_reports_each_out_of_date_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing"), "--check"]) == 1
    assert "INT860.md" in capsys.readouterr().out
