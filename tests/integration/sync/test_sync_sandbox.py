"""Sync Now against a running demo sandbox, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ledgerbridge.domain import (
    CategoriesFrom,
    ConnectionSettings,
    IntacctAccount,
    IntacctCredentials,
    IntacctEmployee,
    IntacctState,
    SyncRun,
    SyncStatus,
    SyncTrigger,
    new_id,
)
from ledgerbridge.intacct import ClientOptions, IntacctClient, Login, Secret, Sender, record, update
from ledgerbridge.jobs import InProcessRunner
from ledgerbridge.store import Coding, Connections, Database, SecretBox, Snapshots, SyncRuns
from ledgerbridge.sync import ConnectionRefused, SyncAlreadyRunning, SyncService, test_connection
from ledgerbridge.sync._kinds import RECORD_KINDS, STANDARD_DIMENSIONS, dimension_kind
from ledgerbridge.sync._service import SILENT_FOR
from tests.conftest import RunningSandbox
from tests.db import new_workspace


def credentials(sandbox: RunningSandbox, password: str = "sandbox") -> IntacctCredentials:
    return IntacctCredentials("ledgerbridge", "sandbox", "DEMO", "xml_gateway", password, sandbox.gateway_url)


def connected(database: Database, box: SecretBox, sandbox: RunningSandbox, *, password: str = "sandbox",
              categories_from: CategoriesFrom = CategoriesFrom.EXPENSE_TYPES, entity: str = "") -> str:
    with database.session() as session:
        workspace = new_workspace(session)
        connections = Connections(session, box)
        connections.connect(workspace.id, credentials(sandbox, password), datetime.now(UTC))
        connections.save_settings(
            ConnectionSettings(workspace.id, categories_from=categories_from, entity=entity), datetime.now(UTC))
    return workspace.id


def set_status(sandbox: RunningSandbox, account_no: str, status: str) -> None:
    async def go() -> None:
        options = ClientOptions(endpoint=sandbox.gateway_url)
        async with IntacctClient(Sender("ledgerbridge", Secret("sandbox")),
                                 Login("DEMO", "xml_gateway", Secret("sandbox")), options=options) as client:
            stamp = datetime.now(UTC).strftime("%H%M%S%f")
            (result,) = await client.execute(
                [update(f"status-{account_no}-{stamp}", record("GLACCOUNT", {"ACCOUNTNO": account_no,
                                                                              "STATUS": status}))])
            assert result.ok, result.errors

    asyncio.run(go())


def test_first_sync_imports_facts_and_categories(
    database: Database, secret_box: SecretBox, fresh_sandbox: RunningSandbox
) -> None:
    ws = connected(database, secret_box, fresh_sandbox)
    run = SyncService(database, secret_box).run(ws)
    assert run.status is SyncStatus.SUCCEEDED, run.errors
    assert run.counts["GLACCOUNT"].read == 61 and run.counts["EMPLOYEE"].read == 9
    with database.session() as session:
        snapshots = Snapshots(session)
        entertainment = snapshots.get(ws, IntacctAccount, "6400")
        assert entertainment is not None and entertainment.entity == "E200"
        meals = snapshots.get(ws, IntacctAccount, "6150")
        assert meals is not None and meals.related["DEPARTMENT"] == frozenset({"D100", "D200"})
        assert "L110" in meals.related["LOCATION"]
        control = snapshots.get(ws, IntacctAccount, "1100")
        assert control is not None and control.disallow_direct_posting
        alex = snapshots.get(ws, IntacctEmployee, "EMP-009")
        assert alex is not None and alex.email == "Alex.Morgan@cedarridge.example" and not alex.duplicate_email
        categories = {c.name: c for c in Coding(session).categories(ws)}
        tags = Coding(session).tags(ws, "DEPARTMENT")
    assert categories["Entertainment"].intacct_state is IntacctState.RESTRICTED
    assert "account 6400 belongs to entity E200" in categories["Entertainment"].intacct_note
    assert categories["Airfare"].intacct_state is IntacctState.OK and categories["Airfare"].enabled
    assert not categories["Miscellaneous"].enabled
    assert categories["Miscellaneous"].intacct_state is IntacctState.INACTIVE
    assert "Per Diem" not in categories
    assert {tag.code for tag in tags} >= {"D100", "D200"}


def test_a_first_sync_reads_the_small_kinds_in_one_request(
    database: Database, secret_box: SecretBox, fresh_sandbox: RunningSandbox
) -> None:
    ws = connected(database, secret_box, fresh_sandbox)
    run = SyncService(database, secret_box).run(ws)
    assert run.status is SyncStatus.SUCCEEDED, run.errors
    stats = httpx.get(f"{fresh_sandbox.base_url}/stats").json()["companies"]["DEMO"]
    kinds = [*RECORD_KINDS, *(dimension_kind(dimension) for dimension in STANDARD_DIMENSIONS)]
    alone = [kind.name for kind in kinds if not kind.few]
    assert alone == ["GLACCOUNT", "EMPLOYEE", "VENDOR", "PROJECT", "CUSTOMER"]
    # Every kind of the demo company fits one page: the sign-in, one request per kind of many rows, one for
    # the first pages of all the kinds of a few rows, and one asking departments and locations for their accounts.
    assert stats["requests"] == 1 + len(alone) + 1 + 1


def test_entity_workspace_may_post_to_its_own_account(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws = connected(database, secret_box, sandbox_server, entity="E200")
    SyncService(database, secret_box).run(ws)
    with database.session() as session:
        entertainment = next(c for c in Coding(session).categories(ws) if c.name == "Entertainment")
    assert entertainment.intacct_state is IntacctState.OK


def test_second_run_reads_only_changes_and_inactive_account_disables_category(
    database: Database, secret_box: SecretBox, fresh_sandbox: RunningSandbox
) -> None:
    ws = connected(database, secret_box, fresh_sandbox, categories_from=CategoriesFrom.CHART_OF_ACCOUNTS)
    service = SyncService(database, secret_box)
    first = service.run(ws)
    assert first.status is SyncStatus.SUCCEEDED
    quiet = service.run(ws)
    assert quiet.status is SyncStatus.SUCCEEDED
    assert sum(c.read for c in quiet.counts.values()) == 0  # no full row travelled: nothing changed

    set_status(fresh_sandbox, "6300", "inactive")
    changed = service.run(ws)
    assert changed.counts["GLACCOUNT"].read == 1
    assert changed.counts["GLACCOUNT"].disabled == 1
    with database.session() as session:
        supplies = next(c for c in Coding(session).categories(ws) if c.gl_account == "6300")
    assert not supplies.enabled and supplies.intacct_state is IntacctState.INACTIVE


def test_wrong_password_fails_the_run_with_int122(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws = connected(database, secret_box, sandbox_server, password="wrong")
    run = SyncService(database, secret_box).run(ws)
    assert run.status is SyncStatus.FAILED
    assert [e.int_code for e in run.errors] == ["INT122"]
    with pytest.raises(ConnectionRefused) as refused:
        asyncio.run(test_connection(credentials(sandbox_server, "wrong"), ""))
    assert refused.value.code == "INT122"
    asyncio.run(test_connection(credentials(sandbox_server), ""))


def test_progress_is_observable_and_concurrent_start_is_refused(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws = connected(database, secret_box, sandbox_server)
    gate, reached = threading.Event(), threading.Event()

    def hold(run: SyncRun) -> None:
        if run.progress.kinds_done == 1:
            reached.set()
            gate.wait(30)

    with InProcessRunner() as runner:
        service = SyncService(database, secret_box, runner)
        future = runner.submit("sync", service.run, ws, SyncTrigger.MANUAL, hold)
        assert reached.wait(30)
        with database.session() as session:
            running = SyncRuns(session).running(ws)
        assert running is not None and running.progress.kinds_done >= 1
        with pytest.raises(SyncAlreadyRunning):
            service.start(ws)
        gate.set()
        finished = future.result(timeout=60)
    assert finished.status is SyncStatus.SUCCEEDED
    assert finished.progress.kinds_done == finished.progress.kinds_total


def test_a_run_whose_process_ended_no_longer_blocks_sync_now(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws = connected(database, secret_box, sandbox_server)
    with database.session() as session:
        # Started, then its process ended: it shows no progress since.
        lost = SyncRuns(session).start(SyncRun(new_id(), ws, datetime.now(UTC) - SILENT_FOR - timedelta(minutes=1)))

    run = SyncService(database, secret_box).run(ws)

    assert run.status is SyncStatus.SUCCEEDED
    with database.session() as session:
        given_up = SyncRuns(session).get(ws, lost.id)
    assert given_up.status is SyncStatus.FAILED
    assert [e.int_code for e in given_up.errors] == ["INT999"]
    assert "no progress for 30 minutes" in given_up.errors[0].message
