"""Listing functions: readByQuery with readMore, query, and the field catalogues lookup and inspect."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from lxml import etree

from ledgerbridge.sandbox.context import Ctx, Output
from ledgerbridge.sandbox.errors import GatewayFailure, IntacctError, business
from ledgerbridge.sandbox.objectdefs import ObjectDef
from ledgerbridge.sandbox.querylang import (
    QueryError,
    aggregate,
    filter_from_xml,
    order_rows,
    parse_field_list,
    parse_where,
    selection_from_xml,
)
from ledgerbridge.sandbox.querylang_values import Row
from ledgerbridge.sandbox.records import all_rows, flat_rows, object_or_fail, record_element, visible
from ledgerbridge.sandbox.store import Fields
from ledgerbridge.sandbox.values import is_true

RESULT_TTL_SECONDS = 30 * 60
MAX_RESULT_SETS = 500


@dataclass(slots=True)
class ResultSet:
    companyid: str
    userid: str
    obj: ObjectDef
    rows: list[Fields]
    delivered: int
    wanted: tuple[str, ...] | None
    pagesize: int
    expires: float


class ResultSets:
    """Open readByQuery results, continued by readMore; oldest dropped first when many are open."""

    def __init__(self) -> None:
        self._sets: OrderedDict[str, ResultSet] = OrderedDict()
        self._latest: dict[tuple[str, str, str], str] = {}
        self._lock = threading.Lock()

    def open(self, result: ResultSet) -> str:
        result_id = secrets.token_hex(12)
        with self._lock:
            self._sets[result_id] = result
            self._latest[(result.companyid, result.userid, result.obj.name)] = result_id
            while len(self._sets) > MAX_RESULT_SETS:
                self._sets.popitem(last=False)
        return result_id

    def get(self, result_id: str, companyid: str) -> ResultSet | None:
        with self._lock:
            found = self._sets.get(result_id)
            if found is None or found.companyid != companyid or found.expires < time.monotonic():
                return None
            return found

    def latest(self, companyid: str, userid: str, obj: str) -> str | None:
        with self._lock:
            return self._latest.get((companyid, userid, obj))

    def close(self, result_id: str) -> None:
        with self._lock:
            self._sets.pop(result_id, None)


RESULTS = ResultSets()

MAX_ORDERED_RESULTS = 32


class OrderedResults:
    """Filtered and ordered rows of recent queries, so that paging through one query filters and sorts once.

    An entry is valid for one store generation: any write to records makes every entry stale.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[object, ...], list[Row]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> list[Row] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[object, ...], rows: list[Row]) -> None:
        with self._lock:
            self._entries[key] = rows
            while len(self._entries) > MAX_ORDERED_RESULTS:
                self._entries.popitem(last=False)


ORDERED = OrderedResults()


def _shape(element: etree._Element | None) -> bytes:
    return b"" if element is None else etree.tostring(element, encoding="UTF-8", with_tail=False)


def _query_failed(message: str) -> GatewayFailure:
    return GatewayFailure(IntacctError("Query Failed", description2=message))


