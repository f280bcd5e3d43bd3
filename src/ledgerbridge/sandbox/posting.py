"""The posting engine: every document becomes balanced GL entries tagged with entity and dimensions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ledgerbridge.sandbox import rules
from ledgerbridge.sandbox.context import Ctx
from ledgerbridge.sandbox.errors import GatewayFailure, business
from ledgerbridge.sandbox.objectdefs import OBJECTS
from ledgerbridge.sandbox.records import entity_name, stamp_new
from ledgerbridge.sandbox.store import Fields, now_stamp
from ledgerbridge.sandbox.values import format_amount, format_date

# Line dimension fields as documents carry them, and the GLENTRY field each becomes.
DIMENSIONS = {
    "LOCATIONID": "LOCATION", "DEPARTMENTID": "DEPARTMENT", "PROJECTID": "PROJECTID",
    "CUSTOMERID": "CUSTOMERID", "VENDORID": "VENDORID", "EMPLOYEEID": "EMPLOYEEID", "CLASSID": "CLASSID",
}

# Intacct tags every GL entry of a subledger document with its party: an expense report's employee, a bill's vendor.
PARTY_DIMENSION = {"EEXPENSES": "EMPLOYEEID", "APBILL": "VENDORID"}


@dataclass(slots=True)
class Line:
    """One document line: a debit (positive) or credit (negative) to an account, with dimensions."""

    accountno: str
    amount: Decimal
    description: str = ""
    dims: dict[str, str] = field(default_factory=dict)
    source: str = ""
    stored: Fields = field(default_factory=dict)


@dataclass(slots=True)
class Document:
    doctype: str
    journal: str
    subledger: str
    when: date
    currency: str
    header: Fields
    lines: list[Line]
    offset_account: str = ""
    card: Fields | None = None
    employee: Fields | None = None
    post: bool = True


@dataclass(slots=True)
class Entry:
    accountno: str
    amount: Decimal
    entity: str
    description: str
    dims: dict[str, str]
    line_no: int


def entries_for(ctx: Ctx, doc: Document) -> list[Entry]:
    """Lines plus the offset that balances them in each entity."""
    entries: list[Entry] = []
    per_entity: dict[str, Decimal] = {}
    party = PARTY_DIMENSION.get(doc.doctype, "")
    party_id = str(doc.header.get(party) or "") if party else ""
    for number, line in enumerate(doc.lines, start=1):
        entity = rules.entity_of_line(ctx, line.dims)
        dims = dict(line.dims)
        if party_id and not dims.get(party):
            dims[party] = party_id
        entries.append(Entry(line.accountno, line.amount, entity, line.description, dims, number))
        per_entity[entity] = per_entity.get(entity, Decimal(0)) + line.amount
    if doc.offset_account:
        for entity, total in per_entity.items():
            if total:
                dims = {"LOCATIONID": entity} if entity else {}
                if party_id:
                    dims[party] = party_id
                entries.append(Entry(doc.offset_account, -total, entity, doc.header.get("DESCRIPTION", ""),
                                     dims, 0))
    debits = sum((e.amount for e in entries if e.amount > 0), Decimal(0))
    credits = -sum((e.amount for e in entries if e.amount < 0), Decimal(0))
    if debits != credits:
        raise GatewayFailure(business(
            f"The transaction is not balanced: debits {format_amount(debits, doc.currency)} do not equal "
            f"credits {format_amount(credits, doc.currency)}.",
            "Make the debit and credit amounts equal.",
        ))
    return entries


def record(ctx: Ctx, doc: Document) -> tuple[int, Fields]:
    """Check the document against the posting rules, store it, and post its GL entries."""
    rules.check_document(ctx, doc)
    entries = entries_for(ctx, doc) if doc.post else []
    obj = OBJECTS[doc.doctype]
    total = sum((line.amount for line in doc.lines), Decimal(0))
    header = dict(doc.header)
    owner = ctx.entity or _single_entity(entries)
    recordno = ctx.store.next_number(ctx.companyid, f"RECORDNO:{doc.doctype}")
    stamp_new(ctx, obj, header, recordno, owner)
    header.setdefault("CURRENCY", doc.currency)
    header["BASECURR"] = ctx.company.basecurrency
    if doc.doctype != "GLBATCH":
        amount = format_amount(total, doc.currency)
        header.update({"TOTALENTERED": amount, "TRX_TOTALENTERED": amount, "TOTALDUE": amount,
                       "TRX_TOTALDUE": amount, "TOTALPAID": "0.00", "TRX_TOTALPAID": "0.00"})
    if obj.documents_lines:
        header[obj.documents_lines] = [line.stored for line in doc.lines]
    ctx.store.insert_record(ctx.companyid, doc.doctype, recordno, None, owner, header)
    post_entries(ctx, doc, recordno, entries)
    return recordno, header


def post_entries(ctx: Ctx, doc: Document, recordno: int, entries: list[Entry]) -> None:
    if not entries:
        return
    companyid = ctx.companyid
    batchno = ctx.store.next_number(companyid, "BATCHNO")
    first = ctx.store.reserve_numbers(companyid, "RECORDNO:GLENTRY", len(entries))
    stamp = now_stamp()
    # Shared by every entry of the document: computed once.
    entry_date = format_date(doc.when)
    userid = ctx.user.userid
    basecurrency = ctx.company.basecurrency
    names: dict[str, str] = {}
    rows: list[tuple[int, int, str, str, int, Fields]] = []
    for entry_no, entry in enumerate(entries, start=first):
        amount = format_amount(abs(entry.amount), doc.currency)
        name = names.get(entry.entity)
        if name is None:
            name = names[entry.entity] = entity_name(ctx, entry.entity)
        fields: Fields = {
            "RECORDNO": str(entry_no), "BATCHNO": str(batchno), "JOURNAL": doc.journal, "DOCTYPE": doc.doctype,
            "DOCRECORDNO": str(recordno), "LINE_NO": str(entry.line_no), "ENTRY_DATE": entry_date,
            "ACCOUNTNO": entry.accountno, "TR_TYPE": "1" if entry.amount > 0 else "-1",
            "AMOUNT": amount, "TRX_AMOUNT": amount, "CURRENCY": doc.currency,
            "BASECURR": basecurrency, "DESCRIPTION": entry.description, "STATE": "Posted",
            "WHENCREATED": stamp, "WHENMODIFIED": stamp, "CREATEDBY": userid,
            "MODIFIEDBY": userid, "MEGAENTITYID": entry.entity, "MEGAENTITYNAME": name,
        }
        dims = entry.dims
        for source, target in DIMENSIONS.items():
            fields[target] = dims.get(source, "")
        rows.append((entry_no, batchno, entry.entity, doc.doctype, recordno, fields))
    ctx.store.insert_glentries(companyid, rows)


def reverse(ctx: Ctx, doctype: str, recordno: int, when: date, memo: str) -> int:
    """Post the mirror image of a document's entries as a new reversal document of the same type."""
    original = ctx.store.record(ctx.companyid, doctype, recordno)
    if original is None or not rules.visible_to(ctx, original):
        raise GatewayFailure(business(
            f"Cannot find {OBJECTS[doctype].label.lower()} with key '{recordno}' to reverse.",
        ))
    if original.get("STATE") in {"Reversed", "Reversal"}:
        raise GatewayFailure(business(f"The {OBJECTS[doctype].label.lower()} {recordno} is already reversed."))
    entries = ctx.store.glentries(ctx.companyid, doctype, recordno)
    currency = str(original.get("CURRENCY") or ctx.company.basecurrency)
    rules.check_period(ctx, {str(e.get("MEGAENTITYID") or "") for e in entries} or {""}, when)
    reversal = {k: v for k, v in original.items() if not k.startswith(("RECORDNO", "WHEN"))}
    reversal.update({"STATE": "Reversal", "DESCRIPTION": memo or f"Reversal of {recordno}"})
    new_no = ctx.store.next_number(ctx.companyid, f"RECORDNO:{doctype}")
    stamp_new(ctx, OBJECTS[doctype], reversal, new_no, str(original.get("MEGAENTITYID") or ""))
    reversal["WHENCREATED"] = format_date(when)
    ctx.store.insert_record(ctx.companyid, doctype, new_no, None, str(original.get("MEGAENTITYID") or ""),
                            reversal)
    doc = Document(doctype, str(entries[0]["JOURNAL"]) if entries else "GJ", "", when, currency, reversal, [])
    post_entries(ctx, doc, new_no, [
        Entry(str(e["ACCOUNTNO"]), -Decimal(str(e["AMOUNT"])) * int(str(e["TR_TYPE"])),
              str(e.get("MEGAENTITYID") or ""), memo or str(e.get("DESCRIPTION") or ""),
              {source: str(e.get(target) or "") for source, target in DIMENSIONS.items() if e.get(target)},
              int(str(e.get("LINE_NO") or 0)))
        for e in entries
    ])
    original["STATE"] = "Reversed"
    original["WHENMODIFIED"] = now_stamp()
    ctx.store.replace_record(ctx.companyid, doctype, recordno, None, str(original.get("MEGAENTITYID") or ""),
                             original)
    return new_no


def _single_entity(entries: list[Entry]) -> str:
    entities = {entry.entity for entry in entries}
    return entities.pop() if len(entities) == 1 else ""
