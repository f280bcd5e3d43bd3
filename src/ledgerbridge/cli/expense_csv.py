"""Reading expenses from CSV: every row is checked and every problem reported (row, column, what is wrong)."""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, TypeVar

from ledgerbridge.domain import Category, CompanyCard, Money, Payment, Tag
from ledgerbridge.domain.ids import STANDARD_DIMENSIONS, CardId, CategoryId, Dimension, DimensionValueId
from ledgerbridge.domain.money import MoneyError, minor_units, parse_amount

REQUIRED: Final = ("date", "merchant", "amount")
OPTIONAL: Final = ("currency", "category", "payment", "card", "billable", "description", "vendor")
MAX_LENGTH: Final = {"merchant": 300, "vendor": 100, "description": 10_000}
"""Longest text each column takes (the merchant and vendor columns of the database are this wide)."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YES: Final = frozenset({"yes", "y", "true", "1"})
_NO: Final = frozenset({"no", "n", "false", "0", ""})
HEADER_ROW: Final = 1

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with one cell (or, with an empty column, with the whole row)."""

    row: int
    """The row as a spreadsheet numbers it: the header is row 1, the first expense row 2."""
    column: str
    problem: str


@dataclass(frozen=True, slots=True)
class ExpenseLine:
    """A checked row, ready to become an expense on a report."""

    row: int
    spent_on: date
    merchant: str
    amount: Money
    category_id: CategoryId | None
    tags: Mapping[Dimension, DimensionValueId]
    payment: Payment
    card_id: CardId | None
    billable: bool
    description: str
    vendor: str | None


@dataclass(frozen=True, slots=True)
class WorkspaceCoding:
    """What rows are checked against: the workspace's categories, tags and cards, and the default currency."""

    default_currency: str
    categories: tuple[Category, ...] = ()
    tags: tuple[Tag, ...] = ()
    cards: tuple[CompanyCard, ...] = ()
    dimensions: tuple[Dimension, ...] = STANDARD_DIMENSIONS

    def dimension_of(self, column: str) -> Dimension | None:
        """The dimension a column header names (DEPARTMENT for 'department'), if any."""
        known = {*self.dimensions, *(tag.dimension for tag in self.tags)}
        for dimension in known:
            if dimension.casefold() == column:
                return dimension
        return None


@dataclass(frozen=True, slots=True)
class ParsedFile:
    lines: list[ExpenseLine]
    problems: list[RowProblem]


class _CellError(ValueError):
    pass


def _one_of(candidates: list[T], what: str, value: str) -> T:
    if len(candidates) > 1:
        raise _CellError(f"{what} {value!r} matches {len(candidates)} entries; use a more exact value")
    return candidates[0]


def _suggest(value: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(names), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(name) for name in close)}?)" if close else ""


class _RowReader:
    def __init__(self, coding: WorkspaceCoding, dimension_columns: Mapping[str, Dimension]) -> None:
        self.coding = coding
        self.dimension_columns = dimension_columns

    def category(self, value: str) -> CategoryId | None:
        if not value:
            return None
        matches = [c for c in self.coding.categories if c.name == value] or [
            c for c in self.coding.categories if c.name.casefold() == value.casefold()
        ]
        if not matches:
            raise _CellError(f"unknown category {value!r}{_suggest(value, (c.name for c in self.coding.categories))}")
        category = _one_of(matches, "category", value)
        if not category.enabled:
            raise _CellError(f"category {category.name!r} is disabled")
        return category.id

    def tag(self, dimension: Dimension, value: str) -> DimensionValueId:
        """The tag code a cell names (by code, else by name); blank cells code nothing."""
        if not value:
            return ""
        tags = [t for t in self.coding.tags if t.dimension == dimension]
        matches = [t for t in tags if t.code == value] or [t for t in tags if t.name.casefold() == value.casefold()]
        label = dimension.lower()
        if not matches:
            known = [t.code for t in tags] + [t.name for t in tags]
            raise _CellError(f"unknown {label} tag {value!r}{_suggest(value, known)}")
        tag = _one_of(matches, f"{label} tag", value)
        if not tag.enabled:
            raise _CellError(f"{label} tag {tag.code} ({tag.name}) is disabled")
        return tag.code

    def card(self, value: str) -> CardId | None:
        if not value:
            return None
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) != 4 or any(ch.isalpha() for ch in value):
            raise _CellError("give the card's last four digits only, e.g. 1005")
        matches = [c for c in self.coding.cards if "".join(ch for ch in c.masked_number if ch.isdigit()) == digits]
        if not matches:
            raise _CellError(f"no company card ending in {digits}")
        return _one_of(matches, "card ending in", digits).id


def _text(column: str, value: str) -> str:
    if "\x00" in value:
        raise _CellError("contains a NUL character")
    limit = MAX_LENGTH.get(column)
    if limit is not None and len(value) > limit:
        raise _CellError(f"is {len(value)} characters long; at most {limit} fit")
    return value


def _merchant(value: str) -> str:
    if not value:
        raise _CellError("a merchant is required")
    return _text("merchant", value)


