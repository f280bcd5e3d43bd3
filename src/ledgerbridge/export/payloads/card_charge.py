"""Company card spend as charge card transactions (``record_cctransaction``, Intacct's CCTRANSACTION)."""

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
from ledgerbridge.intacct import ChargeCardLine, ChargeCardTransaction, Function, record_cctransaction


def _group(line: Line) -> GroupKey:
    # One transaction per charge card account and transaction date: a card charge is dated when the card
    # was used, never by the workspace's export date setting.
    return (line.card_account or "", line.transaction_date, line.currency)


def _payitem(line: Line) -> ChargeCardLine:
    return ChargeCardLine(
        amount=line.expense.amount.amount,
        glaccountno=line.gl_account,
        description=line.memo,
        dimensions=legacy_dimensions(line, with_vendor=True),
        customfields=custom_fields(line),
        billable=billable(line),
    )


def build(draft: Draft) -> Function:
    """The ``record_cctransaction`` function of a planned card charge."""
    if draft.card_account is None:
        raise ValueError("a card charge needs its charge card account")
    transaction = ChargeCardTransaction(
        chargecardid=draft.card_account,
        paymentdate=draft.date,
        lines=tuple(_payitem(line) for line in draft.lines),
        referenceno=draft.reference,
        payee=draft.payee,
        description=draft.title,
        currency=draft.currency,
    )
    return record_cctransaction(draft.controlid, transaction)


CREDIT_CARD_CHARGE = DocumentType(
    kind=ExportType.CREDIT_CARD_CHARGE,
    code="cc",
    reference_object="CCTRANSACTION",
    reference_field="RECORDID",
    group_key=_group,
    build=build,
    dated_by_transaction=True,
    entity_from_card=True,
)
