"""Recategorize: move chosen expenses of an approved report to another category, then preflight it again.

The fix INT860 (and INT459, INT073, INT304, INT083) suggests when another category's GL account takes the
lines. Only reports that are approved and not yet in Sage Intacct (never sent, or failed) can be
recategorized; the change, who made it, the categories before and after and the INT code that prompted it
go into the report's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from ledgerbridge.domain import SYSTEM, Action, EventKind, HistoryEvent, ReportState, can, new_id
from ledgerbridge.domain.coding import Category, IntacctState
from ledgerbridge.domain.ids import CategoryId, ExpenseId, ReportId, WorkspaceId
from ledgerbridge.domain.reports import Actor, Expense, Report
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.export.deliver_outcome import PreflightResult
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.export.preflight import Finding, preflight
from ledgerbridge.export.suggest import RECATEGORIZE_CODES, SuggestionKind, suggest
from ledgerbridge.export.suggest_categories import UnknownExpenses, recategorize
from ledgerbridge.export.view import WorkspaceView
from ledgerbridge.store import Coding, Database, NotFound, Reports, SecretBox, Workspaces

RECATEGORIZABLE_STATUSES: Final = frozenset({None, "failed"})
"""Export statuses of an approved report that allow recategorizing: never sent, or refused."""


class RecategorizeError(Exception):
    """Why a recategorization was refused; nothing was changed."""


class NotAllowed(RecategorizeError):
    """The actor's role in the workspace does not allow recategorizing."""


class NotRecategorizable(RecategorizeError):
    """The report is not approved-and-not-exported, or not failed: its expenses cannot change now."""

    def __init__(self, report: Report) -> None:
        status = f" ({report.export_status})" if report.export_status else ""
        super().__init__(f"report {report.id} is {report.state.value}{status}; only approved reports that are not "
                         "exported, or whose export failed, can be recategorized")
        self.state = report.state
        self.export_status = report.export_status


class UnusableCategory(RecategorizeError):
    """The target category is disabled, or no longer in Sage Intacct as last synced."""


class NothingToMove(RecategorizeError):
    """No expenses were named and no suggestion of this category covers any."""


@dataclass(frozen=True, slots=True)
class Move:
    """One expense moved from one category to another."""

    expense_id: ExpenseId
    from_category_id: CategoryId | None
    from_category: str | None
    to_category_id: CategoryId
    to_category: str

    def as_dict(self) -> dict[str, Any]:
        return {"expense_id": self.expense_id, "from_category_id": self.from_category_id,
                "from_category": self.from_category, "to_category_id": self.to_category_id,
                "to_category": self.to_category}


@dataclass(frozen=True, slots=True)
class Recategorized:
    """What changed, what was already in the category, the code that prompted it, and the new preflight."""

    report_id: ReportId
    category: Category
    moves: tuple[Move, ...]
    unchanged: tuple[ExpenseId, ...]
    int_code: str | None
    preflight: PreflightResult

    def as_dict(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "category_id": self.category.id,
            "category": self.category.name,
            "int_code": self.int_code,
            "moved": [move.as_dict() for move in self.moves],
            "unchanged": list(self.unchanged),
            "preflight": self.preflight.as_dict(),
        }


def _now() -> datetime:
    return datetime.now(UTC)


