"""The workspace the preflight and suggestion tests read: a small copy of the sandbox's demo company.

Entity E100 (US-East) exports; account 6400 belongs to E200; card AMEX-1005 posts in E100 and AMEX-2010 in
E200; E200's books are closed through 09/30/2026. Builders take overrides so each case states only what it
changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from ledgerbridge.domain.coding import Category, CompanyCard, IntacctState, Tag
from ledgerbridge.domain.connection import (
    DEFAULT_DIMENSIONS,
    CompanyCardAs,
    ConnectionSettings,
    DimensionImport,
    ExportDate,
    ReimbursableAs,
)
from ledgerbridge.domain.money import Money
from ledgerbridge.domain.reports import Expense, Payment, Report, ReportState
from ledgerbridge.domain.snapshot import (
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctPeriod,
    IntacctVendor,
)
from ledgerbridge.export.view import WorkspaceView, index

WS = "ws-demo"
SYNCED = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
OWNER = "u-maria"
OWNER_EMAIL = "maria.alvarez@cedarridge.example"
OCT = date(2026, 10, 14)
SEP = date(2026, 9, 15)

# account, title, type, owning entity, status, extra facts
CHART: tuple[tuple[str, str, str, str, str, dict[str, Any]], ...] = (
    ("1100", "Accounts Receivable", "balancesheet", "", "active", {"disallow_direct_posting": True}),
    ("1200", "Prepaid Expenses", "balancesheet", "", "active", {}),
    ("2100", "AMEX Corporate Card Payable - East", "balancesheet", "", "active", {}),
    ("2105", "AMEX Corporate Card Payable - West", "balancesheet", "", "active", {}),
    ("2120", "Citi Mastercard Payable - Executive", "balancesheet", "", "active", {}),
    ("2115", "Chase Visa Card Payable - Sales", "balancesheet", "", "active", {}),
    ("5100", "Billable Client Travel", "incomestatement", "", "active",
     {"required_dimensions": frozenset({"PROJECT", "CUSTOMER"})}),
    ("6110", "Airfare", "incomestatement", "", "active", {}),
    ("6120", "Lodging", "incomestatement", "", "active", {}),
    ("6150", "Client Meals and Entertainment", "incomestatement", "", "active",
     {"related": {"LOCATION": frozenset({"E100", "L110", "L120"}), "DEPARTMENT": frozenset({"D100", "D200"})}}),
    ("6160", "Travel Meals", "incomestatement", "", "active", {}),
    ("6180", "Travel - Canada", "incomestatement", "E300", "active", {}),
    ("6210", "Computer Hardware - Expensed", "incomestatement", "", "active",
     {"related": {"DEPARTMENT": frozenset({"D400"})}}),
    ("6300", "Office Supplies", "incomestatement", "", "active", {}),
    ("6400", "Entertainment - West Region", "incomestatement", "E200", "active", {}),
    ("6410", "Entertainment - Company Events", "incomestatement", "", "active", {}),
    ("6500", "Telephone and Internet", "incomestatement", "", "active", {}),
    ("6600", "Training and Education", "incomestatement", "", "active",
     {"required_dimensions": frozenset({"DEPARTMENT"})}),
    ("6950", "Miscellaneous Expense (retired)", "incomestatement", "", "inactive", {}),
)

# expense type (and category name), GL account, status
EXPENSE_TYPES: tuple[tuple[str, str, str], ...] = (
    ("Airfare", "6110", "active"),
    ("Lodging", "6120", "active"),
    ("Client Meals", "6150", "active"),
    ("Travel Meals", "6160", "active"),
    ("Entertainment", "6400", "active"),
    ("Company Events", "6410", "active"),
    ("Computer Hardware", "6210", "active"),
    ("Office Supplies", "6300", "active"),
    ("Phone and Internet", "6500", "active"),
    ("Training", "6600", "active"),
    ("Client Rebillable Travel", "5100", "active"),
    ("Miscellaneous", "6950", "active"),
    ("AMEX Payment", "2100", "active"),
    ("Per Diem", "6160", "inactive"),
)

# categories mapped straight to GL accounts
GL_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("Receivables", "1100"),
    ("Prepaid", "1200"),
    ("Canada Travel", "6180"),
)

# card id, entity, offset account, expires, status
CARD_ACCOUNTS: tuple[tuple[str, str, str, date, str], ...] = (
    ("AMEX-1005", "E100", "2100", date(2028, 12, 31), "active"),
    ("AMEX-2010", "E200", "2105", date(2028, 12, 31), "active"),
    ("MC-7788", "E100", "2120", date(2025, 6, 30), "active"),
    ("VISA-3300", "E100", "2115", date(2027, 3, 31), "inactive"),
)

# workspace card id, last four, charge card account
CARDS: tuple[tuple[str, str, str | None], ...] = (
    ("card-east", "1005", "AMEX-1005"),
    ("card-west", "2010", "AMEX-2010"),
    ("card-exec", "7788", "MC-7788"),
    ("card-sales", "3300", "VISA-3300"),
    ("card-new", "4242", None),
)

# dimension, value, status, entity (locations)
DIMENSION_VALUES: tuple[tuple[str, str, str, str], ...] = (
    *(("DEPARTMENT", d, "active", "") for d in ("D100", "D200", "D300", "D400", "D500")),
    ("DEPARTMENT", "D600", "inactive", ""),
    ("LOCATION", "E100", "active", "E100"),
    ("LOCATION", "E200", "active", "E200"),
    ("LOCATION", "L110", "active", "E100"),
    ("LOCATION", "L120", "active", "E100"),
    ("LOCATION", "L210", "active", "E200"),
    ("LOCATION", "L220", "inactive", "E200"),
    ("CLASS", "C100", "active", ""),
    ("PROJECT", "PRJ-100", "active", ""),
    ("CUSTOMER", "CUST-1001", "active", ""),
)

EMPLOYEES: tuple[IntacctEmployee, ...] = (
    IntacctEmployee(workspace_id=WS, synced_at=SYNCED, employee_id="EMP-001", email=OWNER_EMAIL,
                    name="Maria Alvarez", start_date=date(2019, 3, 4), location="L110", department="D100"),
    IntacctEmployee(workspace_id=WS, synced_at=SYNCED, employee_id="EMP-006", email="robert.kim@cedarridge.example",
                    name="Robert Kim", status="inactive"),
    IntacctEmployee(workspace_id=WS, synced_at=SYNCED, employee_id="EMP-007",
                    email="aisha.bello@cedarridge.example", name="Aisha Bello", start_date=date(2027, 3, 1)),
    IntacctEmployee(workspace_id=WS, synced_at=SYNCED, employee_id="EMP-008",
                    email="alex.morgan@cedarridge.example", name="Alex Morgan"),
    IntacctEmployee(workspace_id=WS, synced_at=SYNCED, employee_id="EMP-009",
                    email="Alex.Morgan@cedarridge.example", name="Alexandra Morgan"),
    IntacctEmployee(workspace_id=WS, synced_at=SYNCED, employee_id="EMP-010", email="shared@cedarridge.example",
                    name="Sam Ortiz", duplicate_email=True),
    IntacctEmployee(workspace_id=WS, synced_at=SYNCED, employee_id="EMP-011", email="shared@cedarridge.example",
                    name="Sam Ortiz Jr.", duplicate_email=True),
)

VENDORS: tuple[tuple[str, str, str, bool], ...] = (
    ("V-AMEX", "American Express", "active", False),
    ("V-SKYWAY", "Skyway Travel Partners", "active", False),
    ("V-IRONBRIDGE", "Ironbridge Coworking", "active", True),
    ("V-PACTEL", "Pacific Coast Telecom", "inactive", False),
    ("V-CCMISC", "Credit Card Misc", "active", False),
)


def category_id(name: str) -> str:
    return "cat-" + name.lower().replace(" ", "-")


def categories() -> list[Category]:
    found = [Category(category_id(name), WS, name, expense_type=name) for name, _, _ in EXPENSE_TYPES]
    found += [Category(category_id(name), WS, name, gl_account=account) for name, account in GL_CATEGORIES]
    found.append(Category(category_id("Old Gifts"), WS, "Old Gifts", enabled=False, expense_type="Company Events"))
    found.append(Category(category_id("Stale Rent"), WS, "Stale Rent", gl_account="6300",
                          intacct_state=IntacctState.MISSING))
    found.append(Category(category_id("Unmapped"), WS, "Unmapped"))
    return found


_SETTING_TYPES: dict[str, Any] = {
    "export_date": ExportDate, "reimbursable_as": ReimbursableAs, "company_card_as": CompanyCardAs,
}


def settings(**changes: Any) -> ConnectionSettings:
    """The demo connection (entity E100, expense reports, card charges) with settings given as plain values."""
    typed = {name: _SETTING_TYPES[name](value) if name in _SETTING_TYPES else value
             for name, value in changes.items()}
    if "dimensions" in typed:
        typed["dimensions"] = {**DEFAULT_DIMENSIONS,
                               **{name: DimensionImport(value) for name, value in typed["dimensions"].items()}}
    return ConnectionSettings(WS, entity=typed.pop("entity", "E100"), **typed)


def view(settings_changes: Mapping[str, Any] | None = None, *, synced: bool = True,
         employees: tuple[IntacctEmployee, ...] = EMPLOYEES, **replace: Any) -> WorkspaceView:
    """The demo workspace, with settings changed and any view field replaced."""
    built = index(
        settings(**dict(settings_changes or {})),
        categories=categories(),
        tags=[Tag(f"tag-{value}", WS, dimension, value, value) for dimension, value, _, _ in DIMENSION_VALUES],
        cards=[CompanyCard(card, WS, f"•••• {last4}", OWNER, account) for card, last4, account in CARDS],
        member_emails={OWNER: OWNER_EMAIL},
        accounts=[IntacctAccount(workspace_id=WS, synced_at=SYNCED, account_no=no, title=title, account_type=kind,
                                 entity=entity, status=status, **extra)
                  for no, title, kind, entity, status, extra in CHART],
        card_accounts=[IntacctCardAccount(workspace_id=WS, synced_at=SYNCED, card_id=card, entity=entity,
                                          offset_account=offset, expires=expires, status=status, vendor_id="V-AMEX")
                       for card, entity, offset, expires, status in CARD_ACCOUNTS],
        expense_types=[IntacctExpenseType(workspace_id=WS, synced_at=SYNCED, name=name, gl_account=account,
                                          status=status) for name, account, status in EXPENSE_TYPES],
        employees=employees,
        vendors=[IntacctVendor(workspace_id=WS, synced_at=SYNCED, vendor_id=vendor, name=name, status=status,
                               on_hold=on_hold) for vendor, name, status, on_hold in VENDORS],
        dimension_values=[IntacctDimensionValue(workspace_id=WS, synced_at=SYNCED, dimension=dimension,
                                                value_id=value, name=value, status=status,
                                                extra={"entity": entity} if entity else {})
                          for dimension, value, status, entity in DIMENSION_VALUES],
        periods=[IntacctPeriod(workspace_id=WS, synced_at=SYNCED, entity="E200", closed_through=date(2026, 9, 30))],
        synced=synced,
    )
    return dataclasses.replace(built, **replace) if replace else built


def report(state: ReportState = ReportState.APPROVED, **changes: Any) -> Report:
    return Report(id="R-7", workspace_id=WS, owner=OWNER, title="October travel", currency="USD",
                  created_at=SYNCED, state=state, **changes)


def expense(
    expense_id: str,
    category: str | None,
    *,
    amount: str = "120.00",
    on: date = OCT,
    card: str | None = None,
    tags: Mapping[str, str] | None = None,
    **changes: Any,
) -> Expense:
    """An expense in category `category` (by name); a card makes it company card spend on that card."""
    return Expense(
        id=expense_id, report_id="R-7", spent_on=on, merchant=changes.pop("merchant", "Harbor Grill"),
        amount=Money.of(amount, "USD"), category_id=category_id(category) if category else None,
        tags=dict(tags or {}), payment=Payment.COMPANY_CARD if card else Payment.REIMBURSABLE, card_id=card,
        **changes,
    )
