"""Documents that post to the GL: charge card transactions, expense reports, bills, journal entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from ledgerbridge.sandbox import posting
from ledgerbridge.sandbox.context import Ctx, Output
from ledgerbridge.sandbox.errors import GatewayFailure, IntacctError, business
from ledgerbridge.sandbox.posting import Document, Line
from ledgerbridge.sandbox.records import fields_from_xml_line, text
from ledgerbridge.sandbox.rules import visible_to
from ledgerbridge.sandbox.store import Fields
from ledgerbridge.sandbox.values import format_amount, format_date, parse_amount, parse_legacy_date, parse_us_date

_LEGACY_DIMS = {
    "locationid": "LOCATIONID", "departmentid": "DEPARTMENTID", "projectid": "PROJECTID",
    "customerid": "CUSTOMERID", "vendorid": "VENDORID", "employeeid": "EMPLOYEEID", "classid": "CLASSID",
}


def _get(parent: etree._Element, tag: str, ctx: Ctx) -> str:
    found = parent.find(tag)
    return "" if found is None else text(found, ctx.keep_whitespace)


def _wrap(label: str, failure: GatewayFailure) -> GatewayFailure:
    return GatewayFailure(*failure.errors, business(f"Could not create {label} record!"))


def _setting(ctx: Ctx, name: str, default: str) -> str:
    return ctx.company.settings.get(name, default)


def _account_for_label(ctx: Ctx, label: str) -> tuple[str, list[IntacctError]]:
    expense_type = ctx.store.record_by_key(ctx.companyid, "EEACCOUNTLABEL", label)
    if expense_type is None or not visible_to(ctx, expense_type):
        return "", [business(f"Invalid expense type '{label}'.", "Use an expense type that exists.")]
    if expense_type.get("STATUS") == "inactive":
        return str(expense_type.get("GLACCOUNTNO", "")), [business(
            f"The expense type '{label}' is inactive.", "Activate the expense type or use another one.")]
    return str(expense_type.get("GLACCOUNTNO", "")), []


def _child_texts(parent: etree._Element, ctx: Ctx) -> dict[str, str]:
    """The text of each direct child by tag (the first child of a tag, as ``find`` would pick)."""
    found: dict[str, str] = {}
    for child in parent:
        tag = child.tag
        if isinstance(tag, str) and tag not in found:
            found[tag] = text(child, ctx.keep_whitespace)
    return found


def _legacy_line(ctx: Ctx, item: etree._Element, amount_tag: str, currency: str, what: str,
                 problems: list[IntacctError]) -> Line:
    values = _child_texts(item, ctx)
    accountno = values.get("glaccountno", "")
    label = values.get("accountlabel", "") or values.get("expensetype", "")
    if not accountno and label:
        accountno, found = _account_for_label(ctx, label)
        problems.extend(found)
    raw_amount = values.get(amount_tag, "")
    if not raw_amount:
        problems.append(business(f"Required field {amount_tag} is missing on a {what} line.", errorno="PL01000127"))
        amount = Decimal(0)
    else:
        try:
            amount = parse_amount(raw_amount, amount_tag, currency)
        except GatewayFailure as failure:
            problems.extend(failure.errors)
            amount = Decimal(0)
    dims = {target: value for tag, target in _LEGACY_DIMS.items() if (value := values.get(tag, ""))}
    description = values.get("description", "") or values.get("memo", "")
    formatted = format_amount(amount, currency)
    stored: Fields = {"ACCOUNTNO": accountno, "ACCOUNTLABEL": label, "DESCRIPTION": description,
                      "AMOUNT": formatted, "TRX_AMOUNT": formatted, **dims}
    if values.get("billable", ""):
        stored["BILLABLE"] = values["billable"]
    return Line(accountno, amount, description, dims, label, stored)


def _numbered(lines: list[Line]) -> None:
    for number, line in enumerate(lines, start=1):
        line.stored["LINE_NO"] = str(number)


def record_cctransaction(ctx: Ctx, el: etree._Element) -> Output:
    label = "cctransaction"
    try:
        cardid = _get(el, "chargecardid", ctx)
        card = ctx.store.record_by_key(ctx.companyid, "CREDITCARD", cardid)
        if card is None or not visible_to(ctx, card):
            raise GatewayFailure(business(f"The charge card account '{cardid}' is not valid.",
                                          "Use a charge card account that exists."))
        when = parse_legacy_date(el.find("paymentdate"), "paymentdate")
        currency = _get(el, "currency", ctx) or str(card.get("CURRENCY") or ctx.company.basecurrency)
        problems: list[IntacctError] = []
        lines = [_legacy_line(ctx, item, "paymentamount", currency, "charge card", problems)
                 for item in el.iterfind("ccpayitems/ccpayitem")]
        if problems:
            raise GatewayFailure(*problems)
        _numbered(lines)
        header: Fields = {
            "RECORDID": _get(el, "referenceno", ctx), "FINANCIALENTITY": cardid, "PAYEE": _get(el, "payee", ctx),
            "DESCRIPTION": _get(el, "description", ctx), "WHENCREATED": format_date(when),
            "WHENPAID": format_date(when), "STATE": "Posted", "RAWSTATE": "P", "CLEARED": "false",
            "INCLUSIVETAX": "false",
        }
        doc = Document("CCTRANSACTION", "CCJ", "CM", when, currency, header, lines,
                       offset_account=str(card.get("OFFSETGLACCOUNTNO") or ""), card=card)
        recordno, _ = posting.record(ctx, doc)
    except GatewayFailure as failure:
        raise _wrap(label, failure) from None
    return Output(key=str(recordno))


def create_expensereport(ctx: Ctx, el: etree._Element) -> Output:
    label = "expense report"
    try:
        employeeid = _get(el, "employeeid", ctx)
        employee = ctx.store.record_by_key(ctx.companyid, "EMPLOYEE", employeeid)
        if employee is None or not visible_to(ctx, employee):
            raise GatewayFailure(business(f"The employee '{employeeid}' is invalid."))
        when = parse_legacy_date(el.find("datecreated"), "datecreated")
        currency = _get(el, "currency", ctx) or _get(el, "basecurr", ctx) or ctx.company.basecurrency
        problems: list[IntacctError] = []
        lines = [_legacy_line(ctx, item, "amount", currency, "expense", problems)
                 for item in el.iterfind("expenses/expense")]
        if problems:
            raise GatewayFailure(*problems)
        for line, item in zip(lines, el.iterfind("expenses/expense"), strict=True):
            if item.find("expensedate") is not None:
                line.stored["EXPENSEDATE"] = format_date(parse_legacy_date(item.find("expensedate"), "expensedate"))
            if _get(item, "exppmttype", ctx):
                line.stored["EXPPMTTYPE"] = _get(item, "exppmttype", ctx)
        _numbered(lines)
        state = _get(el, "state", ctx) or "Submitted"
        number = _get(el, "expensereportno", ctx) or f"EXP-{ctx.store.next_number(ctx.companyid, 'EXPNO'):05d}"
        header: Fields = {
            "RECORDID": number, "EMPLOYEEID": employeeid,
            "EMPLOYEENAME": str(employee.get("CONTACT.CONTACTNAME") or employee.get("PERSONALINFO.CONTACTNAME") or ""),
            "WHENCREATED": format_date(when), "DESCRIPTION": _get(el, "description", ctx),
            "MEMO": _get(el, "memo", ctx), "STATE": state, "RAWSTATE": state[:1],
            "EXTERNALID": _get(el, "externalid", ctx),
        }
        posted = el.find("dateposted")
        header["WHENPOSTED"] = format_date(parse_legacy_date(posted, "dateposted")) if posted is not None else ""
        doc = Document("EEXPENSES", "EEJ", "EE", when, currency, header, lines,
                       offset_account=_setting(ctx, "EE_LIABILITY_ACCOUNT", "2050"), employee=employee,
                       post=state != "Draft")
        recordno, _ = posting.record(ctx, doc)
    except GatewayFailure as failure:
        raise _wrap(label, failure) from None
    return Output(key=str(recordno))


def _ap_account(ctx: Ctx, vendorid: str) -> str:
    vendor = ctx.store.record_by_key(ctx.companyid, "VENDOR", vendorid) if vendorid else None
    return str((vendor or {}).get("APACCOUNT") or _setting(ctx, "AP_ACCOUNT", "2000"))


def create_bill(ctx: Ctx, el: etree._Element) -> Output:
    label = "bill"
    try:
        vendorid = _get(el, "vendorid", ctx)
        when = parse_legacy_date(el.find("datecreated"), "datecreated")
        due = el.find("datedue")
        currency = _get(el, "currency", ctx) or ctx.company.basecurrency
        problems: list[IntacctError] = []
        lines = [_legacy_line(ctx, item, "amount", currency, "bill", problems)
                 for item in el.iterfind("billitems/lineitem")]
        if problems:
            raise GatewayFailure(*problems)
        _numbered(lines)
        header: Fields = {
            "RECORDID": _get(el, "billno", ctx), "VENDORID": vendorid, "WHENCREATED": format_date(when),
            "WHENDUE": format_date(parse_legacy_date(due, "datedue")) if due is not None else format_date(when),
            "DESCRIPTION": _get(el, "description", ctx), "TERMNAME": _get(el, "termname", ctx),
            "DOCNUMBER": _get(el, "ponumber", ctx), "STATE": "Posted", "RAWSTATE": "A",
        }
        recordno = _record_bill(ctx, header, lines, when, currency)
    except GatewayFailure as failure:
        raise _wrap(label, failure) from None
    return Output(key=str(recordno))


def _record_bill(ctx: Ctx, header: Fields, lines: list[Line], when: date, currency: str) -> int:
    vendorid = str(header.get("VENDORID") or "")
    vendor = ctx.store.record_by_key(ctx.companyid, "VENDOR", vendorid)
    header["VENDORNAME"] = (vendor or {}).get("NAME", "")
    doc = Document("APBILL", "APJ", "AP", when, currency, header, lines,
                   offset_account=_ap_account(ctx, vendorid))
    recordno, _ = posting.record(ctx, doc)
    return recordno


def _generic_lines(ctx: Ctx, items: list[Fields], amount_field: str, currency: str, dims: dict[str, str],
                   signed: bool) -> list[Line]:
    problems: list[IntacctError] = []
    lines = []
    for number, item in enumerate(items, start=1):
        accountno = str(item.get("ACCOUNTNO") or item.get("GLACCOUNTNO") or "")
        label = str(item.get("ACCOUNTLABEL") or "")
        if not accountno and label:
            accountno, found = _account_for_label(ctx, label)
            problems.extend(found)
        try:
            amount = parse_amount(str(item.get(amount_field) or ""), amount_field, currency)
        except GatewayFailure as failure:
            problems.extend(failure.errors)
            amount = Decimal(0)
        if signed:
            direction = str(item.get("TR_TYPE") or "1").strip()
            if direction not in {"1", "-1"}:
                problems.append(business(f"Invalid TR_TYPE '{direction}'. Use 1 for debit or -1 for credit.",
                                         errorno="BL03000018"))
            amount = abs(amount) * (-1 if direction == "-1" else 1)
        line_dims = {target: str(item[source]) for source, target in dims.items() if item.get(source)}
        description = str(item.get("ENTRYDESCRIPTION") or item.get("DESCRIPTION") or "")
        stored = {**item, "LINE_NO": str(number), "ACCOUNTNO": accountno,
                  amount_field: format_amount(abs(amount), currency), "AMOUNT": format_amount(abs(amount), currency)}
        lines.append(Line(accountno, amount, description, line_dims, label, stored))
    if problems:
        raise GatewayFailure(*problems)
    return lines


_BILL_DIMS = {"LOCATIONID": "LOCATIONID", "DEPARTMENTID": "DEPARTMENTID", "PROJECTID": "PROJECTID",
              "CUSTOMERID": "CUSTOMERID", "VENDORID": "VENDORID", "EMPLOYEEID": "EMPLOYEEID", "CLASSID": "CLASSID"}
_JOURNAL_DIMS = {"LOCATION": "LOCATIONID", "DEPARTMENT": "DEPARTMENTID", "PROJECTID": "PROJECTID",
                 "CUSTOMERID": "CUSTOMERID", "VENDORID": "VENDORID", "EMPLOYEEID": "EMPLOYEEID", "CLASSID": "CLASSID"}


def create_apbill(ctx: Ctx, fields: Fields) -> int:
    """Generic create of APBILL."""
    try:
        draft = str(fields.get("ACTION", "")).lower() == "draft"
        for required in ("VENDORID", "WHENCREATED", "WHENDUE"):
            if not draft and not str(fields.get(required, "")).strip():
                raise GatewayFailure(business(f"Required field {required} is missing.", errorno="PL01000127"))
        when = parse_us_date(str(fields["WHENCREATED"]), "WHENCREATED")
        currency = str(fields.get("CURRENCY") or ctx.company.basecurrency)
        items = fields.get("APBILLITEMS") or []
        lines = _generic_lines(ctx, items, "TRX_AMOUNT", currency, _BILL_DIMS, signed=False)
        header = {k: v for k, v in fields.items() if k not in {"APBILLITEMS", "ACTION"}}
        header.update({"WHENCREATED": format_date(when), "STATE": "Draft" if draft else "Posted",
                       "RAWSTATE": "D" if draft else "A"})
        if draft:
            doc = Document("APBILL", "APJ", "AP", when, currency, header, lines, post=False)
            return posting.record(ctx, doc)[0]
        return _record_bill(ctx, header, lines, when, currency)
    except GatewayFailure as failure:
        raise _wrap("bill", failure) from None


def create_glbatch(ctx: Ctx, fields: Fields) -> int:
    """Generic create of GLBATCH (journal entry)."""
    try:
        for required in ("JOURNAL", "BATCH_DATE", "BATCH_TITLE"):
            if not str(fields.get(required, "")).strip():
                raise GatewayFailure(business(f"Required field {required} is missing.", errorno="PL01000127"))
        when = parse_us_date(str(fields["BATCH_DATE"]), "BATCH_DATE")
        items = fields.get("ENTRIES") or []
        if len(items) < 2:
            raise GatewayFailure(business("A journal entry needs at least two entries."))
        currency = str(items[0].get("CURRENCY") or ctx.company.basecurrency)
        lines = _generic_lines(ctx, items, "TRX_AMOUNT", currency, _JOURNAL_DIMS, signed=True)
        batchno = ctx.store.next_number(ctx.companyid, "JOURNALBATCHNO")
        state = str(fields.get("STATE") or "Posted")
        header = {k: v for k, v in fields.items() if k != "ENTRIES"}
        header.update({"BATCHNO": str(batchno), "BATCH_DATE": format_date(when), "STATE": state, "MODULE": "2.GL"})
        doc = Document("GLBATCH", str(fields["JOURNAL"]), "GL", when, currency, header, lines,
                       post=state != "Draft")
        return posting.record(ctx, doc)[0]
    except GatewayFailure as failure:
        raise _wrap("GLBatch", failure) from None


def _reverse(ctx: Ctx, el: etree._Element, doctype: str) -> Output:
    key = str(el.get("key") or "").strip()
    if not key.isdigit():
        raise GatewayFailure(business(f"Invalid key '{key}'.", errorno="BL03000018"))
    when = parse_legacy_date(el.find("datereversed"), "datereversed")
    # The schema names the reversal's text memo on card transactions and description on expense reports.
    memo = _get(el, "memo", ctx) or _get(el, "description", ctx)
    return Output(key=str(posting.reverse(ctx, doctype, int(key), when, memo)))


def reverse_cctransaction(ctx: Ctx, el: etree._Element) -> Output:
    return _reverse(ctx, el, "CCTRANSACTION")


def reverse_expensereport(ctx: Ctx, el: etree._Element) -> Output:
    return _reverse(ctx, el, "EEXPENSES")


LEGACY = {
    "record_cctransaction": record_cctransaction,
    "create_expensereport": create_expensereport,
    "create_bill": create_bill,
    "reverse_cctransaction": reverse_cctransaction,
    "reverse_expensereport": reverse_expensereport,
}
__all__ = ["LEGACY", "create_apbill", "create_glbatch", "fields_from_xml_line"]
