"""Exporting reports to Sage Intacct: what was sent, and what Intacct's refusals mean as INT codes."""

from ledgerbridge.export.context import DocumentContext, DocumentLine, ExportType
from ledgerbridge.export.failure import ExportFailure, Problem, SyncFailure
from ledgerbridge.export.intacct_patterns import PREFLIGHT_ONLY
from ledgerbridge.export.translate import (
    no_card_journal,
    no_expense_types,
    translate,
    translate_exception,
    translate_sync,
)

__all__ = [
    "PREFLIGHT_ONLY",
    "DocumentContext",
    "DocumentLine",
    "ExportFailure",
    "ExportType",
    "Problem",
    "SyncFailure",
    "no_card_journal",
    "no_expense_types",
    "translate",
    "translate_exception",
    "translate_sync",
]
