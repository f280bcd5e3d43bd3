"""How spending is coded: categories, tag lists and tags per dimension, company cards."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ledgerbridge.domain.ids import (
    AccountNo,
    CardAccountId,
    CardId,
    CategoryId,
    Dimension,
    DimensionValueId,
    ExpenseTypeName,
    TagId,
    UserId,
    WorkspaceId,
)


class Origin(enum.StrEnum):
    """Where a category or tag came from."""

    INTACCT = "intacct"
    MANUAL = "manual"


class IntacctState(enum.StrEnum):
    """What the last sync found for the Intacct record behind a category or tag."""

    OK = "ok"
    INACTIVE = "inactive"
    RESTRICTED = "restricted"
    MISSING = "missing"


class ImportAs(enum.StrEnum):
    """How a dimension reaches the workspace: per expense, per report, or from the employee record."""

    TAG = "tag"
    REPORT_FIELD = "report_field"
    EMPLOYEE_DEFAULT = "employee_default"


class InvalidCoding(ValueError):
    """A category or card that breaks a rule of the data model."""


@dataclass(frozen=True, slots=True)
class Category:
    """An expense category mapped to exactly one of a GL account or an expense type (or not yet mapped)."""

    id: CategoryId
    workspace_id: WorkspaceId
    name: str
    enabled: bool = True
    gl_account: AccountNo | None = None
    expense_type: ExpenseTypeName | None = None
    origin: Origin = Origin.MANUAL
    intacct_state: IntacctState = IntacctState.OK
    intacct_note: str = ""

    def __post_init__(self) -> None:
        if self.gl_account is not None and self.expense_type is not None:
            raise InvalidCoding(
                f"category {self.name!r} maps to both GL account {self.gl_account} and expense type "
                f"{self.expense_type!r}; a category maps to one of them"
            )


@dataclass(frozen=True, slots=True)
class TagList:
    """The tags of one dimension in a workspace, and how the dimension is imported."""

    workspace_id: WorkspaceId
    dimension: Dimension
    label: str
    imported_as: ImportAs = ImportAs.TAG


@dataclass(frozen=True, slots=True)
class Tag:
    """One dimension value a expense or report can be coded with; `code` is the Intacct ID."""

    id: TagId
    workspace_id: WorkspaceId
    dimension: Dimension
    code: DimensionValueId
    name: str
    enabled: bool = True
    origin: Origin = Origin.MANUAL
    intacct_state: IntacctState = IntacctState.OK


MASK = "••••"


def mask_card_number(number: str) -> str:
    """Keep only the last four digits of a card number, e.g. '•••• 1005'."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 4:
        raise InvalidCoding("a card number needs at least four digits")
    return f"{MASK} {digits[-4:]}"


@dataclass(frozen=True, slots=True)
class CompanyCard:
    """A company card; only its last four digits are kept, and it may map to an Intacct charge card account."""

    id: CardId
    workspace_id: WorkspaceId
    masked_number: str
    cardholder: UserId | None = None
    charge_card_account: CardAccountId | None = None

    def __post_init__(self) -> None:
        digits = [ch for ch in self.masked_number if ch.isdigit()]
        if len(digits) > 4:
            raise InvalidCoding("a company card keeps only the last four digits; mask it with mask_card_number")
