"""Expense categories and their mapping to a GL account or an expense type."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Depends

from ledgerbridge.domain import Action, Category, Origin, new_id
from ledgerbridge.store import Coding
from ledgerbridge.web.api.context import Caller, current_caller, needs, require
from ledgerbridge.web.api.schemas import AccountNo, Body, Name

router = APIRouter(tags=["categories"])
BASE = "/workspaces/{workspace_id}/categories"


def category_out(category: Category) -> dict[str, Any]:
    return {
        "id": category.id,
        "name": category.name,
        "enabled": category.enabled,
        "gl_account": category.gl_account,
        "expense_type": category.expense_type,
        "origin": category.origin.value,
        "intacct_state": category.intacct_state.value,
        "intacct_note": category.intacct_note,
    }


class NewCategory(Body):
    name: Name
    enabled: bool = True
    gl_account: AccountNo | None = None
    expense_type: Name | None = None


class CategoryEdit(Body):
    """Only the fields sent change; send `null` to clear a mapping."""

    name: Name | None = None
    enabled: bool | None = None
    gl_account: AccountNo | None = None
    expense_type: Name | None = None


@router.get(BASE, openapi_extra=needs(Action.VIEW_CODING))
def list_categories(workspace_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_CODING)
        return {"data": [category_out(c) for c in Coding(session).categories(workspace_id)]}


@router.post(BASE, status_code=201, openapi_extra=needs(Action.MANAGE_CATEGORIES), summary="Create a manual category")
def create_category(workspace_id: str, body: NewCategory, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_CATEGORIES)
        category = Category(
            new_id(), workspace_id, body.name, body.enabled, body.gl_account, body.expense_type, Origin.MANUAL
        )
        return {"data": category_out(Coding(session).add_category(category))}


@router.get(BASE + "/{category_id}", openapi_extra=needs(Action.VIEW_CODING))
def get_category(workspace_id: str, category_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_CODING)
        return {"data": category_out(Coding(session).category(workspace_id, category_id))}


@router.patch(BASE + "/{category_id}", openapi_extra=needs(Action.MANAGE_CATEGORIES))
def edit_category(
    workspace_id: str, category_id: str, body: CategoryEdit, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    changes: dict[str, Any] = {name: getattr(body, name) for name in body.model_fields_set}
    for required in ("name", "enabled"):
        if required in changes and changes[required] is None:
            del changes[required]
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_CATEGORIES)
        coding = Coding(session)
        edited = dataclasses.replace(coding.category(workspace_id, category_id), **changes)
        return {"data": category_out(coding.save_category(edited))}


@router.delete(BASE + "/{category_id}", openapi_extra=needs(Action.MANAGE_CATEGORIES), summary="Delete unless in use")
def delete_category(workspace_id: str, category_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_CATEGORIES)
        Coding(session).delete_category(workspace_id, category_id)
    return {"data": {"deleted": category_id}}
