"""Payload builders: one per Intacct document type over a shared skeleton, and the plan that picks them."""

from ledgerbridge.export.payloads.card_charge import CREDIT_CARD_CHARGE
from ledgerbridge.export.payloads.expense_report import EXPENSE_REPORT
from ledgerbridge.export.payloads.journal_entry import JOURNAL_ENTRY
from ledgerbridge.export.payloads.plan import employee_vendor, matched_employee, plan_documents
from ledgerbridge.export.payloads.skeleton import (
    CONTROLID_PREFIX,
    DocumentType,
    PlannedDocument,
    PlanningError,
    PlanningProblem,
    VendorLookup,
    controlid_for,
    export_date,
    reference_for,
    vendors_by_name,
)
from ledgerbridge.export.payloads.vendor_bill import VENDOR_BILL

__all__ = [
    "CONTROLID_PREFIX",
    "CREDIT_CARD_CHARGE",
    "EXPENSE_REPORT",
    "JOURNAL_ENTRY",
    "VENDOR_BILL",
    "DocumentType",
    "PlannedDocument",
    "PlanningError",
    "PlanningProblem",
    "VendorLookup",
    "controlid_for",
    "employee_vendor",
    "export_date",
    "matched_employee",
    "plan_documents",
    "reference_for",
    "vendors_by_name",
]
