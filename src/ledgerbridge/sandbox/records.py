"""Records as the store keeps them (flat field maps) and as the gateway reads and writes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lxml import etree

from ledgerbridge.sandbox.context import Ctx
from ledgerbridge.sandbox.errors import GatewayFailure, IntacctError, business
from ledgerbridge.sandbox.objectdefs import ObjectDef, find
from ledgerbridge.sandbox.store import Fields, now_stamp
from ledgerbridge.sandbox.values import boolean, status_word
from ledgerbridge.sandbox.xmlsafe import XML_WHITESPACE, _xml_safe, rows_placeholder

# On write, some objects nest related-record fields; reads print them under these dotted prefixes.
_WRITE_PREFIXES = {"EMPLOYEE": {"PERSONALINFO": "CONTACT"}}
# Line elements inside a document's line block, as Intacct names them (not always the block's singular).
_LINE_TAGS = {"ENTRIES": "glentry", "CCTRANSACTIONENTRIES": "cctransactionentry"}


def object_or_fail(name: str) -> ObjectDef:
    obj = find(name)
    if obj is None:
        raise GatewayFailure(IntacctError(
            errorno="Query Failed", description2=f"Object definition {name.strip()} not found",
        ))
    return obj


def text(element: etree._Element, keep_whitespace: bool) -> str:
    value = element.text or ""
    return value if keep_whitespace else value.strip(XML_WHITESPACE)


def fields_from_xml(obj: ObjectDef, element: etree._Element, keep_whitespace: bool) -> Fields:
    """Flatten a generic create/update element: nested blocks become dotted names."""
    prefixes = _WRITE_PREFIXES.get(obj.name, {})
    fields: Fields = {}

    def walk(node: etree._Element, prefix: str) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.upper()
            name = f"{prefix}{tag}"
            if len(child):
                if obj.documents_lines and not prefix and tag == obj.documents_lines:
                    fields[tag] = [fields_from_xml_line(line, keep_whitespace) for line in child
                                   if isinstance(line.tag, str)]
                else:
                    walk(child, f"{prefixes.get(name, name)}.")
            else:
                fields[name] = text(child, keep_whitespace)

    walk(element, "")
    return fields


def fields_from_xml_line(element: etree._Element, keep_whitespace: bool) -> Fields:
    line: Fields = {}
    for child in element:
        if isinstance(child.tag, str) and not len(child):
            line[child.tag.upper()] = text(child, keep_whitespace)
    return line


def normalise(obj: ObjectDef, fields: Fields) -> Fields:
    """Intacct's printed forms for booleans and statuses."""
    for name, value in list(fields.items()):
        if name == "STATUS":
            fields[name] = status_word(value)
        elif obj.type_of(name) == "boolean" and value != "":
            fields[name] = boolean(value)
    return fields


def all_rows(ctx: Ctx, obj: ObjectDef) -> list[Fields]:
    """Every stored row of an object; GL entries and closed books live in their own tables."""
    if obj.name == "GLENTRY":
        return ctx.store.glentries(ctx.companyid)
    if obj.name == "CLOSEDBOOKS":
        return [_closed_books(ctx, *period) for period in ctx.store.closed_periods(ctx.companyid)]
    return ctx.store.records(ctx.companyid, obj.name)


def _closed_books(ctx: Ctx, recordno: int, entity: str, through: str, modified: str) -> Fields:
    year, month, day = through.split("-")
    owner = ctx.store.record_by_key(ctx.companyid, "LOCATIONENTITY", entity) if entity else None
    # The entity's own books: an entity session sees them (and the top level's), the top level sees them all.
    return {"RECORDNO": str(recordno), "LOCATIONID": entity, "CLOSEDTHROUGH": f"{month}/{day}/{year}",
            "WHENMODIFIED": modified,
            "MEGAENTITYKEY": str(owner["RECORDNO"]) if owner else "", "MEGAENTITYID": entity,
            "MEGAENTITYNAME": entity_name(ctx, entity)}


def visible(ctx: Ctx, fields: Mapping[str, Any], *, show_private: bool = True) -> bool:
    """Entity sessions see shared records and their own; the top level sees private ones when asked."""
    owner = str(fields.get("MEGAENTITYID") or "")
    if not owner:
        return True
    if ctx.entity:
        return owner == ctx.entity
    return show_private


