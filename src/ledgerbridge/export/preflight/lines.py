"""Checks of one expense line: its card, category, GL account, tags, billable flag, vendor and date."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Final

from ledgerbridge.domain.ids import LOCATION, Dimension, DimensionValueId, EntityId
from ledgerbridge.domain.reports import Expense, Payment
from ledgerbridge.domain.snapshot import IntacctCardAccount
from ledgerbridge.export.context import ExportType
from ledgerbridge.export.preflight import conditions
from ledgerbridge.export.preflight.accounts import missing_dimensions, restrictions
from ledgerbridge.export.preflight.context import ReportContext, dimension_label, expense_label, intacct_date
from ledgerbridge.export.preflight.finding import Finding, finding
from ledgerbridge.export.preflight.indexes import Coding

CODING_CODES: Final = frozenset({"INT459", "INT084", "INT860", "INT073"})
"""Findings about a line's coding; on a zero-amount line they are reported as one INT304."""

# Every line compares against these; a module name is read faster than an enum member.
_COMPANY_CARD: Final = Payment.COMPANY_CARD
_EXPENSE_REPORT: Final = ExportType.EXPENSE_REPORT
_VENDOR_BILL: Final = ExportType.VENDOR_BILL
_CREDIT_CARD_CHARGE: Final = ExportType.CREDIT_CARD_CHARGE


def closed_until(ctx: ReportContext, entities: Iterable[EntityId], day: date) -> date | None:
    """The first open date when `day` falls in a closed period of any of `entities` (or the top level)."""
    closed = ctx.indexes.closed_through
    if not closed:
        return None
    latest: date | None = None
    for entity in (*entities, ""):
        through = closed.get(entity)
        if through is not None and day <= through and (latest is None or through > latest):
            latest = through
    return None if latest is None else latest + timedelta(days=1)


def _card_account(ctx: ReportContext, expense: Expense, out: list[Finding]) -> IntacctCardAccount | None:
    """The charge card account a company card line posts against; findings when there is none usable."""
    card = ctx.view.cards.get(expense.card_id) if expense.card_id else None
    account_id = (card.charge_card_account if card is not None else None) or \
        ctx.view.settings.default_charge_card_account
    shown = card.masked_number if card is not None else None
    if account_id is None:
        out.append(finding(conditions.CARD_NOT_MAPPED, expense.id, card=shown,
                           detail="neither the card nor the workspace names a charge card account"))
        return None
    account = ctx.view.card_accounts.get(account_id)
    if account is None:
        out.append(finding(conditions.CARD_NOT_MAPPED, expense.id, card=shown or account_id,
                           detail=f"charge card account {account_id} isn't in Sage Intacct as last synced"))
        return None
    if not account.active:
        out.append(finding(conditions.CARD_INACTIVE, expense.id, card=account_id))
    if account.expires is not None and expense.spent_on > account.expires:
        out.append(finding("INT093", expense.id, card=account_id,
                           detail=f"card {account_id} expired on {intacct_date(account.expires)}; the charge is "
                           f"dated {intacct_date(expense.spent_on)}"))
    return account


def _coding(
    ctx: ReportContext,
    expense: Expense,
    coding: Coding,
    export_type: ExportType,
    entity: EntityId,
    dimensions: Mapping[Dimension, DimensionValueId],
    card: str | None,
    out: list[Finding],
) -> None:
    """Findings about the account a category leads to, for this line's entity, dimensions and card."""
    if coding.problem:
        out.append(finding("INT459", expense.id, category=coding.name, detail=coding.problem))
        return
    account = coding.account
    if account is None:
        return
    for restriction, detail, offset_card in restrictions(
            account, export_type, entity, dimensions, ctx.view.offset_accounts):
        out.append(finding("INT860", expense.id, account=account.account_no, card=offset_card or card,
                           category=coding.name, detail=detail, restriction=restriction))
    if account.required_dimensions:
        for dimension in missing_dimensions(account, export_type, dimensions):
            out.append(finding("INT073", expense.id, dimension=dimension_label(dimension),
                               account=account.account_no,
                               detail=f"account {account.account_no} requires a {dimension_label(dimension)}"))
    if expense.billable and ctx.billable_on and account.account_type == "balancesheet":
        out.append(finding("INT083", expense.id, category=coding.name,
                           detail=f"account {account.account_no} is a balance sheet account"))


def coding_findings(
    ctx: ReportContext, expense: Expense, coding: Coding, card_account: IntacctCardAccount | None = None
) -> list[Finding]:
    """What a line's category and account would be refused for: used to test other categories for a line."""
    export_type = ctx.company_card_as if expense.payment is Payment.COMPANY_CARD else ctx.reimbursable_as
    entity = _posting_entity(ctx, export_type, card_account)
    dimensions = _dimensions(ctx, expense)
    entity = _line_entity(ctx, dimensions, entity)
    out: list[Finding] = []
    card = card_account.card_id if card_account is not None else None
    _coding(ctx, expense, coding, export_type, entity, dimensions, card, out)
    return out


def _posting_entity(ctx: ReportContext, export_type: ExportType, card: IntacctCardAccount | None) -> EntityId:
    # A charge posts in its card's entity; every other document in the connection's entity.
    if export_type is ExportType.CREDIT_CARD_CHARGE and card is not None:
        return card.entity
    return ctx.entity


