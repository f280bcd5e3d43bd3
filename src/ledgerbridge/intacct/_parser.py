"""Reading gateway responses with a parser that cannot be turned against the client."""

from __future__ import annotations

import datetime as dt
import re
from types import MappingProxyType
from urllib.parse import unquote

from lxml import etree

from ledgerbridge.intacct._exceptions import ProtocolError
from ledgerbridge.intacct._results import (
    Authentication,
    Control,
    Data,
    ErrorDetail,
    Record,
    Response,
    Result,
    Status,
)

# A page of 2,000 wide query rows is a few MB; anything near this cap is not an Intacct answer.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

_SUPPORT_ID = re.compile(r"\s*\[Support ID:\s*([^\]]*)\]\s*$")


def _parser() -> etree.XMLParser:
    # No DTD loading, no entity expansion, no network, libxml2's own depth/size limits left on.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_response(body: bytes, *, max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES) -> Response:
    """Parse a gateway response body; anything that is not a plain ``<response>`` is a ProtocolError."""
    if len(body) > max_bytes:
        raise ProtocolError(f"response of {len(body)} bytes exceeds the {max_bytes}-byte cap")
    try:
        root = etree.fromstring(body, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise ProtocolError(f"response is not well-formed XML: {exc}") from None
    docinfo: etree.DocInfo = root.getroottree().docinfo
    # With load_dtd off a DOCTYPE still parses; its mere presence means someone is probing the parser.
    # (``doctype`` is missing from the lxml stubs, hence getattr.)
    if docinfo.internalDTD is not None or getattr(docinfo, "doctype", "") or docinfo.public_id:
        raise ProtocolError("response declares a DOCTYPE; refusing it")
    if root.tag != "response":
        raise ProtocolError(f"expected <response>, got <{str(root.tag)[:40]}>")
    control_element = root.find("control")
    if control_element is None:
        raise ProtocolError("response has no <control> block")
    control = Control(
        status=_status(control_element, "control"),
        senderid=_text(control_element, "senderid"),
        controlid=_text(control_element, "controlid"),
        uniqueid=_text(control_element, "uniqueid"),
        dtdversion=_text(control_element, "dtdversion"),
    )
    control_errors = _errors(root.find("errormessage"))
    operation = root.find("operation")
    if operation is None:
        return Response(control=control, errors=control_errors)
    authentication = _authentication(operation.find("authentication"))
    results = tuple(_result(element) for element in operation.findall("result"))
    errors = control_errors or _errors(operation.find("errormessage"))
    return Response(control=control, authentication=authentication, results=results, errors=errors)


def _text(parent: etree._Element, tag: str) -> str:
    element = parent.find(tag)
    if element is None or element.text is None:
        return ""
    return element.text.strip()


def _int(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ProtocolError(f"expected a number, got {value[:40]!r}") from None


def _status(parent: etree._Element, where: str) -> Status:
    word = _text(parent, "status")
    try:
        return Status(word)
    except ValueError:
        raise ProtocolError(f"{where} status {word[:40]!r} is not success, failure or aborted") from None


def _timestamp(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _authentication(element: etree._Element | None) -> Authentication | None:
    if element is None:
        return None
    return Authentication(
        status=_status(element, "authentication"),
        userid=_text(element, "userid"),
        companyid=_text(element, "companyid"),
        locationid=_text(element, "locationid"),
        sessiontimestamp=_timestamp(_text(element, "sessiontimestamp")),
        sessiontimeout=_timestamp(_text(element, "sessiontimeout")),
    )


def _errors(element: etree._Element | None) -> tuple[ErrorDetail, ...]:
    if element is None:
        return ()
    return tuple(_error(error) for error in element.findall("error"))


def _error(element: etree._Element) -> ErrorDetail:
    description, support_in_description = _split_support_id(_text(element, "description"))
    description2, support_id = _split_support_id(_text(element, "description2"))
    return ErrorDetail(
        errorno=_text(element, "errorno"),
        description=description,
        description2=description2,
        correction=_text(element, "correction"),
        support_id=support_id or support_in_description,
    )


def _split_support_id(text: str) -> tuple[str, str | None]:
    match = _SUPPORT_ID.search(text)
    if match is None:
        return text, None
    # Intacct URL-encodes the id (a tilde arrives as %7E); support staff want it as they see it.
    return text[: match.start()], unquote(match.group(1).strip())


def _result(element: etree._Element) -> Result:
    # One pass over the children, keeping the first of each tag (as ``find`` would): a response carries a
    # hundred results, and most are a status, a function, a controlid and a key.
    first: dict[object, etree._Element] = {}
    for child in element:
        first.setdefault(child.tag, child)
    data_element = first.get("data")
    key_element = first.get("key")
    errors = first.get("errormessage")
    return Result(
        status=_status_of(first.get("status"), "result"),
        function=_stripped(first.get("function")),
        controlid=_stripped(first.get("controlid")),
        data=None if data_element is None else _data(data_element),
        key=None if key_element is None else (key_element.text or "").strip(),
        errors=() if errors is None else _errors(errors),
    )


def _stripped(element: etree._Element | None) -> str:
    if element is None or element.text is None:
        return ""
    return element.text.strip()


_STATUSES = {status.value: status for status in Status}


def _status_of(element: etree._Element | None, where: str) -> Status:
    word = _stripped(element)
    status = _STATUSES.get(word)
    if status is None:
        raise ProtocolError(f"{where} status {word[:40]!r} is not success, failure or aborted")
    return status


def _data(element: etree._Element) -> Data:
    return Data(
        listtype=element.get("listtype", ""),
        count=_int(element.get("count")),
        totalcount=_int(element.get("totalcount")),
        numremaining=_int(element.get("numremaining")),
        offset=_int(element.get("offset")),
        result_id=element.get("resultId", ""),
        records=_records(element),
    )


# Whether any row of a ``<data>`` nests anything, answered by libxml2 without a Python object per element.
_NESTS = etree.XPath("boolean(*/*/*)")


def _records(element: etree._Element) -> tuple[Record, ...]:
    # Query pages carry thousands of flat rows: the common case builds one dict per row and nothing else.
    if _NESTS(element):
        return tuple(_record(row) for row in element.iterchildren(tag=etree.Element))
    # Every child is an element: the parser drops comments and processing instructions, and a response
    # with a DOCTYPE (the only way to an entity reference) is refused.
    rows: list[Record] = []
    add = rows.append
    for row in element:
        fields = {child.tag: child.text or "" for child in row}
        if len(fields) != len(row):  # a repeated leaf
            add(_nested_record(row))
        else:
            add(Record(row.tag, MappingProxyType(fields), _NO_RELATED, _NO_REPEATS))
    return tuple(rows)


_NO_RELATED: MappingProxyType[str, tuple[Record, ...]] = MappingProxyType({})
_NO_REPEATS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({})


def _record(element: etree._Element) -> Record:
    # Query pages carry thousands of flat rows: the common case (only leaves, each tag once) builds one
    # dict and nothing else; anything else takes the general path below.
    fields: dict[str, str] = {}
    children = 0
    for child in element.iterchildren(tag=etree.Element):
        if len(child):
            return _nested_record(element)
        fields[child.tag] = child.text or ""
        children += 1
    if children != len(fields):
        return _nested_record(element)
    return Record(tag=str(element.tag), fields=MappingProxyType(fields), related=_NO_RELATED, repeated=_NO_REPEATS)


def _nested_record(element: etree._Element) -> Record:
    fields: dict[str, str] = {}
    leaves: dict[str, list[str]] = {}
    related: dict[str, list[Record]] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if len(child):
            related.setdefault(child.tag, []).append(_record(child))
        else:
            # Leaf text is kept exactly: a memo may start or end with spaces on purpose.
            fields[child.tag] = child.text or ""
            leaves.setdefault(child.tag, []).append(child.text or "")
    # Read-only views: a Record is a value, and callers share it across tasks.
    return Record(
        tag=str(element.tag),
        fields=MappingProxyType(fields),
        related=MappingProxyType({tag: tuple(items) for tag, items in related.items()}),
        repeated=MappingProxyType({tag: tuple(texts) for tag, texts in leaves.items() if len(texts) > 1}),
    )
