"""What a query returns: selected fields, aggregates, and the order of rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml import etree

from ledgerbridge.sandbox.querylang_filter import element_children, element_text, local_name
from ledgerbridge.sandbox.querylang_values import (
    NUMERIC_TYPES,
    FieldRef,
    FieldTypes,
    Key,
    QueryError,
    Row,
    parse_decimal,
    resolve_field,
    row_reader,
    value_parser,
)

AGGREGATE_FUNCTIONS = ("count", "sum", "avg", "min", "max")


@dataclass(frozen=True)
class Selection:
    """The ``<select>`` of a query: plain fields, and (function, field) aggregates."""

    fields: tuple[str, ...]
    aggregates: tuple[tuple[str, str], ...]


def selection_from_xml(select_el: etree._Element, types: FieldTypes) -> Selection:
    """Read ``<select>``; every field must exist and sums and averages need numbers."""
    fields: dict[str, None] = {}
    aggregates: dict[tuple[str, str], None] = {}
    for child in element_children(select_el):
        tag = local_name(child)
        field = resolve_field(element_text(child), types)
        if tag == "field":
            fields[field.name] = None
        elif tag in AGGREGATE_FUNCTIONS:
            if tag in ("sum", "avg") and field.kind not in NUMERIC_TYPES:
                raise QueryError(f"Cannot compute {tag} of {field.name}: it is not a numeric field.", field=field.name)
            aggregates[(tag, field.name)] = None
        else:
            raise QueryError(f"Unknown element <{tag}> in <select>.")
    if not fields and not aggregates:
        raise QueryError("The <select> element must name at least one field.")
    return Selection(tuple(fields), tuple(aggregates))


def parse_field_list(text: str, types: FieldTypes) -> tuple[str, ...] | None:
    """The ``fields`` of ``read``/``readByQuery``: None means all fields."""
    names: dict[str, None] = {}
    for part in text.split(","):
        name = part.strip()
        if name == "*":
            return None
        if name:
            names[resolve_field(name, types).name] = None
    return tuple(names) or None


def _sort_key(field: FieldRef, case_insensitive: bool) -> Callable[[Row], tuple[bool, Any]]:
    read = row_reader(field, case_insensitive=case_insensitive and field.kind == "text")

    def key(row: Row) -> tuple[bool, Any]:
        # NULLs share (False, 0) so they sort together ahead of every value.
        value = read(row)
        return (False, 0) if value is None else (True, value)

    return key


def order_rows(
    rows: Sequence[Row],
    orderby_el: etree._Element | None,
    types: FieldTypes,
    *,
    case_insensitive: bool = False,
) -> list[Row]:
    """Rows sorted by each ``<order>`` in turn; NULLs come first ascending and last descending."""
    ordered = list(rows)
    if orderby_el is None:
        return ordered
    orders: list[tuple[FieldRef, bool]] = []
    for order in element_children(orderby_el):
        if local_name(order) != "order":
            raise QueryError(f"Unknown element <{local_name(order)}> in <orderby>.")
        parts = {local_name(child): child for child in element_children(order)}
        if "field" not in parts:
            raise QueryError("An <order> needs a <field>.")
        orders.append((resolve_field(element_text(parts["field"]), types), "descending" in parts))
    # Stable sorts from the last order to the first give the combined order.
    for field, descending in reversed(orders):
        ordered.sort(key=_sort_key(field, case_insensitive), reverse=descending)
    return ordered


def _format_decimal(number: Decimal) -> str:
    return format(number, "f")


def _scale(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _average(numbers: list[Decimal]) -> Decimal:
    # Keep the inputs' scale when the average fits it (212.50 stays 212.50); otherwise full precision.
    mean = sum(numbers, Decimal(0)) / len(numbers)
    exact = mean.quantize(Decimal(1).scaleb(-max(_scale(number) for number in numbers)))
    return exact if exact == mean else mean.normalize()


def _aggregate_one(function: str, field: FieldRef, rows: Sequence[Row]) -> str:
    raws = [raw for row in rows if (raw := row.get(field.name))]
    if function == "count":
        return str(len(raws))
    if function in ("sum", "avg"):
        numbers = [number for raw in raws if (number := parse_decimal(raw)) is not None]
        if not numbers:
            return ""
        return _format_decimal(sum(numbers, Decimal(0)) if function == "sum" else _average(numbers))
    parse = value_parser(field.kind)
    keyed: list[tuple[Key, str]] = [(key, raw) for raw in raws if (key := parse(raw)) is not None]
    if not keyed:
        return ""
    pick = min if function == "min" else max
    # Ties keep the first row's spelling, as printed.
    return pick(keyed, key=lambda pair: pair[0])[1]


def aggregate(rows: Sequence[Row], selection: Selection, types: FieldTypes) -> dict[str, str]:
    """Each aggregate over ``rows``, keyed like Intacct's result fields (``COUNT.RECORDNO``)."""
    result: dict[str, str] = {}
    for function, name in selection.aggregates:
        if function not in AGGREGATE_FUNCTIONS:
            raise QueryError(f"Unknown aggregate function {function}.")
        field = resolve_field(name, types)
        result[f"{function.upper()}.{field.name}"] = _aggregate_one(function, field, rows)
    return result