def _pagesize(el: etree._Element, default: int, maximum: int) -> int:
    raw = (el.findtext("pagesize", "") or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise GatewayFailure(business(f"pagesize must be a whole number from 1 to {maximum}; got '{raw}'.",
                                      errorno="BL03000018"))
    return int(raw)


def _page(result_id: str, result: ResultSet) -> etree._Element:
    page = result.rows[result.delivered:result.delivered + result.pagesize]
    result.delivered += len(page)
    remaining = len(result.rows) - result.delivered
    data = etree.Element("data", listtype=result.obj.listtype, count=str(len(page)),
                         totalcount=str(len(result.rows)), numremaining=str(remaining),
                         resultId=result_id if remaining else "")
    if result.wanted is None:
        for fields in page:
            data.append(record_element(result.obj, fields, None))
    elif page:
        data.append(flat_rows(result.obj, page, result.wanted))
    if not remaining:
        RESULTS.close(result_id)
    return data


def read_by_query(ctx: Ctx, el: etree._Element) -> Output:
    obj = object_or_fail(el.findtext("object", ""))
    fmt = (el.findtext("returnFormat", "") or "xml").strip().lower()
    if fmt != "xml":
        raise GatewayFailure(business(f"returnFormat '{fmt}' is not supported here; use xml.", errorno="BL03000018"))
    try:
        wanted = parse_field_list(el.findtext("fields", "") or "", obj.type_of)
        predicate = parse_where(el.findtext("query", "") or "", obj.type_of)
    except QueryError as problem:
        raise _query_failed(problem.message) from None
    rows = [r for r in all_rows(ctx, obj) if visible(ctx, r) and predicate(r)]
    result = ResultSet(ctx.companyid, ctx.user.userid, obj, rows, 0, wanted, _pagesize(el, 100, 1000),
                       time.monotonic() + RESULT_TTL_SECONDS)
    return Output(data=_page(RESULTS.open(result), result))


def read_more(ctx: Ctx, el: etree._Element) -> Output:
    result_id = (el.findtext("resultId", "") or "").strip()
    if not result_id and el.findtext("object"):
        obj = object_or_fail(el.findtext("object", ""))
        result_id = RESULTS.latest(ctx.companyid, ctx.user.userid, obj.name) or ""
    result = RESULTS.get(result_id, ctx.companyid) if result_id else None
    if result is None:
        raise GatewayFailure(business(
            f"Attempting to readMore with an invalid or expired resultId: '{result_id}'.",
            "Run readByQuery again.", errorno="DL02000001"))
    return Output(data=_page(result_id, result))


def query(ctx: Ctx, el: etree._Element) -> Output:
    obj = object_or_fail(el.findtext("object", ""))
    options = el.find("options")
    case_insensitive = options is not None and is_true(options.findtext("caseinsensitive", "false"))
    # Entity-owned master data is private to its entity; the top level sees it only when asked.
    # Transactions posted in an entity stay visible from the top level.
    show_private = obj.documents_lines is not None or obj.name == "GLENTRY" or (
        options is not None and is_true(options.findtext("showprivate", "false")))
    select = el.find("select")
    try:
        if select is None:
            raise QueryError("The select element is required.")
        selection = selection_from_xml(select, obj.type_of)
        key = (ctx.store.generation, ctx.companyid, ctx.entity, show_private, case_insensitive,
               obj.name, _shape(el.find("filter")), _shape(el.find("orderby")))
        rows_sorted = ORDERED.get(key)
        if rows_sorted is None:
            predicate = filter_from_xml(el.find("filter"), obj.type_of, case_insensitive=case_insensitive)
            rows = [r for r in all_rows(ctx, obj)
                    if visible(ctx, r, show_private=show_private) and predicate(r)]
            rows_sorted = order_rows(rows, el.find("orderby"), obj.type_of, case_insensitive=case_insensitive)
            ORDERED.put(key, rows_sorted)
        totals = aggregate(rows_sorted, selection, obj.type_of) if selection.aggregates else None
    except QueryError as problem:
        raise _query_failed(problem.message) from None
    offset_raw = (el.findtext("offset", "") or "0").strip()
    if not offset_raw.isdigit():
        raise GatewayFailure(business(f"offset must be a whole number; got '{offset_raw}'.", errorno="BL03000018"))
    offset = int(offset_raw)
    pagesize = _pagesize(el, 100, 2000)
    if totals is not None:
        data = etree.Element("data", listtype=obj.name, totalcount="1", offset="0", count="1", numremaining="0")
        element = etree.SubElement(data, obj.name)
        for name in selection.fields:
            etree.SubElement(element, name).text = str(rows_sorted[0].get(name) or "") if rows_sorted else ""
        for name, value in totals.items():
            etree.SubElement(element, name).text = value
        return Output(data=data)
    page = list(rows_sorted[offset:offset + pagesize])
    remaining = max(len(rows_sorted) - offset - len(page), 0)
    data = etree.Element("data", listtype=obj.name, totalcount=str(len(rows_sorted)), offset=str(offset),
                         count=str(len(page)), numremaining=str(remaining))
    if page:
        data.append(flat_rows(obj, page, selection.fields, tag=obj.name))
    return Output(data=data)


_DATATYPES = {"text": "TEXT", "integer": "INTEGER", "decimal": "DECIMAL", "boolean": "BOOLEAN",
              "date": "DATE", "timestamp": "TIMESTAMP"}


def _type_element(obj: ObjectDef, detail: bool) -> etree._Element:
    element = etree.Element("Type", Name=obj.name, DocumentType="")
    fields = etree.SubElement(element, "Fields")
    for name in obj.fields:
        field = etree.SubElement(fields, "Field")
        if not detail:
            field.text = name
            continue
        etree.SubElement(field, "ID").text = name
        etree.SubElement(field, "LABEL").text = name.replace("_", " ").title()
        etree.SubElement(field, "DESCRIPTION").text = ""
        etree.SubElement(field, "REQUIRED").text = "true" if name in obj.required else "false"
        etree.SubElement(field, "READONLY").text = "true" if name in {"RECORDNO", "WHENCREATED",
                                                                       "WHENMODIFIED"} else "false"
        etree.SubElement(field, "DATATYPE").text = _DATATYPES[obj.type_of(name) or "text"]
        etree.SubElement(field, "ISCUSTOM").text = "false"
    etree.SubElement(element, "Relationships")
    return element


def lookup(ctx: Ctx, el: etree._Element) -> Output:
    obj = object_or_fail(el.findtext("object", ""))
    data = etree.Element("data", listtype="All", count="1")
    data.append(_type_element(obj, detail=True))
    return Output(data=data)


def inspect(ctx: Ctx, el: etree._Element) -> Output:
    obj = object_or_fail(el.findtext("object", ""))
    data = etree.Element("data", listtype="All", count="1")
    data.append(_type_element(obj, detail=el.get("detail") == "1"))
    return Output(data=data)
