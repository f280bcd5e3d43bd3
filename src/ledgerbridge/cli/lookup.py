"""Finding what a command line names: a workspace by id or name, a user by email, a report by id."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledgerbridge.cli.common import UsageProblem
from ledgerbridge.domain import Report, User, Workspace
from ledgerbridge.store import Reports, Users, Workspaces
from ledgerbridge.store.models import ConnectionRow, MemberRow, ReportRow, WorkspaceRow

# The repositories look records up by id within a workspace; a command line names workspaces by name and
# reports without their workspace, so these few lookups read the tables directly.


def all_workspaces(session: Session) -> list[tuple[Workspace, int]]:
    """Every workspace by name, with its number of members."""
    members = (
        select(MemberRow.workspace_id, func.count().label("members"))
        .group_by(MemberRow.workspace_id)
        .subquery()
    )
    rows = session.execute(
        select(WorkspaceRow.id, func.coalesce(members.c.members, 0))
        .outerjoin(members, members.c.workspace_id == WorkspaceRow.id)
        .order_by(WorkspaceRow.name, WorkspaceRow.id)
    )
    repo = Workspaces(session)
    return [(repo.get(workspace_id), int(count)) for workspace_id, count in rows]


def connected_workspace_ids(session: Session) -> set[str]:
    """Ids of the workspaces with stored Intacct credentials (read without opening them)."""
    return set(session.scalars(select(ConnectionRow.workspace_id)))


def is_connected(session: Session, workspace_id: str) -> bool:
    return session.get(ConnectionRow, workspace_id) is not None


def workspace(session: Session, ref: str) -> Workspace:
    """The workspace with id `ref`, or the only one named `ref` (exactly, else regardless of case)."""
    found = session.get(WorkspaceRow, ref)
    if found is not None:
        return Workspaces(session).get(found.id)
    ids = list(session.scalars(select(WorkspaceRow.id).where(WorkspaceRow.name == ref)))
    if not ids:
        ids = list(session.scalars(select(WorkspaceRow.id).where(func.lower(WorkspaceRow.name) == ref.lower())))
    if not ids:
        raise UsageProblem(f"no workspace has the id or name {ref!r}", "`ledgerbridge workspaces list` shows them")
    if len(ids) > 1:
        raise UsageProblem(f"{len(ids)} workspaces are named {ref!r}: {', '.join(sorted(ids))}",
                           "pass the workspace id instead")
    return Workspaces(session).get(ids[0])


def user(session: Session, email: str) -> User:
    """The user signing in with `email`."""
    found = Users(session).by_email(email)
    if found is None:
        raise UsageProblem(f"no user has the email {email!r}", "create one with `ledgerbridge users create`")
    return found


def member(session: Session, space: Workspace, email: str) -> User:
    """The user with `email`, who must belong to the workspace."""
    found = user(session, email)
    if Workspaces(session).role_of(space.id, found.id) is None:
        raise UsageProblem(f"{email} is not a member of workspace {space.name!r}")
    return found


def report(session: Session, report_id: str, space: Workspace | None = None) -> Report:
    """The report with this id, in `space` when one is given."""
    workspace_id = session.scalar(select(ReportRow.workspace_id).where(ReportRow.id == report_id))
    if workspace_id is None or (space is not None and workspace_id != space.id):
        where = f" in workspace {space.name!r}" if space is not None else ""
        raise UsageProblem(f"no report has the id {report_id!r}{where}",
                           "`ledgerbridge reports list --workspace W` shows the report ids")
    return Reports(session).get(workspace_id, report_id)
