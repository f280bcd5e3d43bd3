"""A workspace view of the demo company as Sync Now would have stored it, for payload tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ledgerbridge.domain import ConnectionSettings, Money, Payment, Report, ReportState
from ledgerbridge.domain.coding import Category, CompanyCard
from ledgerbridge.domain.reports import Expense
from ledgerbridge.domain.snapshot import (
    IntacctAccount,
    IntacctCardAccount,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctVendor,
)
from ledgerbridge.export.view import WorkspaceView, index

WORKSPACE = "ws-demo"
SYNCED = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
OWNER = "u-maria"
OWNER_EMAIL = "maria.alvarez@cedarridge.example"

ACCOUNTS = {
    "2100": ("AMEX Corporate Card Payable - East", ""),
    "2110": ("Chase Visa Card Payable - Operations", ""),
    "6100": ("Travel - Other", ""),
    "6110": ("Airfare", ""),
    "6120": ("Lodging", ""),
    "6130": ("Ground Transportation", ""),
    "6200": ("Software Subscriptions", ""),
    "6300": ("Office Supplies", ""),
    "6400": ("Entertainment - West Region", "E200"),
}
EXPENSE_TYPES = {"Airfare": "6110", "Lodging": "6120", "Ground Transportation": "6130", "Software": "6200"}
# category id -> (name, GL account, expense type)
CATEGORIES = {
    "cat-air": ("Airfare", None, "Airfare"),
    "cat-hotel": ("Lodging", None, "Lodging"),
    "cat-taxi": ("Taxi", None, "Ground Transportation"),
    "cat-travel": ("Travel", "6100", None),
    "cat-software": ("Software", "6200", None),
    "cat-supplies": ("Office Supplies", "6300", None),
}
CARD_ACCOUNTS = {
    # card id -> (offset account, entity, currency, vendor)
    "AMEX-1005": ("2100", "E100", "USD", "V-AMEX"),
    "VISA-4421": ("2110", "E100", "USD", "V-CHASE"),
    "AMEX-2010": ("2105", "E200", "USD", "V-AMEX"),
}
CARDS = {
    "card-amex": ("•••• 1005", "AMEX-1005"),
    "card-visa": ("•••• 4421", "VISA-4421"),
    "card-new": ("•••• 9999", None),
}
EMPLOYEES = {
    "EMP-001": ("maria.alvarez@cedarridge.example", "Maria Alvarez", "L110", "D100"),
    "EMP-002": ("david.chen@cedarridge.example", "David Chen", "L210", "D100"),
    "EMP-003": ("priya.natarajan@cedarridge.example", "Priya Natarajan", "L120", "D200"),
}
VENDORS = {
    "V-AMEX": "American Express",
    "V-CHASE": "JPMorgan Chase Card Services",
    "V-SKYWAY": "Skyway Travel Partners",
    "V-HARBORINN": "Harbor Inn Hotels",
    "V-PAPERTRAIL": "Papertrail Office Supply Co.",
}


def demo_view(settings: ConnectionSettings | None = None, *, extra_vendors: Mapping[str, str] | None = None,
              card_accounts: Mapping[str, tuple[str, str, str, str]] | None = None, **changes: Any) -> WorkspaceView:
    """The demo company's view; `changes` replace ConnectionSettings fields (entity E100 by default)."""
    base = settings or ConnectionSettings(workspace_id=WORKSPACE, entity="E100")
    chosen = dataclasses.replace(base, **changes) if changes else base
    common: dict[str, Any] = {"workspace_id": WORKSPACE, "synced_at": SYNCED}
    return index(
        chosen,
        categories=[Category(id=key, workspace_id=WORKSPACE, name=name, gl_account=gl, expense_type=et)
                    for key, (name, gl, et) in CATEGORIES.items()],
        cards=[CompanyCard(id=key, workspace_id=WORKSPACE, masked_number=masked, charge_card_account=account)
               for key, (masked, account) in CARDS.items()],
        member_emails={OWNER: OWNER_EMAIL, "u-nobody": "nobody@cedarridge.example"},
        accounts=[IntacctAccount(account_no=no, title=title, entity=entity, **common)
                  for no, (title, entity) in ACCOUNTS.items()],
        card_accounts=[IntacctCardAccount(card_id=card, offset_account=offset, entity=entity, currency=currency,
                                          vendor_id=vendor, **common)
                       for card, (offset, entity, currency, vendor) in (card_accounts or CARD_ACCOUNTS).items()],
        expense_types=[IntacctExpenseType(name=name, gl_account=gl, **common) for name, gl in EXPENSE_TYPES.items()],
        employees=[IntacctEmployee(employee_id=eid, email=email, name=name, location=loc, department=dept, **common)
                   for eid, (email, name, loc, dept) in EMPLOYEES.items()],
        vendors=[IntacctVendor(vendor_id=vid, name=name, **common)
                 for vid, name in {**VENDORS, **(extra_vendors or {})}.items()],
    )


def approved_report(report_id: str, *, title: str = "Client visit, Boston", currency: str = "USD",
                    owner: str = OWNER, export_version: int = 1) -> Report:
    return Report(
        id=report_id, workspace_id=WORKSPACE, owner=owner, title=title, currency=currency,
        created_at=dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC), state=ReportState.APPROVED,
        submitted_at=dt.datetime(2026, 10, 24, 17, 30, tzinfo=dt.UTC), submitted_by=owner,
        approved_at=dt.datetime(2026, 10, 27, 8, tzinfo=dt.UTC), approved_by="u-approver",
        export_version=export_version,
    )


def expense(expense_id: str, report_id: str, day: dt.date, merchant: str, amount: str, category: str | None, *,
            currency: str = "USD", card: str | None = None, tags: Mapping[str, str] | None = None,
            billable: bool = False, description: str = "", vendor: str | None = None) -> Expense:
    return Expense(
        id=expense_id, report_id=report_id, spent_on=day, merchant=merchant,
        amount=Money(Decimal(amount), currency), category_id=category, tags=dict(tags or {}),
        payment=Payment.COMPANY_CARD if card else Payment.REIMBURSABLE, card_id=card, billable=billable,
        description=description, vendor=vendor,
    )


def ids(items: Iterable[Expense]) -> tuple[str, ...]:
    return tuple(item.id for item in items)
