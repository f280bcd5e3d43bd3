"""What preflight settles once per report before looking at any line: document types, entity, employee."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final

from ledgerbridge.domain.ids import LOCATION, Dimension, DimensionValueId, EntityId
from ledgerbridge.domain.reports import Expense, Report
from ledgerbridge.domain.snapshot import IntacctEmployee
from ledgerbridge.export.context import ExportType
from ledgerbridge.export.preflight.indexes import Indexes, indexes_for
from ledgerbridge.export.view import WorkspaceView

DIMENSION_LABELS: Final = {
    "DEPARTMENT": "Department", "LOCATION": "Location", "CLASS": "Class", "PROJECT": "Project",
    "CUSTOMER": "Customer", "VENDOR": "Vendor", "EMPLOYEE": "Employee", "ITEM": "Item",
}


def dimension_label(dimension: Dimension) -> str:
    """A dimension as Intacct names it in messages ('Department'); user-defined ones keep their name."""
    return DIMENSION_LABELS.get(dimension, dimension)


def intacct_date(day: date) -> str:
    """A date as Sage Intacct shows it (mm/dd/yyyy)."""
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def expense_label(expense: Expense) -> str:
    """An expense as people recognise it on the report: merchant and date."""
    return f"{expense.merchant}, {intacct_date(expense.spent_on)}"


@dataclass(slots=True)
class Document:
    """One report-dated document the report becomes (expense report, bill, journal entry): what lines told."""

    export_type: ExportType
    last_expense: date | None = None
    entities: set[EntityId] = field(default_factory=set)
    total: Decimal = Decimal(0)
    lines: int = 0
    needs_default_vendor: bool = False
    """Some line has no vendor of its own, so the bill takes the workspace's default vendor."""
    needs_fallback_vendor: bool = False
    """Some such line is company card spend, which falls back to 'Credit Card Misc' without a default vendor."""


@dataclass(slots=True)
class ReportContext:
    """Everything about one report that every line check reads."""

    report: Report
    view: WorkspaceView
    indexes: Indexes
    entity: EntityId
    reimbursable_as: ExportType
    company_card_as: ExportType
    export_date: date | None
    owner_email: str | None
    employee: IntacctEmployee | None
    employee_defaults: dict[Dimension, DimensionValueId]
    billable_on: bool
    documents: dict[ExportType, Document] = field(default_factory=dict)

    def document(self, export_type: ExportType) -> Document:
        found = self.documents.get(export_type)
        if found is None:
            found = self.documents[export_type] = Document(export_type)
        return found


def _employee(view: WorkspaceView, email: str | None) -> IntacctEmployee | None:
    """The one employee whose email is exactly `email` (None when there is none or more than one)."""
    if not email:
        return None
    matches = view.employees_by_email.get(email, ())
    return matches[0] if len(matches) == 1 else None


def build(report: Report, view: WorkspaceView, export_date: date | None, owner_email: str | None) -> ReportContext:
    indexes = indexes_for(view)
    email = owner_email if owner_email is not None else view.member_emails.get(report.owner)
    employee = _employee(view, email)
    defaults: dict[Dimension, DimensionValueId] = {}
    if employee is not None:
        for dimension in indexes.employee_default_dimensions:
            value = employee.location if dimension == LOCATION else employee.department
            if value:
                defaults[dimension] = value
    return ReportContext(
        report=report,
        view=view,
        indexes=indexes,
        entity=view.settings.entity,
        reimbursable_as=indexes.reimbursable_as,
        company_card_as=indexes.company_card_as,
        export_date=export_date,
        owner_email=email,
        employee=employee,
        employee_defaults=defaults,
        billable_on=indexes.billable_on,
    )
