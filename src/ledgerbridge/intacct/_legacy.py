"""Object-specific ("legacy") functions exports need. Element order is fixed by the schema, so it is here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ledgerbridge.intacct._exceptions import InvalidRequestError
from ledgerbridge.intacct._functions import ControlId, Function, writing
from ledgerbridge.intacct._nodes import Node, branch, format_value, leaf

# Used when a foreign currency is given without a rate: the schema needs one of the two.
DEFAULT_EXCHANGE_RATE_TYPE = "Intacct Daily Rate"


@dataclass(frozen=True, slots=True)
class Dimensions:
    """Dimension IDs a line can carry; absent ones are not sent."""

    locationid: str | None = None
    departmentid: str | None = None
    projectid: str | None = None
    taskid: str | None = None
    customerid: str | None = None
    vendorid: str | None = None
    employeeid: str | None = None
    itemid: str | None = None
    classid: str | None = None


@dataclass(frozen=True, slots=True)
class CustomField:
    """A ``customfield`` (user-defined dimension or field) on a legacy document or line."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ChargeCardLine:
    """A ``ccpayitem``: one GL account (or account label) and amount."""

    amount: Decimal
    glaccountno: str | None = None
    accountlabel: str | None = None
    description: str | None = None
    dimensions: Dimensions = Dimensions()
    customfields: tuple[CustomField, ...] = ()
    billable: bool | None = None


@dataclass(frozen=True, slots=True)
class ChargeCardTransaction:
    """A charge card transaction for ``record_cctransaction``."""

    chargecardid: str
    paymentdate: dt.date
    lines: tuple[ChargeCardLine, ...]
    referenceno: str | None = None
    payee: str | None = None
    description: str | None = None
    currency: str | None = None
    exchrate: Decimal | None = None
    customfields: tuple[CustomField, ...] = ()


@dataclass(frozen=True, slots=True)
class ExpenseLine:
    """An ``expense`` line of an expense report, by expense type or GL account."""

    amount: Decimal
    expensetype: str | None = None
    glaccountno: str | None = None
    currency: str | None = None
    trx_amount: Decimal | None = None
    expensedate: dt.date | None = None
    memo: str | None = None
    paidfor: str | None = None
    dimensions: Dimensions = Dimensions()
    customfields: tuple[CustomField, ...] = ()
    billable: bool | None = None
    exppmttype: str | None = None


@dataclass(frozen=True, slots=True)
class ExpenseReport:
    """An employee expense report for ``create_expensereport``."""

    employeeid: str
    datecreated: dt.date
    lines: tuple[ExpenseLine, ...]
    dateposted: dt.date | None = None
    expensereportno: str | None = None
    state: str | None = None
    description: str | None = None
    memo: str | None = None
    externalid: str | None = None
    basecurr: str | None = None
    currency: str | None = None
    customfields: tuple[CustomField, ...] = ()


@dataclass(frozen=True, slots=True)
class BillLine:
    """A ``lineitem`` of a vendor bill."""

    amount: Decimal
    glaccountno: str | None = None
    accountlabel: str | None = None
    memo: str | None = None
    dimensions: Dimensions = Dimensions()
    customfields: tuple[CustomField, ...] = ()
    billable: bool | None = None


@dataclass(frozen=True, slots=True)
class Bill:
    """A vendor bill for ``create_bill``; give ``datedue`` or ``termname``."""

    vendorid: str
    datecreated: dt.date
    lines: tuple[BillLine, ...]
    datedue: dt.date | None = None
    termname: str | None = None
    dateposted: dt.date | None = None
    billno: str | None = None
    description: str | None = None
    externalid: str | None = None
    currency: str | None = None
    exchrate: Decimal | None = None
    customfields: tuple[CustomField, ...] = ()


def _date(tag: str, value: dt.date | None) -> Node | None:
    if value is None:
        return None
    return branch(
        tag,
        leaf("year", f"{value.year:04d}"),
        leaf("month", f"{value.month:02d}"),
        leaf("day", f"{value.day:02d}"),
    )


def _money(tag: str, value: Decimal | None) -> Node | None:
    if value is None:
        return None
    if not isinstance(value, Decimal):
        raise InvalidRequestError(f"{tag} must be a Decimal, not {type(value).__name__}")
    return leaf(tag, value)


def _flag(tag: str, value: bool | None) -> Node | None:
    return None if value is None else leaf(tag, format_value(value))


def _customfields(fields: Sequence[CustomField]) -> Node | None:
    if not fields:
        return None
    return branch(
        "customfields",
        *(
            branch("customfield", leaf("customfieldname", field.name), leaf("customfieldvalue", field.value))
            for field in fields
        ),
    )


def _account(line: ChargeCardLine | BillLine | ExpenseLine, first: str, second: str) -> Node:
    chosen = [
        (tag, value)
        for tag, value in ((first, getattr(line, first)), (second, getattr(line, second)))
        if value is not None
    ]
    if len(chosen) != 1:
        raise InvalidRequestError(f"a line needs exactly one of {first} or {second}")
    tag, value = chosen[0]
    return Node(tag, text=value)


def _project(dims: Dimensions) -> tuple[Node | None, Node | None]:
    if dims.taskid is not None and dims.projectid is None:
        raise InvalidRequestError("a task needs its project")
    return leaf("projectid", dims.projectid), leaf("taskid", dims.taskid)


def _currency(currency: str | None, exchrate: Decimal | None) -> tuple[Node | None, Node | None]:
    if currency is None:
        return None, None
    rate = _money("exchrate", exchrate) if exchrate is not None else leaf("exchratetype", DEFAULT_EXCHANGE_RATE_TYPE)
    return leaf("currency", currency), rate


def _lines_required(lines: Sequence[object]) -> None:
    if not lines:
        raise InvalidRequestError("a document needs at least one line")


