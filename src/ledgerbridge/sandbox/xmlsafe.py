"""Hardened parsing of gateway request bodies and small helpers for building response XML.

A request body is untrusted input from the network. ``parse_request`` refuses, with a reason a
client can read, anything that is not one well-formed UTF-8 XML document of bounded size and
depth. Document type declarations are refused outright, so no entity (internal, external or
parameter) is ever expanded and nothing is read from disk or the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

MAX_BODY_BYTES: int = 8 * 1024 * 1024
MAX_DEPTH: int = 64

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
_UTF8_BOM = b"\xef\xbb\xbf"
# XML's own whitespace; str.strip() would also eat NBSP and other characters that are content.
XML_WHITESPACE = " \t\r\n"
# Feeding in chunks lets the depth check stop a deeply nested document early.
_FEED_CHUNK = 64 * 1024

_DECLARED_ENCODING = re.compile(rb"""\A<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = frozenset({"utf-8", "utf8"})
# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Prolog items that may precede a DOCTYPE: whitespace, the XML declaration, comments and PIs.
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


class XmlRejected(Exception):
    """A request body that is not acceptable XML; carries the reason and where it was found."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        if self.column is None:
            return f"{self.reason} (line {self.line})"
        return f"{self.reason} (line {self.line}, column {self.column})"


def _new_parser() -> etree.XMLPullParser:
    return etree.XMLPullParser(
        events=("start", "end"),
        encoding="utf-8",
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _position_of(body: bytes, offset: int) -> tuple[int, int]:
    line = body.count(b"\n", 0, offset) + 1
    return line, offset - (body.rfind(b"\n", 0, offset) + 1) + 1


def _check_encoding(body: bytes) -> None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of(body, exc.start)
        raise XmlRejected(f"request body is not valid UTF-8 (byte 0x{body[exc.start]:02x})", line, column) from None
    declared = _DECLARED_ENCODING.match(body)
    if declared is not None:
        name = declared.group(1).decode("ascii").lower()
        if name not in _UTF8_NAMES:
            raise XmlRejected(f"request encoding must be UTF-8, not {name!r}", 1, declared.start(1) + 1)


def _refuse_doctype(body: bytes) -> None:
    # A DOCTYPE can only appear in the prolog, so scanning up to the first other markup is exact:
    # '<!DOCTYPE' inside CDATA or text later in the document is content, not a declaration.
    position = 0
    while True:
        item = _PROLOG_ITEM.match(body, position)
        if item is None or item.end() == position:
            break
        position = item.end()
    if body.startswith(b"<!DOCTYPE", position):
        line, column = _position_of(body, position)
        raise XmlRejected("DOCTYPE declarations are not allowed in requests", line, column)


def _syntax_error(exc: etree.XMLSyntaxError, max_depth: int) -> XmlRejected:
    # The pull parser's own message can be a generic "no element found"; libxml2's log holds
    # the specific first fatal error, which is what a client needs to fix its request.
    entry = getattr(exc.error_log, "last_error", None)  # missing from the lxml stubs
    message: str = entry.message if entry is not None else str(exc.msg or exc)
    line: int
    column: int
    line, column = (entry.line, entry.column) if entry is not None else exc.position
    if "Excessive depth" in message:
        return XmlRejected(f"elements are nested more than {max_depth} deep", line or None)
    return XmlRejected(f"malformed XML: {' '.join(message.split())}", line or None, column or None)


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), _FEED_CHUNK):
        yield body[start : start + _FEED_CHUNK]


def parse_request(body: bytes, *, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_DEPTH) -> etree._Element:
    """Parse one untrusted request body into its root element, or raise ``XmlRejected``."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"request body must be bytes, not {type(body).__name__}")
    if len(body) > max_bytes:
        raise XmlRejected(f"request body is {len(body)} bytes, over the {max_bytes}-byte limit")
    body = bytes(body)
    if body.startswith(_UTF8_BOM):
        body = body[len(_UTF8_BOM) :]
    if not body.strip():
        raise XmlRejected("request body is empty")
    _check_encoding(body)
    _refuse_doctype(body)

    parser = _new_parser()
    depth = 0
    try:
        for chunk in _chunks(body):
            parser.feed(chunk)
            for event, element in parser.read_events():
                if event == "end":
                    depth -= 1
                    continue
                depth += 1
                if depth > max_depth:
                    line = getattr(element, "sourceline", None)
                    raise XmlRejected(
                        f"elements are nested more than {max_depth} deep",
                        line if isinstance(line, int) else None,
                    )
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, max_depth) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or getattr(docinfo, "doctype", ""):
        # Unreachable after the prolog scan; kept so a parser change cannot reopen the hole.
        raise XmlRejected("DOCTYPE declarations are not allowed in requests")
    return root


