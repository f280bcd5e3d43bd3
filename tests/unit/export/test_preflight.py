"""Preflight predicts, before anything is sent, each refusal synced data can foresee: one case per rule.

Each case is a report on the demo workspace (see test_preflight_demo.py), the settings it changes, and the
findings expected, by code, expense and the values the message names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from test_preflight_demo import OWNER_EMAIL, SEP, expense, report, view

from ledgerbridge.domain.reports import Expense, ReportState
from ledgerbridge.export.preflight import Finding, Restriction, preflight


@dataclass(frozen=True)
class Expect:
    code: str
    expense_id: str | None
    values: dict[str, str] = field(default_factory=dict)
    restriction: Restriction | None = None


@dataclass(frozen=True)
class Case:
    name: str
    expenses: tuple[Expense, ...]
    expected: tuple[Expect, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    export_date: date | None = None
    owner_email: str | None = None


def _shape(found: list[Finding]) -> list[Expect]:
    return [Expect(item.code, item.expense_id, item.values, item.restriction) for item in found]


CARD_CHARGES = {"company_card_as": "credit_card_charge"}
BILLS = {"reimbursable_as": "vendor_bill"}
JOURNAL = {"company_card_as": "journal_entry"}

CASES = [
    Case("entity-private account on a card charge (the founding INT860)",
         (expense("e1", "Entertainment", card="card-east"),),
         (Expect("INT860", "e1", {"account": "6400", "card": "AMEX-1005", "category": "Entertainment"},
                 Restriction.ENTITY_PRIVATE),)),
    Case("the same charge on the card of the account's own entity posts",
         (expense("e1", "Entertainment", card="card-west"),), ()),
    Case("entity-private account on an expense report of another entity",
         (expense("e1", "Canada Travel"),),
         (Expect("INT860", "e1", {"account": "6180", "category": "Canada Travel"}, Restriction.ENTITY_PRIVATE),)),
    Case("a location of the owning entity makes the line post there",
         (expense("e1", "Entertainment", tags={"LOCATION": "L210"}),), ()),
    Case("department outside the account's dimension relationships",
         (expense("e1", "Client Meals", tags={"DEPARTMENT": "D300", "LOCATION": "L110"}),),
         (Expect("INT860", "e1", {"account": "6150", "category": "Client Meals"},
                 Restriction.DIMENSION_RELATIONSHIP),)),
    Case("location outside the account's dimension relationships",
         (expense("e1", "Computer Hardware", tags={"DEPARTMENT": "D100"}),),
         (Expect("INT860", "e1", {"account": "6210", "category": "Computer Hardware"},
                 Restriction.DIMENSION_RELATIONSHIP),)),
    Case("inactive account behind an active expense type",
         (expense("e1", "Miscellaneous"),),
         (Expect("INT860", "e1", {"account": "6950", "category": "Miscellaneous"}, Restriction.INACTIVE),)),
    Case("a card's offset account used as an expense line names that card",
         (expense("e1", "AMEX Payment"),),
         (Expect("INT860", "e1", {"account": "2100", "card": "AMEX-1005", "category": "AMEX Payment"},
                 Restriction.CARD_OFFSET),)),
    Case("direct posting disallowed, on a journal entry",
         (expense("e1", "Receivables", card="card-east"),),
         (Expect("INT860", "e1", {"account": "1100", "card": "AMEX-1005", "category": "Receivables"},
                 Restriction.DIRECT_POSTING),), settings=JOURNAL),
    Case("direct posting disallowed does not concern a card charge",
         (expense("e1", "Receivables", card="card-east"),), ()),
    Case("account requires a department the line lacks",
         (expense("e1", "Training"),),
         (Expect("INT073", "e1", {"account": "6600", "dimension": "Department"}),)),
    Case("account requires project and customer",
         (expense("e1", "Client Rebillable Travel", tags={"PROJECT": "PRJ-100"}),),
         (Expect("INT073", "e1", {"account": "5100", "dimension": "Customer"}),)),
    Case("category behind an inactive expense type",
         (expense("e1", "Per Diem"),), (Expect("INT459", "e1", {"category": "Per Diem"}),)),
    Case("disabled category", (expense("e1", "Old Gifts"),), (Expect("INT459", "e1", {"category": "Old Gifts"}),)),
    Case("category whose account sync found missing",
         (expense("e1", "Stale Rent"),), (Expect("INT459", "e1", {"category": "Stale Rent"}),)),
    Case("category mapped to nothing", (expense("e1", "Unmapped"),),
         (Expect("INT459", "e1", {"category": "Unmapped"}),)),
    Case("uncategorized expense", (expense("e1", None),),
         (Expect("INT680", "e1", {"expense": "Harbor Grill, 10/14/2026"}),)),
    Case("inactive tag", (expense("e1", "Airfare", tags={"DEPARTMENT": "D600"}),),
         (Expect("INT084", "e1", {"line": "1", "tag": "D600"}),)),
    Case("tag unknown to Sage Intacct, on the second line",
         (expense("e1", "Airfare"), expense("e2", "Lodging", tags={"CLASS": "C999"})),
         (Expect("INT084", "e2", {"line": "2", "tag": "C999"}),)),
    Case("$0 line with stale coding is one INT304",
         (expense("e1", "Per Diem", amount="0.00", tags={"DEPARTMENT": "D600"}),),
         (Expect("INT304", "e1", {"expense": "Harbor Grill, 10/14/2026"}),)),
    Case("no employee has the submitter's email exactly (letter case counts)",
         (expense("e1", "Airfare"),), (Expect("INT054", None, {"email": "Maria.Alvarez@cedarridge.example"}),),
         owner_email="Maria.Alvarez@cedarridge.example"),
    Case("two employees share the submitter's email",
         (expense("e1", "Airfare"),), (Expect("INT149", None, {"email": "shared@cedarridge.example"}),),
         owner_email="shared@cedarridge.example"),
    Case("emails differing only in letter case are different employees",
         (expense("e1", "Airfare"),), (), owner_email="alex.morgan@cedarridge.example"),
    Case("employees are only matched for expense reports",
         (expense("e1", "Airfare", vendor="V-SKYWAY"),), (), settings=BILLS,
         owner_email="nobody@cedarridge.example"),
    Case("inactive employee", (expense("e1", "Airfare"),),
         (Expect("PF-EMPLOYEE-INACTIVE", None, {"employee": "EMP-006", "email": "robert.kim@cedarridge.example"}),),
         owner_email="robert.kim@cedarridge.example"),
    Case("expense report dated before the employee starts", (expense("e1", "Airfare"),),
         (Expect("PF-EMPLOYEE-START", None, {"employee": "EMP-007", "email": "aisha.bello@cedarridge.example",
                                             "start_date": "03/01/2027"}),),
         owner_email="aisha.bello@cedarridge.example"),
    Case("vendor on hold", (expense("e1", "Airfare", vendor="V-IRONBRIDGE"),),
         (Expect("INT446", "e1", {"vendor": "V-IRONBRIDGE"}),), settings=BILLS),
    Case("default vendor on hold, once for the report",
         (expense("e1", "Airfare"), expense("e2", "Lodging")),
         (Expect("INT446", None, {"vendor": "V-IRONBRIDGE"}),), settings={**BILLS, "default_vendor": "V-IRONBRIDGE"}),
    Case("inactive vendor", (expense("e1", "Airfare", vendor="V-PACTEL"),),
         (Expect("PF-VENDOR", "e1", {"vendor": "V-PACTEL"}),), settings=BILLS),
    Case("vendor unknown to Sage Intacct", (expense("e1", "Airfare", vendor="V-GONE"),),
         (Expect("PF-VENDOR", "e1", {"vendor": "V-GONE"}),), settings=BILLS),
    Case("card spend as bills falls back to 'Credit Card Misc'",
         (expense("e1", "Airfare", card="card-east"),), (), settings={"company_card_as": "vendor_bill"}),
    Case("expired charge card", (expense("e1", "Airfare", card="card-exec"),),
         (Expect("INT093", "e1", {"card": "MC-7788"}),)),
    Case("inactive charge card", (expense("e1", "Airfare", card="card-sales"),),
         (Expect("PF-CARD-INACTIVE", "e1", {"card": "VISA-3300"}),)),
    Case("card without a charge card account", (expense("e1", "Airfare", card="card-new"),),
         (Expect("PF-CARD-MAPPING", "e1", {"card": "•••• 4242"}),)),
    Case("the workspace's default charge card account maps an unmapped card",
         (expense("e1", "Airfare", card="card-new"),), (), settings={"default_charge_card_account": "AMEX-1005"}),
    Case("closed period for the last expense date",
         (expense("e1", "Airfare", on=SEP), expense("e2", "Lodging", on=date(2026, 9, 20))),
         (Expect("INT035", None, {"open_from": "10/01/2026"}),), settings={"entity": "E200"}),
    Case("closed period for the submitted date",
         (expense("e1", "Airfare", on=date(2026, 10, 2)),),
         (Expect("INT035", None, {"open_from": "10/01/2026"}),),
         settings={"entity": "E200", "export_date": "submitted"},
         report={"submitted_at": datetime(2026, 9, 29, 17, 0, tzinfo=UTC)}),
    Case("closed period for the exported date",
         (expense("e1", "Airfare", on=date(2026, 10, 2)),), (Expect("INT035", None, {"open_from": "10/01/2026"}),),
         settings={"entity": "E200", "export_date": "exported"}, export_date=date(2026, 9, 30)),
    Case("an open exported date passes", (expense("e1", "Airfare", on=SEP),), (),
         settings={"entity": "E200", "export_date": "exported"}, export_date=date(2026, 10, 1)),
    Case("card charges use the transaction date, in the card's entity",
         (expense("e1", "Airfare", card="card-west", on=SEP), expense("e2", "Airfare", card="card-west")),
         (Expect("INT035", "e1", {"open_from": "10/01/2026"}),)),
    Case("billable with no customer or project imported",
         (expense("e1", "Airfare", billable=True),),
         (Expect("INT194", "e1", {"expense": "Harbor Grill, 10/14/2026"}),)),
    Case("billable on a balance sheet category",
         (expense("e1", "Prepaid", billable=True, tags={"PROJECT": "PRJ-100"}),),
         (Expect("INT083", "e1", {"category": "Prepaid"}),), settings={"dimensions": {"PROJECT": "tag"}}),
    Case("negative expense report total",
         (expense("e1", "Airfare", amount="-200.00"), expense("e2", "Lodging", amount="50.00")),
         (Expect("PF-NEGATIVE-TOTAL", None, {"report": "October travel"}),)),
    Case("report not approved", (expense("e1", "Airfare"),),
         (Expect("PF-APPROVAL", None, {"report": "October travel"}),), report={"state": ReportState.SUBMITTED}),
    Case("a re-export of an exported report is allowed", (expense("e1", "Airfare"),), (),
         report={"state": ReportState.EXPORTED}),
    Case("an exported report not marked for re-export is not", (expense("e1", "Airfare"),),
         (Expect("PF-APPROVAL", None, {"report": "October travel"}),),
         report={"state": ReportState.EXPORTED, "export_status": "exported"}),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_rule(case: Case) -> None:
    found = preflight(report(**case.report), case.expenses, view(case.settings),
                      export_date=case.export_date, owner_email=case.owner_email)
    assert _shape(found) == list(case.expected)
    assert all(item.blocking for item in found)


def test_lines_are_checked_independently_and_all_at_once() -> None:
    """Every line-level case together in one report finds exactly what each found on its own."""
    line_cases = [case for case in CASES if not (case.settings or case.report or case.owner_email)
                  and all(item.expense_id for item in case.expected)]
    together = [dataclasses.replace(item, id=f"{n}-{item.id}")
                for n, case in enumerate(line_cases) for item in case.expenses]
    expected = [(f"{n}-{item.expense_id}", item.code, item.restriction)
                for n, case in enumerate(line_cases) for item in case.expected]
    found = preflight(report(), together, view())
    assert [(item.expense_id, item.code, item.restriction) for item in found] == expected


def test_founding_message_names_account_card_and_category() -> None:
    (found,) = preflight(report(), [expense("e1", "Entertainment", card="card-east")], view())
    assert found.message == (
        "INT860 Export Error: Sage Intacct couldn't create the transaction because account 6400 (linked to "
        "Credit Card AMEX-1005, reached through category Entertainment) is restricted.")
    assert "E200" in found.detail
    assert found.fixes[0].needs_sync
    assert found.fixes[0].needs_intacct_admin


def test_all_problems_at_once() -> None:
    expenses = [
        expense("e1", "Entertainment", card="card-east"),
        expense("e2", None),
        expense("e3", "Training", tags={"DEPARTMENT": "D600"}),
        expense("e4", "Airfare", card="card-exec", billable=True),
        expense("e5", "Per Diem", amount="0.00"),
    ]
    found = preflight(report(state=ReportState.SUBMITTED), expenses, view(),
                      owner_email="Maria.Alvarez@cedarridge.example")
    assert [(item.code, item.expense_id) for item in found] == [
        ("PF-APPROVAL", None),
        ("INT054", None),
        ("INT860", "e1"),
        ("INT680", "e2"),
        ("INT084", "e3"),
        ("INT093", "e4"),
        ("INT194", "e4"),
        ("INT304", "e5"),
    ]


def test_a_line_outside_both_relationships_reports_each() -> None:
    found = preflight(report(), [expense("e1", "Client Meals", card="card-west",
                                         tags={"DEPARTMENT": "D300"})], view())
    assert [(item.code, item.restriction) for item in found] == [
        ("INT860", Restriction.DIMENSION_RELATIONSHIP), ("INT860", Restriction.DIMENSION_RELATIONSHIP)]
    assert "locations E100, L110, L120; the line has no location" in found[0].detail
    assert "the line has department D300" in found[1].detail


def test_employee_default_dimensions_count_for_the_line() -> None:
    settings = {"dimensions": {"DEPARTMENT": "employee_default", "LOCATION": "employee_default"}}
    found = preflight(report(), [expense("e1", "Training"), expense("e2", "Client Meals")], view(settings),
                      owner_email=OWNER_EMAIL)
    assert found == []


def test_an_unsynced_workspace_is_a_warning_not_a_flood() -> None:
    found = preflight(report(), [expense("e1", "Entertainment", card="card-east"), expense("e2", None)],
                      view(synced=False))
    assert [(item.code, item.blocking) for item in found] == [("PF-NOT-SYNCED", False), ("INT680", True)]


def test_findings_are_json_ready() -> None:
    (found,) = preflight(report(), [expense("e1", "Entertainment", card="card-east")], view())
    shown = found.as_dict()
    assert shown["code"] == "INT860"
    assert shown["expense_id"] == "e1"
    assert shown["restriction"] == "entity_private"
    assert shown["values"] == {"account": "6400", "card": "AMEX-1005", "category": "Entertainment"}
