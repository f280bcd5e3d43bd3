"""Categories, tag lists, tags and cards: scoped to their workspace, never deleted while in use."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy.orm import Session

from ledgerbridge.domain import (
    Category,
    CompanyCard,
    Expense,
    ImportAs,
    IntacctState,
    Money,
    Origin,
    Report,
    Tag,
    TagList,
    mask_card_number,
    new_id,
)
from ledgerbridge.store import AlreadyExists, Coding, InUse, NotFound, Reports
from tests.db import new_user, new_workspace, now


def test_categories_round_trip_with_their_intacct_state(db_session: Session) -> None:
    workspace = new_workspace(db_session)
    coding = Coding(db_session)
    travel = coding.add_category(
        Category(new_id(), workspace.id, "Travel", gl_account="6400", origin=Origin.INTACCT,
                 intacct_state=IntacctState.RESTRICTED, intacct_note="account 6400 belongs to entity E200")
    )
    assert coding.category(workspace.id, travel.id) == travel
    disabled = coding.save_category(dataclasses.replace(travel, enabled=False))
    assert coding.categories(workspace.id) == [disabled]
    assert coding.categories(workspace.id, enabled_only=True) == []
    with pytest.raises(AlreadyExists):
        coding.add_category(Category(new_id(), workspace.id, "Travel"))


def test_another_workspaces_category_is_not_found(db_session: Session) -> None:
    mine, theirs = new_workspace(db_session), new_workspace(db_session)
    coding = Coding(db_session)
    category = coding.add_category(Category(new_id(), theirs.id, "Meals", expense_type="Meals"))
    with pytest.raises(NotFound):
        coding.category(mine.id, category.id)
    with pytest.raises(NotFound):
        coding.delete_category(mine.id, category.id)


def test_tag_lists_and_tags_per_dimension(db_session: Session) -> None:
    workspace = new_workspace(db_session)
    coding = Coding(db_session)
    coding.save_tag_list(TagList(workspace.id, "DEPARTMENT", "Department"))
    coding.save_tag_list(TagList(workspace.id, "DEPARTMENT", "Team", ImportAs.REPORT_FIELD))
    assert coding.tag_lists(workspace.id) == [TagList(workspace.id, "DEPARTMENT", "Team", ImportAs.REPORT_FIELD)]
    sales = coding.add_tag(Tag(new_id(), workspace.id, "DEPARTMENT", "D100", "Sales", origin=Origin.INTACCT))
    coding.add_tag(Tag(new_id(), workspace.id, "LOCATION", "L1", "HQ"))
    assert coding.tags(workspace.id, "DEPARTMENT") == [sales]
    assert len(coding.tags(workspace.id)) == 2
    with pytest.raises(AlreadyExists):
        coding.add_tag(Tag(new_id(), workspace.id, "DEPARTMENT", "D100", "Sales again"))


def test_coding_used_by_an_expense_cannot_be_deleted(db_session: Session) -> None:
    owner = new_user(db_session)
    workspace = new_workspace(db_session, admin=owner)
    coding, reports = Coding(db_session), Reports(db_session)
    category = coding.add_category(Category(new_id(), workspace.id, "Travel", gl_account="6400"))
    unused = coding.add_category(Category(new_id(), workspace.id, "Unused", gl_account="6500"))
    tag = coding.add_tag(Tag(new_id(), workspace.id, "DEPARTMENT", "D100", "Sales"))
    card = coding.add_card(CompanyCard(new_id(), workspace.id, mask_card_number("4111111111111005"), owner.id, "AMEX"))
    report = reports.add(Report(new_id(), workspace.id, owner.id, "Trip", "USD", now()))
    reports.add_expense(
        Expense(new_id(), report.id, date(2026, 3, 1), "Hotel", Money.of("120.00", "USD"), category.id,
                {"DEPARTMENT": "D100"}, card_id=card.id)
    )
    assert coding.category_in_use(category.id) and coding.tag_in_use(tag)
    with pytest.raises(InUse):
        coding.delete_category(workspace.id, category.id)
    with pytest.raises(InUse):
        coding.delete_tag(workspace.id, tag.id)
    with pytest.raises(InUse):
        coding.delete_card(workspace.id, card.id)
    coding.delete_category(workspace.id, unused.id)
    assert [c.name for c in coding.categories(workspace.id)] == ["Travel"]


def test_company_cards_keep_their_charge_card_account(db_session: Session) -> None:
    holder = new_user(db_session)
    workspace = new_workspace(db_session, admin=holder)
    coding = Coding(db_session)
    card = coding.add_card(CompanyCard(new_id(), workspace.id, mask_card_number("5500 0000 0000 0004"), holder.id))
    mapped = coding.save_card(dataclasses.replace(card, charge_card_account="CC-AMEX"))
    assert coding.card(workspace.id, card.id) == mapped
    assert coding.cards(workspace.id)[0].masked_number == "•••• 0004"
    coding.delete_card(workspace.id, card.id)
    assert coding.cards(workspace.id) == []
