"""Finding what a command line names: a workspace by id or name, a user by email, a report by id."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ledgerbridge.cli.common import UsageProblem
from ledgerbridge.domain import Report, User, Workspace
from ledgerbridge.store import ConnectionStatus, Reports, Users, Workspaces


def all_workspaces(session: Session) -> list[tuple[Workspace, int]]:
    """Every workspace by name, with its number of members."""
    return Workspaces(session).all_with_member_counts()


def connected_workspace_ids(session: Session) -> set[str]:
    """Ids of the workspaces with stored Intacct credentials (read without opening them)."""
    return ConnectionStatus(session).connected_workspace_ids()


def is_connected(session: Session, workspace_id: str) -> bool:
    return ConnectionStatus(session).is_connected(workspace_id)


def workspace(session: Session, ref: str) -> Workspace:
    """The workspace with id `ref`, or the only one named `ref` (exactly, else regardless of case)."""
    found = Workspaces(session).find(ref)
    if not found:
        raise UsageProblem(f"no workspace has the id or name {ref!r}", "`ledgerbridge workspaces list` shows them")
    if len(found) > 1:
        raise UsageProblem(f"{len(found)} workspaces are named {ref!r}: {', '.join(sorted(w.id for w in found))}",
                           "pass the workspace id instead")
    return found[0]


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
    reports = Reports(session)
    workspace_id = reports.workspace_of(report_id)
    if workspace_id is None or (space is not None and workspace_id != space.id):
        where = f" in workspace {space.name!r}" if space is not None else ""
        raise UsageProblem(f"no report has the id {report_id!r}{where}",
                           "`ledgerbridge reports list --workspace W` shows the report ids")
    return reports.get(workspace_id, report_id)
