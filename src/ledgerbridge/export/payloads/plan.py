"""A report split into the Intacct documents its expenses become, each ready for the client."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from ledgerbridge.domain import CompanyCardAs, Payment, ReimbursableAs
from ledgerbridge.domain.ids import EmployeeId, VendorId
from ledgerbridge.domain.reports import Expense, Report
from ledgerbridge.export.payloads.card_charge import CREDIT_CARD_CHARGE
from ledgerbridge.export.payloads.expense_report import EXPENSE_REPORT
from ledgerbridge.export.payloads.journal_entry import JOURNAL_ENTRY
from ledgerbridge.export.payloads.skeleton import (
    DocumentType,
    Draft,
    Line,
    PlannedDocument,
    PlanningError,
    PlanningProblem,
    Resolver,
    VendorLookup,
    context_for,
    controlid_for,
    export_date,
    reference_for,
    vendors_by_name,
    xml_safe,
)
from ledgerbridge.export.payloads.vendor_bill import VENDOR_BILL
from ledgerbridge.export.view import WorkspaceView

_FOR_COMPANY_CARD = {
    CompanyCardAs.CREDIT_CARD_CHARGE: CREDIT_CARD_CHARGE,
    CompanyCardAs.VENDOR_BILL: VENDOR_BILL,
    CompanyCardAs.JOURNAL_ENTRY: JOURNAL_ENTRY,
}


@dataclass(frozen=True, slots=True)
class _Group:
    kind: DocumentType
    lines: tuple[Line, ...]
    employee_id: EmployeeId | None
    resolver: Resolver


def plan_documents(
    report: Report,
    expenses: Sequence[Expense],
    view: WorkspaceView,
    *,
    exported_on: dt.date,
    owner_employee_id: EmployeeId | None,
    vendor_lookup: VendorLookup | None = None,
) -> list[PlannedDocument]:
    """The documents exporting `report` creates, in a stable order; raises PlanningError with every problem.

    Reimbursable expenses become an expense report or a vendor bill (``reimbursable_as``), company card
    expenses card charges, a vendor bill or journal entries (``company_card_as``); expenses in another
    currency, on another card account, or (card charges) of another day go to a document of their own.
    `owner_employee_id` is the submitter's Intacct employee; when None it is matched by email.
    `vendor_lookup` finds a vendor by name or email (default: the synced vendors, by name).
    """
    lookup = vendor_lookup or vendors_by_name(view)
    employee_id = owner_employee_id or matched_employee(report, view)
    problems: list[PlanningProblem] = []
    groups: list[_Group] = []
    reimbursable = [e for e in expenses if e.payment is Payment.REIMBURSABLE]
    card = [e for e in expenses if e.payment is Payment.COMPANY_CARD]
    if not xml_safe(report.title):
        problems.append(PlanningProblem(f"the title of report {report.id} holds control characters XML cannot carry"))
    if reimbursable:
        groups += _reimbursable_groups(report, reimbursable, view, employee_id, lookup, problems)
    if card:
        kind = _FOR_COMPANY_CARD[view.settings.company_card_as]
        resolver = Resolver(view, kind.kind, employee_id, lookup, kind.entity_from_card, problems=problems)
        groups += _grouped(kind, resolver, card, employee_id, problems)
    if problems:
        raise PlanningError(problems)
    dated = export_date(report, expenses, view, exported_on)
    # Plain counts rather than Counter: a Counter checks its argument against the Mapping ABC, a cost
    # paid twice per report of an export.
    per_object: dict[str, int] = {}
    for group in groups:
        per_object[group.kind.reference_object] = per_object.get(group.kind.reference_object, 0) + 1
    seen: dict[str, int] = {}
    planned = []
    for index, group in enumerate(groups):
        reference_object = group.kind.reference_object
        seen[reference_object] = ordinal = seen.get(reference_object, 0) + 1
        draft = _draft(report, view, group, index, dated, ordinal if per_object[reference_object] > 1 else None)
        planned.append(PlannedDocument(
            kind=group.kind.kind,
            function=group.kind.build(draft),
            controlid=draft.controlid,
            reference=draft.reference,
            reference_object=group.kind.reference_object,
            reference_field=group.kind.reference_field,
            expense_ids=tuple(line.expense.id for line in group.lines),
            describe=functools.partial(context_for, draft, view),
        ))
    return planned


def matched_employee(report: Report, view: WorkspaceView) -> EmployeeId | None:
    """The Intacct employee whose email is exactly the report owner's, when exactly one has it."""
    email = view.member_emails.get(report.owner)
    found = view.employees_by_email.get(email, ()) if email else ()
    return found[0].employee_id if len(found) == 1 else None


