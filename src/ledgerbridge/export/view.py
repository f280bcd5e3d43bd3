"""Everything an export decision reads about one workspace, indexed for fast lookups.

Preflight, fix suggestions and payload builders are pure functions over a `WorkspaceView`; the export
service builds one per workspace from the store (snapshots as last synced) before it decides anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ledgerbridge.domain.coding import Category, CompanyCard, Tag
from ledgerbridge.domain.connection import ConnectionSettings
from ledgerbridge.domain.ids import (
    AccountNo,
    CardAccountId,
    CardId,
    CategoryId,
    Dimension,
    DimensionValueId,
    EmployeeId,
    EntityId,
    ExpenseTypeName,
    UserId,
    VendorId,
)
from ledgerbridge.domain.snapshot import (
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctJournal,
    IntacctPeriod,
    IntacctVendor,
)


@dataclass(frozen=True, slots=True)
class WorkspaceView:
    """A workspace's coding and connection, and what Intacct held at the last Sync Now."""

    settings: ConnectionSettings
    categories: Mapping[CategoryId, Category] = field(default_factory=dict)
    tags: Mapping[tuple[Dimension, DimensionValueId], Tag] = field(default_factory=dict)
    cards: Mapping[CardId, CompanyCard] = field(default_factory=dict)
    member_emails: Mapping[UserId, str] = field(default_factory=dict)
    accounts: Mapping[AccountNo, IntacctAccount] = field(default_factory=dict)
    card_accounts: Mapping[CardAccountId, IntacctCardAccount] = field(default_factory=dict)
    expense_types: Mapping[ExpenseTypeName, IntacctExpenseType] = field(default_factory=dict)
    employees: Mapping[EmployeeId, IntacctEmployee] = field(default_factory=dict)
    vendors: Mapping[VendorId, IntacctVendor] = field(default_factory=dict)
    dimension_values: Mapping[tuple[Dimension, DimensionValueId], IntacctDimensionValue] = field(
        default_factory=dict)
    periods: Mapping[EntityId, IntacctPeriod] = field(default_factory=dict)
    journals: Mapping[str, IntacctJournal] | None = None
    """GL journals by symbol; None when no sync has read them (journals are then not checked)."""
    synced: bool = False
    # Derived indexes, built once in `index()`.
    employees_by_email: Mapping[str, tuple[IntacctEmployee, ...]] = field(default_factory=dict)
    offset_accounts: Mapping[AccountNo, CardAccountId] = field(default_factory=dict)

    @property
    def entity(self) -> EntityId:
        return self.settings.entity


def index(
    settings: ConnectionSettings,
    *,
    categories: Iterable[Category] = (),
    tags: Iterable[Tag] = (),
    cards: Iterable[CompanyCard] = (),
    member_emails: Mapping[UserId, str] | None = None,
    accounts: Iterable[IntacctAccount] = (),
    card_accounts: Iterable[IntacctCardAccount] = (),
    expense_types: Iterable[IntacctExpenseType] = (),
    employees: Iterable[IntacctEmployee] = (),
    vendors: Iterable[IntacctVendor] = (),
    dimension_values: Iterable[IntacctDimensionValue] = (),
    periods: Iterable[IntacctPeriod] = (),
    journals: Iterable[IntacctJournal] | None = None,
    synced: bool = True,
) -> WorkspaceView:
    """Build a view with its lookup tables (employees by exact email, card offset accounts)."""
    employee_list = list(employees)
    by_email: dict[str, list[IntacctEmployee]] = {}
    for employee in employee_list:
        if employee.email:
            by_email.setdefault(employee.email, []).append(employee)
    card_account_list = list(card_accounts)
    return WorkspaceView(
        settings=settings,
        categories={c.id: c for c in categories},
        tags={(t.dimension, t.code): t for t in tags},
        cards={c.id: c for c in cards},
        member_emails=dict(member_emails or {}),
        accounts={a.account_no: a for a in accounts},
        card_accounts={c.card_id: c for c in card_account_list},
        expense_types={e.name: e for e in expense_types},
        employees={e.employee_id: e for e in employee_list},
        vendors={v.vendor_id: v for v in vendors},
        dimension_values={(d.dimension, d.value_id): d for d in dimension_values},
        periods={p.entity: p for p in periods},
        journals=None if journals is None else {j.symbol: j for j in journals},
        synced=synced,
        employees_by_email={email: tuple(found) for email, found in by_email.items()},
        offset_accounts={c.offset_account: c.card_id for c in card_account_list if c.offset_account},
    )
