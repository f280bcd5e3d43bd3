"""Reports, expenses and history as JSON-ready dicts and as Rich tables; amounts stay Decimal text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from ledgerbridge.cli.common import cell, iso, printable
from ledgerbridge.domain import Category, CompanyCard, Expense, HistoryEvent, Money, Report, User
from ledgerbridge.domain.money import total
from ledgerbridge.store import Coding, NotFound, Reports, Users


def totals(expenses: Iterable[Expense]) -> dict[str, Money]:
    """The sum of the expenses in each currency, by currency code."""
    by_currency: dict[str, list[Money]] = {}
    for expense in expenses:
        by_currency.setdefault(expense.amount.currency, []).append(expense.amount)
    return {currency: total(amounts, currency) for currency, amounts in sorted(by_currency.items())}


def totals_text(sums: Mapping[str, Money]) -> str:
    return ", ".join(money.formatted() for money in sums.values()) or "nothing"


@dataclass(frozen=True, slots=True)
class People:
    """Users by id, read once per command so lists do not query per row."""

    by_id: Mapping[str, User]

    @classmethod
    def load(cls, session: Session, ids: Iterable[str]) -> People:
        users = Users(session)
        found: dict[str, User] = {}
        for user_id in set(ids):
            try:
                found[user_id] = users.get(user_id)
            except NotFound:
                continue
        return cls(found)

    def person(self, user_id: str | None) -> dict[str, Any] | None:
        if user_id is None:
            return None
        user = self.by_id.get(user_id)
        if user is None:
            return {"id": user_id, "email": None, "name": None}
        return {"id": user.id, "email": user.email, "name": user.name}

    def label(self, user_id: str | None) -> str:
        if user_id is None:
            return ""
        user = self.by_id.get(user_id)
        return user.email if user is not None else user_id


def report_dict(report: Report, expenses: list[Expense], people: People) -> dict[str, Any]:
    return {
        "id": report.id,
        "workspace_id": report.workspace_id,
        "title": report.title,
        "state": report.state.value,
        "owner": people.person(report.owner),
        "currency": report.currency,
        "created_at": iso(report.created_at),
        "submitted_at": iso(report.submitted_at),
        "submitted_by": report.submitted_by,
        "approved_at": iso(report.approved_at),
        "approved_by": report.approved_by,
        "exported_at": iso(report.exported_at),
        "reimbursed_at": iso(report.reimbursed_at),
        "export_version": report.export_version,
        "export_status": report.export_status,
        "last_int_code": report.last_int_code,
        "expense_count": len(expenses),
        "totals": {currency: money.amount_text for currency, money in totals(expenses).items()},
    }


def expense_dict(
    expense: Expense, categories: Mapping[str, Category], cards: Mapping[str, CompanyCard]
) -> dict[str, Any]:
    category = categories.get(expense.category_id) if expense.category_id else None
    card = cards.get(expense.card_id) if expense.card_id else None
    return {
        "id": expense.id,
        "spent_on": iso(expense.spent_on),
        "merchant": expense.merchant,
        "amount": expense.amount.amount_text,
        "currency": expense.amount.currency,
        "category": None if category is None else {"id": category.id, "name": category.name},
        "tags": dict(expense.tags),
        "payment": expense.payment.value,
        "card": None if card is None else {"id": card.id, "masked_number": card.masked_number},
        "billable": expense.billable,
        "description": expense.description,
        "vendor": expense.vendor,
    }


def event_dict(event: HistoryEvent) -> dict[str, Any]:
    return {"id": event.id, "at": iso(event.at), "actor": event.actor, "kind": event.kind.value,
            "detail": dict(event.detail)}


@dataclass(frozen=True, slots=True)
class ReportDetail:
    """A report with everything `reports show` prints."""

    report: Report
    expenses: list[Expense]
    history: list[HistoryEvent]
    categories: Mapping[str, Category]
    cards: Mapping[str, CompanyCard]
    people: People

    @classmethod
    def load(cls, session: Session, report: Report) -> ReportDetail:
        reports, coding = Reports(session), Coding(session)
        expenses = reports.expenses(report.id)
        history = reports.history(report.id)
        actors = [report.owner, *(e.actor for e in history)]
        return cls(
            report,
            expenses,
            history,
            {c.id: c for c in coding.categories(report.workspace_id)},
            {c.id: c for c in coding.cards(report.workspace_id)},
            People.load(session, actors),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            **report_dict(self.report, self.expenses, self.people),
            "expenses": [expense_dict(e, self.categories, self.cards) for e in self.expenses],
            "history": [event_dict(e) for e in self.history],
        }

    def print(self, console: Console) -> None:
        report = self.report
        heading = Text(printable(report.title), style="bold")
        heading.append(f"  {report.id}", style="dim")
        facts = Text(f"{report.state.value} · owner {self.people.label(report.owner)} · created "
                     f"{report.created_at:%Y-%m-%d %H:%M} UTC · export version {report.export_version}")
        if report.export_status:
            facts.append(f" · export {report.export_status}")
        if report.last_int_code:
            facts.append(f" · {report.last_int_code}", style="bold red")
        console.print(Group(heading, facts, Text(f"Total: {totals_text(totals(self.expenses))}")))
        console.print(self._expense_table())
        console.print(self._history_table())

    def _expense_table(self) -> Table:
        table = Table(title="Expenses")
        for column in ("Date", "Merchant", "Amount", "Category", "Tags", "Payment", "Billable", "Description"):
            table.add_column(column, justify="right" if column == "Amount" else "left")
        for expense in self.expenses:
            category = self.categories.get(expense.category_id) if expense.category_id else None
            card = self.cards.get(expense.card_id) if expense.card_id else None
            payment = f"card {card.masked_number}" if card is not None else expense.payment.value
            tags = ", ".join(f"{dim.lower()}={code}" for dim, code in sorted(expense.tags.items()))
            table.add_row(
                iso(expense.spent_on), cell(expense.merchant), expense.amount.formatted(),
                cell(category.name if category else ""), cell(tags), payment,
                "yes" if expense.billable else "no", cell(expense.description),
            )
        return table

    def _history_table(self) -> Table:
        table = Table(title="History")
        for column in ("When (UTC)", "Who", "What", "Detail"):
            table.add_column(column)
        for event in self.history:
            detail = ", ".join(f"{key}={value}" for key, value in event.detail.items())
            table.add_row(f"{event.at:%Y-%m-%d %H:%M:%S}", cell(self.people.label(event.actor)),
                          event.kind.value, cell(detail))
        return table
