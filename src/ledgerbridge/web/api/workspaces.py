"""Workspaces the caller belongs to, and their members."""

from __future__ import annotations

import dataclasses
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import StrictStr, StringConstraints
from sqlalchemy.orm import Session

from ledgerbridge.domain import Action, Member, Role, Workspace, new_id
from ledgerbridge.domain.money import UnknownCurrencyError, minor_units
from ledgerbridge.store import Users, Workspaces
from ledgerbridge.web.api.context import Caller, current_caller, needs, require, utcnow
from ledgerbridge.web.api.errors import Conflict, Invalid
from ledgerbridge.web.api.schemas import Body, Email, Name, when

log = logging.getLogger(__name__)
router = APIRouter(tags=["workspaces"])


def workspace_out(workspace: Workspace, role: Role) -> dict[str, Any]:
    return {
        "id": workspace.id,
        "name": workspace.name,
        "base_currency": workspace.base_currency,
        "created_at": when(workspace.created_at),
        "role": role.value,
    }


def member_out(session: Session, member: Member) -> dict[str, Any]:
    user = Users(session).get(member.user_id)
    return {
        "user_id": member.user_id,
        "email": user.email,
        "name": user.name,
        "role": member.role.value,
        "added_at": when(member.added_at),
    }


class NewWorkspace(Body):
    name: Name
    base_currency: Annotated[StrictStr, StringConstraints(min_length=3, max_length=3)] = "USD"


class WorkspaceEdit(Body):
    name: Name


class NewMember(Body):
    email: Email
    role: Role = Role.MEMBER


class RoleEdit(Body):
    role: Role


@router.get("/workspaces", summary="The workspaces I belong to")
def list_workspaces(caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        mine = Workspaces(session).of_user(caller.id)
    return {"data": [workspace_out(ws, role) for ws, role in mine]}


@router.post("/workspaces", status_code=201, summary="Create a workspace; I become its admin")
def create_workspace(body: NewWorkspace, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    currency = body.base_currency.upper()
    try:
        minor_units(currency)
    except UnknownCurrencyError as exc:
        raise Invalid(str(exc), {"field": "base_currency"}) from None
    now = utcnow()
    with caller.session() as session:
        workspace = Workspaces(session).add(Workspace(new_id(), body.name, currency, now))
        Workspaces(session).add_member(Member(workspace.id, caller.id, Role.ADMIN, now))
    log.debug("user %s created workspace %s", caller.id, workspace.id)
    return {"data": workspace_out(workspace, Role.ADMIN)}


@router.get("/workspaces/{workspace_id}", openapi_extra=needs(Action.VIEW_WORKSPACE))
def get_workspace(workspace_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        role = require(session, workspace_id, caller, Action.VIEW_WORKSPACE)
        workspace = Workspaces(session).get(workspace_id)
    return {"data": workspace_out(workspace, role)}


@router.patch("/workspaces/{workspace_id}", openapi_extra=needs(Action.RENAME_WORKSPACE), summary="Rename")
def rename_workspace(
    workspace_id: str, body: WorkspaceEdit, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    with caller.session() as session:
        role = require(session, workspace_id, caller, Action.RENAME_WORKSPACE)
        workspaces = Workspaces(session)
        workspace = workspaces.save(dataclasses.replace(workspaces.get(workspace_id), name=body.name))
    return {"data": workspace_out(workspace, role)}


@router.get("/workspaces/{workspace_id}/members", openapi_extra=needs(Action.VIEW_MEMBERS))
def list_members(workspace_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_MEMBERS)
        return {"data": [member_out(session, m) for m in Workspaces(session).members(workspace_id)]}


@router.post("/workspaces/{workspace_id}/members", status_code=201, openapi_extra=needs(Action.MANAGE_MEMBERS))
def add_member(workspace_id: str, body: NewMember, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_MEMBERS)
        user = Users(session).by_email(body.email)
        if user is None:
            raise Invalid("no user signs in with that email; they need an account first", {"field": "email"})
        member = Workspaces(session).add_member(Member(workspace_id, user.id, body.role, utcnow()))
        return {"data": member_out(session, member)}


def _refuse_last_admin(session: Session, workspace_id: str, user_id: str, what: str) -> None:
    members = Workspaces(session).members(workspace_id)
    admins = [m.user_id for m in members if m.role is Role.ADMIN]
    if admins == [user_id]:
        raise Conflict(f"cannot {what} the last admin of the workspace; make someone else admin first")


@router.patch("/workspaces/{workspace_id}/members/{user_id}", openapi_extra=needs(Action.MANAGE_MEMBERS))
def change_role(
    workspace_id: str, user_id: str, body: RoleEdit, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_MEMBERS)
        if body.role is not Role.ADMIN:
            _refuse_last_admin(session, workspace_id, user_id, "demote")
        member = Workspaces(session).set_role(workspace_id, user_id, body.role)
        return {"data": member_out(session, member)}


@router.delete("/workspaces/{workspace_id}/members/{user_id}", openapi_extra=needs(Action.MANAGE_MEMBERS))
def remove_member(workspace_id: str, user_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_MEMBERS)
        _refuse_last_admin(session, workspace_id, user_id, "remove")
        Workspaces(session).remove_member(workspace_id, user_id)
    return {"data": {"removed": user_id}}
