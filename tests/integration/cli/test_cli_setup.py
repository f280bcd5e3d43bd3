"""Bootstrapping from the command line: database, users, workspaces, the Intacct connection; and how errors read."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ledgerbridge.cli.main import app
from ledgerbridge.store import Connections, SecretBox, Users, Workspaces
from ledgerbridge.store.secrets import load_or_create_key_file
from tests.integration.cli.helpers import Cli, lines

SANDBOX_PASSWORDS = {
    "LEDGERBRIDGE_INTACCT_SENDER_PASSWORD": "sender-secret-1",
    "LEDGERBRIDGE_INTACCT_USER_PASSWORD": "user-secret-2",
}


def test_db_upgrade_is_safe_to_run_again(cli: Cli) -> None:
    result = cli.ok("db", "upgrade")
    assert "is at revision" in result.stdout


def test_an_unmigrated_database_is_one_line_and_a_hint(tmp_path: Path) -> None:
    env = {"LEDGERBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
           "LEDGERBRIDGE_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(app, ["workspaces", "list"], env=env)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"error: the database at sqlite:///{tmp_path / 'empty.sqlite3'} is empty; this version needs revision "
        + result.stderr.split("needs revision ")[1].splitlines()[0],
        "hint: run `ledgerbridge db upgrade`",
    ]
    assert CliRunner().invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    assert CliRunner().invoke(app, ["workspaces", "list"], env=env).exit_code == 0


def test_users_create_stores_an_argon2_hash_and_refuses_a_second_user_with_the_same_email(cli: Cli) -> None:
    email = cli.new_user("Grace Hopper")
    with cli.database.session() as session:
        user = Users(session).by_email(email.upper())
    assert user is not None and user.name == "Grace Hopper"
    assert user.password_hash.startswith("$argon2")
    assert "correct horse" not in user.password_hash

    again = cli("users", "create", email.upper(), "--name", "Someone Else", "--password-stdin", input="x" * 12 + "\n")
    assert again.exit_code == 1
    assert lines(again) == [f"error: user {email.upper()} already exists"]


def test_users_create_refuses_a_short_password_and_a_bad_email(cli: Cli) -> None:
    short = cli("users", "create", "someone@example.com", "--name", "S", "--password-stdin", input="short\n")
    assert (short.exit_code, lines(short)) == (2, ["error: the password needs at least 8 characters"])
    bad = cli("users", "create", "not-an-email", "--name", "S", "--password-stdin", input="long enough\n")
    assert (bad.exit_code, lines(bad)) == (2, ["error: 'not-an-email' is not an email address"])


def test_workspaces_create_makes_the_user_admin_and_list_shows_it(cli: Cli) -> None:
    admin = cli.new_user()
    workspace_id = cli.new_workspace(admin=admin, currency="eur")
    with cli.database.session() as session:
        workspace = Workspaces(session).get(workspace_id)
        members = Workspaces(session).members(workspace_id)
        admin_user = Users(session).by_email(admin)
    assert workspace.base_currency == "EUR"
    assert admin_user is not None
    assert [(m.user_id, m.role.value) for m in members] == [(admin_user.id, "admin")]

    listed = json.loads(cli.ok("workspaces", "list", "--json").stdout)
    mine = next(row for row in listed if row["id"] == workspace_id)
    assert mine == {"id": workspace_id, "name": workspace.name, "base_currency": "EUR",
                    "created_at": mine["created_at"], "members": 1, "connected": False}
    table = cli.ok("workspaces", "list").stdout
    assert workspace_id in table and workspace.name in table


def test_workspaces_create_with_an_unknown_admin_or_currency_is_a_usage_error(cli: Cli) -> None:
    unknown = cli("workspaces", "create", "Nowhere", "--admin", "nobody@example.com")
    assert unknown.exit_code == 2
    assert lines(unknown) == ["error: no user has the email 'nobody@example.com'",
                              "hint: create one with `ledgerbridge users create`"]
    currency = cli("workspaces", "create", "Nowhere", "--admin", cli.new_user(), "--currency", "XYZ")
    assert currency.exit_code == 2
    assert lines(currency)[0].startswith("error: unknown currency 'XYZ'")


def test_an_unknown_or_ambiguous_workspace_names_the_problem_and_how_to_fix_it(cli: Cli) -> None:
    unknown = cli("reports", "list", "--workspace", "no such workspace")
    assert unknown.exit_code == 2
    assert lines(unknown) == ["error: no workspace has the id or name 'no such workspace'",
                              "hint: `ledgerbridge workspaces list` shows them"]
    name = f"Twin {cli.data_dir.parent.name}"
    first, second = cli.new_workspace(name=name), cli.new_workspace(name=name)
    ambiguous = cli("reports", "list", "--workspace", name)
    assert ambiguous.exit_code == 2
    assert lines(ambiguous) == [f"error: 2 workspaces are named {name!r}: {', '.join(sorted([first, second]))}",
                                "hint: pass the workspace id instead"]
    assert cli("reports", "list", "--workspace", first).exit_code == 0


def test_debug_shows_the_exception_instead_of_one_line(cli: Cli) -> None:
    plain = cli("reports", "list", "--workspace", "missing")
    assert plain.exit_code == 2 and "Traceback" not in plain.stderr + plain.stdout
    debug = cli("--debug", "reports", "list", "--workspace", "missing")
    assert debug.exit_code != 0
    assert debug.exception is not None and "no workspace has the id or name" in str(debug.exception)


def test_connection_set_reads_passwords_from_the_environment_and_stores_them_sealed(cli: Cli) -> None:
    workspace_id = cli.new_workspace()
    result = cli("connection", "set", "--workspace", workspace_id, "--sender-id", "ledgerbridge",
                 "--company-id", "DEMO", "--user-id", "xml_gateway", "--entity", "E100",
                 "--endpoint", "http://127.0.0.1:9/ia/xml/xmlgw.phtml", "--no-test", "--json",
                 env=SANDBOX_PASSWORDS)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "workspace_id": workspace_id, "sender_id": "ledgerbridge", "company_id": "DEMO", "user_id": "xml_gateway",
        "entity": "E100", "endpoint_url": "http://127.0.0.1:9/ia/xml/xmlgw.phtml"}
    assert "secret" not in result.stdout + result.stderr

    box = SecretBox(load_or_create_key_file(cli.data_dir / "secret.key"))
    with cli.database.session() as session:
        connection = Connections(session, box).get(workspace_id)
        settings = Connections(session, box).settings(workspace_id)
    assert connection is not None
    assert connection.credentials.sender_password == "sender-secret-1"
    assert connection.credentials.user_password == "user-secret-2"
    assert settings.entity == "E100"
    listed = json.loads(cli.ok("workspaces", "list", "--json").stdout)
    assert next(row for row in listed if row["id"] == workspace_id)["connected"] is True


def test_connection_set_without_passwords_and_no_terminal_says_which_variable_to_set(cli: Cli) -> None:
    workspace_id = cli.new_workspace()
    result = cli("connection", "set", "--workspace", workspace_id, "--sender-id", "s", "--company-id", "c",
                 "--user-id", "u", "--no-test",
                 env={"LEDGERBRIDGE_INTACCT_SENDER_PASSWORD": None, "LEDGERBRIDGE_INTACCT_USER_PASSWORD": None})
    assert result.exit_code == 2
    assert lines(result) == [
        "error: LEDGERBRIDGE_INTACCT_SENDER_PASSWORD is not set and there is no terminal to ask for the sender "
        "password",
        "hint: set LEDGERBRIDGE_INTACCT_SENDER_PASSWORD in the environment",
    ]


def test_every_command_has_help(cli: Cli) -> None:
    for command in (["--help"], ["sync", "--help"], ["reports", "list", "--help"], ["reports", "show", "--help"],
                    ["expenses", "import", "--help"], ["users", "create", "--help"],
                    ["workspaces", "create", "--help"], ["workspaces", "list", "--help"],
                    ["connection", "set", "--help"], ["db", "upgrade", "--help"]):
        result = cli.ok(*command)
        assert "Usage:" in result.stdout
