"""`ledgerbridge sync` against the demo sandbox over HTTP, and `connection set` testing credentials first."""

from __future__ import annotations

import json

from ledgerbridge.store import Coding
from tests.conftest import RunningSandbox
from tests.integration.cli.helpers import Cli, lines

DEMO = {"LEDGERBRIDGE_INTACCT_SENDER_PASSWORD": "sandbox", "LEDGERBRIDGE_INTACCT_USER_PASSWORD": "sandbox"}


def connect(cli: Cli, workspace_id: str, sandbox: RunningSandbox, *extra: str, env: dict[str, str | None] = DEMO):
    return cli("connection", "set", "--workspace", workspace_id, "--sender-id", "ledgerbridge", "--company-id",
               "DEMO", "--user-id", "xml_gateway", "--endpoint", sandbox.gateway_url, *extra, env=env)


def test_sync_pulls_the_demo_company_and_summarises_it(cli: Cli, sandbox_server: RunningSandbox) -> None:
    workspace_id = cli.new_workspace()
    connected = connect(cli, workspace_id, sandbox_server)
    assert connected.exit_code == 0, connected.stderr

    first = cli("sync", "--workspace", workspace_id, "--json")
    assert first.exit_code == 0, (first.stdout, first.stderr)
    run = json.loads(first.stdout)
    assert (run["status"], run["trigger"], run["workspace_id"], run["errors"]) == (
        "succeeded", "manual", workspace_id, [])
    assert run["counts"]["GLACCOUNT"]["read"] > 0
    assert run["counts"]["GLACCOUNT"]["created"] + run["counts"].get("EEACCOUNTLABEL", {}).get("created", 0) > 0
    assert run["progress"]["kinds_done"] == run["progress"]["kinds_total"] > 0
    with cli.database.session() as session:
        assert Coding(session).categories(workspace_id)

    again = cli("sync", "--workspace", workspace_id)
    assert again.exit_code == 0, again.stderr
    assert "GLACCOUNT" in again.stdout and "Sync succeeded" in again.stdout
    for column in ("Read", "Created", "Updated", "Disabled"):
        assert column in again.stdout


def test_a_failing_sync_exits_1_and_lists_its_int_codes(cli: Cli, sandbox_server: RunningSandbox) -> None:
    workspace_id = cli.new_workspace()
    wrong = {**DEMO, "LEDGERBRIDGE_INTACCT_USER_PASSWORD": "not-the-password"}
    assert connect(cli, workspace_id, sandbox_server, "--no-test", env=wrong).exit_code == 0

    result = cli("sync", "--workspace", workspace_id, "--json")
    assert result.exit_code == 1
    run = json.loads(result.stdout)
    assert run["status"] == "failed"
    assert run["errors"] and all(error["int_code"].startswith("INT") for error in run["errors"])
    text = cli("sync", "--workspace", workspace_id)
    assert text.exit_code == 1
    assert run["errors"][0]["int_code"] in text.stdout and "Sync failed" in text.stdout
    assert "Traceback" not in text.stdout + text.stderr


def test_connection_set_refuses_credentials_intacct_rejects_and_saves_nothing(
    cli: Cli, sandbox_server: RunningSandbox
) -> None:
    workspace_id = cli.new_workspace()
    result = connect(cli, workspace_id, sandbox_server,
                     env={**DEMO, "LEDGERBRIDGE_INTACCT_SENDER_PASSWORD": "wrong"})
    assert result.exit_code == 1
    error, hint = lines(result)
    assert error.startswith("error: Intacct refused the connection, nothing was saved: INT")
    assert hint.startswith("hint: `ledgerbridge errors explain INT")
    listed = json.loads(cli.ok("workspaces", "list", "--json").stdout)
    assert next(row for row in listed if row["id"] == workspace_id)["connected"] is False


def test_sync_of_an_unconnected_workspace_is_a_usage_error(cli: Cli) -> None:
    workspace_id = cli.new_workspace()
    result = cli("sync", "--workspace", workspace_id)
    assert result.exit_code == 2
    assert lines(result)[0].endswith("is not connected to Sage Intacct")
    assert lines(result)[1].startswith(f"hint: run `ledgerbridge connection set --workspace {workspace_id}")
