"""Expenses of a draft report: add, edit, delete; each change is recorded in the report's history."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field
from sqlalchemy.orm import Session

from ledgerbridge.domain import Action, EventKind, Expense, Payment, Report, new_id
from ledgerbridge.store import Coding, NotFound, Reports
from ledgerbridge.web.api.context import Caller, current_caller, needs, visible_report
from ledgerbridge.web.api.errors import Invalid
from ledgerbridge.web.api.history import record, require_editable
from ledgerbridge.web.api.schemas import Body, Code, LongText, MoneyIn, Title, money_out, when

router = APIRouter(tags=["expenses"])
BASE = "/workspaces/{workspace_id}/reports/{report_id}/expenses"


def expense_out(expense: Expense) -> dict[str, Any]:
    return {
        "id": expense.id,
        "spent_on": when(expense.spent_on),
        "merchant": expense.merchant,
        "amount": money_out(expense.amount),
        "category_id": expense.category_id,
        "tags": dict(expense.tags),
        "payment": expense.payment.value,
        "card_id": expense.card_id,
        "billable": expense.billable,
        "description": expense.description,
        "vendor": expense.vendor,
    }


Tags = Annotated[dict[Code, Code], Field(max_length=20)]


class NewExpense(Body):
    spent_on: date
    merchant: Title
    amount: MoneyIn
    category_id: str | None = None
    tags: Tags = Field(default_factory=dict)
    payment: Payment = Payment.REIMBURSABLE
    card_id: str | None = None
    billable: bool = False
    description: LongText = ""
    vendor: Code | None = None


class ExpenseEdit(Body):
    """Only the fields sent change; `null` clears the category, card or vendor."""

    spent_on: date | None = None
    merchant: Title | None = None
    amount: MoneyIn | None = None
    category_id: str | None = None
    tags: Tags | None = None
    payment: Payment | None = None
    card_id: str | None = None
    billable: bool | None = None
    description: LongText | None = None
    vendor: Code | None = None


def _checked(session: Session, report: Report, expense: Expense) -> Expense:
    """The expense if its category and card belong to the report's workspace and its payment fits the card."""
    coding = Coding(session)
    try:
        if expense.category_id is not None:
            coding.category(report.workspace_id, expense.category_id)
        if expense.card_id is not None:
            coding.card(report.workspace_id, expense.card_id)
    except NotFound as exc:
        raise Invalid(f"no {exc.kind} {exc.key} in this workspace", {"field": f"{exc.kind.split()[-1]}_id"}) from None
    if expense.card_id is not None and expense.payment is not Payment.COMPANY_CARD:
        raise Invalid("a card is given only for company card expenses", {"field": "card_id"})
    return expense


def _editable_report(session: Session, workspace_id: str, report_id: str, caller: Caller) -> Report:
    report = visible_report(session, workspace_id, report_id, caller, Action.EDIT_OWN_REPORT)
    require_editable(report)
    return report


def _record(session: Session, report: Report, caller: Caller, detail: dict[str, Any]) -> None:
    record(session, report, caller, EventKind.EDITED, detail)


@router.get(BASE, openapi_extra=needs(Action.VIEW_OWN_REPORTS))
def list_expenses(workspace_id: str, report_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        report = visible_report(session, workspace_id, report_id, caller, Action.VIEW_OWN_REPORTS)
        return {"data": [expense_out(e) for e in Reports(session).expenses(report.id)]}


@router.post(BASE, status_code=201, openapi_extra=needs(Action.EDIT_OWN_REPORT), summary="Add an expense to a draft")
def add_expense(
    workspace_id: str, report_id: str, body: NewExpense, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    amount = body.amount.to_money()
    with caller.session() as session:
        report = _editable_report(session, workspace_id, report_id, caller)
        expense = Expense(
            new_id(),
            report.id,
            body.spent_on,
            body.merchant,
            amount,
            body.category_id,
            dict(body.tags),
            body.payment,
            body.card_id,
            body.billable,
            body.description,
            body.vendor,
        )
        Reports(session).add_expense(_checked(session, report, expense))
        _record(session, report, caller, {"expense_added": expense.id, "amount": money_out(amount)})
        return {"data": expense_out(expense)}


@router.get(BASE + "/{expense_id}", openapi_extra=needs(Action.VIEW_OWN_REPORTS))
def get_expense(
    workspace_id: str, report_id: str, expense_id: str, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    with caller.session() as session:
        report = visible_report(session, workspace_id, report_id, caller, Action.VIEW_OWN_REPORTS)
        return {"data": expense_out(Reports(session).expense(report.id, expense_id))}


@router.patch(BASE + "/{expense_id}", openapi_extra=needs(Action.EDIT_OWN_REPORT))
def edit_expense(
    workspace_id: str, report_id: str, expense_id: str, body: ExpenseEdit, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    changes: dict[str, Any] = {name: getattr(body, name) for name in body.model_fields_set}
    nullable = {"category_id", "card_id", "vendor"}
    changes = {k: v for k, v in changes.items() if v is not None or k in nullable}
    if "amount" in changes:
        changes["amount"] = body.amount.to_money() if body.amount is not None else None
    with caller.session() as session:
        report = _editable_report(session, workspace_id, report_id, caller)
        reports = Reports(session)
        before = reports.expense(report.id, expense_id)
        after = _checked(session, report, dataclasses.replace(before, **changes))
        reports.save_expense(after)
        _record(session, report, caller, {"expense_edited": expense_id, "fields": sorted(changes)})
        return {"data": expense_out(after)}


@router.delete(BASE + "/{expense_id}", openapi_extra=needs(Action.EDIT_OWN_REPORT))
def delete_expense(
    workspace_id: str, report_id: str, expense_id: str, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    with caller.session() as session:
        report = _editable_report(session, workspace_id, report_id, caller)
        Reports(session).delete_expense(report.id, expense_id)
        _record(session, report, caller, {"expense_deleted": expense_id})
    return {"data": {"deleted": expense_id}}
