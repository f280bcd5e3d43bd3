"""Sync Now reads the closed books of every entity, sees a reopened period, and asks nothing the sandbox lacks."""

from __future__ import annotations

import asyncio
from datetime import date

from ledgerbridge.domain import IntacctPeriod, SyncStatus
from ledgerbridge.intacct import ClientOptions, IntacctClient, Login, Secret, Sender
from ledgerbridge.store import Database, SecretBox, Snapshots
from ledgerbridge.sync import SyncService
from ledgerbridge.sync._service import _Sync
from tests.conftest import RunningSandbox
from tests.integration.sandbox.test_console import ConsoleBrowser
from tests.integration.sync.test_sync_sandbox import connected


def closed_books(database: Database, workspace_id: str) -> dict[str, date | None]:
    with database.session() as session:
        return {p.entity: p.closed_through for p in Snapshots(session).all(workspace_id, IntacctPeriod)}


def test_closed_periods_are_synced_and_a_reopened_period_is_gone_after_the_next_sync(
    database: Database, secret_box: SecretBox, console_sandbox: RunningSandbox
) -> None:
    ws = connected(database, secret_box, console_sandbox)
    service = SyncService(database, secret_box)
    first = service.run(ws)
    assert first.status is SyncStatus.SUCCEEDED, first.errors
    assert closed_books(database, ws) == {"E200": date(2026, 9, 30)}

    console = ConsoleBrowser(console_sandbox)
    console.sign_in("xml_gateway")
    token = console.form_fields("/books")["csrf_token"]
    for form in ({"entity": "E200", "action": "open"},
                 {"entity": "", "action": "close", "closed_through": "2026-06-30"}):
        assert console.post("/books/periods", {"csrf_token": token, **form}).status_code == 303
    console.http.close()

    second = service.run(ws)
    assert second.status is SyncStatus.SUCCEEDED, second.errors
    assert closed_books(database, ws) == {"": date(2026, 6, 30)}
    assert second.counts["CLOSEDBOOKS"].read == 1  # only the top level's new closing travelled


def test_the_sandbox_answers_every_query_sync_makes(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    """Each object with the fields Sync Now selects (project resources are not among them: nothing reads them)."""
    ws = connected(database, secret_box, sandbox_server)
    with database.session() as session:
        from ledgerbridge.store import Connections

        settings = Connections(session, secret_box).settings(ws)

    async def ask() -> dict[str, int]:
        options = ClientOptions(endpoint=sandbox_server.gateway_url)
        async with IntacctClient(Sender("ledgerbridge", Secret("sandbox")),
                                 Login("DEMO", "xml_gateway", Secret("sandbox")), options=options) as client:
            kinds = _Sync._kinds(None, settings)  # type: ignore[arg-type]
            found = await asyncio.gather(*(client.query_all(k.object_name, k.select, showprivate=True) for k in kinds))
            return {kind.name: len(rows) for kind, rows in zip(kinds, found, strict=True)}

    counts = asyncio.run(ask())
    assert counts["PROJECT"] == 5 and counts["CLOSEDBOOKS"] == 1
    assert all(counts[name] > 0 for name in ("GLACCOUNT", "EMPLOYEE", "VENDOR", "DEPARTMENT", "LOCATION"))