def employee_vendor(report: Report, view: WorkspaceView, employee_id: EmployeeId | None,
                    lookup: VendorLookup) -> VendorId | None:
    """The vendor a reimbursable bill pays: the submitter's own vendor record, else the default vendor."""
    employee = view.employees.get(employee_id) if employee_id else None
    names = [employee.name if employee is not None else "", view.member_emails.get(report.owner, "")]
    for name in names:
        found = lookup(name) if name else None
        if found is not None:
            return found
    return view.settings.default_vendor


def _reimbursable_groups(report: Report, expenses: list[Expense], view: WorkspaceView,
                         employee_id: EmployeeId | None, lookup: VendorLookup,
                         problems: list[PlanningProblem]) -> list[_Group]:
    if view.settings.reimbursable_as is ReimbursableAs.EXPENSE_REPORT:
        if employee_id is None:
            problems.append(PlanningProblem(
                f"the submitter of report {report.id} matches no Intacct employee by email"))
        resolver = Resolver(view, EXPENSE_REPORT.kind, employee_id, lookup, False, problems=problems)
        return _grouped(EXPENSE_REPORT, resolver, expenses, employee_id, problems)
    vendor = employee_vendor(report, view, employee_id, lookup)
    if vendor is None:
        problems.append(PlanningProblem(
            f"the submitter of report {report.id} has no Intacct vendor and there is no default vendor"))
    resolver = Resolver(view, VENDOR_BILL.kind, employee_id, lookup, False, document_vendor=vendor,
                        problems=problems)
    return _grouped(VENDOR_BILL, resolver, expenses, employee_id, problems)


def _grouped(kind: DocumentType, resolver: Resolver, expenses: list[Expense], employee_id: EmployeeId | None,
             problems: list[PlanningProblem]) -> list[_Group]:
    by_key: dict[tuple[str, ...], list[Line]] = {}
    for expense in expenses:
        line = resolver.line(expense)
        if line is None:
            continue
        if kind is VENDOR_BILL and line.vendor is None:
            problems.append(PlanningProblem(
                f"expense {expense.id} has no vendor, there is no default vendor and no vendor named "
                "'Credit Card Misc'", expense.id))
            continue
        if kind is JOURNAL_ENTRY and not _offset_account(resolver.view, line):
            problems.append(PlanningProblem(
                f"charge card account {line.card_account} has no credit card offset account", expense.id))
            continue
        by_key.setdefault(tuple(str(part) for part in kind.group_key(line)), []).append(line)
    ordered = sorted(by_key.items(), key=lambda item: item[0])
    return [_Group(kind, tuple(lines), employee_id, resolver) for _, lines in ordered]


def _offset_account(view: WorkspaceView, line: Line) -> str | None:
    known = view.card_accounts.get(line.card_account) if line.card_account else None
    return known.offset_account if known is not None else None


def _draft(report: Report, view: WorkspaceView, group: _Group, index: int, dated: dt.date,
           ordinal: int | None) -> Draft:
    kind = group.kind
    first = group.lines[0]
    card_account = first.card_account if kind.entity_from_card else None
    known_card = view.card_accounts.get(card_account) if card_account else None
    return Draft(
        kind=kind.kind,
        report=report,
        lines=group.lines,
        date=first.transaction_date if kind.dated_by_transaction else dated,
        currency=first.currency,
        controlid=controlid_for(report.workspace_id, report.id, report.export_version, index, kind.kind, kind.code),
        reference=reference_for(report, ordinal),
        entity=group.resolver.entity_for(card_account),
        employee_id=group.employee_id if kind is EXPENSE_REPORT else None,
        vendor_id=first.vendor if kind is VENDOR_BILL else None,
        card_account=card_account,
        offset_account=known_card.offset_account if known_card is not None else None,
        journal=view.settings.card_journal if kind is JOURNAL_ENTRY else None,
    )
