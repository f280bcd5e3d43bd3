"""Preflight, export, retry and attempts through the JSON API and the command line."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from ledgerbridge.domain import SYSTEM, EventKind, ReportState, Role
from ledgerbridge.jobs import InProcessRunner
from ledgerbridge.store import Connections, Database, Reports, SecretBox
from ledgerbridge.web import create_app
from tests.conftest import RunningSandbox
from tests.integration.api.conftest import join, person
from tests.integration.cli.helpers import Cli
from tests.integration.export.workspace import (
    approved_report,
    category,
    demo_workspace,
    found_in_intacct,
    now,
)

BASE = "/api/v1/workspaces/{ws}"


def test_api_preflights_queues_the_export_and_lists_its_attempts(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, "maria.alvarez@cedarridge.example")
    admin, approver = person(database, "Ada Admin"), person(database, "Abe Approver")
    join(database, ws, admin, Role.ADMIN)
    join(database, ws, approver, Role.APPROVER)
    events = category(database, ws, "Company Events").id
    entertainment = category(database, ws, "Entertainment").id
    good = approved_report(database, ws, owner, [("Team offsite", "310.00", events, True)])
    bad = approved_report(database, ws, owner, [("Harbor Grill", "86.40", entertainment, True)])
    runner = InProcessRunner()
    base = BASE.format(ws=ws)
    with TestClient(create_app(database=database, box=secret_box, runner=runner)) as client:
        checked = client.post(f"{base}/reports/{bad}/preflight", headers=approver.headers)
        assert checked.status_code == 200, checked.text
        assert [f["code"] for f in checked.json()["data"]["findings"]] == ["INT860"]
        assert client.post(f"{base}/reports/{good}/export", headers=approver.headers).status_code == 403

        queued = client.post(f"{base}/reports/{good}/export", headers=admin.headers)
        assert queued.status_code == 202, queued.text
        assert queued.json()["data"]["outcome"] == "queued"
        blocked = client.post(f"{base}/reports/{bad}/export", headers=admin.headers)
        assert blocked.status_code == 202
        runner.shutdown(wait=True)

        (attempt,) = client.get(f"{base}/reports/{good}/exports", headers=admin.headers).json()["data"]
        assert (attempt["state"], attempt["reference"]) == ("exported", good)
        assert [attempt["intacct_key"]] == found_in_intacct(sandbox_server, "CCTRANSACTION", good)
        assert client.get(f"{base}/reports/{bad}/exports", headers=admin.headers).json()["data"] == []
        report = client.get(f"{base}/reports/{bad}", headers=admin.headers).json()["data"]
        assert (report["state"], report["export_status"], report["last_int_code"]) == ("approved", "failed", "INT860")

        both = client.post(f"{base}/exports/retry", json={"report_ids": [good], "int_code": "INT860"},
                           headers=admin.headers)
        assert both.status_code == 422
        again = client.post(f"{base}/exports/retry", json={"report_ids": [good]}, headers=admin.headers)
        assert again.status_code == 202
        assert again.json()["data"] == [{"report_id": good, "outcome": "already_exported", "int_code": None,
                                         "message": None, "intacct_keys": [], "findings": []}]
    with database.session() as session:
        assert Reports(session).get(ws, good).state is ReportState.EXPORTED


def test_cli_preflight_export_and_retry(database: Database, sandbox_server: RunningSandbox, tmp_path: Path) -> None:
    key = Fernet.generate_key()
    ws, owner = demo_workspace(database, SecretBox(key), sandbox_server, "maria.alvarez@cedarridge.example")
    events = category(database, ws, "Company Events").id
    entertainment = category(database, ws, "Entertainment").id
    good = [approved_report(database, ws, owner, [(f"Offsite {n}", "99.00", events, n % 2 == 0)]) for n in range(3)]
    bad = approved_report(database, ws, owner, [("Harbor Grill", "86.40", entertainment, True)])
    cli = Cli(database, {
        "LEDGERBRIDGE_DATABASE_URL": database.url.render_as_string(hide_password=False),
        "LEDGERBRIDGE_DATA_DIR": str(tmp_path / "data"), "LEDGERBRIDGE_SECRET_KEY": key.decode(),
        "COLUMNS": "250", "NO_COLOR": "1"}, tmp_path / "data")

    checked = cli("preflight", "--workspace", ws, "--report", bad)
    assert checked.exit_code == 1
    assert "INT860" in checked.stdout and "6400" in checked.stdout and "AMEX-1005" in checked.stdout
    assert json.loads(cli.ok("preflight", "--workspace", ws, "--report", good[0], "--json").stdout)["ok"]

    exported = cli("export", "--workspace", ws, "--approved", "--json")
    assert exported.exit_code == 1  # one report is blocked
    run = json.loads(exported.stdout)
    assert run["counts"] == {"exported": 3, "blocked": 1}
    assert {r["report_id"]: r["int_code"] for r in run["reports"]}[bad] == "INT860"
    assert run["requests"] == 1  # three reports' documents in one request

    summary = cli("retry", "--workspace", ws, "--code", "INT860")
    assert summary.exit_code == 1
    assert "blocked" in summary.stdout and "INT860" in summary.stdout and "Retry:" in summary.stdout
    again = cli.ok("export", "--workspace", ws, "--report", good[0])
    assert "already_exported" in again.stdout
    assert cli("export", "--workspace", ws).exit_code == 2


def test_approving_exports_at_once_when_the_workspace_exports_automatically(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, "maria.alvarez@cedarridge.example")
    approver = person(database, "Abe Approver")
    join(database, ws, approver, Role.APPROVER)
    with database.session() as session:
        connections = Connections(session, secret_box)
        connections.save_settings(dataclasses.replace(connections.settings(ws), auto_export=True), now())
    report_id = approved_report(database, ws, owner, [("Offsite", "45.00", category(database, ws, "Company Events").id,
                                                       True)])
    with database.session() as session:
        reports = Reports(session)
        reports.save(dataclasses.replace(reports.get(ws, report_id), state=ReportState.SUBMITTED, approved_at=None,
                                         approved_by=None))
    runner = InProcessRunner()
    with TestClient(create_app(database=database, box=secret_box, runner=runner)) as client:
        approved = client.post(f"{BASE.format(ws=ws)}/reports/{report_id}/approve", headers=approver.headers)
        assert approved.status_code == 200, approved.text
        runner.shutdown(wait=True)
    with database.session() as session:
        report = Reports(session).get(ws, report_id)
        history = Reports(session).history(report_id)
    assert report.state is ReportState.EXPORTED
    queued = next(e for e in history if e.kind is EventKind.EXPORT_QUEUED)
    assert (queued.actor, queued.detail["trigger"]) == (SYSTEM, "auto_export")
    assert len(found_in_intacct(sandbox_server, "CCTRANSACTION", report_id)) == 1
