"""Spend as a vendor bill (generic ``create`` of APBILL), reimbursable or company card."""

from __future__ import annotations

from typing import Final

from ledgerbridge.domain.ids import CLASS, CUSTOMER, DEPARTMENT, LOCATION, PROJECT
from ledgerbridge.export.context import ExportType
from ledgerbridge.export.payloads.skeleton import (
    EXCHANGE_RATE_TYPE,
    DocumentType,
    Draft,
    GroupKey,
    Line,
    billable,
    generic_dimensions,
)
from ledgerbridge.intacct import FieldInput, Function, create, record

FIELDS: Final = {
    LOCATION: "LOCATIONID",
    DEPARTMENT: "DEPARTMENTID",
    PROJECT: "PROJECTID",
    CUSTOMER: "CUSTOMERID",
    CLASS: "CLASSID",
}
"""APBILLITEM field of each standard dimension."""


def _group(line: Line) -> GroupKey:
    # A bill has one vendor and one currency.
    return (line.vendor or "", line.currency)


def _item(line: Line) -> dict[str, FieldInput]:
    return {
        "ACCOUNTNO": line.gl_account,
        "TRX_AMOUNT": line.expense.amount.amount,
        "ENTRYDESCRIPTION": line.memo,
        "BILLABLE": billable(line),
        **generic_dimensions(line, FIELDS),
    }


def build(draft: Draft) -> Function:
    """The generic ``create`` of a planned APBILL."""
    if draft.vendor_id is None:
        raise ValueError("a vendor bill needs a vendor")
    bill: dict[str, FieldInput] = {
        "VENDORID": draft.vendor_id,
        "WHENCREATED": draft.date,
        # Due on the bill date: the spend is already incurred, and payment runs decide the real timing.
        "WHENDUE": draft.date,
        "RECORDID": draft.reference,
        "DESCRIPTION": draft.title,
        "CURRENCY": draft.currency,
        "EXCH_RATE_TYPE_ID": EXCHANGE_RATE_TYPE,
        "APBILLITEMS": {"APBILLITEM": [_item(line) for line in draft.lines]},
    }
    return create(draft.controlid, record("APBILL", bill))


VENDOR_BILL = DocumentType(
    kind=ExportType.VENDOR_BILL,
    code="bill",
    reference_object="APBILL",
    reference_field="RECORDID",
    group_key=_group,
    build=build,
)
