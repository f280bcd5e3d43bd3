"""The sandbox's query engine: readByQuery conditions and query filters, selects and orders over rows.

Pure: rows are mappings of Intacct field names to values printed as Intacct prints them, and every
condition is compiled once into closures so that filtering a large table costs one call per row.
"""

from __future__ import annotations

from ledgerbridge.sandbox.querylang_filter import MAX_IN_VALUES, filter_from_xml
from ledgerbridge.sandbox.querylang_results import (
    Selection,
    aggregate,
    order_rows,
    parse_field_list,
    selection_from_xml,
)
from ledgerbridge.sandbox.querylang_values import FieldType, FieldTypes, Predicate, QueryError, Row
from ledgerbridge.sandbox.querylang_where import parse_where

__all__ = [
    "MAX_IN_VALUES",
    "FieldType",
    "FieldTypes",
    "Predicate",
    "QueryError",
    "Row",
    "Selection",
    "aggregate",
    "filter_from_xml",
    "order_rows",
    "parse_field_list",
    "parse_where",
    "selection_from_xml",
]
