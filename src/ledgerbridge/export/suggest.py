"""Fix suggestions: what the data allows doing about preflight's findings, as typed, actionable values.

For a restricted, missing or under-dimensioned account (INT860, INT459, INT073, INT304, INT083) the
categories whose accounts take the lines; for a closed period (INT035, INT771) switching the export date
to the exported date when that date is open; for billable trouble (INT194) clearing the flag; and the
Sync Now and Retry actions every Intacct-side fix ends with.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from ledgerbridge.catalog import Action
from ledgerbridge.domain.connection import ExportDate
from ledgerbridge.domain.ids import ExpenseId
from ledgerbridge.domain.reports import Expense, Report
from ledgerbridge.export.preflight import Finding, build
from ledgerbridge.export.preflight.context import ReportContext
from ledgerbridge.export.preflight.lines import check_line, closed_until
from ledgerbridge.export.suggest_categories import (
    CategoryOption,
    UnknownExpenses,
    rank,
    recategorize,
    valid_categories,
)
from ledgerbridge.export.view import WorkspaceView

RECATEGORIZE_CODES: Final = ("INT860", "INT459", "INT073", "INT304", "INT083")
"""Codes a different category can resolve, in the order their suggestions are listed."""

PERIOD_CODES: Final = frozenset({"INT035", "INT771"})


class SuggestionKind(enum.StrEnum):
    RECATEGORIZE = "recategorize"
    SWITCH_EXPORT_DATE = "switch_export_date"
    CLEAR_BILLABLE = "clear_billable"
    SYNC_NOW = "sync_now"
    RETRY_EXPORT = "retry_export"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One thing the user can do in one step, the codes it answers and the expenses it touches."""

    kind: SuggestionKind
    title: str
    codes: tuple[str, ...]
    expense_ids: tuple[ExpenseId, ...] = ()
    categories: tuple[CategoryOption, ...] = ()
    """For RECATEGORIZE: the categories that fit, best first."""
    setting: str | None = None
    value: str | None = None
    """For a settings change: which setting, and the value to set."""
    action: Action | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "title": self.title,
            "codes": list(self.codes),
            "expense_ids": list(self.expense_ids),
            "categories": [option.as_dict() for option in self.categories],
            "setting": self.setting,
            "value": self.value,
            "action": None if self.action is None else self.action.value,
        }


def _recategorize(ctx: ReportContext, expenses: Sequence[Expense], findings: Sequence[Finding]) -> list[Suggestion]:
    by_id = {expense.id: expense for expense in expenses}
    groups: dict[tuple[str, tuple[CategoryOption, ...]], list[ExpenseId]] = {}
    options_of: dict[ExpenseId, tuple[CategoryOption, ...]] = {}
    for code in RECATEGORIZE_CODES:
        for item in findings:
            expense = by_id.get(item.expense_id) if item.expense_id is not None else None
            if item.code != code or expense is None:
                continue
            if expense.id not in options_of:
                options_of[expense.id] = valid_categories(ctx, expense)
            options = options_of[expense.id]
            if options:
                ids = groups.setdefault((code, options), [])
                if expense.id not in ids:
                    ids.append(expense.id)
    suggestions = []
    for (code, options), ids in groups.items():
        suggestions.append(Suggestion(
            SuggestionKind.RECATEGORIZE,
            f"Move {len(ids)} expense{'s' if len(ids) > 1 else ''} to {options[0].name} (account "
            f"{options[0].account_no}) or another category that fits",
            (code,), tuple(ids), options))
    return suggestions


def _switch_export_date(ctx: ReportContext, findings: Sequence[Finding]) -> list[Suggestion]:
    closed = [item for item in findings if item.code in PERIOD_CODES and item.expense_id is None]
    if not closed or ctx.view.settings.export_date is ExportDate.EXPORTED or ctx.export_date is None:
        return []
    entities = {ctx.entity}
    for document in ctx.documents.values():
        entities |= document.entities
    if closed_until(ctx, entities, ctx.export_date) is not None:
        return []  # today's date is closed too: switching would not help
    return [Suggestion(
        SuggestionKind.SWITCH_EXPORT_DATE,
        "Date exports by the day they are exported, which falls in an open period",
        tuple(dict.fromkeys(item.code for item in closed)),
        setting="export_date", value=ExportDate.EXPORTED.value)]


def _clear_billable(findings: Sequence[Finding]) -> list[Suggestion]:
    ids = tuple(dict.fromkeys(item.expense_id for item in findings
                              if item.code == "INT194" and item.expense_id is not None))
    if not ids:
        return []
    return [Suggestion(SuggestionKind.CLEAR_BILLABLE, "Mark the expenses as not billable", ("INT194",), ids)]


def _sync_and_retry(findings: Sequence[Finding]) -> list[Suggestion]:
    blocking = [item for item in findings if item.blocking]
    if not blocking:
        return []
    suggestions = []
    needing_sync = tuple(dict.fromkeys(item.code for item in findings
                                       if any(path.needs_sync for path in item.fixes)))
    if needing_sync:
        suggestions.append(Suggestion(
            SuggestionKind.SYNC_NOW, "Sync Now, after fixing the records in Sage Intacct", needing_sync,
            action=Action.SYNC_NOW))
    suggestions.append(Suggestion(
        SuggestionKind.RETRY_EXPORT, "Retry the export", tuple(dict.fromkeys(item.code for item in blocking)),
        action=Action.RETRY_EXPORT))
    return suggestions


def suggest(
    report: Report,
    expenses: Sequence[Expense],
    view: WorkspaceView,
    findings: Sequence[Finding],
    *,
    export_date: date | None = None,
    owner_email: str | None = None,
) -> list[Suggestion]:
    """Suggestions for `findings` of this report: changes to the report or settings first, then Sync Now, Retry."""
    ctx = build(report, view, export_date, owner_email)
    _collect_documents(ctx, expenses)
    return [
        *_recategorize(ctx, expenses, findings),
        *_switch_export_date(ctx, findings),
        *_clear_billable(findings),
        *_sync_and_retry(findings),
    ]


def categories_for(
    report: Report, expense: Expense, view: WorkspaceView, *, owner_email: str | None = None
) -> tuple[CategoryOption, ...]:
    """The categories one expense could move to, best first."""
    return valid_categories(build(report, view, None, owner_email), expense)


def _collect_documents(ctx: ReportContext, expenses: Sequence[Expense]) -> None:
    # The entities each document posts in decide whether another export date would be open.
    scratch: list[Finding] = []
    for line, expense in enumerate(expenses, 1):
        check_line(ctx, expense, line, scratch)


__all__ = [
    "CategoryOption",
    "Suggestion",
    "SuggestionKind",
    "UnknownExpenses",
    "categories_for",
    "rank",
    "recategorize",
    "suggest",
    "valid_categories",
]