def record_cctransaction(controlid: ControlId, txn: ChargeCardTransaction) -> Function:
    """``record_cctransaction``; answers with the new RECORDNO in ``<key>``."""
    _lines_required(txn.lines)
    currency, rate = _currency(txn.currency, txn.exchrate)
    body = branch(
        "record_cctransaction",
        leaf("chargecardid", txn.chargecardid),
        _date("paymentdate", txn.paymentdate),
        leaf("referenceno", txn.referenceno),
        leaf("payee", txn.payee),
        leaf("description", txn.description),
        currency,
        rate,
        _customfields(txn.customfields),
        branch("ccpayitems", *(_ccpayitem(line) for line in txn.lines)),
    )
    return writing(controlid, body)


def _ccpayitem(line: ChargeCardLine) -> Node:
    dims = line.dimensions
    project, task = _project(dims)
    return branch(
        "ccpayitem",
        _account(line, "glaccountno", "accountlabel"),
        leaf("description", line.description),
        _money("paymentamount", line.amount),
        leaf("departmentid", dims.departmentid),
        leaf("locationid", dims.locationid),
        leaf("customerid", dims.customerid),
        leaf("vendorid", dims.vendorid),
        leaf("employeeid", dims.employeeid),
        project,
        task,
        leaf("itemid", dims.itemid),
        leaf("classid", dims.classid),
        _customfields(line.customfields),
        _flag("billable", line.billable),
    )


def create_expensereport(controlid: ControlId, report: ExpenseReport) -> Function:
    """``create_expensereport``; answers with the new RECORDNO in ``<key>``."""
    _lines_required(report.lines)
    body = branch(
        "create_expensereport",
        leaf("employeeid", report.employeeid),
        _date("datecreated", report.datecreated),
        _date("dateposted", report.dateposted),
        leaf("expensereportno", report.expensereportno),
        leaf("state", report.state),
        leaf("description", report.description),
        leaf("memo", report.memo),
        leaf("externalid", report.externalid),
        leaf("basecurr", report.basecurr),
        leaf("currency", report.currency),
        _customfields(report.customfields),
        branch("expenses", *(_expense(line) for line in report.lines)),
    )
    return writing(controlid, body)


def _expense(line: ExpenseLine) -> Node:
    dims = line.dimensions
    project, task = _project(dims)
    return branch(
        "expense",
        _account(line, "expensetype", "glaccountno"),
        _money("amount", line.amount),
        leaf("currency", line.currency),
        _money("trx_amount", line.trx_amount),
        _date("expensedate", line.expensedate),
        leaf("memo", line.memo),
        leaf("paidfor", line.paidfor),
        leaf("locationid", dims.locationid),
        leaf("departmentid", dims.departmentid),
        _customfields(line.customfields),
        project,
        task,
        leaf("customerid", dims.customerid),
        leaf("vendorid", dims.vendorid),
        leaf("employeeid", dims.employeeid),
        leaf("itemid", dims.itemid),
        leaf("classid", dims.classid),
        _flag("billable", line.billable),
        leaf("exppmttype", line.exppmttype),
    )


def create_bill(controlid: ControlId, bill: Bill) -> Function:
    """``create_bill``; answers with the new RECORDNO in ``<key>``."""
    _lines_required(bill.lines)
    if bill.datedue is None and bill.termname is None:
        raise InvalidRequestError("a bill needs a due date or payment terms")
    currency, rate = _currency(bill.currency, bill.exchrate)
    body = branch(
        "create_bill",
        leaf("vendorid", bill.vendorid),
        _date("datecreated", bill.datecreated),
        _date("dateposted", bill.dateposted),
        _date("datedue", bill.datedue),
        leaf("termname", bill.termname),
        leaf("billno", bill.billno),
        leaf("description", bill.description),
        leaf("externalid", bill.externalid),
        currency,
        rate,
        _customfields(bill.customfields),
        branch("billitems", *(_lineitem(line) for line in bill.lines)),
    )
    return writing(controlid, body)


def _lineitem(line: BillLine) -> Node:
    dims = line.dimensions
    project, task = _project(dims)
    return branch(
        "lineitem",
        _account(line, "glaccountno", "accountlabel"),
        _money("amount", line.amount),
        leaf("memo", line.memo),
        leaf("locationid", dims.locationid),
        leaf("departmentid", dims.departmentid),
        _customfields(line.customfields),
        project,
        task,
        leaf("customerid", dims.customerid),
        leaf("vendorid", dims.vendorid),
        leaf("employeeid", dims.employeeid),
        leaf("itemid", dims.itemid),
        leaf("classid", dims.classid),
        _flag("billable", line.billable),
    )


def _reverse(
    name: str, controlid: ControlId, key: str, datereversed: dt.date, note_tag: str, note: str | None
) -> Function:
    body = branch(name, _date("datereversed", datereversed), leaf(note_tag, note), attributes=(("key", key),))
    return writing(controlid, body)


def reverse_cctransaction(controlid: ControlId, key: str, datereversed: dt.date, memo: str | None = None) -> Function:
    """Reverse a charge card transaction by RECORDNO."""
    return _reverse("reverse_cctransaction", controlid, key, datereversed, "memo", memo)


def reverse_expensereport(
    controlid: ControlId, key: str, datereversed: dt.date, description: str | None = None
) -> Function:
    """Reverse an expense report by RECORDNO."""
    return _reverse("reverse_expensereport", controlid, key, datereversed, "description", description)


def reverse_bill(controlid: ControlId, key: str, datereversed: dt.date, description: str | None = None) -> Function:
    """Reverse a vendor bill by RECORDNO."""
    return _reverse("reverse_bill", controlid, key, datereversed, "description", description)
