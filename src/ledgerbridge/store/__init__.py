"""Storage: SQLAlchemy models, repositories and Alembic migrations, on SQLite or PostgreSQL."""

from ledgerbridge.store.database import Database
from ledgerbridge.store.errors import AlreadyExists, InUse, NotFound, StoreError
from ledgerbridge.store.repos import (
    Coding,
    Connections,
    ConnectionStatus,
    ExportAttempts,
    ReportChanged,
    ReportFilter,
    ReportPage,
    Reports,
    Snapshots,
    SyncRuns,
    Users,
    Workspaces,
    key_of,
)
from ledgerbridge.store.secrets import SecretBox, SecretKeyError

__all__ = [
    "AlreadyExists",
    "Coding",
    "ConnectionStatus",
    "Connections",
    "Database",
    "ExportAttempts",
    "InUse",
    "NotFound",
    "ReportChanged",
    "ReportFilter",
    "ReportPage",
    "Reports",
    "SecretBox",
    "SecretKeyError",
    "Snapshots",
    "StoreError",
    "SyncRuns",
    "Users",
    "Workspaces",
    "key_of",
]
