"""What an export sent, line by line, so Intacct's refusals can be tied back to expenses and categories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

AccountNo = str
CardAccountId = str
ExpenseId = str


class ExportType(StrEnum):
    """The Intacct document an export creates."""

    EXPENSE_REPORT = "expense_report"
    VENDOR_BILL = "vendor_bill"
    CREDIT_CARD_CHARGE = "credit_card_charge"
    JOURNAL_ENTRY = "journal_entry"


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One line of the exported document and the expense and coding behind it."""

    line: int
    expense_id: ExpenseId
    gl_account: AccountNo | None = None
    category: str | None = None
    expense_type: str | None = None
    card_account_id: CardAccountId | None = None
    dimensions: Mapping[str, str] = field(default_factory=dict)
    vendor: str | None = None
    employee: str | None = None
    amount: Decimal | None = None
    billable: bool = False
    expense_label: str | None = None
    """The expense as people recognise it on the report, e.g. 'Delta Air Lines, 09/14/2026'."""

    def __post_init__(self) -> None:
        # Frozen means frozen: a caller's dict must not change the context after the fact.
        object.__setattr__(self, "dimensions", MappingProxyType(dict(self.dimensions)))

    @property
    def shown_as(self) -> str:
        """How a message names this expense."""
        return self.expense_label or self.expense_id


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """The document one export function created: its type, header and lines."""

    export_type: ExportType
    lines: tuple[DocumentLine, ...] = ()
    employee_id: str | None = None
    vendor_id: str | None = None
    card_account_id: CardAccountId | None = None
    entity: str | None = None
    export_date: dt.date | None = None
    currency: str | None = None
    report_id: str | None = None
    submitter_email: str | None = None

    def lines_where(self, value: str, *fields: str) -> tuple[DocumentLine, ...]:
        """Lines whose named attributes hold `value` (compared without letter case)."""
        wanted = value.strip().casefold()
        return tuple(
            line for line in self.lines
            if any((getattr(line, name) or "").strip().casefold() == wanted for name in fields)
        )

    def lines_tagged(self, value: str) -> tuple[DocumentLine, ...]:
        """Lines that carry `value` as one of their dimension values."""
        wanted = value.strip().casefold()
        return tuple(
            line for line in self.lines
            if any(tag.strip().casefold() == wanted for tag in line.dimensions.values())
        )
