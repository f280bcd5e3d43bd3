"""The Sage Intacct connection of a workspace: status, connect (credentials tested first), update, disconnect."""

from __future__ import annotations

import dataclasses
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AfterValidator, StrictStr, StringConstraints
from starlette.concurrency import run_in_threadpool

from ledgerbridge.domain import DEFAULT_ENDPOINT, Action, Connection, IntacctCredentials
from ledgerbridge.domain.ids import EntityId
from ledgerbridge.store import Connections
from ledgerbridge.web.api.context import Caller, current_caller, needs, require, utcnow
from ledgerbridge.web.api.errors import Conflict, ConnectionRefusedByIntacct
from ledgerbridge.web.api.schemas import Body, Code, Secret, when

log = logging.getLogger(__name__)
router = APIRouter(tags=["connection"])
BASE = "/workspaces/{workspace_id}/connection"


def _web_address(url: str) -> str:
    if not url.startswith(("https://", "http://")) or len(url) > 500:
        raise ValueError("the endpoint must be an http(s) URL")
    return url


EndpointUrl = Annotated[StrictStr, StringConstraints(max_length=500), AfterValidator(_web_address)]


class CredentialsIn(Body):
    sender_id: Code
    sender_password: Secret
    company_id: Code
    user_id: Code
    user_password: Secret
    endpoint_url: EndpointUrl = DEFAULT_ENDPOINT

    def to_credentials(self) -> IntacctCredentials:
        return IntacctCredentials(**self.model_dump())


class CredentialsEdit(Body):
    """Only the fields sent change; the result is tested before it is stored."""

    sender_id: Code | None = None
    sender_password: Secret | None = None
    company_id: Code | None = None
    user_id: Code | None = None
    user_password: Secret | None = None
    endpoint_url: EndpointUrl | None = None


def connection_out(connection: Connection | None, entity: EntityId) -> dict[str, Any]:
    """The connection's status; passwords are never part of it."""
    if connection is None:
        return {"connected": False, "entity": entity}
    credentials = connection.credentials
    return {
        "connected": True,
        "sender_id": credentials.sender_id,
        "company_id": credentials.company_id,
        "user_id": credentials.user_id,
        "endpoint_url": credentials.endpoint_url,
        "entity": entity,
        "connected_at": when(connection.connected_at),
        "updated_at": when(connection.updated_at),
    }


def _not_connected(workspace_id: str) -> Conflict:
    return Conflict(f"workspace {workspace_id} is not connected to Sage Intacct; connect it first")


async def _tested(credentials: IntacctCredentials, entity: EntityId) -> None:
    """Refuse credentials Intacct does not accept, with the INT code that says why."""
    from ledgerbridge.sync import ConnectionRefused, test_connection

    try:
        await test_connection(credentials, entity)
    except ConnectionRefused as exc:
        raise ConnectionRefusedByIntacct(
            f"Sage Intacct refused the connection: {exc.message}", {"int_code": exc.code}
        ) from None


def _current(caller: Caller, workspace_id: str, action: Action) -> tuple[Connection | None, EntityId]:
    with caller.session() as session:
        require(session, workspace_id, caller, action)
        connections = Connections(session, caller.services.box)
        return connections.get(workspace_id), connections.settings(workspace_id).entity


@router.get(BASE, openapi_extra=needs(Action.VIEW_CONNECTION), summary="Connection status (no secrets)")
def connection_status(workspace_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    connection, entity = _current(caller, workspace_id, Action.VIEW_CONNECTION)
    return {"data": connection_out(connection, entity)}


@router.put(BASE, openapi_extra=needs(Action.CONNECT), summary="Connect, after testing the credentials")
async def connect(workspace_id: str, body: CredentialsIn, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    _, entity = await run_in_threadpool(_current, caller, workspace_id, Action.CONNECT)
    credentials = body.to_credentials()
    # No database transaction stays open while Intacct answers.
    await _tested(credentials, entity)

    def store() -> Connection:
        with caller.session() as session:
            require(session, workspace_id, caller, Action.CONNECT)
            return Connections(session, caller.services.box).connect(workspace_id, credentials, utcnow())

    connection = await run_in_threadpool(store)
    log.info("workspace %s connected to Intacct company %s", workspace_id, credentials.company_id)
    return {"data": connection_out(connection, entity)}


@router.patch(BASE, openapi_extra=needs(Action.UPDATE_CREDENTIALS), summary="Update credentials (tested again)")
async def update_credentials(
    workspace_id: str, body: CredentialsEdit, caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    connection, entity = await run_in_threadpool(_current, caller, workspace_id, Action.UPDATE_CREDENTIALS)
    if connection is None:
        raise _not_connected(workspace_id)
    changes = {name: getattr(body, name) for name in body.model_fields_set if getattr(body, name) is not None}
    credentials = dataclasses.replace(connection.credentials, **changes)
    await _tested(credentials, entity)

    def store() -> Connection:
        with caller.session() as session:
            require(session, workspace_id, caller, Action.UPDATE_CREDENTIALS)
            connections = Connections(session, caller.services.box)
            if connections.get(workspace_id) is None:
                raise _not_connected(workspace_id)
            return connections.update_credentials(workspace_id, credentials, utcnow())

    updated = await run_in_threadpool(store)
    log.info("workspace %s updated its Intacct credentials (%s)", workspace_id, ", ".join(sorted(changes)))
    return {"data": connection_out(updated, entity)}


@router.delete(BASE, openapi_extra=needs(Action.DISCONNECT), summary="Disconnect; settings are kept unless forgotten")
def disconnect(
    workspace_id: str,
    forget_settings: bool = Query(False, description="Also forget the import and export settings."),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    with caller.session() as session:
        require(session, workspace_id, caller, Action.DISCONNECT)
        connections = Connections(session, caller.services.box)
        if connections.get(workspace_id) is None:
            raise _not_connected(workspace_id)
        connections.disconnect(workspace_id, forget_settings=forget_settings)
        entity = connections.settings(workspace_id).entity
    return {"data": connection_out(None, entity)}