class Recategorizer:
    """Changes the category of a report's expenses, records why in its history, and preflights it again."""

    def __init__(self, database: Database, box: SecretBox) -> None:
        self.database = database
        self.box = box

    def recategorize(
        self,
        workspace_id: WorkspaceId,
        report_id: ReportId,
        category_id: CategoryId,
        actor: Actor,
        *,
        expense_ids: Sequence[ExpenseId] | None = None,
        int_code: str | None = None,
    ) -> Recategorized:
        """Move `expense_ids` (default: every expense a suggestion for `category_id` covers) to the category.

        `actor` is a user of the workspace (whose role must allow recategorizing) or `SYSTEM` for operators.
        `int_code` names the code that prompted the change; by default the report's last export failure,
        else the code preflight reported on the moved expenses.
        """
        with self.database.session() as session:
            self._check_actor(session, workspace_id, actor)
            reports = Reports(session)
            report = reports.get(workspace_id, report_id)
            _check_state(report)
            category = _usable_category(session, workspace_id, category_id)
            expenses = reports.expenses(report_id)
            view = load_view(session, self.box, workspace_id, {report.owner})
        today = _now().date()
        findings = preflight(report, expenses, view, export_date=today)
        if expense_ids is None:
            expense_ids = _suggested(report, expenses, view, findings, category_id, today)
        chosen = list(dict.fromkeys(expense_ids))
        if not chosen:
            raise NothingToMove(f"name the expenses to move to {category.name!r}; no suggestion for report "
                                f"{report_id} lists that category")
        moved_expenses, _ = recategorize(expenses, chosen, category_id)
        code = int_code or report.last_int_code or _prompting_code(findings, chosen)
        names = {item.id: item.name for item in view.categories.values()}
        before = {expense.id: expense for expense in expenses}
        moves = tuple(
            Move(expense.id, before[expense.id].category_id, names.get(before[expense.id].category_id or ""),
                 category.id, category.name)
            for expense in moved_expenses if before[expense.id].category_id != expense.category_id)
        unchanged = tuple(expense_id for expense_id in chosen if expense_id not in {m.expense_id for m in moves})
        if moves:
            self._save(workspace_id, report, moved_expenses, moves, unchanged, category, code, actor)
        result = ExportService(self.database, self.box).preflight(workspace_id, report_id, actor)
        return Recategorized(report_id, category, moves, unchanged, code, result)

    def _check_actor(self, session: Session, workspace_id: WorkspaceId, actor: Actor) -> None:
        if actor == SYSTEM:
            return
        role = Workspaces(session).role_of(workspace_id, actor)
        if role is None:
            raise NotFound("workspace", workspace_id)
        if not can(role, Action.RECATEGORIZE):
            raise NotAllowed(f"the role {role.value} does not allow recategorizing expenses")

    def _save(self, workspace_id: WorkspaceId, report: Report, expenses: Sequence[Expense], moves: Sequence[Move],
              unchanged: Sequence[ExpenseId], category: Category, code: str | None, actor: Actor) -> None:
        moved = {move.expense_id for move in moves}
        with self.database.session() as session:
            reports = Reports(session)
            # Read again inside the writing transaction: an export may have claimed the report meanwhile.
            current = reports.get(workspace_id, report.id)
            _check_state(current)
            for expense in expenses:
                if expense.id in moved:
                    reports.save_expense(expense)
            reports.record(HistoryEvent(new_id(), report.id, _now(), actor, EventKind.RECATEGORIZED, {
                "category_id": category.id,
                "category": category.name,
                "int_code": code,
                "changed": [{"expense_id": m.expense_id, "from": m.from_category_id, "from_name": m.from_category,
                             "to": m.to_category_id, "to_name": m.to_category} for m in moves],
                "unchanged": list(unchanged),
            }))


def _check_state(report: Report) -> None:
    if report.state is not ReportState.APPROVED or report.export_status not in RECATEGORIZABLE_STATUSES:
        raise NotRecategorizable(report)


def _usable_category(session: Session, workspace_id: WorkspaceId, category_id: CategoryId) -> Category:
    category = Coding(session).category(workspace_id, category_id)
    if not category.enabled:
        raise UnusableCategory(f"category {category.name!r} is disabled")
    if category.intacct_state is not IntacctState.OK:
        raise UnusableCategory(f"category {category.name!r} is {category.intacct_state.value} in Sage Intacct as "
                               "last synced")
    return category


def _suggested(report: Report, expenses: Sequence[Expense], view: WorkspaceView, findings: Sequence[Finding],
               category_id: CategoryId, today: date) -> list[ExpenseId]:
    """Every expense a recategorize suggestion lists `category_id` for."""
    found: list[ExpenseId] = []
    for suggestion in suggest(report, expenses, view, findings, export_date=today):
        if suggestion.kind is SuggestionKind.RECATEGORIZE and any(
                option.category_id == category_id for option in suggestion.categories):
            found.extend(suggestion.expense_ids)
    return list(dict.fromkeys(found))


def _prompting_code(findings: Sequence[Finding], expense_ids: Sequence[ExpenseId]) -> str | None:
    """The first code a different category answers among the findings on the moved expenses."""
    wanted = set(expense_ids)
    codes = {item.code for item in findings if item.expense_id in wanted}
    return next((code for code in RECATEGORIZE_CODES if code in codes), None)


__all__ = [
    "Move",
    "NotAllowed",
    "NotRecategorizable",
    "NothingToMove",
    "RecategorizeError",
    "Recategorized",
    "Recategorizer",
    "UnknownExpenses",
    "UnusableCategory",
]
