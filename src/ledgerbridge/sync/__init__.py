"""Sync Now: pulls what Intacct holds (with its restriction facts) into the workspace store, incrementally."""

from ledgerbridge.sync._connection import ConnectionRefused, test_connection
from ledgerbridge.sync._service import SyncAlreadyRunning, SyncService

__all__ = ["ConnectionRefused", "SyncAlreadyRunning", "SyncService", "test_connection"]
