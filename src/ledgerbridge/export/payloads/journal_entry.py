"""Company card spend as a journal entry (generic ``create`` of GLBATCH): expenses debited, card credited."""

from __future__ import annotations

from decimal import Decimal
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

DEBIT: Final = 1
CREDIT: Final = -1

FIELDS: Final = {
    DEPARTMENT: "DEPARTMENT",
    LOCATION: "LOCATION",
    PROJECT: "PROJECTID",
    CUSTOMER: "CUSTOMERID",
    CLASS: "CLASSID",
}
"""GLENTRY field of each standard dimension (journal entries say DEPARTMENT/LOCATION, not ...ID)."""


def _group(line: Line) -> GroupKey:
    # One entry per card account: each credits a different offset account.
    return (line.card_account or "", line.currency)


def _side(amount: Decimal, positive: int) -> tuple[Decimal, int]:
    # GLENTRY amounts are absolute; a refund flips the side instead of going negative.
    return (amount, positive) if amount >= 0 else (-amount, -positive)


def _debit(line: Line, draft: Draft) -> dict[str, FieldInput]:
    amount, side = _side(line.expense.amount.amount, DEBIT)
    return {
        "ACCOUNTNO": line.gl_account,
        "TRX_AMOUNT": amount,
        "TR_TYPE": side,
        "CURRENCY": draft.currency,
        "EXCH_RATE_TYPE_ID": EXCHANGE_RATE_TYPE,
        "DESCRIPTION": line.memo,
        "VENDORID": line.vendor,
        "BILLABLE": billable(line),
        **generic_dimensions(line, FIELDS),
    }


def _credit(draft: Draft) -> dict[str, FieldInput]:
    total = sum((line.expense.amount.amount for line in draft.lines), Decimal(0))
    amount, side = _side(total, CREDIT)
    return {
        "ACCOUNTNO": draft.offset_account,
        "TRX_AMOUNT": amount,
        "TR_TYPE": side,
        "CURRENCY": draft.currency,
        "EXCH_RATE_TYPE_ID": EXCHANGE_RATE_TYPE,
        "DESCRIPTION": f"{draft.title} ({draft.card_account})",
        "LOCATION": draft.entity or None,
    }


def build(draft: Draft) -> Function:
    """The generic ``create`` of a planned GLBATCH."""
    if draft.offset_account is None:
        raise ValueError("a card journal entry needs the card's offset account")
    batch: dict[str, FieldInput] = {
        # The workspace's card journal; without one the field is left out and Intacct refuses the entry (INT498).
        "JOURNAL": draft.journal,
        "BATCH_DATE": draft.date,
        "BATCH_TITLE": draft.title,
        "REFERENCENO": draft.reference,
        "ENTRIES": {"GLENTRY": [*(_debit(line, draft) for line in draft.lines), _credit(draft)]},
    }
    return create(draft.controlid, record("GLBATCH", batch))


JOURNAL_ENTRY = DocumentType(
    kind=ExportType.JOURNAL_ENTRY,
    code="je",
    reference_object="GLBATCH",
    reference_field="REFERENCENO",
    group_key=_group,
    build=build,
    entity_from_card=True,
)