def entity_name(ctx: Ctx, entity: str) -> str:
    if not entity:
        return ""
    record = ctx.store.record_by_key(ctx.companyid, "LOCATIONENTITY", entity)
    return str(record.get("NAME", "")) if record else ""


def stamp_new(ctx: Ctx, obj: ObjectDef, fields: Fields, recordno: int, entity: str) -> Fields:
    stamp = now_stamp()
    fields["RECORDNO"] = str(recordno)
    fields.setdefault("WHENCREATED", stamp)
    fields["WHENMODIFIED"] = stamp
    fields["CREATEDBY"] = ctx.user.userid
    fields["MODIFIEDBY"] = ctx.user.userid
    if "MEGAENTITYID" in obj.field_set:
        fields["MEGAENTITYID"] = entity
        fields["MEGAENTITYNAME"] = entity_name(ctx, entity)
        owner = ctx.store.record_by_key(ctx.companyid, "LOCATIONENTITY", entity) if entity else None
        fields["MEGAENTITYKEY"] = str(owner["RECORDNO"]) if owner else ""
    if "RECORD_URL" in obj.field_set:
        fields["RECORD_URL"] = f"{ctx.endpoint.rsplit('/ia/', 1)[0]}/console/records/{obj.name}/{recordno}"
    return fields


def record_element(obj: ObjectDef, fields: Mapping[str, Any], wanted: Iterable[str] | None,
                   tag: str | None = None) -> etree._Element:
    """One record as read functions print it: every field in definition order, lines nested."""
    element = etree.Element(tag or obj.listtype)
    names = list(wanted) if wanted is not None else [*obj.fields, *(k for k in fields if k not in obj.field_set)]
    for name in names:
        if name == obj.documents_lines:
            continue
        value = fields.get(name)
        if isinstance(value, list):
            continue
        child = etree.SubElement(element, name)
        child.text = "" if value is None else str(value)
    if wanted is None and obj.documents_lines:
        block = etree.SubElement(element, obj.documents_lines)
        for line in fields.get(obj.documents_lines, []):
            line_el = etree.SubElement(block, _LINE_TAGS.get(obj.documents_lines, obj.documents_lines.lower()[:-1]))
            for name, value in line.items():
                etree.SubElement(line_el, name).text = str(value)
    return element


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))


def _escaped(text: str) -> str:
    """Element text as lxml would write it: markup characters and CR escaped, everything else as is; a
    character XML cannot carry (stored by a seed or the console) becomes U+FFFD, as elsewhere in replies."""
    if not text.isprintable():  # every printable character is one XML can carry
        text = _xml_safe(text)
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def flat_rows(obj: ObjectDef, rows: Sequence[Mapping[str, Any]], wanted: Sequence[str],
              tag: str | None = None) -> etree._Element:
    """Rows with the named fields only, as ``record_element`` prints them, printed once as XML text and kept
    as one node that ``to_bytes`` splices into the response: a 2,000-row query page is never parsed, moved
    between documents nor walked by lxml."""
    row_tag = tag or obj.listtype
    names = [name for name in wanted if name != obj.documents_lines]
    columns = [(name, f"<{name}>", f"</{name}>") for name in names]
    opening, closing = f"<{row_tag}>", f"</{row_tag}>"
    parts: list[str] = []
    add = parts.append
    for fields in rows:
        add(opening)
        for name, start, end in columns:
            value = fields.get(name)
            if value is None:
                text = ""  # printed as an empty pair, as lxml prints ""
            elif type(value) is str:
                text = value
            elif isinstance(value, list):
                continue
            else:
                text = str(value)
            add(start)
            if text:
                add(_escaped(text))
            add(end)
        add(closing)
    return rows_placeholder("".join(parts))


def duplicate_error(obj: ObjectDef, keyid: str) -> IntacctError:
    if obj.name == "GLACCOUNT":
        return IntacctError(
            errorno="BL01001973", description="Duplicate account number",
            description2=f"The account number '{keyid}' already exists", correction="Enter unique account number",
        )
    return IntacctError(
        errorno="BL34000061",
        description2=f"Another {obj.label} with the given value(s) {keyid} already exists",
        correction="Use a unique value instead.",
    )


def require(obj: ObjectDef, fields: Fields) -> None:
    missing = [name for name in obj.required if not str(fields.get(name, "")).strip()]
    if missing:
        raise GatewayFailure(
            business(f"Required field {missing[0]} is missing.", "Enter a value for every required field.",
                     errorno="PL01000127"),
            business(f"Could not create {obj.label} record!"),
        )
