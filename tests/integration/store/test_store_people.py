"""Users, API tokens, workspaces and members, stored and read back."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from ledgerbridge.domain import ApiToken, Member, Role, User, Workspace, new_id
from ledgerbridge.domain.workspace import hash_api_token, new_api_token
from ledgerbridge.store import AlreadyExists, Database, NotFound, Users, Workspaces
from tests.db import new_user, new_workspace, now


def test_sign_in_email_is_unique_whatever_its_case(db_session: Session) -> None:
    user = new_user(db_session, email=f"Dana.{new_id()}@Example.com")
    users = Users(db_session)
    assert users.by_email(user.email.upper()) == user
    with pytest.raises(AlreadyExists):
        users.add(User(new_id(), user.email.lower(), "Impostor", "h", now()))


def test_a_user_round_trips_with_aware_utc_times(database: Database) -> None:
    with database.session() as session:
        user = new_user(session)
    with database.session() as session:
        stored = Users(session).get(user.id)
    assert stored == user
    assert stored.created_at.tzinfo is not None


def test_deactivating_and_renaming_a_user(db_session: Session) -> None:
    user = new_user(db_session)
    users = Users(db_session)
    users.save(dataclasses.replace(user, name="Dana R.", active=False))
    assert users.get(user.id).name == "Dana R." and not users.get(user.id).active


def test_api_tokens_are_found_by_hash_and_revoked(database: Database) -> None:
    token = new_api_token()
    with database.session() as session:
        user = new_user(session)
        stored = Users(session).add_token(ApiToken(new_id(), user.id, "ci", hash_api_token(token), now()))
    with database.session() as session:
        users = Users(session)
        found = users.token_by_hash(hash_api_token(token))
        assert found == stored and not found.revoked
        users.touch_token(stored.id, now())
        revoked = users.revoke_token(user.id, stored.id, now() + timedelta(seconds=1))
        assert revoked.revoked and revoked.last_used_at is not None
        assert users.token_by_hash(hash_api_token("lb_not-a-token")) is None
        with pytest.raises(NotFound):
            users.revoke_token(new_id(), stored.id, now())


def test_members_and_roles(db_session: Session) -> None:
    admin = new_user(db_session)
    approver = new_user(db_session, name="Avery Approver")
    workspace = new_workspace(db_session, admin=admin, name="Northwind")
    workspaces = Workspaces(db_session)
    workspaces.add_member(Member(workspace.id, approver.id, Role.APPROVER, now()))
    assert workspaces.role_of(workspace.id, approver.id) is Role.APPROVER
    with pytest.raises(AlreadyExists):
        workspaces.add_member(Member(workspace.id, approver.id, Role.MEMBER, now()))
    workspaces.set_role(workspace.id, approver.id, Role.MEMBER)
    assert [m.role for m in workspaces.members(workspace.id)] == [Role.ADMIN, Role.MEMBER]
    assert workspaces.of_user(approver.id) == [(workspace, Role.MEMBER)]
    workspaces.remove_member(workspace.id, approver.id)
    assert workspaces.role_of(workspace.id, approver.id) is None


def test_another_workspace_is_invisible_to_a_user(db_session: Session) -> None:
    mine = new_workspace(db_session, name="Mine")
    outsider = new_user(db_session)
    theirs = new_workspace(db_session, name="Theirs", admin=outsider)
    workspaces = Workspaces(db_session)
    assert workspaces.role_of(mine.id, outsider.id) is None
    assert [ws for ws, _ in workspaces.of_user(outsider.id)] == [theirs]


def test_deleting_a_workspace_takes_its_members(db_session: Session) -> None:
    user = new_user(db_session)
    workspace = new_workspace(db_session, admin=user)
    workspaces = Workspaces(db_session)
    workspaces.save(dataclasses.replace(workspace, name="Renamed"))
    assert workspaces.get(workspace.id).name == "Renamed"
    workspaces.delete(workspace.id)
    assert workspaces.of_user(user.id) == []
    with pytest.raises(NotFound):
        workspaces.get(workspace.id)
    assert isinstance(workspace, Workspace)


def test_a_workspace_is_found_by_id_then_exact_name_then_name_in_any_case(db_session: Session) -> None:
    tag = new_id()
    cedar = new_workspace(db_session, name=f"Cedar Ridge {tag}")
    workspaces = Workspaces(db_session)
    assert workspaces.find(cedar.id) == [cedar]
    assert workspaces.find(cedar.name) == [cedar]
    assert workspaces.find(cedar.name.upper()) == [cedar]
    lower = new_workspace(db_session, name=f"cedar ridge {tag}")
    assert workspaces.find(lower.name) == [lower]  # an exact match wins over one in another case
    twin = new_workspace(db_session, name=cedar.name)
    assert sorted(w.id for w in workspaces.find(cedar.name)) == sorted([cedar.id, twin.id])
    assert workspaces.find(f"Nowhere {tag}") == []


def test_every_workspace_is_listed_with_its_member_count(db_session: Session) -> None:
    busy, empty = new_workspace(db_session, name=f"Busy {new_id()}"), new_workspace(db_session)
    Workspaces(db_session).add_member(Member(busy.id, new_user(db_session).id, Role.MEMBER, now()))
    Workspaces(db_session).remove_member(empty.id, Workspaces(db_session).members(empty.id)[0].user_id)
    counts = {workspace.id: count for workspace, count in Workspaces(db_session).all_with_member_counts()}
    assert (counts[busy.id], counts[empty.id]) == (2, 0)
