"""What the report page shows, read from the store: lines with their preflight findings, the error banner,
the history in words, and the Intacct records of a finished export."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from string import Formatter
from typing import Any, Final

from sqlalchemy.orm import Session

from ledgerbridge.catalog import CATALOG, RenderedError, UnknownCodeError
from ledgerbridge.catalog.model import PlaceholderValueError, placeholders_of
from ledgerbridge.catalog.render import render_entry
from ledgerbridge.domain import SYSTEM, EventKind, HistoryEvent, Report, ReportState
from ledgerbridge.domain.coding import Category
from ledgerbridge.domain.exports import AttemptState, ExportAttempt
from ledgerbridge.domain.ids import CategoryId, UserId
from ledgerbridge.domain.reports import Expense
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.export.preflight import Finding, preflight
from ledgerbridge.export.suggest import Suggestion, SuggestionKind, suggest
from ledgerbridge.export.suggest_categories import CategoryOption
from ledgerbridge.export.view import WorkspaceView
from ledgerbridge.store import Coding, ExportAttempts, NotFound, Reports, SecretBox, Users

DOCUMENT_LABELS: Final = {
    "credit_card_charge": "Credit card charge",
    "expense_report": "Expense report",
    "vendor_bill": "Vendor bill",
    "journal_entry": "Journal entry",
}

_EVENT_TITLES: Final = {
    EventKind.CREATED: "Report created",
    EventKind.SUBMITTED: "Submitted",
    EventKind.RETURNED: "Returned to the owner",
    EventKind.APPROVED: "Approved",
    EventKind.UNAPPROVED: "Unapproved",
    EventKind.PREFLIGHT: "Preflight check",
    EventKind.EXPORT_QUEUED: "Export queued",
    EventKind.EXPORT_SENT: "Sent to Sage Intacct",
    EventKind.EXPORTED: "Exported to Sage Intacct",
    EventKind.EXPORT_FAILED: "Export failed",
    EventKind.EXPORT_UNCERTAIN: "Export outcome uncertain",
    EventKind.RECONCILED: "Looked up in Sage Intacct",
    EventKind.RECATEGORIZED: "Recategorized",
    EventKind.RETRIED: "Export retried",
    EventKind.REEXPORT_REQUESTED: "Re-export requested",
    EventKind.REIMBURSED: "Reimbursed",
    EventKind.EDITED: "Edited",
}


@dataclass(frozen=True, slots=True)
class Line:
    """One expense of the report as the table shows it, with what preflight found on it."""

    number: int
    expense: Expense
    category: str
    account: str
    card: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Banner:
    """The last export failure: the INT code with real values, why, the fix steps, and what is known now.

    `error` is None only for codes the catalog does not know; `still_found` says whether preflight still
    predicts the code from synced data (None when it cannot tell, e.g. Intacct refused what preflight passed).
    """

    code: str
    message: str
    error: RenderedError | None
    stage: str
    at: datetime | None
    still_found: bool | None
    support_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Recategorize:
    """The in-place recategorize form: expenses to move, suggested categories first, then the others."""

    code: str
    expense_ids: tuple[str, ...]
    suggested: tuple[CategoryOption, ...]
    others: tuple[Category, ...]


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    actor: str
    title: str
    summary: str
    automatic: bool


@dataclass(frozen=True, slots=True)
class IntacctRecord:
    """A document of the export as it stands in Sage Intacct."""

    label: str
    object_name: str
    key: str
    reference: str


@dataclass(frozen=True, slots=True)
class ReportView:
    report: Report
    owner_name: str
    lines: tuple[Line, ...]
    report_findings: tuple[Finding, ...]
    checked: bool
    """Whether preflight ran (approved reports, not yet exported)."""
    suggestions: tuple[Suggestion, ...]
    banner: Banner | None
    recategorize: tuple[Recategorize, ...]
    history: tuple[Event, ...]
    attempts: tuple[ExportAttempt, ...]
    records: tuple[IntacctRecord, ...]

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in (*self.report_findings, *(f for line in self.lines for f in line.findings))
                     if f.blocking)

    @property
    def in_flight(self) -> bool:
        return self.report.export_status in ("queued", "sending")


def values_from_message(code: str, message: str) -> RenderedError | None:
    """The catalog entry of `code` rendered again with the values read back out of a message it produced."""
    try:
        entry = CATALOG.get(code)
    except UnknownCodeError:
        return None
    _, _, text = message.partition(": ")
    for template in sorted(entry.messages, key=lambda m: -len(placeholders_of(m))):
        pattern = "".join(re.escape(literal) + (f"(?P<{name}>.+?)" if name else "")
                          for literal, name, _, _ in Formatter().parse(template))
        found = re.fullmatch(pattern, text)
        if found is None:
            continue
        try:
            return render_entry(entry, found.groupdict())
        except PlaceholderValueError:
            continue
    return None


def _last_failure(history: Sequence[HistoryEvent]) -> HistoryEvent | None:
    return next((e for e in reversed(history) if e.kind is EventKind.EXPORT_FAILED), None)


def _banner(report: Report, history: Sequence[HistoryEvent], findings: Sequence[Finding],
            checked: bool) -> Banner | None:
    if report.export_status != "failed" or report.last_int_code is None:
        return None
    code = report.last_int_code
    failure = _last_failure(history)
    detail: Mapping[str, Any] = failure.detail if failure is not None else {}
    same = [f for f in findings if f.code == code and f.blocking]
    message = str(detail.get("message") or (same[0].message if same else code))
    error = values_from_message(code, message) or (same[0].error if same else None)
    if error is None:
        try:
            error = render_entry(CATALOG.get(code), {})
        except (UnknownCodeError, PlaceholderValueError):
            error = None
    stage = "preflight" if detail.get("stage") == "preflight" else "intacct"
    still: bool | None = bool(same) if checked and stage == "preflight" else (True if same else None)
    return Banner(code, message, error, stage, failure.at if failure else None, still,
                  tuple(str(s) for s in detail.get("support_ids", ()) or ()))


def _summary(event: HistoryEvent, names: Mapping[str, str]) -> str:
    detail = event.detail
    match event.kind:
        case EventKind.PREFLIGHT:
            blocking = int(detail.get("blocking", 0))
            codes = sorted({str(f.get("code")) for f in detail.get("findings", ()) if f.get("blocking")})
            return "no problems found" if not blocking else f"{blocking} blocking: {', '.join(codes)}"
        case EventKind.EXPORT_FAILED:
            where = "before sending (preflight)" if detail.get("stage") == "preflight" else "by Sage Intacct"
            return f"{detail.get('message') or detail.get('code') or 'not sent'} — refused {where}"
        case EventKind.EXPORTED:
            docs = detail.get("documents", ())
            keys = ", ".join(f"{DOCUMENT_LABELS.get(str(d.get('document_kind')), d.get('document_kind'))} "
                             f"key {d.get('intacct_key')}" for d in docs)
            return keys or "every document is in Sage Intacct"
        case EventKind.EXPORT_SENT:
            docs = detail.get("documents", ())
            return ", ".join(f"{DOCUMENT_LABELS.get(str(d.get('document_kind')), d.get('document_kind'))} "
                             f"(attempt {d.get('attempt')})" for d in docs)
        case EventKind.RETRIED:
            reason = detail.get("int_code") or detail.get("last_int_code") or detail.get("reason")
            return f"after {reason}" if reason else ""
        case EventKind.RECATEGORIZED:
            moved = detail.get("changed", ())
            to = detail.get("category") or names.get(str(detail.get("category_id")), "")
            return f"{len(moved)} expense{'s' if len(moved) != 1 else ''} moved to {to}"
        case EventKind.RECONCILED:
            return "found in Intacct" if detail.get("found") else str(detail.get("decision", "not found"))
        case EventKind.EXPORT_UNCERTAIN | EventKind.EXPORT_QUEUED:
            return str(detail.get("message") or detail.get("trigger") or "")
        case _:
            return ""


def _lines(expenses: Sequence[Expense], view: WorkspaceView, findings: Sequence[Finding]) -> tuple[Line, ...]:
    lines = []
    for number, expense in enumerate(expenses, 1):
        category = view.categories.get(expense.category_id) if expense.category_id else None
        account = ""
        if category is not None:
            account = category.gl_account or (f"expense type {category.expense_type}" if category.expense_type else "")
        card = view.cards.get(expense.card_id) if expense.card_id else None
        card_label = ""
        if card is not None:
            card_label = card.charge_card_account or card.masked_number
        lines.append(Line(number, expense, category.name if category else "(none)", account, card_label,
                          tuple(f for f in findings if f.expense_id == expense.id)))
    return tuple(lines)


def _recategorize(suggestions: Sequence[Suggestion], categories: Sequence[Category]) -> tuple[Recategorize, ...]:
    found = []
    for suggestion in suggestions:
        if suggestion.kind is not SuggestionKind.RECATEGORIZE:
            continue
        suggested_ids = {option.category_id for option in suggestion.categories}
        others = tuple(c for c in categories if c.enabled and c.id not in suggested_ids)
        found.append(Recategorize(suggestion.codes[0], suggestion.expense_ids, suggestion.categories, others))
    return tuple(found)


def _records(attempts: Sequence[ExportAttempt], report: Report) -> tuple[IntacctRecord, ...]:
    return tuple(IntacctRecord(DOCUMENT_LABELS.get(a.document_kind, a.document_kind), a.reference_object,
                               a.intacct_key or "", a.reference)
                 for a in attempts
                 if a.state is AttemptState.EXPORTED and a.export_version == report.export_version)


def load_report_view(session: Session, box: SecretBox, report: Report) -> ReportView:
    """Everything the report page shows; preflight runs here without being recorded in the history."""
    reports = Reports(session)
    expenses = reports.expenses(report.id)
    history = reports.history(report.id)
    attempts = ExportAttempts(session).of_report(report.workspace_id, report.id)
    view = load_view(session, box, report.workspace_id, {report.owner})
    checked = report.state is ReportState.APPROVED
    today = datetime.now(UTC).date()
    findings = preflight(report, expenses, view, export_date=today) if checked else []
    suggestions = suggest(report, expenses, view, findings, export_date=today) if findings else []
    categories = sorted(Coding(session).categories(report.workspace_id, enabled_only=True),
                        key=lambda c: c.name.casefold())
    actors = {e.actor for e in history if e.actor != SYSTEM} | {report.owner}
    names = _user_names(session, actors)
    category_names: dict[CategoryId, str] = {c.id: c.name for c in categories}
    events = tuple(
        Event(e.at, "ledgerbridge (automatic)" if e.actor == SYSTEM else names.get(e.actor, e.actor),
              _EVENT_TITLES.get(e.kind, e.kind.value), _summary(e, category_names),
              e.actor == SYSTEM or bool(e.detail.get("automatic")))
        for e in reversed(history))
    return ReportView(
        report=report,
        owner_name=names.get(report.owner, report.owner),
        lines=_lines(expenses, view, findings),
        report_findings=tuple(f for f in findings if f.expense_id is None),
        checked=checked,
        suggestions=tuple(suggestions),
        banner=_banner(report, history, findings, checked),
        recategorize=_recategorize(suggestions, categories),
        history=events,
        attempts=tuple(attempts),
        records=_records(attempts, report) if report.state in (ReportState.EXPORTED, ReportState.REIMBURSED) else (),
    )


def _user_names(session: Session, ids: set[UserId]) -> dict[str, str]:
    users = Users(session)
    found = {}
    for user_id in ids:
        try:
            found[user_id] = users.get(user_id).name
        except NotFound:
            continue
    return found


__all__ = ["DOCUMENT_LABELS", "Banner", "Event", "IntacctRecord", "Line", "Recategorize", "ReportView",
           "load_report_view", "values_from_message"]
