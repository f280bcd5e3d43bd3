"""How synced Intacct facts become categories and tags."""

from __future__ import annotations

from datetime import UTC, datetime

from ledgerbridge.domain import (
    CategoriesFrom,
    Category,
    ConnectionSettings,
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctState,
    Origin,
    Tag,
)
from ledgerbridge.sync._mapping import flag_duplicate_emails, plan_categories, plan_tags

WS = "ws1"
AT = datetime(2026, 11, 30, tzinfo=UTC)


def account(no: str, *, entity: str = "", status: str = "active", kind: str = "incomestatement") -> IntacctAccount:
    return IntacctAccount(workspace_id=WS, synced_at=AT, account_no=no, title=f"Account {no}", entity=entity,
                          status=status, account_type=kind)


CHART = {a.account_no: a for a in (account("6110"), account("6400", entity="E200"), account("6950", status="inactive"),
                                   account("2100", kind="balancesheet"))}
TYPES = {
    "Airfare": IntacctExpenseType(workspace_id=WS, synced_at=AT, name="Airfare", gl_account="6110"),
    "Entertainment": IntacctExpenseType(workspace_id=WS, synced_at=AT, name="Entertainment", gl_account="6400"),
    "AMEX Payment": IntacctExpenseType(workspace_id=WS, synced_at=AT, name="AMEX Payment", gl_account="2100"),
}
CARDS = [IntacctCardAccount(workspace_id=WS, synced_at=AT, card_id="AMEX-1005", offset_account="2100")]


def test_entity_owned_account_is_restricted_at_the_top_level_only() -> None:
    top = plan_categories(WS, ConnectionSettings(WS), [], CHART, TYPES, CARDS)
    by_name = {c.name: c for c in top.added if isinstance(c, Category)}
    assert by_name["Entertainment"].intacct_state is IntacctState.RESTRICTED
    assert "account 6400 belongs to entity E200" in by_name["Entertainment"].intacct_note
    assert "offset account of charge card AMEX-1005" in by_name["AMEX Payment"].intacct_note
    west = plan_categories(WS, ConnectionSettings(WS, entity="E200"), [], CHART, TYPES, CARDS)
    assert {c.name: c for c in west.added if isinstance(c, Category)}["Entertainment"].intacct_state is IntacctState.OK


def test_chart_of_accounts_imports_active_expense_accounts() -> None:
    settings = ConnectionSettings(WS, categories_from=CategoriesFrom.CHART_OF_ACCOUNTS)
    plan = plan_categories(WS, settings, [], CHART, TYPES, CARDS)
    assert sorted(c.gl_account or "" for c in plan.added if isinstance(c, Category)) == ["6110", "6400"]


def test_inactive_account_disables_its_category_and_reactivation_restores_it() -> None:
    used = Category("c1", WS, "Supplies", gl_account="6950", origin=Origin.INTACCT)
    settings = ConnectionSettings(WS, categories_from=CategoriesFrom.CHART_OF_ACCOUNTS)
    plan = plan_categories(WS, settings, [used], CHART, TYPES, CARDS)
    (saved,) = plan.saved
    assert isinstance(saved, Category) and not saved.enabled and saved.intacct_state is IntacctState.INACTIVE
    assert plan.disabled == 1
    back = {**CHART, "6950": account("6950")}
    (restored,) = plan_categories(WS, settings, [saved], back, TYPES, CARDS).saved
    assert isinstance(restored, Category) and restored.enabled and restored.intacct_state is IntacctState.OK


def test_vanished_account_marks_category_missing_without_deleting_it() -> None:
    gone = Category("c2", WS, "Old", gl_account="6999", origin=Origin.INTACCT)
    settings = ConnectionSettings(WS, categories_from=CategoriesFrom.CHART_OF_ACCOUNTS)
    (saved,) = plan_categories(WS, settings, [gone], CHART, TYPES, CARDS).saved
    assert isinstance(saved, Category) and saved.intacct_state is IntacctState.MISSING and not saved.enabled


def test_tags_follow_dimension_values() -> None:
    values = {
        "D100": IntacctDimensionValue(workspace_id=WS, synced_at=AT, dimension="DEPARTMENT", value_id="D100",
                                      name="Consulting"),
        "D600": IntacctDimensionValue(workspace_id=WS, synced_at=AT, dimension="DEPARTMENT", value_id="D600",
                                      name="Closed", status="inactive"),
    }
    existing = [Tag("t1", WS, "DEPARTMENT", "D600", "Closed", origin=Origin.INTACCT)]
    plan = plan_tags(WS, "DEPARTMENT", ConnectionSettings(WS), existing, values)
    assert [t.code for t in plan.added if isinstance(t, Tag)] == ["D100"]
    (saved,) = plan.saved
    assert isinstance(saved, Tag) and not saved.enabled and saved.intacct_state is IntacctState.INACTIVE


def test_duplicate_emails_compare_exactly() -> None:
    def employee(eid: str, email: str) -> IntacctEmployee:
        return IntacctEmployee(workspace_id=WS, synced_at=AT, employee_id=eid, email=email)

    flagged = flag_duplicate_emails([employee("E1", "a@x.example"), employee("E2", "A@x.example"),
                                     employee("E3", "b@x.example"), employee("E4", "b@x.example")])
    assert sorted(e.employee_id for e in flagged) == ["E3", "E4"]
