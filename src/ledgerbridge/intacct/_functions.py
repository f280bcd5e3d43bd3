"""Generic (dtdversion 3.0) functions. Writes take the caller's deterministic controlid; reads may not."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ledgerbridge.intacct._exceptions import InvalidRequestError
from ledgerbridge.intacct._nodes import Node, branch, leaf

ControlId = str

# Intacct documents these caps; sending more gets a schema or business error after a wasted round trip.
READ_BY_QUERY_MAX_PAGESIZE = 1000
QUERY_MAX_PAGESIZE = 2000
MAX_KEYS_PER_READ = 100
MAX_IN_VALUES = 1000

_read_sequence = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Function:
    """One ``<function controlid=…>`` and whether it changes data (which decides uniqueid and replays)."""

    controlid: ControlId
    body: Node
    writes: bool

    @property
    def name(self) -> str:
        return self.body.tag


def _controlid(controlid: str | None, name: str) -> ControlId:
    if controlid is None:
        # Reads are safe to repeat, so a process-unique id is enough to match the result back.
        return f"{name}-{next(_read_sequence)}"
    if not 1 <= len(controlid) <= 256:
        raise InvalidRequestError("a function controlid must be 1 to 256 characters")
    return controlid


def writing(controlid: ControlId, body: Node) -> Function:
    return Function(_controlid(controlid, body.tag), body, writes=True)


def _read(controlid: str | None, body: Node) -> Function:
    return Function(_controlid(controlid, body.tag), body, writes=False)


def _keys(keys: Iterable[str | int]) -> str:
    listed = [str(key) for key in keys]
    if not listed:
        raise InvalidRequestError("at least one key is required")
    if len(listed) > MAX_KEYS_PER_READ:
        raise InvalidRequestError(f"at most {MAX_KEYS_PER_READ} keys per function")
    return ",".join(listed)


def create(controlid: ControlId, *records: Node) -> Function:
    """Generic ``create`` of one or more objects (they may be of different types)."""
    if not records:
        raise InvalidRequestError("create needs at least one object")
    return writing(controlid, Node("create", children=records))


def update(controlid: ControlId, *records: Node) -> Function:
    """Generic ``update``; each object names its RECORDNO or its ID field."""
    if not records:
        raise InvalidRequestError("update needs at least one object")
    return writing(controlid, Node("update", children=records))


def delete(controlid: ControlId, object_name: str, keys: Iterable[str | int]) -> Function:
    """Generic ``delete`` by RECORDNO."""
    return writing(controlid, branch("delete", leaf("object", object_name), leaf("keys", _keys(keys))))


def read(object_name: str, keys: Iterable[str | int], *, fields: str = "*", controlid: str | None = None) -> Function:
    """Generic ``read`` by RECORDNO."""
    body = branch("read", leaf("object", object_name), leaf("keys", _keys(keys)), leaf("fields", fields))
    return _read(controlid, body)


def read_by_name(
    object_name: str, names: Iterable[str], *, fields: str = "*", controlid: str | None = None
) -> Function:
    """Generic ``readByName`` by the object's ID field (ACCOUNTNO, CARDID, …)."""
    body = branch("readByName", leaf("object", object_name), leaf("keys", _keys(names)), leaf("fields", fields))
    return _read(controlid, body)


def read_by_query(
    object_name: str,
    query: str = "",
    *,
    fields: str = "*",
    pagesize: int = READ_BY_QUERY_MAX_PAGESIZE,
    controlid: str | None = None,
) -> Function:
    """Legacy SQL-like ``readByQuery``; an empty query selects everything."""
    if not 1 <= pagesize <= READ_BY_QUERY_MAX_PAGESIZE:
        raise InvalidRequestError(f"readByQuery pagesize must be 1..{READ_BY_QUERY_MAX_PAGESIZE}")
    body = branch(
        "readByQuery",
        leaf("object", object_name),
        leaf("fields", fields),
        leaf("query", query),
        leaf("pagesize", pagesize),
    )
    return _read(controlid, body)


def read_more(result_id: str, *, controlid: str | None = None) -> Function:
    """Continue a ``readByQuery`` from the resultId it returned."""
    return _read(controlid, branch("readMore", leaf("resultId", result_id)))


