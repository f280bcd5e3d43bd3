"""The INT catalog: every code present, rendered with real values, fix steps that say where and who."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerbridge.catalog import (
    CATALOG,
    UNKNOWN_CODE,
    Action,
    Kind,
    Place,
    PlaceholderValueError,
    UnknownCodeError,
    render,
    render_unknown,
)
from ledgerbridge.catalog.model import placeholders_of

# The 34 codes of research/expensify-intacct.md, section 2, with the kind each is filed under.
SYNC_CODES = {"INT068", "INT122", "INT245", "INT402", "INT498", "INT576"}
CONNECTION_CODES = {"INT907"}
EXPORT_CODES = {
    "INT009", "INT012", "INT028", "INT035", "INT043", "INT054", "INT073", "INT083", "INT084", "INT088",
    "INT093", "INT149", "INT176", "INT194", "INT205", "INT225", "INT304", "INT446", "INT459", "INT480",
    "INT503", "INT592", "INT664", "INT680", "INT771", "INT860", "INT993",
}
RESEARCH_CODES = SYNC_CODES | CONNECTION_CODES | EXPORT_CODES

SAMPLE_VALUES = {
    "account": "6400", "card": "AMEX-1005", "category": "Travel", "customer": "C-100",
    "dimension": "Region", "email": "jo.doe@example.com", "employee": "EMP-7", "expense": "Taxi on 2026-03-02",
    "export_date": "03/31/2026", "intacct_error": "BL01001973", "intacct_text": "Invalid Project 'P-9'.",
    "journal": "CCJ",
    "line": "3", "open_from": "04/01/2026", "project": "P-9", "report": "March travel", "smart_rule": "SR-12",
    "tag": "Dept 40", "tax_rate": "Manual VAT 20%", "vendor": "VEN-000123",
}


def fullest_values(code: str) -> dict[str, str]:
    return {name: SAMPLE_VALUES[name] for name in placeholders_of(CATALOG.get(code).messages[0])}


def test_every_research_code_is_in_the_catalog_with_its_kind() -> None:
    codes = {entry.code for entry in CATALOG}
    assert len(RESEARCH_CODES) == 34
    assert codes == RESEARCH_CODES | {UNKNOWN_CODE}
    for entry in CATALOG:
        if entry.code in SYNC_CODES:
            assert entry.kind is Kind.SYNC, entry.code
        elif entry.code in CONNECTION_CODES:
            assert entry.kind is Kind.CONNECTION, entry.code
        else:
            assert entry.kind is Kind.EXPORT, entry.code


def test_the_generic_code_cannot_collide_with_a_real_one() -> None:
    assert UNKNOWN_CODE == "INT000"
    assert UNKNOWN_CODE not in RESEARCH_CODES


def test_int860_reads_exactly_as_the_founding_case() -> None:
    rendered = render("INT860", account="6400", card="AMEX-1005")
    assert rendered.message == (
        "INT860 Export Error: Sage Intacct couldn't create the transaction because account 6400 "
        "(linked to Credit Card AMEX-1005) is restricted."
    )


def test_int860_names_the_category_when_one_led_to_the_account() -> None:
    with_card = render("INT860", account=6400, card="AMEX-1005", category="Travel")
    without_card = render("INT860", account=6400, category="Travel")
    assert "account 6400 (linked to Credit Card AMEX-1005, reached through category Travel)" in with_card.message
    assert without_card.message == (
        "INT860 Export Error: Sage Intacct couldn't create the transaction because account 6400 "
        "(reached through category Travel) is restricted."
    )
    assert render("INT860", account="6400", card=None).message.endswith("account 6400 is restricted.")


def test_int860_fix_paths_match_the_founding_flow() -> None:
    lift, recategorize = render("INT860", account="6400", card="AMEX-1005").fixes
    assert lift.needs_intacct_admin
    assert lift.needs_sync
    assert "GL account 6400" in lift.steps[0].text
    assert [step.place for step in lift.steps] == [
        Place.SAGE_INTACCT, Place.SAGE_INTACCT, Place.WORKSPACE_SETTINGS, Place.REPORT,
    ]
    assert [step.action for step in lift.steps[-2:]] == [Action.SYNC_NOW, Action.RETRY_EXPORT]
    assert not recategorize.needs_intacct_admin
    assert not recategorize.needs_sync
    assert recategorize.steps[0].place is Place.REPORT


def test_int860_faq_answers_the_founding_questions() -> None:
    questions = [item.question for item in render("INT860", account="6400").faq]
    assert any("disconnected" in question for question in questions)
    assert any("another category" in question for question in questions)
    assert any("admin" in question for question in questions)


@pytest.mark.parametrize("code", sorted(RESEARCH_CODES | {UNKNOWN_CODE}))
def test_every_code_renders_with_real_values_everywhere(code: str) -> None:
    values = fullest_values(code)
    rendered = render(code, **values)
    entry = CATALOG.get(code)
    assert rendered.message.startswith(f"{code} {entry.kind.label}: ")
    texts = [rendered.message, rendered.why] + [step.text for path in rendered.fixes for step in path.steps]
    for text in texts:
        assert "{" not in text, text
    for value in values.values():
        assert value in rendered.message
    assert rendered.faq
    assert dict(rendered.values) == values


@pytest.mark.parametrize("code", sorted(RESEARCH_CODES))
def test_every_message_variant_can_be_chosen(code: str) -> None:
    for template in CATALOG.get(code).messages:
        values = {name: SAMPLE_VALUES[name] for name in placeholders_of(template)}
        assert render(code, **values).message.endswith(template.format(**values))


@pytest.mark.parametrize("entry", list(CATALOG), ids=lambda entry: entry.code)
def test_every_way_out_of_an_export_error_ends_by_retrying(entry: Any) -> None:
    for path in entry.fixes:
        actions = [step.action for step in path.steps]
        if entry.kind is Kind.EXPORT:
            assert Action.RETRY_EXPORT in actions, (entry.code, path.title)
        else:
            assert Action.RETRY_EXPORT not in actions
        for step in path.steps:
            if step.place is not Place.SAGE_INTACCT:
                assert not step.needs_intacct_admin, (entry.code, step.text)


def test_sync_needs_follow_the_documented_cases() -> None:
    for code in ("INT680", "INT194"):
        assert not any(path.needs_sync for path in CATALOG.get(code).fixes), code
    for code in ("INT176", "INT907"):
        assert not any(path.needs_sync for path in CATALOG.get(code).fixes), code
    for code in ("INT054", "INT446", "INT093", "INT122"):
        assert CATALOG.get(code).needs_sync, code
    assert CATALOG.get("INT054").needs_intacct_admin
    assert not CATALOG.get("INT035").needs_intacct_admin


def test_missing_value_is_a_clear_error() -> None:
    with pytest.raises(PlaceholderValueError, match="INT860 needs a value for 'account'"):
        render("INT860", card="AMEX-1005")
    with pytest.raises(PlaceholderValueError, match="INT446 needs a value for 'vendor'"):
        render("INT446")


def test_misspelt_or_blank_values_are_refused() -> None:
    with pytest.raises(PlaceholderValueError, match=r"no placeholder 'acount'.*account, card, category"):
        render("INT860", acount="6400")
    with pytest.raises(PlaceholderValueError, match="value for 'account' is blank"):
        render("INT860", account="  ")


def test_unknown_code_is_refused() -> None:
    with pytest.raises(UnknownCodeError, match="INT999"):
        render("INT999")


def test_codes_are_found_regardless_of_case() -> None:
    assert render("int446", vendor="VEN-1").code == "INT446"


def test_unknown_intacct_errors_keep_intacct_text() -> None:
    rendered = render_unknown("Invalid Project 'P-9' specified.", intacct_error="BL01001973")
    assert rendered.code == "INT000"
    assert rendered.message == (
        "INT000 Export Error: Sage Intacct returned error BL01001973: Invalid Project 'P-9' specified."
    )
    during_sync = render_unknown("Something odd.", kind=Kind.SYNC)
    assert during_sync.message == "INT000 Sync Error: Sage Intacct returned an error: Something odd."
    assert during_sync.kind is Kind.SYNC


def test_rendered_errors_and_entries_serialise_to_json() -> None:
    rendered = render("INT860", account="6400", card="AMEX-1005")
    data = json.loads(json.dumps(rendered.as_dict()))
    assert data["values"] == {"account": "6400", "card": "AMEX-1005"}
    assert data["fixes"][0]["steps"][-1]["action"] == "retry_export"
    assert json.loads(json.dumps([entry.as_dict() for entry in CATALOG]))


safe_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1).filter(
    lambda text: text.strip() == text and text != ""
)


@given(account=safe_text, card=safe_text)
def test_values_appear_verbatim_and_are_never_reinterpreted(account: str, card: str) -> None:
    message = render("INT860", account=account, card=card).message
    assert message == (
        f"INT860 Export Error: Sage Intacct couldn't create the transaction because account {account} "
        f"(linked to Credit Card {card}) is restricted."
    )
