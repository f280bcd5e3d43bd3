"""Fix suggestions: the categories that fit a refused line, one-step settings changes, Sync Now and Retry."""

from __future__ import annotations

from datetime import date

import pytest
from test_preflight_demo import SEP, category_id, expense, report, view

from ledgerbridge.catalog import Action
from ledgerbridge.export.preflight import preflight
from ledgerbridge.export.suggest import (
    SuggestionKind,
    UnknownExpenses,
    categories_for,
    recategorize,
    suggest,
)


def test_founding_case_suggests_an_unrestricted_category_first() -> None:
    expenses = [expense("e1", "Entertainment", card="card-east")]
    found = preflight(report(), expenses, view())
    suggestions = suggest(report(), expenses, view(), found)

    assert [s.kind for s in suggestions] == [
        SuggestionKind.RECATEGORIZE, SuggestionKind.SYNC_NOW, SuggestionKind.RETRY_EXPORT]
    move = suggestions[0]
    assert move.codes == ("INT860",)
    assert move.expense_ids == ("e1",)
    assert (move.categories[0].name, move.categories[0].account_no) == ("Company Events", "6410")
    offered = {option.name for option in move.categories}
    # Restricted for this line: another entity's, inactive, the card's offset, relationships, required dimension.
    assert offered.isdisjoint({"Entertainment", "Miscellaneous", "AMEX Payment", "Client Meals",
                               "Computer Hardware", "Training", "Canada Travel", "Per Diem", "Old Gifts"})
    assert suggestions[1].action is Action.SYNC_NOW
    assert suggestions[2].action is Action.RETRY_EXPORT


def test_recategorizing_to_the_suggestion_clears_preflight() -> None:
    expenses = [expense("e1", "Entertainment", card="card-east")]
    move = suggest(report(), expenses, view(), preflight(report(), expenses, view()))[0]
    moved, detail = recategorize(expenses, move.expense_ids, move.categories[0].category_id)
    assert preflight(report(), moved, view()) == []
    assert detail == {"category_id": category_id("Company Events"),
                      "changed": [{"expense_id": "e1", "from": category_id("Entertainment"),
                                   "to": category_id("Company Events")}],
                      "unchanged": []}


def test_ranking_prefers_the_same_account_type_then_the_nearest_number() -> None:
    # AMEX Payment points at 2100, a balance sheet account: balance sheet categories come first.
    options = categories_for(report(), expense("e1", "AMEX Payment", card="card-east"), view())
    assert [(o.name, o.account_no) for o in options[:2]] == [("Prepaid", "1200"), ("Receivables", "1100")]
    # Then income statement accounts, nearest number first (5100 wants a project and a customer the line lacks).
    assert [o.account_no for o in options[2:5]] == ["6110", "6120", "6160"]


def test_categories_respect_the_lines_dimensions() -> None:
    in_boston = categories_for(report(), expense("e1", "Entertainment", tags={"LOCATION": "L120",
                                                                              "DEPARTMENT": "D100"}), view())
    in_seattle = categories_for(report(), expense("e1", "Entertainment", tags={"LOCATION": "L210",
                                                                               "DEPARTMENT": "D100"}), view())
    assert "Client Meals" in {o.name for o in in_boston}
    assert "Client Meals" not in {o.name for o in in_seattle}
    assert "Training" in {o.name for o in in_boston}


def test_lines_with_the_same_options_share_one_suggestion() -> None:
    expenses = [expense("e1", "Entertainment", card="card-east"), expense("e2", "Entertainment", card="card-east"),
                expense("e3", "Miscellaneous")]
    moves = [s for s in suggest(report(), expenses, view(), preflight(report(), expenses, view()))
             if s.kind is SuggestionKind.RECATEGORIZE]
    assert [m.expense_ids for m in moves] == [("e1", "e2"), ("e3",)]


def test_closed_period_suggests_the_exported_date_when_it_is_open() -> None:
    expenses = [expense("e1", "Airfare", on=SEP)]
    west = view({"entity": "E200"})
    found = preflight(report(), expenses, west)
    (switch,) = [s for s in suggest(report(), expenses, west, found, export_date=date(2026, 11, 30))
                 if s.kind is SuggestionKind.SWITCH_EXPORT_DATE]
    assert (switch.setting, switch.value, switch.codes) == ("export_date", "exported", ("INT035",))


@pytest.mark.parametrize("today", [None, date(2026, 9, 30)], ids=["export day unknown", "export day closed too"])
def test_no_export_date_switch_when_it_would_not_help(today: date | None) -> None:
    expenses = [expense("e1", "Airfare", on=SEP)]
    west = view({"entity": "E200"})
    kinds = {s.kind for s in suggest(report(), expenses, west, preflight(report(), expenses, west), export_date=today)}
    assert SuggestionKind.SWITCH_EXPORT_DATE not in kinds


def test_card_charges_in_a_closed_period_get_no_export_date_switch() -> None:
    expenses = [expense("e1", "Airfare", card="card-west", on=SEP)]
    found = preflight(report(), expenses, view())
    kinds = [s.kind for s in suggest(report(), expenses, view(), found, export_date=date(2026, 11, 30))]
    assert kinds == [SuggestionKind.SYNC_NOW, SuggestionKind.RETRY_EXPORT]


def test_billable_without_billable_settings_suggests_clearing_the_flag() -> None:
    expenses = [expense("e1", "Airfare", billable=True), expense("e2", "Lodging")]
    found = preflight(report(), expenses, view())
    suggestions = suggest(report(), expenses, view(), found)
    assert [(s.kind, s.expense_ids) for s in suggestions] == [
        (SuggestionKind.CLEAR_BILLABLE, ("e1",)), (SuggestionKind.RETRY_EXPORT, ())]


def test_nothing_to_suggest_for_a_clean_report() -> None:
    expenses = [expense("e1", "Airfare")]
    assert suggest(report(), expenses, view(), preflight(report(), expenses, view())) == []


def test_recategorize_records_only_what_changed() -> None:
    expenses = [expense("e1", "Entertainment"), expense("e2", "Company Events"), expense("e3", "Airfare")]
    moved, detail = recategorize(expenses, ["e1", "e2"], category_id("Company Events"))
    assert [e.category_id for e in moved] == [category_id("Company Events")] * 2 + [category_id("Airfare")]
    assert [c["expense_id"] for c in detail["changed"]] == ["e1"]
    assert detail["unchanged"] == ["e2"]
    assert expenses[0].category_id == category_id("Entertainment")


def test_recategorize_refuses_expenses_not_on_the_report() -> None:
    with pytest.raises(UnknownExpenses, match="e9"):
        recategorize([expense("e1", "Airfare")], ["e1", "e9"], category_id("Lodging"))


def test_suggestions_are_json_ready() -> None:
    expenses = [expense("e1", "Entertainment", card="card-east")]
    shown = suggest(report(), expenses, view(), preflight(report(), expenses, view()))[0].as_dict()
    assert shown["kind"] == "recategorize"
    assert shown["categories"][0]["account_no"] == "6410"
