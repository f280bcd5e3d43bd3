"""Tables of the workspace side: people, coding, reports, the connection and sync runs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    CHAR,
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ledgerbridge.store.types import Amount, UtcDateTime

ID = String(32)
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        Decimal: Amount(),
        date: Date(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(CHAR(64), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WorkspaceRow(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    base_currency: Mapped[str] = mapped_column(CHAR(3))
    created_at: Mapped[datetime]


class MemberRow(Base):
    __tablename__ = "members"

    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime]


class CategoryRow(Base):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean)
    gl_account: Mapped[str | None] = mapped_column(String(64))
    expense_type: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16))
    intacct_state: Mapped[str] = mapped_column(String(16))
    intacct_note: Mapped[str] = mapped_column(Text)


class TagListRow(Base):
    __tablename__ = "tag_lists"

    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(100), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    imported_as: Mapped[str] = mapped_column(String(32))


class TagRow(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("workspace_id", "dimension", "code"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(16))
    intacct_state: Mapped[str] = mapped_column(String(16))


class CompanyCardRow(Base):
    __tablename__ = "company_cards"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    masked_number: Mapped[str] = mapped_column(String(32))
    cardholder: Mapped[str | None] = mapped_column(ID, ForeignKey("users.id", ondelete="SET NULL"))
    charge_card_account: Mapped[str | None] = mapped_column(String(100))


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_workspace_state_created", "workspace_id", "state", "created_at"),
        Index("ix_reports_workspace_owner_created", "workspace_id", "owner_id", "created_at"),
        Index("ix_reports_workspace_created", "workspace_id", "created_at"),
        Index("ix_reports_workspace_export_status", "workspace_id", "export_status", "created_at"),
        Index("ix_reports_workspace_int_code", "workspace_id", "last_int_code", "created_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"))
    owner_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(CHAR(3))
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[str | None] = mapped_column(ID)
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(ID)
    exported_at: Mapped[datetime | None]
    reimbursed_at: Mapped[datetime | None]
    export_version: Mapped[int] = mapped_column(Integer)
    export_status: Mapped[str | None] = mapped_column(String(32))
    last_int_code: Mapped[str | None] = mapped_column(String(16))


class ExpenseRow(Base):
    __tablename__ = "expenses"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    spent_on: Mapped[date]
    merchant: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(CHAR(3))
    category_id: Mapped[str | None] = mapped_column(ID, ForeignKey("categories.id"), index=True)
    tags: Mapped[dict[str, Any]]
    payment: Mapped[str] = mapped_column(String(16))
    card_id: Mapped[str | None] = mapped_column(ID, ForeignKey("company_cards.id"), index=True)
    billable: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str] = mapped_column(Text)
    vendor: Mapped[str | None] = mapped_column(String(100))


class HistoryEventRow(Base):
    __tablename__ = "history_events"
    __table_args__ = (Index("ix_history_events_report_at", "report_id", "at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]]


class ConnectionRow(Base):
    __tablename__ = "connections"

    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    credentials: Mapped[bytes] = mapped_column(LargeBinary)
    connected_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConnectionSettingsRow(Base):
    __tablename__ = "connection_settings"

    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(100))
    categories_from: Mapped[str] = mapped_column(String(32))
    dimensions: Mapped[dict[str, Any]]
    user_defined_dimensions: Mapped[list[Any]]
    tax: Mapped[bool] = mapped_column(Boolean)
    preferred_exporter: Mapped[str | None] = mapped_column(ID)
    export_date: Mapped[str] = mapped_column(String(32))
    reimbursable_as: Mapped[str] = mapped_column(String(32))
    company_card_as: Mapped[str] = mapped_column(String(32))
    default_vendor: Mapped[str | None] = mapped_column(String(100))
    default_charge_card_account: Mapped[str | None] = mapped_column(String(100))
    card_journal: Mapped[str | None] = mapped_column(String(40))
    auto_sync: Mapped[bool] = mapped_column(Boolean)
    auto_export: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]


class SyncRunRow(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_workspace_started", "workspace_id", "started_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    trigger: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, Any]]
    progress: Mapped[dict[str, Any]]
    errors: Mapped[list[Any]]
    watermark: Mapped[dict[str, Any]]
    heartbeat_at: Mapped[datetime | None]
    """When the running sync last showed progress (set as it starts and as each kind is read)."""


class ExportAttemptRow(Base):
    __tablename__ = "export_attempts"
    __table_args__ = (
        UniqueConstraint("report_id", "controlid"),
        Index("ix_export_attempts_workspace_state", "workspace_id", "state"),
        Index("ix_export_attempts_report_version", "report_id", "export_version", "document_index"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ID, ForeignKey("workspaces.id", ondelete="CASCADE"))
    report_id: Mapped[str] = mapped_column(ID, ForeignKey("reports.id", ondelete="CASCADE"))
    export_version: Mapped[int] = mapped_column(Integer)
    document_index: Mapped[int] = mapped_column(Integer)
    document_kind: Mapped[str] = mapped_column(String(32))
    controlid: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(100))
    reference_object: Mapped[str] = mapped_column(String(32))
    reference_field: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    intacct_key: Mapped[str | None] = mapped_column(String(100))
    int_code: Mapped[str | None] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text)
    intacct_errors: Mapped[list[Any]]
    claimed_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
