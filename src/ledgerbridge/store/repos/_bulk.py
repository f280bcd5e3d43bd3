"""One statement over many rows, for the sync's tens of thousands of rows per kind."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, cast

from sqlalchemy import ClauseElement
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

CHUNK: Final = 1000
"""Rows per executemany batch: large enough to amortize round trips, small enough to bound memory."""

Convert = Callable[[Any], Any]


def execute_many(
    session: Session,
    statement: ClauseElement,
    rows: Iterable[Mapping[str, Any]],
    *,
    encoders: Mapping[str, Convert] | None = None,
) -> int:
    """Run an INSERT or UPDATE once per row, compiled once; returns how many rows were given.

    Each value goes through ``encoders[name]`` (if any), then its column type's own bind conversion,
    as a generic execute would do, but without that path's per-row bookkeeping.
    """
    connection = session.connection()
    dialect = connection.dialect
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    names = _parameter_names(compiled)
    converters = [_converter(compiled, dialect, name, (encoders or {}).get(name)) for name in names]
    # Each row's values are read in one call; only the columns that need converting cost Python work per row.
    values_of = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    converting = [(index, convert) for index, convert in enumerate(converters) if convert is not _same]
    total = 0
    batch: list[Any] = []
    for row in rows:
        values: Any = values_of(row)
        if converting:
            values = list(values)
            for index, convert in converting:
                values[index] = convert(values[index])
        batch.append(tuple(values) if compiled.positional else dict(zip(names, values, strict=True)))
        if len(batch) == CHUNK:
            connection.exec_driver_sql(compiled.string, batch)
            total += len(batch)
            batch = []
    if batch:
        connection.exec_driver_sql(compiled.string, batch)
        total += len(batch)
    return total


def _parameter_names(compiled: SQLCompiler) -> list[str]:
    if compiled.positional:
        assert compiled.positiontup is not None
        return list(compiled.positiontup)
    return list(compiled.params)


def _same(value: Any) -> Any:
    return value


def _converter(compiled: SQLCompiler, dialect: Dialect, name: str, encode: Convert | None) -> Convert:
    bind_type = compiled.binds[name].type
    bind = bind_type.dialect_impl(dialect).bind_processor(dialect)
    if encode is None and bind is None:
        return _same

    def convert(value: Any) -> Any:
        if encode is not None:
            value = encode(value)
        return value if bind is None else bind(value)

    # Many rows share a value (the sync time, an empty relationship map): each is converted once.
    converted: dict[Any, Any] = {}

    def memoized(value: Any) -> Any:
        try:
            return converted[value]
        except KeyError:
            result = converted[value] = convert(value)
            return result
        except TypeError:  # not hashable
            return convert(value)

    return memoized
