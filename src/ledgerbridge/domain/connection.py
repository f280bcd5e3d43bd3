"""The Sage Intacct connection of a workspace: credentials and the export settings."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from ledgerbridge.domain.ids import (
    CLASS,
    CUSTOMER,
    DEPARTMENT,
    LOCATION,
    PROJECT,
    TOP_LEVEL,
    CardAccountId,
    Dimension,
    EntityId,
    UserId,
    VendorId,
    WorkspaceId,
)

DEFAULT_ENDPOINT: Final = "https://api.intacct.com/ia/xml/xmlgw.phtml"
_HIDDEN: Final = "***"


class StaleEdit(Exception):
    """An edit made from an outdated read: someone else changed the settings since."""

    def __init__(self, workspace_id: WorkspaceId, read_version: int, current_version: int | None) -> None:
        now = "deleted" if current_version is None else f"at version {current_version}"
        super().__init__(
            f"settings of workspace {workspace_id} were read at version {read_version} but are now {now}; "
            "reload them and apply the change again"
        )
        self.workspace_id = workspace_id
        self.read_version = read_version
        self.current_version = current_version


@dataclass(frozen=True, slots=True)
class IntacctCredentials:
    """Web services sender and user credentials for one Intacct company; repr never shows passwords."""

    sender_id: str
    sender_password: str = field(repr=False)
    company_id: str
    user_id: str
    user_password: str = field(repr=False)
    endpoint_url: str = DEFAULT_ENDPOINT

    def __repr__(self) -> str:
        return (
            f"IntacctCredentials(sender_id={self.sender_id!r}, sender_password={_HIDDEN!r}, "
            f"company_id={self.company_id!r}, user_id={self.user_id!r}, user_password={_HIDDEN!r}, "
            f"endpoint_url={self.endpoint_url!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Connection:
    """A workspace's live connection to Intacct."""

    workspace_id: WorkspaceId
    credentials: IntacctCredentials
    connected_at: datetime
    updated_at: datetime


class CategoriesFrom(enum.StrEnum):
    EXPENSE_TYPES = "expense_types"
    CHART_OF_ACCOUNTS = "chart_of_accounts"


class DimensionImport(enum.StrEnum):
    """How a standard dimension is imported; `none` leaves it out."""

    TAG = "tag"
    REPORT_FIELD = "report_field"
    EMPLOYEE_DEFAULT = "employee_default"
    NONE = "none"


class UserDefinedImport(enum.StrEnum):
    TAG = "tag"
    REPORT_FIELD = "report_field"


class ExportDate(enum.StrEnum):
    LAST_EXPENSE = "last_expense"
    EXPORTED = "exported"
    SUBMITTED = "submitted"


class ReimbursableAs(enum.StrEnum):
    EXPENSE_REPORT = "expense_report"
    VENDOR_BILL = "vendor_bill"


class CompanyCardAs(enum.StrEnum):
    CREDIT_CARD_CHARGE = "credit_card_charge"
    VENDOR_BILL = "vendor_bill"
    JOURNAL_ENTRY = "journal_entry"


@dataclass(frozen=True, slots=True)
class UserDefinedDimension:
    """A user-defined dimension, by its Intacct integration name."""

    integration_name: str
    imported_as: UserDefinedImport = UserDefinedImport.TAG


DEFAULT_DIMENSIONS: Final = MappingProxyType(
    {
        DEPARTMENT: DimensionImport.TAG,
        LOCATION: DimensionImport.TAG,
        CLASS: DimensionImport.TAG,
        PROJECT: DimensionImport.NONE,
        CUSTOMER: DimensionImport.NONE,
    }
)

DEFAULT_CARD_JOURNAL: Final = "GJ"
"""The general journal, which every Intacct company starts with: where company card journal entries post."""

FALLBACK_VENDOR_NAME: Final = "Credit Card Misc"
"""The vendor company card spend falls back to when neither the expense nor the settings name one."""


class InvalidSettings(ValueError):
    """Settings that contradict each other or name an unknown dimension."""


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """What is imported from Intacct and how reports are exported; `version` counts saved edits."""

    workspace_id: WorkspaceId
    version: int = 1
    entity: EntityId = TOP_LEVEL
    categories_from: CategoriesFrom = CategoriesFrom.EXPENSE_TYPES
    dimensions: Mapping[Dimension, DimensionImport] = field(default_factory=lambda: dict(DEFAULT_DIMENSIONS))
    user_defined_dimensions: tuple[UserDefinedDimension, ...] = ()
    tax: bool = False
    preferred_exporter: UserId | None = None
    export_date: ExportDate = ExportDate.LAST_EXPENSE
    reimbursable_as: ReimbursableAs = ReimbursableAs.EXPENSE_REPORT
    company_card_as: CompanyCardAs = CompanyCardAs.CREDIT_CARD_CHARGE
    default_vendor: VendorId | None = None
    default_charge_card_account: CardAccountId | None = None
    card_journal: str | None = DEFAULT_CARD_JOURNAL
    """The journal (its symbol) company card journal entries post to; none chosen blocks those exports."""
    auto_sync: bool = False
    auto_export: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.dimensions) - set(DEFAULT_DIMENSIONS)
        if unknown:
            raise InvalidSettings(
                f"unknown standard dimensions {sorted(unknown)}; user-defined ones go in user_defined_dimensions"
            )
        names = [d.integration_name for d in self.user_defined_dimensions]
        if len(names) != len(set(names)):
            raise InvalidSettings("a user-defined dimension is listed twice")
        if self.version < 1:
            raise InvalidSettings("settings versions start at 1")

    def as_values(self) -> dict[str, Any]:
        """The settings as plain values (strings, booleans, lists, maps), without the version."""
        return {
            "entity": self.entity,
            "categories_from": self.categories_from.value,
            "dimensions": {name: value.value for name, value in self.dimensions.items()},
            "user_defined_dimensions": [
                {"integration_name": udd.integration_name, "imported_as": udd.imported_as.value}
                for udd in self.user_defined_dimensions
            ],
            "tax": self.tax,
            "preferred_exporter": self.preferred_exporter,
            "export_date": self.export_date.value,
            "reimbursable_as": self.reimbursable_as.value,
            "company_card_as": self.company_card_as.value,
            "default_vendor": self.default_vendor,
            "default_charge_card_account": self.default_charge_card_account,
            "card_journal": self.card_journal,
            "auto_sync": self.auto_sync,
            "auto_export": self.auto_export,
        }

    def import_of(self, dimension: Dimension) -> DimensionImport:
        """How a standard or user-defined dimension is imported (`none` when it is not)."""
        if dimension in DEFAULT_DIMENSIONS:
            return self.dimensions.get(dimension, DimensionImport.NONE)
        for udd in self.user_defined_dimensions:
            if udd.integration_name == dimension:
                return DimensionImport(udd.imported_as.value)
        return DimensionImport.NONE
