"""Who may do what: every API operation is an `Action`, and roles are checked by pure functions."""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Final

from ledgerbridge.domain.workspace import Role


class Action(enum.StrEnum):
    """One operation of the API. `*_OWN_*` actions apply to the caller's own reports only."""

    VIEW_WORKSPACE = "view_workspace"
    RENAME_WORKSPACE = "rename_workspace"
    DELETE_WORKSPACE = "delete_workspace"
    VIEW_MEMBERS = "view_members"
    MANAGE_MEMBERS = "manage_members"
    VIEW_CODING = "view_coding"
    MANAGE_CATEGORIES = "manage_categories"
    MANAGE_TAGS = "manage_tags"
    MANAGE_CARDS = "manage_cards"
    CREATE_REPORT = "create_report"
    VIEW_OWN_REPORTS = "view_own_reports"
    VIEW_ALL_REPORTS = "view_all_reports"
    EDIT_OWN_REPORT = "edit_own_report"
    EDIT_ANY_REPORT = "edit_any_report"
    DELETE_OWN_REPORT = "delete_own_report"
    DELETE_ANY_REPORT = "delete_any_report"
    SUBMIT_OWN_REPORT = "submit_own_report"
    SUBMIT_ANY_REPORT = "submit_any_report"
    APPROVE_REPORT = "approve_report"
    RETURN_REPORT = "return_report"
    UNAPPROVE_REPORT = "unapprove_report"
    MARK_REIMBURSED = "mark_reimbursed"
    PREFLIGHT_REPORT = "preflight_report"
    EXPORT_REPORT = "export_report"
    RETRY_EXPORT = "retry_export"
    RECATEGORIZE = "recategorize"
    VIEW_HISTORY = "view_history"
    VIEW_CONNECTION = "view_connection"
    CONNECT = "connect"
    UPDATE_CREDENTIALS = "update_credentials"
    DISCONNECT = "disconnect"
    VIEW_SETTINGS = "view_settings"
    EDIT_SETTINGS = "edit_settings"
    RUN_SYNC = "run_sync"
    VIEW_SYNC = "view_sync"


_EVERYONE: Final = frozenset(
    {
        Action.VIEW_WORKSPACE,
        Action.VIEW_CODING,
        Action.CREATE_REPORT,
        Action.VIEW_OWN_REPORTS,
        Action.EDIT_OWN_REPORT,
        Action.DELETE_OWN_REPORT,
        Action.SUBMIT_OWN_REPORT,
        Action.VIEW_HISTORY,
    }
)
_APPROVER: Final = _EVERYONE | {
    Action.VIEW_MEMBERS,
    Action.VIEW_ALL_REPORTS,
    Action.APPROVE_REPORT,
    Action.RETURN_REPORT,
    Action.UNAPPROVE_REPORT,
    Action.PREFLIGHT_REPORT,
}

ROLE_ACTIONS: Final = MappingProxyType(
    {
        Role.ADMIN: frozenset(Action),
        Role.APPROVER: frozenset(_APPROVER),
        Role.MEMBER: frozenset(_EVERYONE),
    }
)
"""Everything each role may do; an admin may do everything."""

OWN_TO_ANY: Final = MappingProxyType(
    {
        Action.VIEW_OWN_REPORTS: Action.VIEW_ALL_REPORTS,
        Action.EDIT_OWN_REPORT: Action.EDIT_ANY_REPORT,
        Action.DELETE_OWN_REPORT: Action.DELETE_ANY_REPORT,
        Action.SUBMIT_OWN_REPORT: Action.SUBMIT_ANY_REPORT,
    }
)
"""For actions limited to one's own reports, the action that covers everyone's."""


def can(role: Role | None, action: Action) -> bool:
    """Whether a role allows an action; no role (not a member) allows nothing."""
    return role is not None and action in ROLE_ACTIONS[role]


def can_on_report(role: Role | None, action: Action, *, is_owner: bool) -> bool:
    """Whether a role allows an action on one report, given whether the caller owns it.

    An own-report action is allowed on someone else's report only through its any-report counterpart;
    viewing a report's history follows whether the caller may view the report.
    """
    if action is Action.VIEW_HISTORY:
        action = Action.VIEW_OWN_REPORTS
    wider = OWN_TO_ANY.get(action)
    if wider is None:
        return can(role, action)
    return can(role, wider) or (is_owner and can(role, action))
