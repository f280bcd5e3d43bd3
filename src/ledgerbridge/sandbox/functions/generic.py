"""Generic 3.0 functions that write or fetch records by key: create, update, delete, read, readByName."""

from __future__ import annotations

from lxml import etree

from ledgerbridge.sandbox.context import Ctx, Output
from ledgerbridge.sandbox.errors import GatewayFailure, IntacctError, business
from ledgerbridge.sandbox.functions import documents, masterdata
from ledgerbridge.sandbox.objectdefs import ObjectDef
from ledgerbridge.sandbox.querylang import QueryError, parse_field_list
from ledgerbridge.sandbox.records import all_rows, fields_from_xml, object_or_fail, record_element, text, visible
from ledgerbridge.sandbox.store import Fields
from ledgerbridge.sandbox.xmlsafe import XML_WHITESPACE

_DOCUMENT_CREATORS = {"APBILL": documents.create_apbill, "GLBATCH": documents.create_glbatch}


def _not_allowed(operation: str, obj: ObjectDef) -> GatewayFailure:
    return GatewayFailure(business(
        f"API operation '{operation}' cannot be performed on objects of type {obj.name.lower()}",
        errorno="PL04000005" if operation != "CREATE" else "BL01001973",
    ))


def _objects_data(created: list[tuple[ObjectDef, Fields]]) -> etree._Element:
    data = etree.Element("data", listtype="objects", count=str(len(created)))
    for obj, fields in created:
        element = etree.SubElement(data, obj.listtype)
        etree.SubElement(element, "RECORDNO").text = str(fields["RECORDNO"])
        if obj.id_field:
            etree.SubElement(element, obj.id_field).text = str(fields.get(obj.id_field, ""))
    return data


def create(ctx: Ctx, el: etree._Element) -> Output:
    created: list[tuple[ObjectDef, Fields]] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        obj = object_or_fail(child.tag)
        if not obj.writable and obj.name not in _DOCUMENT_CREATORS:
            raise _not_allowed("CREATE", obj)
        fields = fields_from_xml(obj, child, ctx.keep_whitespace)
        if obj.name in _DOCUMENT_CREATORS:
            recordno = _DOCUMENT_CREATORS[obj.name](ctx, fields)
            # Documents have no ID field: the answer names the RECORDNO the document was stored under.
            stored = {"RECORDNO": str(recordno)}
        else:
            stored = masterdata.create(ctx, obj, fields)
        created.append((obj, stored))
    return Output(data=_objects_data(created))


def update(ctx: Ctx, el: etree._Element) -> Output:
    updated: list[tuple[ObjectDef, Fields]] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        obj = object_or_fail(child.tag)
        if not obj.writable or obj.documents_lines:
            raise _not_allowed("UPDATE", obj)
        changes = fields_from_xml(obj, child, ctx.keep_whitespace)
        current = masterdata.locate(ctx, obj, changes)
        if current is not None and not visible(ctx, current):
            raise GatewayFailure(business(f"Cannot update {obj.label} {current.get(obj.id_field or '')} from "
                                          f"entity '{ctx.entity}'; it belongs to another entity."))
        updated.append((obj, masterdata.update(ctx, obj, changes)))
    return Output(data=_objects_data(updated))


def delete(ctx: Ctx, el: etree._Element) -> Output:
    obj = object_or_fail(el.findtext("object", ""))
    if not obj.writable:
        raise _not_allowed("DELETE", obj)
    for key in (k.strip() for k in el.findtext("keys", "").split(",") if k.strip()):
        current = ctx.store.record(ctx.companyid, obj.name, int(key)) if key.isdigit() else None
        if current is None or not visible(ctx, current):
            raise GatewayFailure(business(f"Cannot find {obj.name.lower()} with key '{key}' to delete."))
        if obj.documents_lines:
            ctx.store.delete_glentries(ctx.companyid, obj.name, int(key))
        ctx.store.delete_record(ctx.companyid, obj.name, int(key))
    return Output()


def _fields(obj: ObjectDef, el: etree._Element) -> tuple[str, ...] | None:
    try:
        return parse_field_list(el.findtext("fields", "") or "", obj.type_of)
    except QueryError as problem:
        raise GatewayFailure(IntacctError("Query Failed", description2=problem.message)) from None


def _read_data(obj: ObjectDef, records: list[Fields], wanted: tuple[str, ...] | None) -> etree._Element:
    data = etree.Element("data", listtype=obj.listtype, count=str(len(records)))
    for fields in records:
        data.append(record_element(obj, fields, wanted))
    return data


def _check_format(el: etree._Element) -> None:
    fmt = (el.findtext("returnFormat", "") or "xml").strip().lower()
    if fmt != "xml":
        raise GatewayFailure(business(f"returnFormat '{fmt}' is not supported here; use xml.", errorno="BL03000018"))


def read(ctx: Ctx, el: etree._Element) -> Output:
    obj = object_or_fail(el.findtext("object", ""))
    _check_format(el)
    wanted = _fields(obj, el)
    keys = [k.strip() for k in el.findtext("keys", "").split(",") if k.strip()]
    if keys == ["*"] or not keys:
        records = [r for r in all_rows(ctx, obj) if visible(ctx, r)][:100]
    else:
        found = (ctx.store.record(ctx.companyid, obj.name, int(k)) if k.isdigit() else None for k in keys)
        records = [r for r in found if r is not None and visible(ctx, r)]
    return Output(data=_read_data(obj, records, wanted))


def read_by_name(ctx: Ctx, el: etree._Element) -> Output:
    obj = object_or_fail(el.findtext("object", ""))
    _check_format(el)
    if obj.id_field is None:
        raise _not_allowed("READ_BY_NAME", obj)
    wanted = _fields(obj, el)
    names = [text(k, ctx.keep_whitespace) for k in el.iterfind("keys")]
    keys = [k.strip(XML_WHITESPACE) for joined in names for k in joined.split(",") if k.strip(XML_WHITESPACE)]
    found = (ctx.store.record_by_key(ctx.companyid, obj.name, k) for k in keys)
    records = [r for r in found if r is not None and visible(ctx, r)]
    return Output(data=_read_data(obj, records, wanted))
