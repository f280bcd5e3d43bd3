"""Company cards: masked numbers, their Intacct charge card account and their cardholder."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import StrictStr, StringConstraints
from sqlalchemy.orm import Session

from ledgerbridge.domain import Action, CompanyCard, mask_card_number, new_id
from ledgerbridge.store import Coding, Workspaces
from ledgerbridge.web.api.context import Caller, current_caller, needs, require
from ledgerbridge.web.api.errors import Invalid
from ledgerbridge.web.api.schemas import Body, Code

router = APIRouter(tags=["company cards"])
BASE = "/workspaces/{workspace_id}/cards"


def card_out(card: CompanyCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "masked_number": card.masked_number,
        "cardholder": card.cardholder,
        "charge_card_account": card.charge_card_account,
    }


class NewCard(Body):
    number: Annotated[StrictStr, StringConstraints(min_length=4, max_length=40)]
    """The card number; only its last four digits are kept."""
    cardholder: str | None = None
    charge_card_account: Code | None = None


class CardEdit(Body):
    """Only the fields sent change; `null` clears the cardholder or the charge card account."""

    cardholder: str | None = None
    charge_card_account: Code | None = None


def _check_cardholder(session: Session, workspace_id: str, user_id: str | None) -> None:
    if user_id is not None and Workspaces(session).member(workspace_id, user_id) is None:
        raise Invalid("the cardholder must be a member of the workspace", {"field": "cardholder"})


@router.get(BASE, openapi_extra=needs(Action.VIEW_CODING))
def list_cards(workspace_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_CODING)
        return {"data": [card_out(c) for c in Coding(session).cards(workspace_id)]}


@router.post(BASE, status_code=201, openapi_extra=needs(Action.MANAGE_CARDS))
def create_card(workspace_id: str, body: NewCard, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    masked = mask_card_number(body.number)
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_CARDS)
        _check_cardholder(session, workspace_id, body.cardholder)
        card = CompanyCard(new_id(), workspace_id, masked, body.cardholder, body.charge_card_account)
        return {"data": card_out(Coding(session).add_card(card))}


@router.get(BASE + "/{card_id}", openapi_extra=needs(Action.VIEW_CODING))
def get_card(workspace_id: str, card_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_CODING)
        return {"data": card_out(Coding(session).card(workspace_id, card_id))}


@router.patch(BASE + "/{card_id}", openapi_extra=needs(Action.MANAGE_CARDS), summary="Map account, assign cardholder")
def edit_card(
    workspace_id: str, card_id: str, body: CardEdit, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_CARDS)
        _check_cardholder(session, workspace_id, changes.get("cardholder"))
        coding = Coding(session)
        card = dataclasses.replace(coding.card(workspace_id, card_id), **changes)
        return {"data": card_out(coding.save_card(card))}


@router.delete(BASE + "/{card_id}", openapi_extra=needs(Action.MANAGE_CARDS), summary="Delete unless in use")
def delete_card(workspace_id: str, card_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_CARDS)
        Coding(session).delete_card(workspace_id, card_id)
    return {"data": {"deleted": card_id}}