def text_of(element: etree._Element | None, *, keep_whitespace: bool = False) -> str:
    """The element's own text ('' when missing or empty); surrounding XML whitespace trimmed."""
    if element is None:
        return ""
    parts = [element.text or ""]
    # Text split by a comment or PI (trees not built by parse_request) still belongs to the element.
    parts.extend(child.tail or "" for child in element if not isinstance(child.tag, str))
    text = "".join(parts)
    return text if keep_whitespace else text.strip(XML_WHITESPACE)


def child_text(parent: etree._Element, tag: str, default: str = "") -> str:
    """Trimmed text of the first direct child named ``tag``; ``default`` when there is none."""
    child = parent.find(tag)
    return default if child is None else text_of(child)


def _xml_safe(text: str) -> str:
    # Stored values can come from places other than a parsed request (admin console, seeds);
    # a response must always serialize, so characters XML cannot carry become U+FFFD.
    return _NOT_XML_CHAR.sub("\ufffd", text)


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a child element named ``tag`` with optional text and attributes."""
    element = etree.SubElement(parent, tag, {name: _xml_safe(value) for name, value in attrs.items()})
    if text is not None:
        element.text = _xml_safe(text)
    return element


_ROWS = "ledgerbridge-rows"
_ROWS_OPEN = f"<?{_ROWS} ".encode()
# Rows printed by the server from its own escaped text: no entities, no network, no size cap on a large page.
_ROWS_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def rows_placeholder(text: str) -> etree._Element:
    """Elements already printed as escaped XML text, held in one node until the response is serialized.

    Escaped text never contains ``?>`` (``>`` is always escaped), so it fits in a processing instruction,
    whose text lxml writes as it is; ``to_bytes`` then drops the instruction's markers around it. An empty page
    has no placeholder: its ``<data>`` stays empty, as lxml prints one.
    """
    if not text:
        raise ValueError("a rows placeholder holds at least one row")
    return etree.ProcessingInstruction(_ROWS, text)


def _expand_rows(root: etree._Element) -> None:
    """Turn placeholders into elements (for indented output, which must indent the rows too)."""
    for node in list(root.iter(etree.ProcessingInstruction)):
        if getattr(node, "target", None) != _ROWS:  # (missing from the lxml stubs)
            continue
        parsed = etree.fromstring(f"<rows>{node.text or ''}</rows>".encode(), _ROWS_PARSER)
        for row in parsed:
            for leaf in row:
                if leaf.text is None and not len(leaf):
                    leaf.text = ""  # an empty pair, as printed; lxml would otherwise self-close it
        parent = node.getparent()
        assert parent is not None
        index = parent.index(node)
        parent.remove(node)
        parent[index:index] = list(parsed)


def _splice_rows(document: bytes) -> bytes:
    if _ROWS_OPEN not in document:
        return document
    first, *rest = document.split(_ROWS_OPEN)
    parts = [first]
    for piece in rest:
        rows, _, after = piece.partition(b"?>")
        parts += (rows, after)
    return b"".join(parts)


def to_bytes(root: etree._Element, *, pretty: bool) -> bytes:
    """Serialize as UTF-8 with a double-quoted XML declaration, compact or indented."""
    if pretty:
        _expand_rows(root)
    document = _splice_rows(etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=pretty))
    separator = b"\n" if pretty else b""
    return _XML_DECLARATION + separator + document
