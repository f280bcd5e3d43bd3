"""Reimbursable spend as an employee expense report (``create_expensereport``, Intacct's EEXPENSES)."""

from __future__ import annotations

from ledgerbridge.export.context import ExportType
from ledgerbridge.export.payloads.skeleton import (
    DocumentType,
    Draft,
    GroupKey,
    Line,
    billable,
    custom_fields,
    legacy_dimensions,
)
from ledgerbridge.intacct import ExpenseLine, ExpenseReport, Function, create_expensereport

# Approval happens in the workspace; a report arriving as Draft would wait in Intacct for nobody.
STATE = "Submitted"


def _group(line: Line) -> GroupKey:
    # A report's reimbursement amount is in one currency; expenses in another go to their own report.
    return (line.currency,)


def _expense(line: Line) -> ExpenseLine:
    return ExpenseLine(
        amount=line.expense.amount.amount,
        expensetype=line.expense_type,
        glaccountno=None if line.expense_type is not None else line.gl_account,
        expensedate=line.transaction_date,
        memo=line.expense.merchant,
        paidfor=line.expense.description or None,
        dimensions=legacy_dimensions(line, with_vendor=False),
        customfields=custom_fields(line),
        billable=billable(line),
    )


def build(draft: Draft) -> Function:
    """The ``create_expensereport`` function of a planned expense report."""
    if draft.employee_id is None:
        raise ValueError("an expense report needs the submitter's Intacct employee")
    report = ExpenseReport(
        employeeid=draft.employee_id,
        datecreated=draft.date,
        lines=tuple(_expense(line) for line in draft.lines),
        expensereportno=draft.reference,
        state=STATE,
        description=draft.title,
        currency=draft.currency,
    )
    return create_expensereport(draft.controlid, report)


EXPENSE_REPORT = DocumentType(
    kind=ExportType.EXPENSE_REPORT,
    code="er",
    reference_object="EEXPENSES",
    reference_field="RECORDID",
    group_key=_group,
    build=build,
)
