"""Exactly once: under injected faults, and with the exporting process killed mid-run and restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from ledgerbridge.domain import Expense, Money, Payment, Report, ReportState, new_id
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.export.deliver_outcome import Outcome
from ledgerbridge.intacct import ClientOptions, RetryPolicy
from ledgerbridge.store import Database, Reports, SecretBox
from ledgerbridge.store.models import ReportRow
from ledgerbridge.sync import SyncService
from tests.conftest import REPO, RunningSandbox, start_sandbox, stop_sandbox
from tests.integration.export.workspace import SPENT, card_id, category, demo_workspace, found_many

FAULTS = "drop=0.05,lost=0.05,503=0.05,524=0.05"
PATIENT = ClientOptions(retry=RetryPolicy(attempts=8, initial_wait=0.02, max_wait=0.3), functions_per_request=20)


@pytest.fixture
def faulty_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    # Four requests at a time per company while the client sends six: the rest meet HTTP 429.
    proc, running = start_sandbox(tmp_path, "--faults", FAULTS, "--fault-seed", "11", "--max-concurrency", "4")
    yield running
    stop_sandbox(proc)


@pytest.fixture
def slow_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    proc, running = start_sandbox(tmp_path, "--latency-ms", "60", "--max-concurrency", "4")
    yield running
    stop_sandbox(proc)


REPORTS = 500


def many_reports(database: Database, box: SecretBox, sandbox: RunningSandbox, email: str,
                 count: int) -> tuple[str, str, list[str]]:
    """Approved reports of one line each: even ones company card spend (charges), odd ones expense reports."""
    workspace_id, owner = demo_workspace(database, box, sandbox, email, sync=SyncService(
        database, box, client_options=PATIENT))
    events = category(database, workspace_id, "Company Events").id
    card = card_id(database, workspace_id)
    at = datetime.now(UTC)
    reports = [Report(new_id(), workspace_id, owner.id, f"Report {n}", "USD", at, state=ReportState.APPROVED,
                      submitted_at=at, submitted_by=owner.id, approved_at=at, approved_by=owner.id)
               for n in range(count)]
    expenses = [Expense(new_id(), report.id, SPENT, f"Team lunch {n}", Money(Decimal(f"{10 + n % 90}.25"), "USD"),
                        events, tags={} if n % 2 == 0 else {"LOCATION": "L110"},
                        payment=Payment.COMPANY_CARD if n % 2 == 0 else Payment.REIMBURSABLE,
                        card_id=card if n % 2 == 0 else None)
                for n, report in enumerate(reports)]
    with database.session() as session:
        Reports(session).add_many(reports, expenses)
    return workspace_id, owner.id, [r.id for r in reports]


def assert_exactly_once(sandbox: RunningSandbox, report_ids: list[str]) -> None:
    cards = found_many(sandbox, "CCTRANSACTION", report_ids[0::2])
    expense_reports = found_many(sandbox, "EEXPENSES", report_ids[1::2])
    counts = [len(cards.get(r, [])) for r in report_ids[0::2]] + [len(expense_reports.get(r, []))
                                                                  for r in report_ids[1::2]]
    assert counts == [1] * len(report_ids)


def test_hundreds_of_reports_under_faults_are_exported_exactly_once(
    database: Database, secret_box: SecretBox, faulty_sandbox: RunningSandbox
) -> None:
    ws, actor, report_ids = many_reports(database, secret_box, faulty_sandbox, "maria.alvarez@cedarridge.example",
                                         REPORTS)
    service = ExportService(database, secret_box, client_options=PATIENT, max_rounds=12)
    run = service.export_now(ws, report_ids, actor)
    not_exported = [o.as_dict() for o in run.outcomes if o.outcome is not Outcome.EXPORTED]
    assert not_exported == []
    assert run.requests < len(report_ids)  # batched: many documents to a request
    with database.session() as session:
        reports = Reports(session)
        assert all(reports.get(ws, r).state is ReportState.EXPORTED for r in report_ids)
        kinds = {event.kind.value for r in report_ids for event in reports.history(r)}
    assert_exactly_once(faulty_sandbox, report_ids)
    # The faults did happen, and each was recorded as a decision.
    assert {"export_uncertain", "reconciled"} <= kinds


def exported_count(database: Database, workspace_id: str) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(ReportRow).where(
            ReportRow.workspace_id == workspace_id, ReportRow.state == ReportState.EXPORTED.value)) or 0)


def test_killed_three_times_mid_run_and_restarted_exports_exactly_once(
    database: Database, slow_sandbox: RunningSandbox
) -> None:
    key = Fernet.generate_key()
    box = SecretBox(key)
    ws, actor, report_ids = many_reports(database, box, slow_sandbox, "maria.alvarez@cedarridge.example", REPORTS)
    url = database.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "tests.integration.export.exporter_process", url, key.decode(), ws, actor]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seen = 0
    for _ in range(3):
        process = subprocess.Popen(command, cwd=REPO, env=env)
        deadline = time.monotonic() + 60
        while exported_count(database, ws) < seen + 20 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the exporter finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen = exported_count(database, ws)
        assert seen < len(report_ids)
    final = subprocess.run(command, cwd=REPO, env=env, timeout=120)
    assert final.returncode == 0
    assert exported_count(database, ws) == len(report_ids)
    assert_exactly_once(slow_sandbox, report_ids)
    with database.session() as session:
        kinds = {event.kind.value for r in report_ids for event in Reports(session).history(r)}
    # What the killed processes left `sending` was looked up in Intacct before anything went again.
    assert "reconciled" in kinds
