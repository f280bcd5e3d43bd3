"""`ledgerbridge errors list|explain`, driven through Typer's test runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ledgerbridge.catalog import CATALOG
from ledgerbridge.cli.errors import app

runner = CliRunner(env={"COLUMNS": "400", "NO_COLOR": "1"})


def test_list_shows_every_code_in_a_table() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    for entry in CATALOG:
        assert entry.code in result.stdout
    assert "GL account is restricted" in result.stdout


def test_list_json_gives_every_code_and_what_its_fix_takes() -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["code"] for row in rows] == [entry.code for entry in CATALOG]
    int860 = next(row for row in rows if row["code"] == "INT860")
    assert int860 == {
        "code": "INT860", "kind": "export", "title": "GL account is restricted", "needs_sync": True,
        "needs_intacct_admin": True, "placeholders": ["account", "card", "category"],
    }


def test_explain_shows_message_why_fixes_and_faq() -> None:
    result = runner.invoke(app, ["explain", "int860"])
    assert result.exit_code == 0
    out = result.stdout
    assert "INT860 Export Error: Sage Intacct couldn't create the transaction because account [account]" in out
    assert "Why" in out
    assert "[Sage Intacct, admin] Sign in to Sage Intacct as an administrator" in out
    assert "Recategorize to an unrestricted account" in out
    assert "Does INT860 mean the credit card is disconnected?" in out


def test_explain_fills_real_values() -> None:
    result = runner.invoke(app, ["explain", "INT860", "--value", "account=6400", "-v", "card=AMEX-1005"])
    assert result.exit_code == 0
    assert (
        "INT860 Export Error: Sage Intacct couldn't create the transaction because account 6400 "
        "(linked to Credit Card AMEX-1005) is restricted."
    ) in result.stdout
    assert "open GL account 6400 in the chart of accounts" in result.stdout


def test_explain_json_with_values_is_the_rendered_error() -> None:
    result = runner.invoke(app, ["explain", "INT860", "-v", "account=6400", "-v", "card=AMEX-1005", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["message"].endswith("account 6400 (linked to Credit Card AMEX-1005) is restricted.")
    assert [fix["needs_sync"] for fix in data["fixes"]] == [True, False]


def test_explain_json_without_values_is_the_catalog_entry() -> None:
    result = runner.invoke(app, ["explain", "INT446", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["messages"] == ["Vendor {vendor} is on hold in Sage Intacct, so nothing can be posted to it."]
    assert data["fixes"][0]["steps"][0]["place"] == "sage_intacct"


def test_unknown_code_is_one_clear_line_and_exit_2() -> None:
    result = runner.invoke(app, ["explain", "INT999"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: unknown error code 'INT999'; `ledgerbridge errors list` shows every code\n"


def test_bad_values_are_one_clear_line_and_exit_2() -> None:
    misspelt = runner.invoke(app, ["explain", "INT860", "-v", "acount=6400"])
    assert misspelt.exit_code == 2
    assert misspelt.stderr.strip() == "error: INT860 has no placeholder 'acount'; it accepts: account, card, category"
    malformed = runner.invoke(app, ["explain", "INT860", "-v", "account"])
    assert malformed.exit_code == 2
    assert malformed.stderr.strip() == "error: --value expects NAME=VALUE, got 'account'"
    missing = runner.invoke(app, ["explain", "INT860", "-v", "card=AMEX-1005"])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == "error: INT860 needs a value for 'account'"
