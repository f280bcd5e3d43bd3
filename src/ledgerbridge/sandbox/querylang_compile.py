"""Conditions compiled once into closures over rows, with SQL's three-valued logic."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

from ledgerbridge.sandbox.querylang_values import (
    FieldRef,
    Predicate,
    Row,
    is_null,
    literal_key,
    row_reader,
)

# None is SQL's UNKNOWN: a comparison with NULL is neither true nor false, and NOT keeps it unknown,
# so "ONHOLD != 'T'" and "NOT ONHOLD = 'T'" both leave out rows whose ONHOLD was never set.
Test = Callable[[Row], bool | None]

COMPARISON_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _folds(field: FieldRef, case_insensitive: bool) -> bool:
    return case_insensitive and field.kind == "text"


def compare(field: FieldRef, op: str, literal: str, *, case_insensitive: bool = False) -> Test:
    """``field <op> literal`` for one of ``= != < <= > >=``."""
    fold = _folds(field, case_insensitive)
    key = literal_key(field, literal, case_insensitive=fold)
    read = row_reader(field, case_insensitive=fold)
    check = COMPARISON_OPERATORS[op]

    def test(row: Row) -> bool | None:
        value = read(row)
        return None if value is None else check(value, key)

    return test


def between(field: FieldRef, low: str, high: str, *, case_insensitive: bool = False) -> Test:
    fold = _folds(field, case_insensitive)
    low_key = literal_key(field, low, case_insensitive=fold)
    high_key = literal_key(field, high, case_insensitive=fold)
    read = row_reader(field, case_insensitive=fold)

    def test(row: Row) -> bool | None:
        value: Any = read(row)
        return None if value is None else bool(low_key <= value <= high_key)

    return test


def member(field: FieldRef, literals: Sequence[str], *, negate: bool = False, case_insensitive: bool = False) -> Test:
    """``field in (...)``, or ``not in`` when ``negate``."""
    fold = _folds(field, case_insensitive)
    keys = frozenset(literal_key(field, text, case_insensitive=fold) for text in literals)
    read = row_reader(field, case_insensitive=fold)

    def test(row: Row) -> bool | None:
        value = read(row)
        return None if value is None else (value in keys) != negate

    return test


def like_pattern(pattern: str, *, case_insensitive: bool = False) -> re.Pattern[str]:
    """The regular expression for a SQL ``like`` pattern: ``%`` any run, ``_`` one character."""
    parts = [".*" if char == "%" else "." if char == "_" else re.escape(char) for char in pattern]
    flags = re.DOTALL | (re.IGNORECASE if case_insensitive else 0)
    return re.compile("".join(parts), flags)


def like(field: FieldRef, pattern: str, *, negate: bool = False, case_insensitive: bool = False) -> Test:
    # like matches the value as Intacct prints it, whatever the field's type.
    matcher = like_pattern(pattern, case_insensitive=case_insensitive).fullmatch
    name = field.name

    def test(row: Row) -> bool | None:
        raw = row.get(name)
        if raw is None or raw == "":
            return None
        return (matcher(raw) is not None) != negate

    return test


def null_check(field: FieldRef, *, negate: bool = False) -> Test:
    """``IS NULL``, or ``IS NOT NULL`` when ``negate``; never unknown."""
    name = field.name

    def test(row: Row) -> bool | None:
        return is_null(row.get(name)) != negate

    return test


def all_of(tests: Sequence[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]
    members = tuple(tests)

    def test(row: Row) -> bool | None:
        outcome: bool | None = True
        for member_test in members:
            result = member_test(row)
            if result is False:
                return False
            if result is None:
                outcome = None
        return outcome

    return test


def any_of(tests: Sequence[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]
    members = tuple(tests)

    def test(row: Row) -> bool | None:
        outcome: bool | None = False
        for member_test in members:
            result = member_test(row)
            if result is True:
                return True
            if result is None:
                outcome = None
        return outcome

    return test


def negation(inner: Test) -> Test:
    def test(row: Row) -> bool | None:
        result = inner(row)
        return None if result is None else not result

    return test


def always(row: Row) -> bool:
    """The predicate of an empty query: every row matches."""
    return True


def to_predicate(test: Test) -> Predicate:
    """A row is selected only when its condition is true, not unknown."""

    def predicate(row: Row) -> bool:
        return test(row) is True

    return predicate
