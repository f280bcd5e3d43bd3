"""Reports, their expenses and history, and the one report state machine."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

from ledgerbridge.domain.ids import (
    CardId,
    CategoryId,
    Dimension,
    DimensionValueId,
    ExpenseId,
    HistoryEventId,
    ReportId,
    UserId,
    VendorId,
    WorkspaceId,
)
from ledgerbridge.domain.money import Currency, Money

SYSTEM: Final = "system"
"""The actor of automatic steps in a report's history."""

Actor = str
"""A UserId, or `SYSTEM`."""


class ReportState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    EXPORTED = "exported"
    REIMBURSED = "reimbursed"


class Payment(enum.StrEnum):
    """Who paid: the employee (to be reimbursed) or a company card."""

    REIMBURSABLE = "reimbursable"
    COMPANY_CARD = "company_card"


class EventKind(enum.StrEnum):
    CREATED = "created"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    UNAPPROVED = "unapproved"
    PREFLIGHT = "preflight"
    EXPORT_QUEUED = "export_queued"
    EXPORT_SENT = "export_sent"
    EXPORTED = "exported"
    EXPORT_FAILED = "export_failed"
    EXPORT_UNCERTAIN = "export_uncertain"
    RECONCILED = "reconciled"
    RECATEGORIZED = "recategorized"
    RETRIED = "retried"
    REEXPORT_REQUESTED = "reexport_requested"
    REIMBURSED = "reimbursed"
    EDITED = "edited"


class InvalidTransition(ValueError):
    """A report state change the state machine does not allow."""

    def __init__(self, report_id: ReportId, from_state: ReportState, to_state: ReportState) -> None:
        allowed = ", ".join(s.value for s in TRANSITIONS[from_state]) or "none"
        super().__init__(
            f"report {report_id} cannot go from {from_state.value} to {to_state.value} (allowed: {allowed})"
        )
        self.report_id = report_id
        self.from_state = from_state
        self.to_state = to_state


TRANSITIONS: Final = MappingProxyType(
    {
        ReportState.DRAFT: frozenset({ReportState.SUBMITTED}),
        ReportState.SUBMITTED: frozenset({ReportState.APPROVED, ReportState.DRAFT}),
        ReportState.APPROVED: frozenset({ReportState.EXPORTED, ReportState.DRAFT}),
        ReportState.EXPORTED: frozenset({ReportState.REIMBURSED}),
        ReportState.REIMBURSED: frozenset(),
    }
)
"""Every allowed state change: forward along the flow, plus returning or unapproving to draft."""


@dataclass(frozen=True, slots=True)
class Report:
    """An expense report. `export_status` and `last_int_code` are filled by the exporter."""

    id: ReportId
    workspace_id: WorkspaceId
    owner: UserId
    title: str
    currency: Currency
    created_at: datetime
    state: ReportState = ReportState.DRAFT
    submitted_at: datetime | None = None
    submitted_by: Actor | None = None
    approved_at: datetime | None = None
    approved_by: Actor | None = None
    exported_at: datetime | None = None
    reimbursed_at: datetime | None = None
    export_version: int = 1
    export_status: str | None = None
    last_int_code: str | None = None


@dataclass(frozen=True, slots=True)
class Expense:
    """One line of spending on a report; `tags` maps a dimension to the tag's code."""

    id: ExpenseId
    report_id: ReportId
    spent_on: date
    merchant: str
    amount: Money
    category_id: CategoryId | None = None
    tags: Mapping[Dimension, DimensionValueId] = field(default_factory=dict)
    payment: Payment = Payment.REIMBURSABLE
    card_id: CardId | None = None
    billable: bool = False
    description: str = ""
    vendor: VendorId | None = None


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """Something that happened to a report, by whom, and the details support will ask about."""

    id: HistoryEventId
    report_id: ReportId
    at: datetime
    actor: Actor
    kind: EventKind
    detail: Mapping[str, Any] = field(default_factory=dict)


_EVENT_FOR: Final = MappingProxyType(
    {
        (ReportState.DRAFT, ReportState.SUBMITTED): EventKind.SUBMITTED,
        (ReportState.SUBMITTED, ReportState.APPROVED): EventKind.APPROVED,
        (ReportState.SUBMITTED, ReportState.DRAFT): EventKind.RETURNED,
        (ReportState.APPROVED, ReportState.DRAFT): EventKind.UNAPPROVED,
        (ReportState.APPROVED, ReportState.EXPORTED): EventKind.EXPORTED,
        (ReportState.EXPORTED, ReportState.REIMBURSED): EventKind.REIMBURSED,
    }
)


def transition(report: Report, to_state: ReportState, actor: Actor, at: datetime) -> Report:
    """The report after moving to `to_state`, with who and when recorded; refused moves raise."""
    if to_state not in TRANSITIONS[report.state]:
        raise InvalidTransition(report.id, report.state, to_state)
    match to_state:
        case ReportState.SUBMITTED:
            return dataclasses.replace(report, state=to_state, submitted_at=at, submitted_by=actor)
        case ReportState.APPROVED:
            return dataclasses.replace(report, state=to_state, approved_at=at, approved_by=actor)
        case ReportState.EXPORTED:
            return dataclasses.replace(report, state=to_state, exported_at=at)
        case ReportState.REIMBURSED:
            return dataclasses.replace(report, state=to_state, reimbursed_at=at)
        case _:
            # Back to the owner: the earlier submission and approval no longer stand.
            return dataclasses.replace(
                report, state=to_state, submitted_at=None, submitted_by=None, approved_at=None, approved_by=None
            )


def transition_event(
    before: Report, after: Report, actor: Actor, at: datetime, event_id: HistoryEventId
) -> HistoryEvent:
    """The history event that records a state change made by `transition`."""
    kind = _EVENT_FOR[(before.state, after.state)]
    detail = {"from": before.state.value, "to": after.state.value}
    return HistoryEvent(id=event_id, report_id=after.id, at=at, actor=actor, kind=kind, detail=detail)


def request_reexport(report: Report) -> Report:
    """An exported report marked to be sent again as a new document: its export version goes up by one."""
    if report.state is not ReportState.EXPORTED:
        raise InvalidTransition(report.id, report.state, ReportState.EXPORTED)
    return dataclasses.replace(report, export_version=report.export_version + 1, export_status=None, last_int_code=None)


def is_editable(report: Report) -> bool:
    """Expenses can be added, changed or removed only while the report is a draft."""
    return report.state is ReportState.DRAFT
