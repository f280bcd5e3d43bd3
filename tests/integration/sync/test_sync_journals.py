"""Sync Now reads Intacct's GL journals (GLJOURNAL), whole the first time and then only what changed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from ledgerbridge.domain import IntacctJournal, SyncStatus
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.intacct import ClientOptions, Function, IntacctClient, Login, Secret, Sender, create, delete, record
from ledgerbridge.intacct import update as update_record
from ledgerbridge.store import Database, SecretBox, Snapshots
from ledgerbridge.sync import SyncService
from tests.conftest import RunningSandbox
from tests.integration.sync.test_sync_sandbox import connected


def journals(database: Database, ws: str) -> dict[str, tuple[str, str]]:
    with database.session() as session:
        return {j.symbol: (j.title, j.status) for j in Snapshots(session).all(ws, IntacctJournal)}


def change(sandbox: RunningSandbox, *functions: Function) -> None:
    async def go() -> None:
        options = ClientOptions(endpoint=sandbox.gateway_url)
        async with IntacctClient(Sender("ledgerbridge", Secret("sandbox")),
                                 Login("DEMO", "xml_gateway", Secret("sandbox")), options=options) as client:
            results = await client.execute(list(functions))
            assert all(result.ok for result in results), [result.errors for result in results]

    asyncio.run(go())


def test_journals_are_synced_whole_then_by_what_changed(
    database: Database, secret_box: SecretBox, fresh_sandbox: RunningSandbox
) -> None:
    ws = connected(database, secret_box, fresh_sandbox)
    service = SyncService(database, secret_box)
    first = service.run(ws)
    assert first.status is SyncStatus.SUCCEEDED, first.errors
    assert first.counts["GLJOURNAL"].read == 3
    assert journals(database, ws) == {
        "GJ": ("General Journal", "active"),
        "ADJ": ("Adjusting Journal", "active"),
        "CCJ": ("Card Journal (retired)", "inactive"),
    }
    assert service.run(ws).counts["GLJOURNAL"].read == 0  # nothing changed, nothing read again

    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    change(fresh_sandbox,
           update_record(f"ccj-{stamp}", record("GLJOURNAL", {"SYMBOL": "CCJ", "STATUS": "active"})),
           create(f"exp-{stamp}", record("GLJOURNAL", {"SYMBOL": "EXP", "TITLE": "Expense Journal"})))
    changed = service.run(ws)
    assert changed.counts["GLJOURNAL"].read == 2
    assert journals(database, ws)["CCJ"] == ("Card Journal (retired)", "active")
    assert journals(database, ws)["EXP"] == ("Expense Journal", "active")

    with database.session() as session:
        adjusting = Snapshots(session).get(ws, IntacctJournal, "ADJ")
    assert adjusting is not None and adjusting.record_no is not None
    change(fresh_sandbox, delete(f"adj-{stamp}", "GLJOURNAL", [adjusting.record_no]))
    service.run(ws)
    assert set(journals(database, ws)) == {"GJ", "CCJ", "EXP"}


def test_exports_judge_journals_only_once_a_sync_has_read_them(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws = connected(database, secret_box, sandbox_server)
    with database.session() as session:
        assert load_view(session, secret_box, ws).journals is None
    SyncService(database, secret_box).run(ws)
    with database.session() as session:
        view = load_view(session, secret_box, ws)
    assert view.journals is not None
    assert {symbol: journal.active for symbol, journal in view.journals.items()
            if symbol in ("GJ", "ADJ", "CCJ")} == {"GJ": True, "ADJ": True, "CCJ": False}
