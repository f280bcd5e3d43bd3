"""The Intacct snapshot of a workspace: bulk upserts per kind, sized for tens of thousands of rows."""

from __future__ import annotations

import dataclasses
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar, cast

from sqlalchemy import Table, delete, func, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from ledgerbridge.domain.ids import WorkspaceId
from ledgerbridge.domain.snapshot import (
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctJournal,
    IntacctPeriod,
    IntacctVendor,
    SnapshotRecord,
)
from ledgerbridge.store.repos._bulk import Convert, _converter, _parameter_names
from ledgerbridge.store.repos._rows import affected, insert_for
from ledgerbridge.store.snapshot_models import (
    AccountRow,
    CardAccountRow,
    DimensionValueRow,
    EmployeeRow,
    ExpenseTypeRow,
    JournalRow,
    PeriodRow,
    VendorRow,
)

R = TypeVar("R", bound=SnapshotRecord)
Key = tuple[str, ...]

CHUNK: Final = 1000
"""Rows per executemany batch: large enough to amortize round trips, small enough to bound memory."""


def _sets_out(value: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    return {name: sorted(values) for name, values in sorted(value.items())}


def _by_content(convert: Convert) -> Convert:
    """Convert a map of sets once per distinct content: most accounts share theirs (none at all)."""
    converted: dict[tuple[tuple[str, frozenset[str]], ...], Any] = {}

    def memoized(value: Mapping[str, Iterable[str]]) -> Any:
        key = tuple(sorted((name, frozenset(values)) for name, values in value.items()))
        try:
            return converted[key]
        except KeyError:
            result = converted[key] = convert(value)
            return result

    return memoized


def _sets_in(value: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {name: frozenset(values) for name, values in value.items()}


@dataclass(frozen=True)
class _Kind:
    table: Table
    key: Key
    out: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    into: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)


def _table(row: type[Any]) -> Table:
    return cast(Table, row.__table__)


_KINDS: Final[dict[type[SnapshotRecord], _Kind]] = {
    IntacctAccount: _Kind(
        _table(AccountRow),
        ("account_no",),
        out={"required_dimensions": sorted, "related": _sets_out},
        into={"required_dimensions": frozenset, "related": _sets_in},
    ),
    IntacctCardAccount: _Kind(_table(CardAccountRow), ("card_id",)),
    IntacctExpenseType: _Kind(_table(ExpenseTypeRow), ("name",)),
    IntacctEmployee: _Kind(_table(EmployeeRow), ("employee_id",)),
    IntacctVendor: _Kind(_table(VendorRow), ("vendor_id",)),
    IntacctDimensionValue: _Kind(
        _table(DimensionValueRow), ("dimension", "value_id"), out={"extra": dict}, into={"extra": dict}
    ),
    IntacctPeriod: _Kind(_table(PeriodRow), ("entity",)),
    IntacctJournal: _Kind(_table(JournalRow), ("symbol",)),
}


_FIELD_NAMES: Final[dict[type[SnapshotRecord], tuple[str, ...]]] = {
    record_type: tuple(f.name for f in dataclasses.fields(record_type)) for record_type in _KINDS
}


def _field_names(record_type: type[SnapshotRecord]) -> tuple[str, ...]:
    return _FIELD_NAMES[record_type]


def _key_reader(names: Key) -> Callable[[SnapshotRecord], Key]:
    if len(names) == 1:
        read_one = operator.attrgetter(names[0])
        return lambda record: (read_one(record),)
    return cast(Callable[[SnapshotRecord], Key], operator.attrgetter(*names))


# A sync takes the key of every record it reads several times over: one getter per type, built once.
_KEY_READERS: Final[dict[type[SnapshotRecord], Callable[[SnapshotRecord], Key]]] = {
    record_type: _key_reader(kind.key) for record_type, kind in _KINDS.items()
}


def key_of(record: SnapshotRecord) -> Key:
    """The Intacct key of a record within its workspace and kind (e.g. the account number)."""
    return _KEY_READERS[type(record)](record)


class Snapshots:
    """What Intacct held at the last sync, one table per record type."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, records: Iterable[SnapshotRecord]) -> int:
        """Insert new records and overwrite existing ones (same workspace and key); returns how many."""
        by_type: dict[type[SnapshotRecord], list[SnapshotRecord]] = defaultdict(list)
        for record in records:
            by_type[type(record)].append(record)
        insert = insert_for(self.session)
        total = 0
        for record_type, listed in by_type.items():
            kind = _KINDS[record_type]
            table = kind.table
            keys = [column.name for column in table.primary_key.columns]
            statement = insert(table)
            statement = statement.on_conflict_do_update(
                index_elements=keys,
                set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys},
            )
            total += self._execute_many(statement, kind, listed)
        return total

    def _execute_many(self, statement: Any, kind: _Kind, records: list[SnapshotRecord]) -> int:
        """One statement compiled once over many records, each read as a tuple of its fields in one call.

        A sync writes tens of thousands of records: per row, only the columns whose values need converting
        (times, JSON, booleans where the driver wants them) cost Python work, each distinct value once.
        """
        connection = self.session.connection()
        dialect = connection.dialect
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        names = _parameter_names(compiled)
        values_of = operator.attrgetter(*names)
        converters: list[tuple[int, Convert]] = []
        for index, name in enumerate(names):
            encode = kind.out.get(name)
            bind_type = compiled.binds[name].type
            if encode is None and bind_type.dialect_impl(dialect).bind_processor(dialect) is None:
                continue  # passed to the driver as it is
            convert = _converter(compiled, dialect, name, encode)
            converters.append((index, _by_content(convert) if encode is _sets_out else convert))
        total = 0
        for start in range(0, len(records), CHUNK):
            batch: list[Any] = []
            for record in records[start : start + CHUNK]:
                values = list(values_of(record))
                for index, convert in converters:
                    values[index] = convert(values[index])
                batch.append(tuple(values) if compiled.positional else dict(zip(names, values, strict=True)))
            connection.exec_driver_sql(compiled.string, batch)
            total += len(batch)
        return total

    def all(self, workspace_id: WorkspaceId, record_type: type[R]) -> list[R]:
        """Every record of a type in the workspace, by key."""
        kind = _KINDS[record_type]
        names = _field_names(record_type)
        query = select(*(kind.table.c[name] for name in names)).where(kind.table.c.workspace_id == workspace_id)
        query = query.order_by(*(kind.table.c[name] for name in kind.key))
        decoders = [(names.index(name), decode) for name, decode in kind.into.items()]
        records: list[R] = []
        for row in self.session.execute(query):
            values = list(row)
            for index, decode in decoders:
                values[index] = decode(values[index])
            records.append(record_type(**dict(zip(names, values, strict=True))))
        return records

    def get(self, workspace_id: WorkspaceId, record_type: type[R], *key: str) -> R | None:
        """One record by its Intacct key, e.g. `get(ws, IntacctAccount, "6400")`."""
        kind = _KINDS[record_type]
        query = select(kind.table).where(kind.table.c.workspace_id == workspace_id)
        for name, value in zip(kind.key, key, strict=True):
            query = query.where(kind.table.c[name] == value)
        row = self.session.execute(query).first()
        return None if row is None else self._record(record_type, dict(row._mapping))

    def keys(self, workspace_id: WorkspaceId, record_type: type[SnapshotRecord]) -> set[Key]:
        """The keys held for a type, e.g. to find what a full sync no longer saw."""
        kind = _KINDS[record_type]
        query = select(*(kind.table.c[name] for name in kind.key)).where(kind.table.c.workspace_id == workspace_id)
        return {tuple(row) for row in self.session.execute(query)}

    def count(self, workspace_id: WorkspaceId, record_type: type[SnapshotRecord]) -> int:
        kind = _KINDS[record_type]
        query = select(func.count()).select_from(kind.table).where(kind.table.c.workspace_id == workspace_id)
        return int(self.session.scalar(query) or 0)

    def delete(self, workspace_id: WorkspaceId, record_type: type[SnapshotRecord], keys: Iterable[Key]) -> int:
        """Remove records by key; returns how many were there."""
        kind = _KINDS[record_type]
        columns = tuple_(*(kind.table.c[name] for name in kind.key))
        wanted = list(keys)
        removed = 0
        for start in range(0, len(wanted), CHUNK):
            query = delete(kind.table).where(kind.table.c.workspace_id == workspace_id)
            query = query.where(columns.in_(wanted[start : start + CHUNK]))
            removed += affected(self.session.execute(query))
        return removed

    @staticmethod
    def _record(record_type: type[R], row: Mapping[str, Any]) -> R:
        kind = _KINDS[record_type]
        values = {name: row[name] for name in _field_names(record_type)}
        for name, decode in kind.into.items():
            values[name] = decode(values[name])
        return record_type(**values)
