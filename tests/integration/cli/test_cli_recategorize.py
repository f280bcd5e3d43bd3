"""`ledgerbridge recategorize` moves an INT860 expense to a suggested category and shows the new preflight."""

from __future__ import annotations

import json

from ledgerbridge.domain import CompanyCard, EventKind, new_id
from ledgerbridge.store import Coding, Reports, Users
from tests.conftest import RunningSandbox
from tests.integration.cli.helpers import Cli
from tests.integration.cli.test_cli_sync import connect
from tests.integration.export.test_int_codes_sandbox import Line, report


def test_recategorize_by_category_name_records_history_and_clears_preflight(
    cli: Cli, sandbox_server: RunningSandbox
) -> None:
    admin = cli.new_user()
    workspace_id = cli.new_workspace(admin=admin)
    assert connect(cli, workspace_id, sandbox_server).exit_code == 0
    assert cli("sync", "--workspace", workspace_id, "--json").exit_code == 0
    with cli.database.session() as session:
        owner = Users(session).by_email(admin)
        assert owner is not None
        Coding(session).add_card(CompanyCard(new_id(), workspace_id, "•••• 1005", owner.id, "AMEX-1005"))
    report_id, (grill,) = report(cli.database, workspace_id, owner,
                                 [Line("Harbor Grill", "Entertainment", on_card=True, tags={})])
    assert cli("preflight", "--workspace", workspace_id, "--report", report_id).exit_code == 1

    unknown = cli("recategorize", "--workspace", workspace_id, "--report", report_id, "--category", "Nope")
    assert unknown.exit_code == 2 and "no category 'Nope'" in unknown.stderr

    done = cli("recategorize", "--workspace", workspace_id, "--report", report_id, "--category", "company events",
               "--json")

    assert done.exit_code == 0, (done.stdout, done.stderr)
    data = json.loads(done.stdout)
    assert [(m["expense_id"], m["from_category"], m["to_category"]) for m in data["moved"]] == [
        (grill, "Entertainment", "Company Events")]
    assert data["int_code"] == "INT860" and data["preflight"]["ok"] is True
    with cli.database.session() as session:
        (event,) = [e for e in Reports(session).history(report_id) if e.kind is EventKind.RECATEGORIZED]
    assert event.detail["int_code"] == "INT860" and event.detail["changed"][0]["to_name"] == "Company Events"

    again = cli("recategorize", "--workspace", workspace_id, "--report", report_id, "--category", "Company Events",
                "--expense", grill)
    assert again.exit_code == 0 and "nothing changed" in again.stdout
