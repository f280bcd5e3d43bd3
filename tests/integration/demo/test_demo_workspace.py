"""The demo workspace: people, connection, synced coding, and the founding report refused with INT860."""

from __future__ import annotations

from ledgerbridge.demo import PEOPLE, create_demo, find_demo
from ledgerbridge.domain import ReportState, Role
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.store import Coding, Database, Reports, SecretBox, Workspaces
from tests.conftest import RunningSandbox


def test_the_demo_workspace_is_synced_and_holds_the_founding_case(
    database: Database, secret_box: SecretBox, fresh_sandbox: RunningSandbox
) -> None:
    demo = create_demo(database, secret_box, fresh_sandbox.gateway_url)

    assert demo.sync is not None and demo.sync.errors == ()
    assert find_demo(database) is not None
    with database.session() as session:
        roles = {m.user_id: m.role for m in Workspaces(session).members(demo.workspace_id)}
        assert sorted(roles.values()) == sorted(p.role for p in PEOPLE)
        assert any(c.name == "Entertainment" for c in Coding(session).categories(demo.workspace_id))
        states = [Reports(session).get(demo.workspace_id, r).state for r in demo.reports]
    assert states.count(ReportState.APPROVED) == 2
    assert roles[demo.user(Role.ADMIN)] is Role.ADMIN

    assert demo.founding_report is not None
    checked = ExportService(database, secret_box).preflight(demo.workspace_id, demo.founding_report)
    assert [f.code for f in checked.blocking] == ["INT860"]
    assert "6400" in checked.blocking[0].message and "AMEX-1005" in checked.blocking[0].message
