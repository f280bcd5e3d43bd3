"""Categories a line could move to: those whose GL account takes the line, nearest to the current one first."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ledgerbridge.domain.coding import IntacctState
from ledgerbridge.domain.ids import AccountNo, CategoryId, ExpenseId
from ledgerbridge.domain.reports import Expense, Payment
from ledgerbridge.domain.snapshot import IntacctAccount, IntacctCardAccount
from ledgerbridge.export.preflight import ReportContext, coding_findings
from ledgerbridge.export.preflight.indexes import Coding

_USABLE_STATES: Final = frozenset({IntacctState.OK})
_FAR: Final = 10**12


@dataclass(frozen=True, slots=True)
class CategoryOption:
    """A category a line can be moved to, and the GL account it would post to."""

    category_id: CategoryId
    name: str
    account_no: AccountNo
    account_title: str
    expense_type: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _card_account(ctx: ReportContext, expense: Expense) -> IntacctCardAccount | None:
    if expense.payment is not Payment.COMPANY_CARD:
        return None
    card = ctx.view.cards.get(expense.card_id) if expense.card_id else None
    account_id = (card.charge_card_account if card is not None else None) or \
        ctx.view.settings.default_charge_card_account
    return ctx.view.card_accounts.get(account_id) if account_id else None


def _reference_account(ctx: ReportContext, expense: Expense) -> AccountNo | None:
    """The account the line's current category points at, even when that account can't be used."""
    if expense.category_id is None:
        return None
    coding = ctx.indexes.coding(expense.category_id)
    if coding.account is not None:
        return coding.account.account_no
    category = coding.category
    if category is None:
        return None
    if category.expense_type is not None:
        expense_type = ctx.view.expense_types.get(category.expense_type)
        return expense_type.gl_account if expense_type is not None else None
    return category.gl_account


def _distance(a: AccountNo, b: AccountNo) -> int:
    if a.isdigit() and b.isdigit():
        return abs(int(a) - int(b))
    return _FAR


def rank(options: Iterable[tuple[CategoryOption, IntacctAccount]], reference: IntacctAccount | None,
         reference_no: AccountNo | None) -> tuple[CategoryOption, ...]:
    """Same account type first, then the nearest account number, then the category name."""
    def key(item: tuple[CategoryOption, IntacctAccount]) -> tuple[bool, int, str, str]:
        option, account = item
        other_type = reference is not None and account.account_type != reference.account_type
        distance = _distance(option.account_no, reference_no) if reference_no else _FAR
        return (other_type, distance, option.name.casefold(), option.category_id)

    return tuple(option for option, _ in sorted(options, key=key))


def _candidates(ctx: ReportContext) -> list[Coding]:
    return [ctx.indexes.coding(category.id) for category in ctx.view.categories.values()
            if category.enabled and category.intacct_state in _USABLE_STATES]


def valid_categories(ctx: ReportContext, expense: Expense) -> tuple[CategoryOption, ...]:
    """Categories whose accounts take this line in its entity, with its dimensions and card, ranked."""
    card_account = _card_account(ctx, expense)
    fits: list[tuple[CategoryOption, IntacctAccount]] = []
    for coding in _candidates(ctx):
        account = coding.account
        if account is None or coding.category_id == expense.category_id:
            continue
        if coding_findings(ctx, expense, coding, card_account):
            continue
        category = coding.category
        option = CategoryOption(coding.category_id, coding.name, account.account_no, account.title,
                                category.expense_type if category is not None else None)
        fits.append((option, account))
    reference_no = _reference_account(ctx, expense)
    reference = ctx.view.accounts.get(reference_no) if reference_no else None
    return rank(fits, reference, reference_no)


class UnknownExpenses(ValueError):
    """Expenses asked to be recategorized that are not on the report."""


def recategorize(
    expenses: Sequence[Expense], expense_ids: Iterable[ExpenseId], category_id: CategoryId
) -> tuple[tuple[Expense, ...], dict[str, Any]]:
    """The expenses with the chosen ones moved to `category_id`, and a history detail of what changed."""
    wanted = list(dict.fromkeys(expense_ids))
    present = {expense.id for expense in expenses}
    missing = [expense_id for expense_id in wanted if expense_id not in present]
    if missing:
        raise UnknownExpenses(f"not on the report: {', '.join(missing)}")
    chosen = set(wanted)
    changes: list[dict[str, str | None]] = []
    result: list[Expense] = []
    for expense in expenses:
        if expense.id in chosen and expense.category_id != category_id:
            changes.append({"expense_id": expense.id, "from": expense.category_id, "to": category_id})
            expense = dataclasses.replace(expense, category_id=category_id)
        result.append(expense)
    unchanged = [expense_id for expense_id in wanted if expense_id not in {c["expense_id"] for c in changes}]
    detail: dict[str, Any] = {"category_id": category_id, "changed": changes, "unchanged": unchanged}
    return tuple(result), detail


__all__ = ["CategoryOption", "UnknownExpenses", "rank", "recategorize", "valid_categories"]
