"""What Sync Now reads from Intacct, per object: the fields selected and how a row becomes a snapshot."""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ledgerbridge.domain.ids import CLASS, CUSTOMER, DEPARTMENT, LOCATION, PROJECT, WorkspaceId
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
from ledgerbridge.intacct import Record

Build = Callable[[Record, WorkspaceId, datetime], SnapshotRecord]

_COMMON = ("RECORDNO", "STATUS", "WHENMODIFIED")
_REQUIRE = {
    "REQUIREDEPT": "DEPARTMENT",
    "REQUIRELOC": "LOCATION",
    "REQUIREPROJECT": "PROJECT",
    "REQUIRECUSTOMER": "CUSTOMER",
    "REQUIREVENDOR": "VENDOR",
    "REQUIREEMPLOYEE": "EMPLOYEE",
    "REQUIRECLASS": "CLASS",
}
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}


_TIMESTAMP = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")


@functools.lru_cache(maxsize=4096)
def intacct_timestamp(text: str | None) -> datetime | None:
    """WHENMODIFIED as Intacct prints it (mm/dd/yyyy hh:mm:ss, or without seconds or time), read as UTC."""
    # Read by hand rather than by strptime: a sync reads one per row, tens of thousands of them.
    match = _TIMESTAMP.fullmatch(text.strip()) if text else None
    if match is None:
        return None
    month, day, year, hour, minute, second = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                        tzinfo=UTC)
    except ValueError:
        return None


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%m/%d/%Y %H:%M:%S")


def _date(text: str | None) -> date | None:
    moment = intacct_timestamp(text)
    return moment.date() if moment else None


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in {"true", "t", "1", "yes"}


# The builders read a row's field map directly: a full sync builds tens of thousands of records.
Fields = Mapping[str, str]


def _text(fields: Fields, name: str) -> str:
    return (fields.get(name) or "").strip()


def _optional(fields: Fields, name: str) -> str | None:
    return (fields.get(name) or "").strip() or None


def _base(fields: Fields, workspace_id: WorkspaceId, synced_at: datetime) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "record_no": _optional(fields, "RECORDNO"),
        "status": _text(fields, "STATUS").lower() or "active",
        "entity": _text(fields, "MEGAENTITYID"),
        "modified_at": intacct_timestamp(fields.get("WHENMODIFIED")),
        "synced_at": synced_at,
    }


@functools.lru_cache(maxsize=256)
def _required(flags: tuple[str | None, ...]) -> frozenset[str]:
    """The dimensions an account requires, from its REQUIRE* flags (few distinct combinations)."""
    return frozenset(dim for flag, dim in zip(flags, _REQUIRE.values(), strict=True) if _flag(flag))


