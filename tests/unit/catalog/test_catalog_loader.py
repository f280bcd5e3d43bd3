"""Catalog data is checked when loaded, and every broken rule is reported at once."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ledgerbridge.catalog import CatalogError, load_catalog
from ledgerbridge.catalog import entries as data


def entry(code: str = "INT860", **overrides: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "kind": "export",
        "title": "GL account is restricted",
        "messages": ["Account {account} (card {card}) is restricted.", "Account {account} is restricted."],
        "cause": "Account {account} takes no postings.",
        "fixes": [{"title": "Lift it", "steps": [
            {"where": "sage_intacct", "admin": True, "text": "Open account {account}."}, data.SYNC_NOW,
        ]}],
        "faq": [["Is the card disconnected?", "No."]],
    }
    base.update(overrides)
    return base


def generic() -> dict[str, Any]:
    return copy.deepcopy(next(raw for raw in data.ENTRIES if raw["code"] == data.UNKNOWN_CODE))


MEANINGS = {name: data.PLACEHOLDERS[name] for name in ("account", "card", "intacct_error", "intacct_text")}


def load(*entries: dict[str, Any]) -> Any:
    return load_catalog([*entries, generic()], MEANINGS)


def problems(*entries: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(CatalogError) as raised:
        load(*entries)
    return raised.value.problems


def test_shipped_catalog_loads() -> None:
    catalog = load_catalog(data.ENTRIES, data.PLACEHOLDERS)
    assert len(catalog) == 35
    assert [entry.code for entry in catalog] == sorted(entry.code for entry in catalog)


def test_a_valid_entry_loads_with_the_standard_closing_steps() -> None:
    catalog = load(entry())
    steps = catalog.get("INT860").fixes[0].steps
    assert [step.text for step in steps[1:]] == [data.SYNC_NOW_STEP["text"], data.RETRY_STEP["text"]]


def test_duplicate_codes_are_refused() -> None:
    assert any("INT860: code appears more than once" in problem for problem in problems(entry(), entry()))


def test_fix_steps_may_only_use_placeholders_every_variant_has() -> None:
    bad = entry(fixes=[{"title": "Fix", "steps": [{"where": "report", "admin": False, "text": "Card {card}."}]}])
    assert any("{card} is not in every message variant" in problem for problem in problems(bad))


def test_template_mistakes_are_all_reported_together() -> None:
    bad = entry(
        code="INT86",
        kind="import",
        messages=["Account {account:>5} broke.", "Account {0} broke.", "Account {acount} broke.", "Oops {"],
        faq=[["No question mark", "Answer"]],
    )
    found = "\n".join(problems(bad))
    for expected in ("code must look like INT123", "kind must be one of"):
        assert expected in found
    bad = entry(
        messages=["Account {account!r} broke.", "Account {0} broke.", "Account {acount} broke.", "Oops {"],
        faq=[["No question mark", "Answer"]],
    )
    found = "\n".join(problems(bad))
    for expected in ("must not carry a format spec or conversion", "{0} must be a plain name",
                     "{acount} is not in PLACEHOLDERS", "broken template", "a question ends with '?'"):
        assert expected in found


def test_two_variants_with_the_same_placeholders_are_ambiguous() -> None:
    bad = entry(messages=["Account {account} is restricted.", "Account {account} is blocked."])
    assert any("same placeholders as message 1" in problem for problem in problems(bad))


def test_steps_must_say_where_and_whether_admin_is_needed() -> None:
    bad = entry(fixes=[{"title": "Fix", "steps": [
        {"where": "intacct", "admin": True, "text": "Do it."},
        {"where": "report", "admin": "yes", "text": "Do it."},
        "call someone",
    ]}])
    found = "\n".join(problems(bad))
    assert "'where' must be one of" in found
    assert "'admin' must be true or false" in found
    assert "a step must be a mapping" in found


def test_only_export_errors_retry_the_export() -> None:
    bad = entry(kind="sync", fixes=[{"title": "Fix", "steps": [data.SYNC_NOW, data.RETRY]}])
    assert any("only export errors" in problem for problem in problems(bad))


def test_placeholders_without_a_use_are_refused() -> None:
    with pytest.raises(CatalogError, match="'vendor' is described but no message uses it"):
        load_catalog([entry(), generic()], {**MEANINGS, "vendor": "a vendor"})


def test_the_generic_code_must_be_present() -> None:
    with pytest.raises(CatalogError, match="code for unrecognised Intacct errors has no entry"):
        load_catalog([entry()], {"account": "a", "card": "c"})
