"""Tables of the Intacct snapshot: one per kind, keyed by workspace and Intacct's own key."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CHAR, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ledgerbridge.store.models import ID, Base


class _Synced:
    workspace_id: Mapped[str] = mapped_column(
        ID, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )
    record_no: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(100))
    modified_at: Mapped[datetime | None]
    synced_at: Mapped[datetime]


class AccountRow(_Synced, Base):
    __tablename__ = "intacct_accounts"

    account_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    account_type: Mapped[str] = mapped_column(String(32))
    disallow_direct_posting: Mapped[bool] = mapped_column(Boolean)
    required_dimensions: Mapped[list[Any]]
    related: Mapped[dict[str, Any]]


class CardAccountRow(_Synced, Base):
    __tablename__ = "intacct_card_accounts"

    card_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    description: Mapped[str] = mapped_column(String(300))
    card_type: Mapped[str] = mapped_column(String(32))
    offset_account: Mapped[str | None] = mapped_column(String(64))
    vendor_id: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str | None] = mapped_column(CHAR(3))
    expires: Mapped[date | None]


class ExpenseTypeRow(_Synced, Base):
    __tablename__ = "intacct_expense_types"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    gl_account: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)


class EmployeeRow(_Synced, Base):
    __tablename__ = "intacct_employees"

    employee_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date | None]
    location: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    duplicate_email: Mapped[bool] = mapped_column(Boolean)


class VendorRow(_Synced, Base):
    __tablename__ = "intacct_vendors"

    vendor_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    on_hold: Mapped[bool] = mapped_column(Boolean)


class DimensionValueRow(_Synced, Base):
    __tablename__ = "intacct_dimension_values"

    dimension: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[str | None] = mapped_column(String(100))
    extra: Mapped[dict[str, Any]]


class JournalRow(_Synced, Base):
    __tablename__ = "intacct_journals"

    symbol: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))


class PeriodRow(_Synced, Base):
    __tablename__ = "intacct_periods"

    entity: Mapped[str] = mapped_column(String(100), primary_key=True)
    closed_through: Mapped[date | None]
