"""Field types, query errors, and the keys by which the query engine compares Intacct values."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

FieldType = Literal["text", "integer", "decimal", "boolean", "date", "timestamp"]
FieldTypes = Callable[[str], FieldType | None]
Row = Mapping[str, str | None]
Predicate = Callable[[Row], bool]

# Keys of one field are all of one Python type, so they compare with each other and never across types.
Key = str | Decimal | bool | datetime
Parse = Callable[[str], Key | None]

NUMERIC_TYPES: frozenset[FieldType] = frozenset({"integer", "decimal"})
TEMPORAL_TYPES: frozenset[FieldType] = frozenset({"date", "timestamp"})


class QueryError(Exception):
    """A query the sandbox refuses; ``message`` is ready to be an Intacct ``description2``."""

    def __init__(self, message: str, *, field: str | None = None, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.position = position


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field name as the object knows it, with its type."""

    name: str
    kind: FieldType

    @property
    def is_status(self) -> bool:
        return self.name.rsplit(".", 1)[-1] == "STATUS"


def resolve_field(name: str, types: FieldTypes, *, position: int | None = None) -> FieldRef:
    """The field ``name`` refers to; Intacct field names are upper case but queries may spell them lower."""
    wanted = name.strip()
    if not wanted:
        raise QueryError("A field name is missing from the query.", position=position)
    for spelling in dict.fromkeys((wanted, wanted.upper())):
        kind = types(spelling)
        if kind is not None:
            return FieldRef(spelling, kind)
    raise QueryError(f"Field requested is not valid: {wanted}", field=wanted, position=position)


_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
# A STATUS declared boolean still prints active/inactive, so those spellings read as booleans too.
_BOOLEANS = {"true": True, "t": True, "false": False, "f": False, "active": True, "inactive": False}
_STATUS_CODES = {"T": "active", "F": "inactive"}


@lru_cache(maxsize=8192)
def parse_datetime(text: str) -> datetime | None:
    """A date or timestamp printed as mm/dd/yyyy[ hh:mm[:ss]]; dates become midnight so both compare."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    month, day, year, hour, minute, second = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None


def parse_decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_boolean(text: str) -> bool | None:
    return _BOOLEANS.get(text.strip().lower())


def _identity(text: str) -> str:
    return text


def _casefold(text: str) -> str:
    return text.casefold()


def value_parser(kind: FieldType, *, case_insensitive: bool = False) -> Parse:
    """How a stored value of this type becomes a comparison key (None when it cannot)."""
    if kind in NUMERIC_TYPES:
        return parse_decimal
    if kind in TEMPORAL_TYPES:
        return parse_datetime
    if kind == "boolean":
        return parse_boolean
    return _casefold if case_insensitive else _identity


def is_null(raw: str | None) -> bool:
    # Intacct prints a NULL as an empty element, and its database treats '' as NULL.
    return raw is None or raw == ""


def row_reader(field: FieldRef, *, case_insensitive: bool = False) -> Callable[[Row], Key | None]:
    """Reads a row's key for ``field``; None for NULL or for a value the type cannot hold."""
    name = field.name
    parse = value_parser(field.kind, case_insensitive=case_insensitive)
    if parse is _identity:

        def read_text(row: Row) -> Key | None:
            return row.get(name) or None

        return read_text

    def read(row: Row) -> Key | None:
        raw = row.get(name)
        return None if raw is None or raw == "" else parse(raw)

    return read


def literal_key(field: FieldRef, text: str, *, case_insensitive: bool = False) -> Key:
    """The key a query literal stands for when compared with ``field``."""
    kind = field.kind
    if kind == "text":
        if field.is_status:
            text = _STATUS_CODES.get(text, text)
        return text.casefold() if case_insensitive else text
    key: Key | None
    if kind in NUMERIC_TYPES:
        key, expected = parse_decimal(text), "a number"
    elif kind in TEMPORAL_TYPES:
        key, expected = parse_datetime(text), "a date as mm/dd/yyyy or mm/dd/yyyy hh:mm:ss"
    else:
        key, expected = parse_boolean(text), "T, F, true or false"
    if key is None:
        raise QueryError(f"Invalid value '{text}' for field {field.name}: expected {expected}.", field=field.name)
    return key
