"""What every request works with: the app's services, the signed-in caller, and the access checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Lock
from typing import TYPE_CHECKING, Any, Final

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ledgerbridge.domain import Action, ApiToken, Report, Role, User, can, can_on_report
from ledgerbridge.domain.ids import ReportId, UserId, WorkspaceId
from ledgerbridge.store import Database, Reports, SecretBox, Workspaces
from ledgerbridge.web.api.errors import Forbidden, Missing, Unauthorized

if TYPE_CHECKING:
    from ledgerbridge.export.deliver import ExportService
    from ledgerbridge.intacct import ClientOptions
    from ledgerbridge.jobs import InProcessRunner, JobRunner
    from ledgerbridge.sync import SyncService

ACTION_KEY: Final = "x-required-action"
"""OpenAPI extension naming the `Action` a route needs; the isolation tests read it."""


def needs(action: Action) -> dict[str, Any]:
    """The `openapi_extra` of a route that needs `action` in its workspace."""
    return {ACTION_KEY: action.value}


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The long-lived parts the routes share: database, secret box and the job runner."""

    database: Database
    box: SecretBox
    runner: JobRunner | None = None
    client_options: ClientOptions | None = None
    _sync: SyncService | None = field(default=None, repr=False)
    _export: ExportService | None = field(default=None, repr=False)
    _lock: Lock = field(default_factory=Lock, repr=False)
    _own_runner: InProcessRunner | None = field(default=None, repr=False)

    def sync_service(self) -> SyncService:
        """The one Sync Now service of this app (created on first use)."""
        from ledgerbridge.jobs import InProcessRunner
        from ledgerbridge.sync import SyncService

        with self._lock:
            if self._sync is None:
                if self.runner is None:
                    self.runner = self._own_runner = InProcessRunner()
                self._sync = SyncService(self.database, self.box, self.runner, client_options=self.client_options)
            return self._sync

    def export_service(self) -> ExportService:
        """The one export service of this app (created on first use), sharing the job runner."""
        from ledgerbridge.export.deliver import ExportService
        from ledgerbridge.jobs import InProcessRunner

        with self._lock:
            if self._export is None:
                if self.runner is None:
                    self.runner = self._own_runner = InProcessRunner()
                self._export = ExportService(self.database, self.box, self.runner,
                                             client_options=self.client_options)
            return self._export

    def close(self) -> None:
        """Stop the job runner this app started itself (one passed in belongs to the caller)."""
        if self._own_runner is not None:
            self._own_runner.shutdown(wait=False)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


@dataclass(frozen=True)
class Caller:
    """The signed-in user and the token they presented."""

    user: User
    token: ApiToken
    services: Services

    @property
    def id(self) -> UserId:
        return self.user.id

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.services.database.session() as session:
            yield session


bearer = HTTPBearer(auto_error=False, description="A session token from POST /api/v1/session, or an API token.")


def current_caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Caller:
    """The caller behind the Bearer token; 401 without a valid one."""
    from ledgerbridge.web.api.auth import authenticate

    if credentials is None:
        raise Unauthorized("sign in: send 'Authorization: Bearer <token>'")
    found = services(request)
    with found.database.session() as session:
        user, token = authenticate(session, credentials.credentials, utcnow())
    return Caller(user, token, found)


def require(session: Session, workspace_id: WorkspaceId, caller: Caller, action: Action) -> Role:
    """The caller's role in the workspace; 404 when not a member, 403 when the role does not allow `action`."""
    role = Workspaces(session).role_of(workspace_id, caller.id)
    if role is None:
        raise Missing(f"workspace {workspace_id} not found", {"kind": "workspace", "id": workspace_id})
    if not can(role, action):
        raise Forbidden(
            f"your role ({role.value}) does not allow {action.value.replace('_', ' ')}",
            {"action": action.value, "role": role.value},
        )
    return role


def visible_report(
    session: Session, workspace_id: WorkspaceId, report_id: ReportId, caller: Caller, action: Action
) -> Report:
    """A report the caller may see (else 404) and may apply `action` to (else 403)."""
    role = require(session, workspace_id, caller, Action.VIEW_WORKSPACE)
    report = Reports(session).get(workspace_id, report_id)
    is_owner = report.owner == caller.id
    if not can_on_report(role, Action.VIEW_OWN_REPORTS, is_owner=is_owner):
        raise Missing(f"report {report_id} not found", {"kind": "report", "id": report_id})
    if not can_on_report(role, action, is_owner=is_owner):
        raise Forbidden(
            f"your role ({role.value}) does not allow {action.value.replace('_', ' ')} on this report",
            {"action": action.value, "role": role.value},
        )
    return report
