"""Roles: what an admin, an approver and a member may do."""

from __future__ import annotations

import pytest

from ledgerbridge.domain import Action, Role, can, can_on_report
from ledgerbridge.domain.access import OWN_TO_ANY

ADMIN_ONLY = [
    Action.CONNECT,
    Action.UPDATE_CREDENTIALS,
    Action.DISCONNECT,
    Action.EDIT_SETTINGS,
    Action.RUN_SYNC,
    Action.EXPORT_REPORT,
    Action.RETRY_EXPORT,
    Action.MANAGE_CATEGORIES,
    Action.MANAGE_TAGS,
    Action.MANAGE_CARDS,
    Action.MANAGE_MEMBERS,
    Action.RECATEGORIZE,
]


@pytest.mark.parametrize("action", list(Action))
def test_an_admin_may_do_everything(action: Action) -> None:
    assert can(Role.ADMIN, action)


@pytest.mark.parametrize("action", ADMIN_ONLY)
@pytest.mark.parametrize("role", [Role.APPROVER, Role.MEMBER])
def test_connection_settings_sync_export_and_coding_are_for_admins(role: Role, action: Action) -> None:
    assert not can(role, action)


def test_an_approver_approves_and_sees_every_report() -> None:
    assert can(Role.APPROVER, Action.APPROVE_REPORT)
    assert can_on_report(Role.APPROVER, Action.VIEW_OWN_REPORTS, is_owner=False)
    assert not can(Role.MEMBER, Action.APPROVE_REPORT)


def test_a_member_sees_and_edits_only_their_own_reports() -> None:
    for action in OWN_TO_ANY:
        assert can_on_report(Role.MEMBER, action, is_owner=True)
        assert not can_on_report(Role.MEMBER, action, is_owner=False)
    assert not can_on_report(Role.MEMBER, Action.VIEW_HISTORY, is_owner=False)
    assert can_on_report(Role.MEMBER, Action.VIEW_HISTORY, is_owner=True)


def test_an_approver_cannot_edit_someone_elses_report() -> None:
    assert not can_on_report(Role.APPROVER, Action.EDIT_OWN_REPORT, is_owner=False)


@pytest.mark.parametrize("action", list(Action))
def test_without_a_role_nothing_is_allowed(action: Action) -> None:
    assert not can(None, action)
    assert not can_on_report(None, action, is_owner=True)
