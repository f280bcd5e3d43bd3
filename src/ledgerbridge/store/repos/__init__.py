"""Repositories: one per aggregate, each over a `Session`, returning domain objects."""

from ledgerbridge.store.repos.coding import Coding
from ledgerbridge.store.repos.connection import Connections, ConnectionStatus
from ledgerbridge.store.repos.exports import ExportAttempts
from ledgerbridge.store.repos.reports import ReportChanged, ReportFilter, ReportPage, Reports
from ledgerbridge.store.repos.snapshot import Snapshots, key_of
from ledgerbridge.store.repos.sync_runs import SyncRuns
from ledgerbridge.store.repos.users import Users
from ledgerbridge.store.repos.workspaces import Workspaces

__all__ = [
    "Coding",
    "ConnectionStatus",
    "Connections",
    "ExportAttempts",
    "ReportChanged",
    "ReportFilter",
    "ReportPage",
    "Reports",
    "Snapshots",
    "SyncRuns",
    "Users",
    "Workspaces",
    "key_of",
]
