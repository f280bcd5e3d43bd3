"""Checks of the report as a whole: approval, employee, total, export date and the bill's vendor."""

from __future__ import annotations

from datetime import date

from ledgerbridge.domain.connection import FALLBACK_VENDOR_NAME, ExportDate
from ledgerbridge.domain.reports import ReportState
from ledgerbridge.export.context import ExportType
from ledgerbridge.export.preflight import conditions
from ledgerbridge.export.preflight.context import Document, ReportContext, intacct_date
from ledgerbridge.export.preflight.finding import Finding, finding
from ledgerbridge.export.preflight.lines import closed_until


def report_title(ctx: ReportContext) -> str:
    return ctx.report.title or ctx.report.id


def check_approval(ctx: ReportContext, out: list[Finding]) -> None:
    report = ctx.report
    # An exported report goes out again only after a deliberate re-export, which clears its export status.
    if report.state is ReportState.APPROVED or (report.state is ReportState.EXPORTED and report.export_status is None):
        return
    out.append(finding(conditions.NOT_APPROVED, report=report_title(ctx), detail=f"the report is {report.state}"))


def document_date(ctx: ReportContext, document: Document) -> date | None:
    """The date a report-dated document carries, by the workspace's export date setting (None if not known yet)."""
    match ctx.view.settings.export_date:
        case ExportDate.LAST_EXPENSE:
            return document.last_expense
        case ExportDate.EXPORTED:
            return ctx.export_date
        case ExportDate.SUBMITTED:
            submitted = ctx.report.submitted_at
            return submitted.date() if submitted is not None else None


def check_documents(ctx: ReportContext, out: list[Finding]) -> None:
    """Findings about the report-dated documents the lines make up, once each."""
    for document in ctx.documents.values():
        day = document_date(ctx, document)
        if day is not None:
            opens = closed_until(ctx, {ctx.entity, *document.entities}, day)
            if opens is not None:
                out.append(finding("INT035", open_from=intacct_date(opens),
                                   detail=f"the {document.export_type.value.replace('_', ' ')} is dated "
                                   f"{intacct_date(day)} ({ctx.view.settings.export_date.value} date)"))
        if document.export_type is ExportType.EXPENSE_REPORT:
            _check_employee(ctx, day, out)
            if document.total < 0:
                out.append(finding(conditions.NEGATIVE_TOTAL, report=report_title(ctx),
                                   detail=f"the reimbursable total is {document.total} {ctx.report.currency}"))
        if document.export_type is ExportType.VENDOR_BILL and document.needs_default_vendor:
            _check_default_vendor(ctx, document, out)
        if document.export_type is ExportType.JOURNAL_ENTRY:
            _check_card_journal(ctx, out)


def _check_card_journal(ctx: ReportContext, out: list[Finding]) -> None:
    symbol = ctx.view.settings.card_journal
    if symbol is None:
        out.append(finding("INT498", detail="company card spend exports as a journal entry and no journal is chosen"))
        return
    journals = ctx.view.journals
    if journals is None:
        return  # not read by a sync yet: nothing to compare with
    journal = journals.get(symbol)
    if journal is None or not journal.active:
        out.append(finding("INT498", journal=symbol,
                           detail=f"journal {symbol} is {'inactive' if journal else 'not'} in Sage Intacct"))


def _check_employee(ctx: ReportContext, day: date | None, out: list[Finding]) -> None:
    email = ctx.owner_email
    if not email:
        return
    matches = ctx.view.employees_by_email.get(email, ())
    if not matches:
        out.append(finding("INT054", email=email,
                           detail="no employee in Sage Intacct has exactly this email (letter case counts)"))
        return
    if len(matches) > 1 or matches[0].duplicate_email:
        ids = ", ".join(employee.employee_id for employee in matches)
        out.append(finding("INT149", email=email,
                           detail=f"more than one employee has this email ({ids})" if len(matches) > 1
                           else f"employee {ids} shares this email with another employee"))
        return
    employee = matches[0]
    if not employee.active:
        out.append(finding(conditions.EMPLOYEE_INACTIVE, employee=employee.employee_id, email=email))
    elif employee.start_date is not None and day is not None and day < employee.start_date:
        out.append(finding(conditions.EMPLOYEE_NOT_STARTED, employee=employee.employee_id, email=email,
                           start_date=intacct_date(employee.start_date),
                           detail=f"the expense report is dated {intacct_date(day)}"))


def _check_default_vendor(ctx: ReportContext, document: Document, out: list[Finding]) -> None:
    vendor_id = ctx.view.settings.default_vendor
    if vendor_id is None:
        if not document.needs_fallback_vendor:
            return  # the submitter's own vendor record is chosen when the bill is built
        vendor_id = ctx.indexes.fallback_vendor
        if vendor_id is None:
            out.append(finding(conditions.VENDOR_MISSING, vendor=FALLBACK_VENDOR_NAME,
                               detail="no default vendor is set and no vendor is named 'Credit Card Misc'"))
            return
    vendor = ctx.view.vendors.get(vendor_id)
    if vendor is None or not vendor.active:
        out.append(finding(conditions.VENDOR_MISSING, vendor=vendor_id,
                           detail=f"vendor {vendor_id} is {'inactive' if vendor else 'not in Sage Intacct'}"))
    elif vendor.on_hold:
        out.append(finding("INT446", vendor=vendor_id))
