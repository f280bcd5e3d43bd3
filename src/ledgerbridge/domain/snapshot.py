"""What Intacct holds, as last synced: one record type per kind, all sharing the sync bookkeeping."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ledgerbridge.domain.ids import (
    TOP_LEVEL,
    AccountNo,
    CardAccountId,
    Dimension,
    DimensionValueId,
    EmployeeId,
    EntityId,
    ExpenseTypeName,
    VendorId,
    WorkspaceId,
)
from ledgerbridge.domain.money import Currency


class SnapshotKind(enum.StrEnum):
    """The kinds of Intacct record kept per workspace, named after the Intacct object they come from."""

    GLACCOUNT = "GLACCOUNT"
    CREDITCARD = "CREDITCARD"
    EEACCOUNTLABEL = "EEACCOUNTLABEL"
    EMPLOYEE = "EMPLOYEE"
    VENDOR = "VENDOR"
    DIMENSION = "DIMENSION"
    PERIOD = "PERIOD"
    GLJOURNAL = "GLJOURNAL"


ACTIVE = "active"
INACTIVE = "inactive"


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotRecord:
    """The fields every synced record has; `status` is Intacct's ('active', 'inactive', ...)."""

    workspace_id: WorkspaceId
    record_no: str | None = None
    status: str = ACTIVE
    entity: EntityId = TOP_LEVEL
    modified_at: datetime | None = None
    synced_at: datetime

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctAccount(SnapshotRecord):
    """A GL account with the facts that decide whether it can take a posting."""

    account_no: AccountNo
    title: str
    account_type: str = ""
    disallow_direct_posting: bool = False
    required_dimensions: frozenset[str] = frozenset()
    related: Mapping[Dimension, frozenset[DimensionValueId]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctCardAccount(SnapshotRecord):
    """A charge card account and the liability (offset) account its charges credit."""

    card_id: CardAccountId
    description: str = ""
    card_type: str = ""
    offset_account: AccountNo | None = None
    vendor_id: VendorId | None = None
    currency: Currency | None = None
    expires: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctExpenseType(SnapshotRecord):
    name: ExpenseTypeName
    gl_account: AccountNo | None = None
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctEmployee(SnapshotRecord):
    """An employee; the email is kept exactly as Intacct has it, since Intacct matches it exactly."""

    employee_id: EmployeeId
    email: str = ""
    name: str = ""
    start_date: date | None = None
    location: DimensionValueId | None = None
    department: DimensionValueId | None = None
    duplicate_email: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctVendor(SnapshotRecord):
    vendor_id: VendorId
    name: str = ""
    on_hold: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctDimensionValue(SnapshotRecord):
    """A value of a standard or user-defined dimension; `extra` holds kind-specific facts."""

    dimension: Dimension
    value_id: DimensionValueId
    name: str = ""
    parent_id: DimensionValueId | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctPeriod(SnapshotRecord):
    """The books of one entity (`entity`) are closed through `closed_through`."""

    closed_through: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IntacctJournal(SnapshotRecord):
    """A GL journal, by its symbol (e.g. GJ): where journal entries post."""

    symbol: str
    title: str = ""


SNAPSHOT_TYPES: dict[SnapshotKind, type[SnapshotRecord]] = {
    SnapshotKind.GLACCOUNT: IntacctAccount,
    SnapshotKind.CREDITCARD: IntacctCardAccount,
    SnapshotKind.EEACCOUNTLABEL: IntacctExpenseType,
    SnapshotKind.EMPLOYEE: IntacctEmployee,
    SnapshotKind.VENDOR: IntacctVendor,
    SnapshotKind.DIMENSION: IntacctDimensionValue,
    SnapshotKind.PERIOD: IntacctPeriod,
    SnapshotKind.GLJOURNAL: IntacctJournal,
}
"""The record type kept for each kind."""
