"""Settings pages for how spending is coded: Categories, Tags and Company cards."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Final

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from ledgerbridge.domain import (
    Action,
    Category,
    IntacctAccount,
    IntacctCardAccount,
    IntacctExpenseType,
    IntacctState,
    Tag,
)
from ledgerbridge.store import Coding, Snapshots, Users, Workspaces
from ledgerbridge.web.pages.context import (
    FieldErrors,
    Flash,
    PageContext,
    check_text,
    form_data,
    redirect,
    render,
    text_of,
    workspace_page,
)

router = APIRouter()
SETTINGS: Final = "/workspaces/{workspace_id}/settings"

STATE_BADGES: Final = {
    IntacctState.RESTRICTED: ("Restricted in Intacct", "bad"),
    IntacctState.INACTIVE: ("Inactive in Intacct", "warn"),
    IntacctState.MISSING: ("Not in Intacct", "warn"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class CategoryRow:
    """A category as the page lists it: what it posts to in Intacct, and whether Intacct lets it."""

    category: Category
    account_no: str | None
    account_title: str
    badge: tuple[str, str] | None


def _category_rows(page: PageContext) -> list[CategoryRow]:
    with page.session() as session:
        categories = Coding(session).categories(page.workspace_id)
        snapshots = Snapshots(session)
        accounts = {a.account_no: a for a in snapshots.all(page.workspace_id, IntacctAccount)}
        expense_types = {e.name: e for e in snapshots.all(page.workspace_id, IntacctExpenseType)}
    rows = []
    for category in categories:
        account_no = category.gl_account
        if account_no is None and category.expense_type is not None and category.expense_type in expense_types:
            account_no = expense_types[category.expense_type].gl_account
        account = accounts.get(account_no) if account_no else None
        rows.append(CategoryRow(category, account_no, account.title if account else "",
                                STATE_BADGES.get(category.intacct_state)))
    return rows


def _enabled_flag(form: FormData) -> bool | None:
    wanted = text_of(form, "enabled")
    return {"on": True, "off": False}.get(wanted)


@router.get(SETTINGS + "/categories", name="categories")
def categories(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_CODING))) -> Response:
    rows = _category_rows(page)
    restricted = sum(1 for r in rows if r.category.intacct_state is not IntacctState.OK)
    return render(request, "settings/categories.html", rows=rows, restricted=restricted, tab="categories",
                  tab_label="Categories")


@router.post(SETTINGS + "/categories/{category_id}/enabled")
def set_category_enabled(category_id: str, request: Request, form: FormData = Depends(form_data),
                         page: PageContext = Depends(workspace_page(Action.MANAGE_CATEGORIES))) -> Response:
    enabled = _enabled_flag(form)
    back = page.url("settings", "categories")
    if enabled is None:
        return redirect(request, back, Flash("Choose to enable or disable the category.", "error"))
    with page.session() as session:
        coding = Coding(session)
        category = coding.save_category(dataclasses.replace(coding.category(page.workspace_id, category_id),
                                                            enabled=enabled))
    state = "enabled" if enabled else "disabled"
    return redirect(request, back, Flash(f"Category {category.name} {state}."))


@router.get(SETTINGS + "/tags", name="tags")
def tags(request: Request, dimension: str = "",
         page: PageContext = Depends(workspace_page(Action.VIEW_CODING))) -> Response:
    with page.session() as session:
        coding = Coding(session)
        lists = {t.dimension: t for t in coding.tag_lists(page.workspace_id)}
        found = coding.tags(page.workspace_id)
    by_dimension: dict[str, list[Tag]] = defaultdict(list)
    for tag in found:
        by_dimension[tag.dimension].append(tag)
    dimensions = sorted(set(by_dimension) | set(lists))
    shown = [d for d in dimensions if not dimension or d == dimension]
    return render(request, "settings/tags.html", lists=lists, by_dimension=by_dimension, dimensions=dimensions,
                  shown=shown, selected=dimension, badges=STATE_BADGES, tab="tags", tab_label="Tags")


@router.post(SETTINGS + "/tags/{tag_id}/enabled")
def set_tag_enabled(tag_id: str, request: Request, form: FormData = Depends(form_data),
                    page: PageContext = Depends(workspace_page(Action.MANAGE_TAGS))) -> Response:
    enabled = _enabled_flag(form)
    with page.session() as session:
        coding = Coding(session)
        tag = coding.tag(page.workspace_id, tag_id)
        back = page.url("settings", "tags") + f"?dimension={tag.dimension}"
        if enabled is None:
            return redirect(request, back, Flash("Choose to enable or disable the tag.", "error"))
        coding.save_tag(dataclasses.replace(tag, enabled=enabled))
    state = "enabled" if enabled else "disabled"
    return redirect(request, back, Flash(f"Tag {tag.dimension} {tag.code} ({tag.name}) {state}."))


def _cards_page(request: Request, page: PageContext, status: int = 200, errors: FieldErrors | None = None,
                editing: str = "") -> Response:
    with page.session() as session:
        cards = Coding(session).cards(page.workspace_id)
        accounts = Snapshots(session).all(page.workspace_id, IntacctCardAccount)
        users = Users(session)
        members = [(m.user_id, users.get(m.user_id).name) for m in Workspaces(session).members(page.workspace_id)]
    names = dict(members)
    return render(request, "settings/cards.html", status=status, cards=cards, accounts=accounts, members=members,
                  names=names, errors=errors or {}, editing=editing, tab="cards", tab_label="Company cards")


@router.get(SETTINGS + "/cards", name="cards")
def cards(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_CODING))) -> Response:
    return _cards_page(request, page)


@router.post(SETTINGS + "/cards/{card_id}")
def edit_card(card_id: str, request: Request, form: FormData = Depends(form_data),
              page: PageContext = Depends(workspace_page(Action.MANAGE_CARDS))) -> Response:
    errors: FieldErrors = {}
    account = check_text(errors, "charge_card_account", text_of(form, "charge_card_account"),
                         "charge card account", required=False, max_length=100)
    cardholder = text_of(form, "cardholder") or None
    with page.session() as session:
        coding = Coding(session)
        card = coding.card(page.workspace_id, card_id)
        known = {a.card_id for a in Snapshots(session).all(page.workspace_id, IntacctCardAccount)}
        if account and known and account not in known:
            errors["charge_card_account"] = (f"Sage Intacct has no charge card account {account}; "
                                             "choose one of the synced accounts or run Sync Now.")
        if cardholder and Workspaces(session).member(page.workspace_id, cardholder) is None:
            errors["cardholder"] = "The cardholder must be a member of the workspace."
        if not errors:
            coding.save_card(dataclasses.replace(card, charge_card_account=account, cardholder=cardholder))
    if errors:
        return _cards_page(request, page, status=422, errors=errors, editing=card_id)
    mapped = f"mapped to {account}" if account else "not mapped to a charge card account"
    return redirect(request, page.url("settings", "cards"), Flash(f"Card {card.masked_number} is {mapped}."))