def _date(value: str) -> date:
    if not value:
        raise _CellError("a date is required (YYYY-MM-DD)")
    if not _ISO_DATE.fullmatch(value):
        raise _CellError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _CellError(f"{value!r} is not a calendar date") from None


def _currency(value: str, default: str) -> str:
    code = value.upper() or default
    try:
        minor_units(code)
    except MoneyError:
        raise _CellError(f"unknown currency {value!r}: expected an ISO 4217 code such as USD") from None
    return code


def _amount(value: str, currency: str) -> Money:
    if not value:
        raise _CellError("an amount is required")
    try:
        return parse_amount(value, currency)
    except MoneyError as exc:
        raise _CellError(str(exc)) from None


def _billable(value: str) -> bool:
    word = value.casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise _CellError(f"{value!r} is not yes or no")


def _payment(value: str, has_card: bool) -> Payment:
    if not value:
        return Payment.COMPANY_CARD if has_card else Payment.REIMBURSABLE
    try:
        payment = Payment(value.casefold())
    except ValueError:
        raise _CellError(f"{value!r} is not reimbursable or company_card") from None
    if payment is Payment.COMPANY_CARD and not has_card:
        raise _CellError("a company_card expense needs the card's last four digits in the card column")
    if payment is Payment.REIMBURSABLE and has_card:
        raise _CellError("a reimbursable expense has no company card; clear the card column or use company_card")
    return payment


def _header(fields: list[str], coding: WorkspaceCoding) -> tuple[dict[str, Dimension], list[RowProblem]]:
    problems: list[RowProblem] = []
    seen: set[str] = set()
    dimensions: dict[str, Dimension] = {}
    for name in fields:
        if name in seen:
            problems.append(RowProblem(HEADER_ROW, name, "the column appears twice"))
        seen.add(name)
        if name in REQUIRED or name in OPTIONAL:
            continue
        dimension = coding.dimension_of(name)
        if dimension is None:
            known = [*REQUIRED, *OPTIONAL, *(d.lower() for d in coding.dimensions)]
            problems.append(RowProblem(HEADER_ROW, name, f"unknown column{_suggest(name, known)}"))
        else:
            dimensions[name] = dimension
    problems += [RowProblem(HEADER_ROW, name, "required column is missing") for name in REQUIRED if name not in seen]
    return dimensions, problems


def read_expenses(text: str, coding: WorkspaceCoding) -> ParsedFile:
    """Every row of the file checked against the workspace's coding; nothing is stored here."""
    reader_rows = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader_rows)
    except csv.Error as exc:
        return ParsedFile([], [RowProblem(reader_rows.line_num, "", f"the file is not readable CSV here: {exc}")])
    if not records or not any(cell.strip() for cell in records[0]):
        return ParsedFile([], [RowProblem(HEADER_ROW, "", "the file is empty; the first row must name the columns")])
    fields = [name.strip().casefold() for name in records[0]]
    dimension_columns, problems = _header(fields, coding)
    if problems:
        return ParsedFile([], problems)
    reader = _RowReader(coding, dimension_columns)
    lines: list[ExpenseLine] = []
    for number, record in enumerate(records[1:], start=HEADER_ROW + 1):
        if not any(value.strip() for value in record):
            continue
        if len(record) != len(fields):
            problems.append(RowProblem(number, "", f"the row has {len(record)} cells; the header has {len(fields)}"))
            continue
        line = _read_row(number, dict(zip(fields, (value.strip() for value in record), strict=True)), reader,
                         problems)
        if line is not None:
            lines.append(line)
    if not lines and not problems:
        problems.append(RowProblem(HEADER_ROW, "", "the file has a header but no expense rows"))
    return ParsedFile(lines if not problems else [], problems)


def _read_row(
    number: int, cells: Mapping[str, str], reader: _RowReader, problems: list[RowProblem]
) -> ExpenseLine | None:
    found_before = len(problems)

    def check(column: str, read: Callable[[str], T], default: T) -> T:
        try:
            return read(cells.get(column, ""))
        except _CellError as exc:
            problems.append(RowProblem(number, column, str(exc)))
            return default

    spent_on = check("date", _date, date.min)
    merchant = check("merchant", _merchant, "")
    currency = check("currency", lambda v: _currency(v, reader.coding.default_currency), "")
    amount = check("amount", lambda v: _amount(v, currency), None) if currency else None
    category_id = check("category", reader.category, None)
    tags: dict[Dimension, DimensionValueId] = {}
    for column, dimension in reader.dimension_columns.items():
        code = check(column, functools.partial(reader.tag, dimension), "")
        if code:
            tags[dimension] = code
    card_id = check("card", reader.card, None)
    payment = check("payment", lambda v: _payment(v, bool(cells.get("card"))), Payment.REIMBURSABLE)
    billable = check("billable", _billable, False)
    description = check("description", lambda v: _text("description", v), "")
    vendor = check("vendor", lambda v: _text("vendor", v), "") or None
    if len(problems) > found_before or amount is None:
        return None
    return ExpenseLine(number, spent_on, merchant, amount, category_id, tags, payment, card_id, billable,
                       description, vendor)
