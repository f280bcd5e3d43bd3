"""`ledgerbridge reports list|show`: what a finance admin sees, and the JSON integrators rely on."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from ledgerbridge.domain import (
    SYSTEM,
    EventKind,
    Expense,
    HistoryEvent,
    Money,
    Report,
    ReportState,
    new_id,
)
from ledgerbridge.store import Reports, Users
from tests.integration.cli.helpers import Cli, seed_coding

START = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)


def add_report(cli: Cli, workspace_id: str, owner_email: str, title: str, minutes: int, **fields: object) -> str:
    with cli.database.session() as session:
        owner = Users(session).by_email(owner_email)
        assert owner is not None
        report = Report(new_id(), workspace_id, owner.id, title, "USD", START + timedelta(minutes=minutes),
                        **fields)
        reports = Reports(session)
        reports.add(report)
        reports.add_expenses([
            Expense(new_id(), report.id, date(2024, 5, 30), "Hotel", Money.of("250.10", "USD")),
            Expense(new_id(), report.id, date(2024, 5, 31), "Hotel", Money.of("0.20", "USD")),
            Expense(new_id(), report.id, date(2024, 5, 31), "Bento", Money.of("900", "JPY")),
        ])
        reports.record(HistoryEvent(new_id(), report.id, report.created_at, owner.id, EventKind.CREATED, {}))
    return report.id


def test_list_filters_by_state_export_status_and_int_code_newest_first(cli: Cli) -> None:
    owner = cli.new_user("Dana Reyes")
    workspace_id = cli.new_workspace(admin=owner)
    draft = add_report(cli, workspace_id, owner, "Draft one", 1)
    failed = add_report(cli, workspace_id, owner, "Card spend", 2, state=ReportState.APPROVED,
                        export_status="failed", last_int_code="INT860")
    exported = add_report(cli, workspace_id, owner, "Done", 3, state=ReportState.EXPORTED,
                          export_status="exported")

    every = json.loads(cli.ok("reports", "list", "--workspace", workspace_id, "--json").stdout)
    assert every["count"] == 3
    assert [r["id"] for r in every["reports"]] == [exported, failed, draft]
    restricted = json.loads(cli.ok("reports", "list", "-w", workspace_id, "--int-code", "int860", "--json").stdout)
    assert [r["id"] for r in restricted["reports"]] == [failed]
    drafts = json.loads(cli.ok("reports", "list", "-w", workspace_id, "--state", "draft", "--json").stdout)
    assert [r["id"] for r in drafts["reports"]] == [draft]
    done = json.loads(cli.ok("reports", "list", "-w", workspace_id, "--export-status", "exported", "--json").stdout)
    assert [r["id"] for r in done["reports"]] == [exported]
    newest = json.loads(cli.ok("reports", "list", "-w", workspace_id, "--limit", "1", "--json").stdout)
    assert (newest["count"], [r["id"] for r in newest["reports"]]) == (3, [exported])

    row = restricted["reports"][0]
    assert set(row) == {
        "id", "workspace_id", "title", "state", "owner", "currency", "created_at", "submitted_at", "submitted_by",
        "approved_at", "approved_by", "exported_at", "reimbursed_at", "export_version", "export_status",
        "last_int_code", "expense_count", "totals"}
    assert row["owner"]["email"] == owner and row["owner"]["name"] == "Dana Reyes"
    assert (row["state"], row["export_status"], row["last_int_code"]) == ("approved", "failed", "INT860")
    assert row["totals"] == {"JPY": "900", "USD": "250.30"}
    assert row["created_at"] == "2024-06-01T09:02:00+00:00"
    assert restricted["workspace"]["id"] == workspace_id

    table = cli.ok("reports", "list", "-w", workspace_id).stdout
    assert "INT860" in table and "900 JPY, 250.30 USD" in table and "Reports: 3 of 3" in table


def test_list_refuses_an_unknown_state_and_a_limit_out_of_range(cli: Cli) -> None:
    workspace_id = cli.new_workspace()
    state = cli("reports", "list", "-w", workspace_id, "--state", "lost")
    assert state.exit_code == 2 and "'lost' is not one of" in state.stderr
    limit = cli("reports", "list", "-w", workspace_id, "--limit", "0")
    assert limit.exit_code == 2 and "--limit" in limit.stderr


def test_show_gives_expenses_totals_and_history(cli: Cli) -> None:
    owner = cli.new_user()
    workspace_id = cli.new_workspace(admin=owner)
    coding = seed_coding(cli.database, workspace_id)
    report_id = add_report(cli, workspace_id, owner, "June", 0)
    with cli.database.session() as session:
        reports = Reports(session)
        first = reports.expenses(report_id)[0]
        reports.save_expense(Expense(first.id, report_id, first.spent_on, first.merchant, first.amount,
                                     coding.travel, {"DEPARTMENT": "D100"}, card_id=None, billable=True,
                                     description="two nights"))
        reports.record(HistoryEvent(new_id(), report_id, START + timedelta(hours=1), SYSTEM, EventKind.PREFLIGHT,
                                    {"findings": 0}))

    shown = json.loads(cli.ok("reports", "show", report_id, "--json").stdout)
    assert shown["totals"] == {"JPY": "900", "USD": "250.30"}
    assert shown["expense_count"] == 3
    assert shown["expenses"][0] == {
        "id": first.id, "spent_on": "2024-05-30", "merchant": "Hotel", "amount": "250.10", "currency": "USD",
        "category": {"id": coding.travel, "name": "Travel"}, "tags": {"DEPARTMENT": "D100"},
        "payment": "reimbursable", "card": None, "billable": True, "description": "two nights", "vendor": None}
    assert [(e["kind"], e["actor"], e["detail"]) for e in shown["history"]][1:] == [
        ("preflight", "system", {"findings": 0})]

    text = cli.ok("reports", "show", report_id).stdout
    assert "June" in text and "Total: 900 JPY, 250.30 USD" in text and "Travel" in text and "preflight" in text


def test_show_of_another_workspaces_report_is_not_found(cli: Cli) -> None:
    owner = cli.new_user()
    mine = cli.new_workspace(admin=owner)
    theirs = cli.new_workspace()
    report_id = add_report(cli, mine, owner, "Mine", 0)
    result = cli("reports", "show", report_id, "--workspace", theirs)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"error: no report has the id '{report_id}' in workspace")
    assert cli("reports", "show", "0" * 32).exit_code == 2
