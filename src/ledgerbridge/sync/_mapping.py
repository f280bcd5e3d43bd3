"""From the synced snapshot to the workspace's categories and tags: pure decisions, no I/O."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ledgerbridge.domain import (
    TOP_LEVEL,
    CategoriesFrom,
    Category,
    ConnectionSettings,
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctState,
    Origin,
    Tag,
    new_id,
)
from ledgerbridge.domain.ids import WorkspaceId

INCOME_STATEMENT = "incomestatement"


@dataclass(frozen=True, slots=True)
class Standing:
    """Whether the workspace can post to a record, and why not."""

    state: IntacctState
    note: str = ""


OK = Standing(IntacctState.OK)


@dataclass(slots=True)
class Changes:
    """Categories or tags to add and to save, and how many of the saves disable one."""

    added: list[Category | Tag] = field(default_factory=list)
    saved: list[Category | Tag] = field(default_factory=list)
    disabled: int = 0


def account_standing(
    account: IntacctAccount | None, account_no: str, entity: str, offsets: Mapping[str, str]
) -> Standing:
    """Why an expense line could not post to the account from `entity` (the connection's), if it could not."""
    if account is None:
        return Standing(IntacctState.MISSING, f"account {account_no} is not in Intacct")
    if not account.active:
        return Standing(IntacctState.INACTIVE, f"account {account_no} is inactive")
    if account.entity and account.entity != entity:
        return Standing(IntacctState.RESTRICTED, f"account {account_no} belongs to entity {account.entity}")
    if account_no in offsets:
        return Standing(
            IntacctState.RESTRICTED, f"account {account_no} is the offset account of charge card {offsets[account_no]}"
        )
    return OK


def expense_type_standing(
    expense_type: IntacctExpenseType | None,
    name: str,
    accounts: Mapping[str, IntacctAccount],
    entity: str,
    offsets: Mapping[str, str],
) -> Standing:
    if expense_type is None:
        return Standing(IntacctState.MISSING, f"expense type {name} is not in Intacct")
    if not expense_type.active:
        return Standing(IntacctState.INACTIVE, f"expense type {name} is inactive")
    if expense_type.entity and expense_type.entity != entity:
        return Standing(IntacctState.RESTRICTED, f"expense type {name} belongs to entity {expense_type.entity}")
    if expense_type.gl_account is None:
        return OK
    behind = account_standing(accounts.get(expense_type.gl_account), expense_type.gl_account, entity, offsets)
    if behind.state is IntacctState.OK:
        return OK
    return Standing(behind.state, f"{behind.note} (expense type {name} posts to it)")


def card_offsets(cards: Iterable[IntacctCardAccount]) -> dict[str, str]:
    """Offset (liability) account -> the first card that credits it."""
    offsets: dict[str, str] = {}
    for card in sorted(cards, key=lambda c: c.card_id):
        if card.offset_account:
            offsets.setdefault(card.offset_account, card.card_id)
    return offsets


def _apply(current: Category, standing: Standing, *, name: str | None = None) -> Category:
    """A category after the sync: unusable ones are disabled; ones sync disabled come back when usable again."""
    enabled = current.enabled
    if standing.state in (IntacctState.INACTIVE, IntacctState.MISSING):
        enabled = False
    elif current.intacct_state in (IntacctState.INACTIVE, IntacctState.MISSING) and current.origin is Origin.INTACCT:
        enabled = True
    new_name = name if name is not None and current.origin is Origin.INTACCT else current.name
    if (new_name, enabled, standing.state, standing.note) == (
        current.name, current.enabled, current.intacct_state, current.intacct_note
    ):
        return current  # the common case on a later sync: nothing to change
    return dataclasses.replace(
        current, name=new_name, enabled=enabled, intacct_state=standing.state, intacct_note=standing.note
    )


def plan_categories(
    workspace_id: WorkspaceId,
    settings: ConnectionSettings,
    existing: Sequence[Category],
    accounts: Mapping[str, IntacctAccount],
    expense_types: Mapping[str, IntacctExpenseType],
    cards: Iterable[IntacctCardAccount],
) -> Changes:
    """Create, update and disable categories so they follow Intacct; nothing is ever deleted."""
    entity = settings.entity or TOP_LEVEL
    offsets = card_offsets(cards)
    by_expense_type = settings.categories_from is CategoriesFrom.EXPENSE_TYPES
    wanted: dict[tuple[str, str], tuple[str, Standing]] = {}
    if by_expense_type:
        for name, expense_type in expense_types.items():
            standing = expense_type_standing(expense_type, name, accounts, entity, offsets)
            if expense_type.active:
                wanted[("expense_type", name)] = (name, standing)
    else:
        for account_no, account in accounts.items():
            if account.account_type == INCOME_STATEMENT and account.active:
                wanted[("gl_account", account_no)] = (account.title or account_no,
                                                      account_standing(account, account_no, entity, offsets))
    changes = Changes()
    taken = {category.name for category in existing}
    matched: set[tuple[str, str]] = set()
    for category in existing:
        if category.expense_type is not None:
            key = ("expense_type", category.expense_type)
            standing = expense_type_standing(expense_types.get(category.expense_type), category.expense_type,
                                             accounts, entity, offsets)
        elif category.gl_account is not None:
            key = ("gl_account", category.gl_account)
            standing = account_standing(accounts.get(category.gl_account), category.gl_account, entity, offsets)
        else:
            continue
        matched.add(key)
        rename: str | None = None
        if key in wanted and (wanted[key][0] == category.name or wanted[key][0] not in taken):
            rename = wanted[key][0]
        elif category.origin is Origin.INTACCT and standing.state is IntacctState.OK:
            # An imported category of the source not imported any more (the setting changed).
            standing = Standing(IntacctState.OK, "not imported: categories come from "
                                + ("expense types" if by_expense_type else "the chart of accounts"))
        updated = _apply(category, standing, name=rename)
        if key not in wanted and category.origin is Origin.INTACCT and standing.note.startswith("not imported"):
            updated = dataclasses.replace(updated, enabled=False)
        if updated != category:
            changes.saved.append(updated)
            if category.enabled and not updated.enabled:
                changes.disabled += 1
    for key, (name, standing) in sorted(wanted.items()):
        if key in matched:
            continue
        unique = name if name not in taken else f"{name} ({key[1]})"
        taken.add(unique)
        changes.added.append(Category(
            id=new_id(),
            workspace_id=workspace_id,
            name=unique,
            gl_account=key[1] if key[0] == "gl_account" else None,
            expense_type=key[1] if key[0] == "expense_type" else None,
            enabled=standing.state not in (IntacctState.INACTIVE, IntacctState.MISSING),
            origin=Origin.INTACCT,
            intacct_state=standing.state,
            intacct_note=standing.note,
        ))
    return changes


def value_standing(value: IntacctDimensionValue | None, entity: str) -> IntacctState:
    if value is None:
        return IntacctState.MISSING
    if not value.active:
        return IntacctState.INACTIVE
    owner = str(value.extra.get("entity") or value.entity or "")
    if entity and owner and owner != entity:
        return IntacctState.RESTRICTED
    return IntacctState.OK


def plan_tags(
    workspace_id: WorkspaceId,
    dimension: str,
    settings: ConnectionSettings,
    existing: Sequence[Tag],
    values: Mapping[str, IntacctDimensionValue],
) -> Changes:
    """Tags of one imported dimension: one per value; inactive or vanished values are disabled, not deleted."""
    entity = settings.entity or TOP_LEVEL
    changes = Changes()
    known = {tag.code: tag for tag in existing}
    for code, tag in known.items():
        state = value_standing(values.get(code), entity)
        enabled = tag.enabled
        if state in (IntacctState.INACTIVE, IntacctState.MISSING):
            enabled = False
        elif tag.intacct_state in (IntacctState.INACTIVE, IntacctState.MISSING) and tag.origin is Origin.INTACCT:
            enabled = True
        value = values.get(code)
        name = value.name if value is not None and value.name and tag.origin is Origin.INTACCT else tag.name
        updated = dataclasses.replace(tag, enabled=enabled, intacct_state=state, name=name)
        if updated != tag:
            changes.saved.append(updated)
            if tag.enabled and not updated.enabled:
                changes.disabled += 1
    for code, value in sorted(values.items()):
        if code in known or not value.active:
            continue
        changes.added.append(Tag(
            id=new_id(),
            workspace_id=workspace_id,
            dimension=dimension,
            code=code,
            name=value.name or code,
            origin=Origin.INTACCT,
            intacct_state=value_standing(value, entity),
        ))
    return changes


def flag_duplicate_emails(employees: Iterable[IntacctEmployee]) -> list[IntacctEmployee]:
    """Employees whose duplicate flag is wrong, corrected; emails compare exactly, as Intacct does."""
    listed = list(employees)
    counts: dict[str, int] = {}
    for employee in listed:
        if employee.email:
            counts[employee.email] = counts.get(employee.email, 0) + 1
    corrected = []
    for employee in listed:
        duplicate = bool(employee.email) and counts[employee.email] > 1
        if employee.duplicate_email != duplicate:
            corrected.append(dataclasses.replace(employee, duplicate_email=duplicate))
    return corrected

