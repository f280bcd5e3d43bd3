"""Workspaces and their members."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ledgerbridge.domain.ids import UserId, WorkspaceId
from ledgerbridge.domain.workspace import Member, Role, Workspace
from ledgerbridge.store.errors import AlreadyExists, NotFound
from ledgerbridge.store.models import MemberRow, WorkspaceRow
from ledgerbridge.store.repos._rows import affected


def _workspace(row: WorkspaceRow) -> Workspace:
    return Workspace(row.id, row.name, row.base_currency, row.created_at)


def _member(row: MemberRow) -> Member:
    return Member(row.workspace_id, row.user_id, Role(row.role), row.added_at)


class Workspaces:
    """Workspaces, who belongs to them, and with which role."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, workspace: Workspace) -> Workspace:
        self.session.add(
            WorkspaceRow(
                id=workspace.id,
                name=workspace.name,
                base_currency=workspace.base_currency,
                created_at=workspace.created_at,
            )
        )
        self.session.flush()
        return workspace

    def get(self, workspace_id: WorkspaceId) -> Workspace:
        row = self.session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise NotFound("workspace", workspace_id)
        return _workspace(row)

    def all_with_member_counts(self) -> list[tuple[Workspace, int]]:
        """Every workspace by name, with how many members it has."""
        members = (
            select(MemberRow.workspace_id, func.count().label("members"))
            .group_by(MemberRow.workspace_id)
            .subquery()
        )
        rows = self.session.execute(
            select(WorkspaceRow, func.coalesce(members.c.members, 0))
            .outerjoin(members, members.c.workspace_id == WorkspaceRow.id)
            .order_by(WorkspaceRow.name, WorkspaceRow.id)
        )
        return [(_workspace(row), int(count)) for row, count in rows]

    def find(self, ref: str) -> list[Workspace]:
        """The workspace whose id is `ref`; else those named `ref` exactly; else named so regardless of case."""
        found = self.session.get(WorkspaceRow, ref)
        if found is not None:
            return [_workspace(found)]
        for same_name in (WorkspaceRow.name == ref, func.lower(WorkspaceRow.name) == ref.lower()):
            rows = self.session.scalars(select(WorkspaceRow).where(same_name).order_by(WorkspaceRow.id)).all()
            if rows:
                return [_workspace(row) for row in rows]
        return []

    def save(self, workspace: Workspace) -> Workspace:
        """Store a changed name or base currency."""
        row = self.session.get(WorkspaceRow, workspace.id)
        if row is None:
            raise NotFound("workspace", workspace.id)
        row.name, row.base_currency = workspace.name, workspace.base_currency
        self.session.flush()
        return workspace

    def delete(self, workspace_id: WorkspaceId) -> None:
        """Remove a workspace and everything in it."""
        if not affected(self.session.execute(delete(WorkspaceRow).where(WorkspaceRow.id == workspace_id))):
            raise NotFound("workspace", workspace_id)

    def of_user(self, user_id: UserId) -> list[tuple[Workspace, Role]]:
        """The workspaces a user belongs to, with their role in each, by name."""
        rows = self.session.execute(
            select(WorkspaceRow, MemberRow.role)
            .join(MemberRow, MemberRow.workspace_id == WorkspaceRow.id)
            .where(MemberRow.user_id == user_id)
            .order_by(WorkspaceRow.name, WorkspaceRow.id)
        )
        return [(_workspace(ws), Role(role)) for ws, role in rows]

    def add_member(self, member: Member) -> Member:
        if self.session.get(MemberRow, (member.workspace_id, member.user_id)) is not None:
            raise AlreadyExists("member", member.user_id)
        self.session.add(
            MemberRow(
                workspace_id=member.workspace_id,
                user_id=member.user_id,
                role=member.role.value,
                added_at=member.added_at,
            )
        )
        self.session.flush()
        return member

    def member(self, workspace_id: WorkspaceId, user_id: UserId) -> Member | None:
        row = self.session.get(MemberRow, (workspace_id, user_id))
        return None if row is None else _member(row)

    def role_of(self, workspace_id: WorkspaceId, user_id: UserId) -> Role | None:
        """The user's role in the workspace, or None when they are not a member."""
        member = self.member(workspace_id, user_id)
        return None if member is None else member.role

    def members(self, workspace_id: WorkspaceId) -> list[Member]:
        rows = self.session.scalars(
            select(MemberRow)
            .where(MemberRow.workspace_id == workspace_id)
            .order_by(MemberRow.added_at, MemberRow.user_id)
        )
        return [_member(row) for row in rows]

    def set_role(self, workspace_id: WorkspaceId, user_id: UserId, role: Role) -> Member:
        row = self.session.get(MemberRow, (workspace_id, user_id))
        if row is None:
            raise NotFound("member", user_id)
        row.role = role.value
        self.session.flush()
        return _member(row)

    def remove_member(self, workspace_id: WorkspaceId, user_id: UserId) -> None:
        row = self.session.get(MemberRow, (workspace_id, user_id))
        if row is None:
            raise NotFound("member", user_id)
        self.session.delete(row)
        self.session.flush()