def _account(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
    f = row.fields
    return IntacctAccount(
        **_base(f, workspace_id, synced_at),
        account_no=_text(f, "ACCOUNTNO"),
        title=_text(f, "TITLE"),
        account_type=_text(f, "ACCOUNTTYPE"),
        disallow_direct_posting=_flag(f.get("SUBLEDGERCONTROLON")),
        required_dimensions=_required(tuple(map(f.get, _REQUIRE))),
    )


def _expiry(fields: Fields) -> date | None:
    month_text, year_text = _text(fields, "EXP_MONTH"), _text(fields, "EXP_YEAR")
    month = _MONTHS.get(month_text.lower()) or (int(month_text) if month_text.isdigit() else None)
    if month is None or not year_text.isdigit() or not 1 <= month <= 12:
        return None
    year = int(year_text)
    return date(year, month, calendar.monthrange(year, month)[1])


def _card(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
    f = row.fields
    return IntacctCardAccount(
        **_base(f, workspace_id, synced_at),
        card_id=_text(f, "CARDID"),
        description=_text(f, "DESCRIPTION"),
        card_type=_text(f, "CARDTYPE"),
        offset_account=_optional(f, "OFFSETGLACCOUNTNO"),
        vendor_id=_optional(f, "VENDORID"),
        currency=_optional(f, "CURRENCY"),
        expires=_expiry(f),
    )


def _expense_type(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
    f = row.fields
    return IntacctExpenseType(
        **_base(f, workspace_id, synced_at),
        name=_text(f, "ACCOUNTLABEL"),
        gl_account=_optional(f, "GLACCOUNTNO"),
        description=_text(f, "DESCRIPTION"),
    )


def _employee(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
    f = row.fields
    return IntacctEmployee(
        **_base(f, workspace_id, synced_at),
        employee_id=_text(f, "EMPLOYEEID"),
        email=f.get("CONTACT.EMAIL1") or "",  # exactly as Intacct holds it: Intacct compares it exactly
        name=_text(f, "CONTACT.CONTACTNAME"),
        start_date=_date(f.get("STARTDATE")),
        location=_optional(f, "LOCATIONID"),
        department=_optional(f, "DEPARTMENTID"),
    )


def _vendor(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
    f = row.fields
    return IntacctVendor(
        **_base(f, workspace_id, synced_at),
        vendor_id=_text(f, "VENDORID"),
        name=_text(f, "NAME"),
        on_hold=_flag(f.get("ONHOLD")),
    )


def _closed_books(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
    f = row.fields
    return IntacctPeriod(
        **_base(f, workspace_id, synced_at) | {"entity": _text(f, "LOCATIONID")},
        closed_through=_date(f.get("CLOSEDTHROUGH")),
    )


def _journal(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
    f = row.fields
    return IntacctJournal(**_base(f, workspace_id, synced_at), symbol=_text(f, "SYMBOL"), title=_text(f, "TITLE"))


def _dimension(dimension: str, id_field: str, name_field: str, extras: Mapping[str, str] = {}) -> Build:
    def build(row: Record, workspace_id: WorkspaceId, synced_at: datetime) -> SnapshotRecord:
        f = row.fields
        extra = {key: value for key, field in extras.items() if (value := _text(f, field))}
        return IntacctDimensionValue(
            **_base(f, workspace_id, synced_at),
            dimension=dimension,
            value_id=_text(f, id_field),
            name=_text(f, name_field),
            parent_id=_optional(f, "PARENTID"),
            extra=extra,
        )

    return build


@dataclass(frozen=True, slots=True)
class Kind:
    """One Intacct object read by Sync Now; `name` is the key of its counts and watermark."""

    name: str
    object_name: str
    id_field: str
    select: tuple[str, ...]
    build: Build
    record_type: type[SnapshotRecord]
    dimension: str | None = None
    # Read where readable: a company (or a user) that cannot read it keeps what was stored, and the run
    # does not fail for it.
    optional: bool = False
    # Usually a few rows at most: its first page shares a request with the other such kinds.
    few: bool = False


STANDARD_DIMENSIONS: dict[str, tuple[str, str, tuple[str, ...], dict[str, str]]] = {
    DEPARTMENT: ("DEPARTMENTID", "TITLE", (), {}),
    LOCATION: ("LOCATIONID", "NAME", (), {"entity": "MEGAENTITYID"}),
    CLASS: ("CLASSID", "NAME", (), {}),
    PROJECT: ("PROJECTID", "NAME", ("CUSTOMERID",), {"customer": "CUSTOMERID"}),
    CUSTOMER: ("CUSTOMERID", "NAME", (), {}),
}


def dimension_kind(dimension: str, *, user_defined: bool = False) -> Kind:
    more: tuple[str, ...]
    extras: dict[str, str]
    if user_defined:
        id_field, name_field, more, extras = "ID", "NAME", (), {}
    else:
        id_field, name_field, more, extras = STANDARD_DIMENSIONS[dimension]
    select = (*_COMMON, id_field, name_field, "PARENTID", "MEGAENTITYID", *more)
    build = _dimension(dimension, id_field, name_field, extras)
    few = user_defined or dimension in (DEPARTMENT, LOCATION, CLASS)
    return Kind(dimension, dimension, id_field, select, build, IntacctDimensionValue, dimension, few=few)


ACCOUNTS = Kind(
    "GLACCOUNT", "GLACCOUNT", "ACCOUNTNO",
    (*_COMMON, "ACCOUNTNO", "TITLE", "ACCOUNTTYPE", "SUBLEDGERCONTROLON", "MEGAENTITYID", *_REQUIRE),
    _account, IntacctAccount,
)
CARDS = Kind(
    "CREDITCARD", "CREDITCARD", "CARDID",
    (*_COMMON, "CARDID", "DESCRIPTION", "CARDTYPE", "EXP_MONTH", "EXP_YEAR", "VENDORID", "CURRENCY",
     "OFFSETGLACCOUNTNO", "MEGAENTITYID"),
    _card, IntacctCardAccount, few=True,
)
EXPENSE_TYPES = Kind(
    "EEACCOUNTLABEL", "EEACCOUNTLABEL", "ACCOUNTLABEL",
    (*_COMMON, "ACCOUNTLABEL", "DESCRIPTION", "GLACCOUNTNO", "MEGAENTITYID"),
    _expense_type, IntacctExpenseType, few=True,
)
EMPLOYEES = Kind(
    "EMPLOYEE", "EMPLOYEE", "EMPLOYEEID",
    (*_COMMON, "EMPLOYEEID", "CONTACT.EMAIL1", "CONTACT.CONTACTNAME", "STARTDATE", "LOCATIONID", "DEPARTMENTID",
     "MEGAENTITYID"),
    _employee, IntacctEmployee,
)
VENDORS = Kind(
    "VENDOR", "VENDOR", "VENDORID", (*_COMMON, "VENDORID", "NAME", "ONHOLD", "MEGAENTITYID"), _vendor, IntacctVendor,
)
CLOSED_BOOKS = Kind(
    "CLOSEDBOOKS", "CLOSEDBOOKS", "LOCATIONID", ("RECORDNO", "WHENMODIFIED", "LOCATIONID", "CLOSEDTHROUGH"),
    _closed_books, IntacctPeriod, optional=True, few=True,
)
JOURNALS = Kind("GLJOURNAL", "GLJOURNAL", "SYMBOL", (*_COMMON, "SYMBOL", "TITLE"), _journal, IntacctJournal, few=True)
RECORD_KINDS = (ACCOUNTS, CARDS, EXPENSE_TYPES, EMPLOYEES, VENDORS, CLOSED_BOOKS, JOURNALS)
