"""`ledgerbridge expenses import`: a CSV file becomes a draft report, or nothing happens and every problem is listed."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from ledgerbridge.domain import Member, Payment, ReportState, Role
from ledgerbridge.store import Reports, Users, Workspaces
from tests.integration.cli.helpers import Cli, seed_coding

HEADER = "date,merchant,amount,currency,category,department,location,payment,card,billable,description,vendor\n"


def write(tmp_path: Path, text: str, name: str = "expenses.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def report_count(cli: Cli, workspace_id: str) -> int:
    with cli.database.session() as session:
        return Reports(session).count(workspace_id)


def test_a_valid_file_becomes_one_draft_report_with_exact_amounts(cli: Cli, tmp_path: Path) -> None:
    owner = cli.new_user("Dana Reyes")
    workspace_id = cli.new_workspace(admin=owner)
    coding = seed_coding(cli.database, workspace_id)
    path = write(tmp_path, HEADER
                 + '2024-03-01,Delta Air Lines,"1,234.50",USD,Travel,D100,L1,reimbursable,,yes,Flight to NYC,V-DELTA\n'
                 + "2024-03-02,Blue Bottle,0.10,,meals & entertainment,Engineering,,,1005,no,,\n"
                 + "2024-03-03,Sushi Dai,1200,jpy,Travel,,New York,company_card,•••• 1005,,Client dinner,\n"
                 + ",,,,,,,,,,,\n")
    result = cli("expenses", "import", str(path), "--workspace", workspace_id, "--report-title", "March trip",
                 "--json")
    assert result.exit_code == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["imported"] == 3 and outcome["errors"] == []
    report = outcome["report"]
    assert (report["title"], report["state"], report["owner"]["email"]) == ("March trip", "draft", owner)
    assert report["totals"] == {"JPY": "1200", "USD": "1234.60"}

    with cli.database.session() as session:
        reports = Reports(session)
        stored = reports.get(workspace_id, report["id"])
        expenses = reports.expenses(stored.id)
        history = reports.history(stored.id)
    assert stored.state is ReportState.DRAFT
    assert [(e.merchant, e.amount.amount, e.amount.currency) for e in expenses] == [
        ("Delta Air Lines", Decimal("1234.50"), "USD"),
        ("Blue Bottle", Decimal("0.10"), "USD"),
        ("Sushi Dai", Decimal("1200"), "JPY"),
    ]
    first, second, third = expenses
    assert (first.category_id, dict(first.tags), first.payment, first.billable, first.vendor) == (
        coding.travel, {"DEPARTMENT": "D100", "LOCATION": "L1"}, Payment.REIMBURSABLE, True, "V-DELTA")
    assert (second.category_id, dict(second.tags), second.payment, second.card_id) == (
        coding.meals, {"DEPARTMENT": "D100"}, Payment.COMPANY_CARD, coding.card_1005)
    assert (third.payment, third.card_id, third.description) == (Payment.COMPANY_CARD, coding.card_1005,
                                                                 "Client dinner")
    assert [(event.kind.value, event.actor, dict(event.detail)) for event in history] == [
        ("created", "system", {"source": "csv_import", "file": "expenses.csv", "expenses": 3})]


def test_importing_again_into_the_same_report_appends(cli: Cli, tmp_path: Path) -> None:
    workspace_id = cli.new_workspace()
    seed_coding(cli.database, workspace_id)
    first = write(tmp_path, HEADER + "2024-04-01,Taxi,12.00,USD,Travel,,,,,,,\n", "first.csv")
    created = json.loads(cli.ok("expenses", "import", str(first), "--workspace", workspace_id, "--json").stdout)
    second = write(tmp_path, "date,merchant,amount\n2024-04-02,Train,8.25\n", "second.csv")
    added = cli.ok("expenses", "import", str(second), "--workspace", workspace_id, "--report",
                   created["report"]["id"])
    assert "Added to draft report 'Imported from first.csv'" in added.stdout
    shown = json.loads(cli.ok("reports", "show", created["report"]["id"], "--json").stdout)
    assert [e["merchant"] for e in shown["expenses"]] == ["Taxi", "Train"]
    assert shown["totals"] == {"USD": "20.25"}
    assert [event["kind"] for event in shown["history"]] == ["created", "edited"]


def test_every_bad_row_is_reported_and_nothing_is_imported(cli: Cli, tmp_path: Path) -> None:
    workspace_id = cli.new_workspace()
    seed_coding(cli.database, workspace_id)
    path = write(tmp_path, HEADER
                 + "2024-03-01,Fine Row,10.00,USD,Travel,D100,,,,,,\n"
                 + "2024-03-02,Too Precise,12.345,USD,Travel,,,,,,,\n"
                 + "2024-02-30,Bad Date,1.00,USD,Travel,,,,,,,\n"
                 + "03/04/2024,US Date,1.00,USD,Nonexistent,D999,,,,,,\n"
                 + "2024-03-05,,1e3,USD,Old Stuff,D200,,,,maybe,,\n"
                 + "2024-03-06,Wrong Card,5.00,USD,Travel,,,company_card,9999,,,\n"
                 + "2024-03-07,Float Yen,1.5,JPY,Travel,,,reimbursable,1005,,,\n"
                 + "2024-03-08,Bad Currency,1.00,XXQ,Travel,,,,,,,\n"
                 + "2024-03-09,Short Row,1.00\n")
    result = cli("expenses", "import", str(path), "--workspace", workspace_id, "--json")
    assert result.exit_code == 1
    outcome = json.loads(result.stdout)
    assert (outcome["imported"], outcome["report"]) == (0, None)
    found = {(error["row"], error["column"]) for error in outcome["errors"]}
    assert found == {
        (3, "amount"),
        (4, "date"),
        (5, "date"), (5, "category"), (5, "department"),
        (6, "merchant"), (6, "amount"), (6, "category"), (6, "department"), (6, "billable"),
        (7, "card"),
        (8, "amount"), (8, "payment"),
        (9, "currency"),
        (10, ""),
    }
    problems = {(error["row"], error["column"]): error["problem"] for error in outcome["errors"]}
    assert "more decimal places than USD allows (2)" in problems[(3, "amount")]
    assert "more decimal places than JPY allows (0)" in problems[(8, "amount")]
    assert problems[(5, "category")] == "unknown category 'Nonexistent'"
    assert problems[(6, "category")] == "category 'Old Stuff' is disabled"
    assert problems[(6, "department")] == "department tag D200 (Sales) is disabled"
    assert problems[(7, "card")] == "no company card ending in 9999"
    assert "error: 8 rows of expenses.csv have problems; nothing was imported" in result.stderr
    assert report_count(cli, workspace_id) == 0


def test_problems_are_a_table_on_stderr_in_text_mode(cli: Cli, tmp_path: Path) -> None:
    workspace_id = cli.new_workspace()
    path = write(tmp_path, "date,merchant,amount,colour\n2024-01-01,A,1.00,red\n")
    result = cli("expenses", "import", str(path), "--workspace", workspace_id)
    assert result.exit_code == 1
    assert "colour" in result.stderr and "unknown column" in result.stderr
    assert "error: 1 row of expenses.csv has problems; nothing was imported" in result.stderr
    assert result.stdout == ""
    assert report_count(cli, workspace_id) == 0


def test_a_missing_file_or_owner_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    workspace_id = cli.new_workspace()
    missing = cli("expenses", "import", str(tmp_path / "nope.csv"), "--workspace", workspace_id)
    assert missing.exit_code == 2
    assert missing.stderr.startswith(f"error: cannot read {tmp_path / 'nope.csv'}: No such file or directory")
    with cli.database.session() as session:
        second = Users(session).by_email(cli.new_user("Second Member"))
        assert second is not None
        Workspaces(session).add_member(Member(workspace_id, second.id, Role.MEMBER, second.created_at))
    path = write(tmp_path, "date,merchant,amount\n2024-01-01,A,1.00\n")
    no_owner = cli("expenses", "import", str(path), "--workspace", workspace_id)
    assert no_owner.exit_code == 2
    assert no_owner.stderr.splitlines() == [
        f"error: workspace {_name(cli, workspace_id)!r} has 2 members; say whose report it is",
        "hint: pass --owner EMAIL",
    ]


def _name(cli: Cli, workspace_id: str) -> str:
    listed = json.loads(cli.ok("workspaces", "list", "--json").stdout)
    return str(next(row["name"] for row in listed if row["id"] == workspace_id))


HOSTILE = [
    "Robert'); DROP TABLE expenses;--",
    "<script>alert('x')</script>",
    "[bold red]not markup[/bold red] [link=http://evil]x[/link]",
    '=HYPERLINK("http://evil","click")',
    "\x1b[31mred\x1b[0m \x07bell",
    "Ma\u202eliciou\u202c café ☕ 東京 \U0001f600",
    'quote " comma , semicolon ;',
    "line one\nline two\r\nline three",
    "%s %(name)s {0} ${HOME} $(whoami) `id`",
    "\\N{BULLET} \\x00 \\",
]


def test_hostile_text_round_trips_exactly_and_prints_harmlessly(cli: Cli, tmp_path: Path) -> None:
    workspace_id = cli.new_workspace()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "merchant", "amount", "description"])
    for index, text in enumerate(HOSTILE):
        writer.writerow([f"2024-05-{index + 1:02d}", text.replace("\n", " ").replace("\r", " "), "1.00", text])
    path = write(tmp_path, buffer.getvalue())
    outcome = json.loads(cli.ok("expenses", "import", str(path), "--workspace", workspace_id, "--report-title",
                                HOSTILE[2], "--json").stdout)
    report_id = outcome["report"]["id"]

    shown = json.loads(cli.ok("reports", "show", report_id, "--json").stdout)
    assert shown["title"] == HOSTILE[2]
    assert [e["description"] for e in shown["expenses"]] == HOSTILE
    assert [e["merchant"] for e in shown["expenses"]] == [
        text.replace("\n", " ").replace("\r", " ").strip() for text in HOSTILE]

    text = cli.ok("reports", "show", report_id).stdout
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "[bold red]not markup[/bold red]" in text
    assert "\\x1b[31mred" in text and "\\u202e" in text
    listed = cli.ok("reports", "list", "--workspace", workspace_id).stdout
    assert "[bold red]not markup[/bold red]" in listed
