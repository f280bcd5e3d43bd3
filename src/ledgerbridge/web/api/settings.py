"""Import and export settings of the connection; every edit names the version it was read at."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from ledgerbridge.domain import (
    Action,
    CategoriesFrom,
    CompanyCardAs,
    ConnectionSettings,
    DimensionImport,
    ExportDate,
    ReimbursableAs,
    Role,
    UserDefinedDimension,
    UserDefinedImport,
)
from ledgerbridge.store import Connections, Workspaces
from ledgerbridge.web.api.context import Caller, current_caller, needs, require, utcnow
from ledgerbridge.web.api.errors import Invalid
from ledgerbridge.web.api.schemas import Body, Code

router = APIRouter(tags=["settings"])
BASE = "/workspaces/{workspace_id}/settings"


def settings_out(settings: ConnectionSettings) -> dict[str, Any]:
    return {"version": settings.version, **settings.as_values()}


class UserDefinedDimensionIn(Body):
    integration_name: Code
    imported_as: UserDefinedImport = UserDefinedImport.TAG


EntityIn = Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]


class SettingsEdit(Body):
    """An edit of the settings read at `version`; fields not sent keep their current values."""

    version: int = Field(ge=1)
    entity: EntityIn | None = None
    categories_from: CategoriesFrom | None = None
    dimensions: dict[str, DimensionImport] | None = None
    user_defined_dimensions: list[UserDefinedDimensionIn] | None = Field(None, max_length=50)
    tax: bool | None = None
    preferred_exporter: str | None = None
    export_date: ExportDate | None = None
    reimbursable_as: ReimbursableAs | None = None
    company_card_as: CompanyCardAs | None = None
    default_vendor: Code | None = None
    default_charge_card_account: Code | None = None
    card_journal: Code | None = None
    auto_sync: bool | None = None
    auto_export: bool | None = None


_NULLABLE = frozenset({"preferred_exporter", "default_vendor", "default_charge_card_account", "card_journal"})


@router.get(BASE, openapi_extra=needs(Action.VIEW_SETTINGS), summary="Settings, with the version to edit from")
def get_settings(workspace_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.VIEW_SETTINGS)
        return {"data": settings_out(Connections(session, caller.services.box).settings(workspace_id))}


@router.put(BASE, openapi_extra=needs(Action.EDIT_SETTINGS), summary="Save settings read at `version` (409 if stale)")
def save_settings(workspace_id: str, body: SettingsEdit, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    changes: dict[str, Any] = {
        name: getattr(body, name)
        for name in body.model_fields_set - {"version"}
        if getattr(body, name) is not None or name in _NULLABLE
    }
    if "user_defined_dimensions" in changes:
        changes["user_defined_dimensions"] = tuple(
            UserDefinedDimension(d.integration_name, d.imported_as) for d in body.user_defined_dimensions or ()
        )
    with caller.session() as session:
        require(session, workspace_id, caller, Action.EDIT_SETTINGS)
        exporter = changes.get("preferred_exporter")
        if exporter is not None and Workspaces(session).role_of(workspace_id, exporter) is not Role.ADMIN:
            raise Invalid("the preferred exporter must be an admin of the workspace", {"field": "preferred_exporter"})
        connections = Connections(session, caller.services.box)
        current = connections.settings(workspace_id)
        # The edit is based on the version the caller read; the store refuses it if that is no longer current.
        edited = dataclasses.replace(current, version=body.version, **changes)
        saved = connections.save_settings(edited, utcnow())
        return {"data": settings_out(saved)}
