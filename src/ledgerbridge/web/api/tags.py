"""Tags: the dimension values (department, location, class, ...) expenses are coded with."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Depends, Query

from ledgerbridge.domain import Action, Origin, Tag, new_id
from ledgerbridge.store import Coding
from ledgerbridge.web.api.context import Caller, current_caller, needs, require
from ledgerbridge.web.api.errors import InUseConflict
from ledgerbridge.web.api.schemas import Body, Code, Name

router = APIRouter(tags=["tags"])
BASE = "/workspaces/{workspace_id}/tags"


def tag_out(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag.id,
        "dimension": tag.dimension,
        "code": tag.code,
        "name": tag.name,
        "enabled": tag.enabled,
        "origin": tag.origin.value,
        "intacct_state": tag.intacct_state.value,
    }


class NewTag(Body):
    dimension: Code
    code: Code
    name: Name
    enabled: bool = True


class TagEdit(Body):
    code: Code | None = None
    name: Name | None = None
    enabled: bool | None = None


@router.get(BASE, openapi_extra=needs(Action.VIEW_CODING), summary="List tags, optionally of one dimension")
def list_tags(
    workspace_id: str,
    dimension: str | None = Query(None, max_length=100),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_CODING)
        return {"data": [tag_out(t) for t in Coding(session).tags(workspace_id, dimension)]}


@router.post(BASE, status_code=201, openapi_extra=needs(Action.MANAGE_TAGS))
def create_tag(workspace_id: str, body: NewTag, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_TAGS)
        tag = Tag(new_id(), workspace_id, body.dimension, body.code, body.name, body.enabled, Origin.MANUAL)
        return {"data": tag_out(Coding(session).add_tag(tag))}


@router.get(BASE + "/{tag_id}", openapi_extra=needs(Action.VIEW_CODING))
def get_tag(workspace_id: str, tag_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_CODING)
        return {"data": tag_out(Coding(session).tag(workspace_id, tag_id))}


@router.patch(BASE + "/{tag_id}", openapi_extra=needs(Action.MANAGE_TAGS))
def edit_tag(workspace_id: str, tag_id: str, body: TagEdit, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    changes = {name: getattr(body, name) for name in body.model_fields_set if getattr(body, name) is not None}
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_TAGS)
        coding = Coding(session)
        tag = coding.tag(workspace_id, tag_id)
        if "code" in changes and changes["code"] != tag.code and coding.tag_in_use(tag):
            # Expenses refer to a tag by its code: renaming the code would orphan them.
            raise InUseConflict(f"tag {tag.dimension} {tag.code} is used by expenses; its code cannot change")
        return {"data": tag_out(coding.save_tag(dataclasses.replace(tag, **changes)))}


@router.delete(BASE + "/{tag_id}", openapi_extra=needs(Action.MANAGE_TAGS), summary="Delete unless in use")
def delete_tag(workspace_id: str, tag_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.MANAGE_TAGS)
        Coding(session).delete_tag(workspace_id, tag_id)
    return {"data": {"deleted": tag_id}}