Operator = Literal[
    "equalto",
    "notequalto",
    "lessthan",
    "lessthanorequalto",
    "greaterthan",
    "greaterthanorequalto",
    "between",
    "in",
    "notin",
    "like",
    "notlike",
    "isnull",
    "isnotnull",
]


@dataclass(frozen=True, slots=True)
class Condition:
    """One ``query`` filter operator in Intacct's words: ``Condition("equalto", "STATUS", "active")``."""

    operator: Operator
    field: str
    values: tuple[str, ...]

    def __init__(self, operator: Operator, field: str, *values: str) -> None:
        wanted = {"isnull": (0, 0), "isnotnull": (0, 0), "between": (2, 2), "in": (1, MAX_IN_VALUES)}
        low, high = wanted.get(operator, (1, 1))
        if operator == "notin":
            low, high = 1, MAX_IN_VALUES
        if not low <= len(values) <= high:
            raise InvalidRequestError(f"{operator} takes {low}..{high} values, got {len(values)}")
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "values", tuple(values))

    def node(self) -> Node:
        return branch(self.operator, leaf("field", self.field), *(leaf("value", value) for value in self.values))


@dataclass(frozen=True, slots=True)
class Logical:
    """``and``/``or`` over two or more filters."""

    operator: Literal["and", "or"]
    filters: tuple[Condition | Logical, ...]

    def __init__(self, operator: Literal["and", "or"], *filters: Condition | Logical) -> None:
        if len(filters) < 2:
            raise InvalidRequestError(f"{operator} needs at least two filters")
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "filters", tuple(filters))

    def node(self) -> Node:
        return branch(self.operator, *(item.node() for item in self.filters))


Filter = Condition | Logical


@dataclass(frozen=True, slots=True)
class Order:
    """One ``orderby`` entry."""

    field: str
    descending: bool = False

    def node(self) -> Node:
        return branch("order", leaf("field", self.field), Node("descending" if self.descending else "ascending"))


def query(
    object_name: str,
    select: Iterable[str],
    *,
    filter: Filter | None = None,
    orderby: Iterable[Order] = (),
    pagesize: int = QUERY_MAX_PAGESIZE,
    offset: int = 0,
    caseinsensitive: bool = False,
    showprivate: bool = False,
    controlid: str | None = None,
) -> Function:
    """The newer ``query`` function: explicit select list (``*`` is not allowed), offset paging.

    ``showprivate`` lets a top-level session see records owned by entities as well.
    """
    fields = list(select)
    if not fields or "*" in fields:
        raise InvalidRequestError("query needs an explicit select list")
    if not 1 <= pagesize <= QUERY_MAX_PAGESIZE:
        raise InvalidRequestError(f"query pagesize must be 1..{QUERY_MAX_PAGESIZE}")
    if offset < 0:
        raise InvalidRequestError("query offset cannot be negative")
    orders = [order.node() for order in orderby]
    options = [leaf("caseinsensitive", True)] if caseinsensitive else []
    if showprivate:
        options.append(leaf("showprivate", True))
    body = branch(
        "query",
        branch("select", *(leaf("field", name) for name in fields)),
        leaf("object", object_name),
        None if filter is None else branch("filter", filter.node()),
        branch("orderby", *orders) if orders else None,
        branch("options", *options) if options else None,
        leaf("pagesize", pagesize),
        leaf("offset", offset),
    )
    return _read(controlid, body)


def lookup(object_name: str, *, controlid: str | None = None) -> Function:
    """Field definitions and relationships of an object."""
    return _read(controlid, branch("lookup", leaf("object", object_name)))


def get_dimension_restricted_data(dimension: str, value: str, *, controlid: str | None = None) -> Function:
    """Which dimension values a value (a GL account, a department, …) is related to."""
    body = branch(
        "getDimensionRestrictedData",
        branch("DimensionValue", leaf("dimension", dimension), leaf("value", value)),
    )
    return _read(controlid, body)


def get_api_session(locationid: str | None = None, *, controlid: str | None = None) -> Function:
    """Open a session (at an entity when ``locationid`` is given); must travel alone in its request."""
    return _read(controlid, branch("getAPISession", leaf("locationid", locationid)))