def _dimensions(ctx: ReportContext, expense: Expense) -> Mapping[Dimension, DimensionValueId]:
    if ctx.employee_defaults:
        return {**ctx.employee_defaults, **expense.tags}
    return expense.tags


def _line_entity(ctx: ReportContext, dimensions: Mapping[Dimension, DimensionValueId], entity: EntityId) -> EntityId:
    location = dimensions.get(LOCATION)
    if location:
        return ctx.indexes.location_entity.get(location, entity)
    return entity


def check_line(ctx: ReportContext, expense: Expense, line: int, out: list[Finding]) -> None:
    """Append every finding about one expense line to `out`."""
    card_line = expense.payment is _COMPANY_CARD
    export_type = ctx.company_card_as if card_line else ctx.reimbursable_as
    card_account: IntacctCardAccount | None = None
    if card_line and export_type is not _VENDOR_BILL:
        card_account = _card_account(ctx, expense, out)
    entity = _posting_entity(ctx, export_type, card_account)
    dimensions = _dimensions(ctx, expense)
    entity = _line_entity(ctx, dimensions, entity)
    indexes = ctx.indexes

    if export_type is _EXPENSE_REPORT:
        _empty_location(ctx, expense, line, dimensions, out)
    coding_from = len(out)
    category_id = expense.category_id
    if category_id is None:
        out.append(finding("INT680", expense.id, expense=expense_label(expense)))
    else:
        card = card_account.card_id if card_account is not None else None
        _coding(ctx, expense, indexes.coding(category_id), export_type, entity, dimensions, card, out)
    tags = expense.tags
    if tags:
        tag_is_stale = indexes.tag_is_stale
        for dimension, code in tags.items():
            if tag_is_stale(dimension, code):
                out.append(finding("INT084", expense.id, line=str(line), tag=code,
                                   detail=f"{dimension_label(dimension)} {code} is inactive or not in Sage Intacct"))
    if len(out) > coding_from and not expense.amount.amount:
        _zero_amount(expense, coding_from, out)

    if expense.billable and not ctx.billable_on:
        out.append(finding("INT194", expense.id, expense=expense_label(expense)))
    if export_type is _VENDOR_BILL:
        _vendor(ctx, expense, card_line, out)
    elif export_type is _CREDIT_CARD_CHARGE:
        # Each charge carries its own transaction date.
        if card_account is not None:
            opens = closed_until(ctx, (entity, card_account.entity), expense.spent_on)
            if opens is not None:
                out.append(finding("INT035", expense.id, open_from=intacct_date(opens),
                                   detail=f"the charge is dated {intacct_date(expense.spent_on)}"))
        return
    document = ctx.document(export_type)
    document.lines += 1
    document.entities.add(entity)
    if document.last_expense is None or expense.spent_on > document.last_expense:
        document.last_expense = expense.spent_on
    if export_type is _EXPENSE_REPORT:
        document.total += expense.amount.amount


def _empty_location(ctx: ReportContext, expense: Expense, line: int,
                    dimensions: Mapping[Dimension, DimensionValueId], out: list[Finding]) -> None:
    """At the top level of a multi-entity company Intacct refuses an expense report line without a location.

    The line's location is its tag (or the employee's default) when locations are imported; otherwise the
    document carries the connection's entity, which at the top level is none.
    """
    if ctx.entity or not ctx.indexes.multi_entity:
        return
    if ctx.indexes.locations_imported and dimensions.get(LOCATION):
        return
    employee = ctx.employee.employee_id if ctx.employee is not None else None
    out.append(finding("INT028", expense.id, employee=employee,
                       detail=f"line {line} has no location, and at the top level of a multi-entity company every "
                       "expense report line needs one: tag a location on the expense, or import locations as the "
                       "employee's default and give the employee one"))


def _zero_amount(expense: Expense, coding_from: int, out: list[Finding]) -> None:
    """A $0 line's stale coding is one INT304 (what Intacct reports), keeping what was found as its detail."""
    stale = [item for item in out[coding_from:] if item.code in CODING_CODES]
    if not stale:
        return
    kept = [item for item in out[coding_from:] if item.code not in CODING_CODES]
    del out[coding_from:]
    out.extend(kept)
    out.append(finding("INT304", expense.id, expense=expense_label(expense),
                       detail="; ".join(dict.fromkeys(item.detail or item.message for item in stale))))


def _vendor(ctx: ReportContext, expense: Expense, card_line: bool, out: list[Finding]) -> None:
    vendor_id = expense.vendor
    if vendor_id is None:
        # The bill's vendor comes from the settings: checked once for the report.
        document = ctx.document(ExportType.VENDOR_BILL)
        document.needs_default_vendor = True
        document.needs_fallback_vendor = document.needs_fallback_vendor or card_line
        return
    vendor = ctx.view.vendors.get(vendor_id)
    if vendor is None or not vendor.active:
        out.append(finding(conditions.VENDOR_MISSING, expense.id, vendor=vendor_id,
                           detail=f"vendor {vendor_id} is {'inactive' if vendor else 'not in Sage Intacct'}"))
    elif vendor.on_hold:
        out.append(finding("INT446", expense.id, vendor=vendor_id))
