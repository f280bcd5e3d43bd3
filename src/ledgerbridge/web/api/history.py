"""Report history and the rule that only drafts are edited, shared by the report and expense routes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ledgerbridge.domain import EventKind, HistoryEvent, Report, new_id
from ledgerbridge.domain.reports import is_editable
from ledgerbridge.store import Reports
from ledgerbridge.web.api.context import Caller, utcnow
from ledgerbridge.web.api.errors import StateConflict


def record(session: Session, report: Report, caller: Caller, kind: EventKind, detail: dict[str, Any]) -> None:
    """Add an event to the report's history."""
    Reports(session).record(HistoryEvent(new_id(), report.id, utcnow(), caller.id, kind, detail))


def require_editable(report: Report) -> None:
    if not is_editable(report):
        raise StateConflict(
            f"report {report.id} is {report.state.value}; only draft reports can be edited",
            {"state": report.state.value},
        )
