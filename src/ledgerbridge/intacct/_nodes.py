"""Immutable descriptions of request XML, turned into lxml elements only when a request is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from lxml import etree

from ledgerbridge.intacct._exceptions import InvalidRequestError

# What a caller may put into a generic record. Money is Decimal; float is refused on purpose.
FieldInput = (
    str | int | Decimal | bool | dt.date | None | Mapping[str, "FieldInput"] | Sequence[Mapping[str, "FieldInput"]]
)


_SCALARS = (str, int, Decimal, bool, dt.date)
"""Field values written as text (a tuple: `isinstance` with a `|` union spelled inline rebuilds it each call)."""


class Node(NamedTuple):
    """One XML element: a tag, and either text or child nodes, plus attributes.

    A named tuple rather than a dataclass: an export builds tens of nodes per document, thousands of documents
    a run, and a tuple is made at a third of the cost. It is as immutable, compared and hashed field by field.
    """

    tag: str
    text: str | None = None
    children: tuple[Node, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


def leaf(tag: str, value: str | int | Decimal | bool | dt.date | None) -> Node | None:
    """A text element in the generic (3.0) formats, or None when the value is absent."""
    if value is None:
        return None
    return Node(tag, value if type(value) is str else format_value(value))


def branch(tag: str, *children: Node | None, attributes: tuple[tuple[str, str], ...] = ()) -> Node:
    """An element whose absent (None) children are dropped, so optional fields cost no branching."""
    return Node(tag, None, tuple([child for child in children if child is not None]), attributes)


def format_value(value: str | int | Decimal | bool | dt.date) -> str:
    """Text in the formats generic Intacct functions read: mm/dd/yyyy dates, true/false, plain decimals."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidRequestError(f"amount {value} is not a finite number")
        return format(value, "f")
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, dt.date):
        return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"
    raise InvalidRequestError(f"unsupported value type {type(value).__name__}; use Decimal for money")


def record(object_name: str, fields: Mapping[str, FieldInput]) -> Node:
    """A generic object for ``create``/``update``: ``record("CLASS", {"CLASSID": "C1", "NAME": "Sales"})``.

    A nested mapping becomes a nested element; a list of mappings repeats the element (document lines).
    """
    return Node(object_name, children=tuple(_field_nodes(fields)))


def _field_nodes(fields: Mapping[str, FieldInput]) -> list[Node]:
    nodes: list[Node] = []
    for name, value in fields.items():
        if value is None:
            continue
        # Scalars first: they are most fields, and cheaper to recognise than a Mapping.
        if isinstance(value, _SCALARS):
            nodes.append(Node(name, value if type(value) is str else format_value(value)))
        elif isinstance(value, Mapping):
            nodes.append(Node(name, None, tuple(_field_nodes(value))))
        elif isinstance(value, Sequence):
            for item in value:
                if not isinstance(item, Mapping):
                    raise InvalidRequestError(f"field {name}: a list holds one mapping per element")
                nodes.append(Node(name, children=tuple(_field_nodes(item))))
        else:
            raise InvalidRequestError(f"field {name}: unsupported value type {type(value).__name__}")
    return nodes


def to_element(node: Node) -> etree._Element:
    """Materialize a node; lxml does the escaping, and refuses names or text XML cannot carry."""
    try:
        element = etree.Element(node.tag)
        for name, value in node.attributes:
            element.set(name, value)
        if node.text is not None:
            element.text = node.text
        _fill(element, node.children)
    except ValueError:
        _name_refused(node, None)
        raise
    return element


def _fill(element: etree._Element, children: tuple[Node, ...]) -> None:
    # A request holds thousands of nodes, most of them leaves: one loop per level, no call per leaf.
    sub_element = etree.SubElement
    for child in children:
        sub = sub_element(element, child.tag)
        if child.attributes:
            for name, value in child.attributes:
                sub.set(name, value)
        if child.children:
            _fill(sub, child.children)
        elif child.text is not None:
            sub.text = child.text


def _name_refused(node: Node, parent: etree._Element | None) -> None:
    """Raise InvalidRequestError naming the first element of `node` that lxml refuses (to_element's slow path)."""
    try:
        element = etree.Element(node.tag) if parent is None else etree.SubElement(parent, node.tag)
        for name, value in node.attributes:
            element.set(name, value)
        if node.text is not None:
            element.text = node.text
    except ValueError as exc:
        raise InvalidRequestError(f"element <{node.tag[:40]}> cannot be written as XML: {exc}") from None
    for child in node.children:
        _name_refused(child, element)
