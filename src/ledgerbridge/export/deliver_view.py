"""Reading what an export run decides on from the store: the workspace view, once per workspace per run."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ledgerbridge.domain.ids import UserId, WorkspaceId
from ledgerbridge.domain.snapshot import (
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctJournal,
    IntacctPeriod,
    IntacctVendor,
)
from ledgerbridge.export.view import WorkspaceView, index
from ledgerbridge.store import Coding, Connections, NotFound, SecretBox, Snapshots, SyncRuns, Users, Workspaces


def load_view(session: Session, box: SecretBox, workspace_id: WorkspaceId,
              owners: Iterable[UserId] = ()) -> WorkspaceView:
    """The workspace's coding, settings, people's emails and the Intacct snapshot as last synced.

    `owners` adds the emails of report owners who are no longer members (their reports still export).
    """
    snapshots, coding = Snapshots(session), Coding(session)
    users = Users(session)
    emails: dict[UserId, str] = {}
    for user_id in {*(m.user_id for m in Workspaces(session).members(workspace_id)), *owners}:
        try:
            emails[user_id] = users.get(user_id).email
        except NotFound:
            continue
    accounts = snapshots.all(workspace_id, IntacctAccount)
    journals = snapshots.all(workspace_id, IntacctJournal)
    runs = SyncRuns(session)
    return index(
        Connections(session, box).settings(workspace_id),
        categories=coding.categories(workspace_id),
        tags=coding.tags(workspace_id),
        cards=coding.cards(workspace_id),
        member_emails=emails,
        accounts=accounts,
        card_accounts=snapshots.all(workspace_id, IntacctCardAccount),
        expense_types=snapshots.all(workspace_id, IntacctExpenseType),
        employees=snapshots.all(workspace_id, IntacctEmployee),
        vendors=snapshots.all(workspace_id, IntacctVendor),
        dimension_values=snapshots.all(workspace_id, IntacctDimensionValue),
        periods=snapshots.all(workspace_id, IntacctPeriod),
        # Journals are judged once a sync has read them: some are stored, or a finished run read none at all.
        journals=journals if journals or runs.has_read(workspace_id, "GLJOURNAL") else None,
        # Preflight judges accounts only once Sync Now has brought some in.
        synced=bool(accounts) or bool(runs.history(workspace_id, limit=1)),
    )
