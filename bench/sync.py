"""Sync Now of a large company (20,000 GL accounts, 10,000 employees and vendors, 2,000 projects) against a
sandbox with latency and a concurrency cap: full sync, then an incremental sync after 1% of records changed.

Each is printed over its floor and over a sequential pager measured in the same run (the same sync with the
client's concurrency set to 1). Floor = whole waves of the requests the sync sent (sandbox /stats):
ceil(requests / concurrency) x latency.
"""

from __future__ import annotations

import asyncio
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

from _bigcompany import SIZES, write_big_seed
from _common import SERVE, _free_port, _wait_until_up, arguments, cpu_seconds, report, skip
from ledgerbridge.domain import (
    CategoriesFrom,
    ConnectionSettings,
    IntacctCredentials,
    Member,
    Role,
    User,
    Workspace,
    new_id,
)
from ledgerbridge.intacct import ClientOptions, IntacctClient, Login, RetryPolicy, Secret, Sender, record, update
from ledgerbridge.store import Connections, Database, SecretBox, Users, Workspaces
from ledgerbridge.sync import SyncService, test_connection


def start(seed: Path, data_dir: str, latency_ms: int, concurrency: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    log = (Path(data_dir) / "server.log").open("wb")
    process = subprocess.Popen(
        [*SERVE, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir, "--seed", str(seed),
         "--latency-ms", str(latency_ms), "--max-concurrency", str(concurrency)], stdout=log, stderr=subprocess.STDOUT)
    # Ready once the request schema is loaded (a big seed takes a while): a sync timed from a cold start would
    # measure that load.
    _wait_until_up(process, port, Path(data_dir) / "server.log", within_s=300)
    return process, f"http://127.0.0.1:{port}"


def requests_so_far(base: str) -> int:
    return int(httpx.get(f"{base}/stats").json()["companies"].get("BIG", {}).get("requests", 0))


def workspace(database: Database, box: SecretBox, base: str) -> str:
    with database.session() as session:
        user = Users(session).add(User(new_id(), f"{new_id()}@example.com", "Bench", "x", datetime.now(UTC)))
        ws = Workspaces(session).add(Workspace(new_id(), "Big", "USD", datetime.now(UTC)))
        Workspaces(session).add_member(Member(ws.id, user.id, Role.ADMIN, datetime.now(UTC)))
        credentials = IntacctCredentials("ledgerbridge", "sandbox", "BIG", "xml_gateway", "sandbox",
                                         f"{base}/ia/xml/xmlgw.phtml")
        # Connected as the product connects: the credentials are tested first (a sign-in, one account read).
        asyncio.run(test_connection(credentials, ""))
        Connections(session, box).connect(ws.id, credentials, datetime.now(UTC))
        Connections(session, box).save_settings(
            ConnectionSettings(ws.id, categories_from=CategoriesFrom.CHART_OF_ACCOUNTS), datetime.now(UTC))
    return ws.id


@dataclass(frozen=True)
class Timed:
    seconds: float
    requests: int
    read: int
    client_cpu: float
    sandbox_cpu: float


def timed_sync(service: SyncService, ws: str, base: str, sandbox_pid: int) -> Timed:
    before = requests_so_far(base)
    cpu, sandbox_cpu = cpu_seconds(), cpu_seconds(sandbox_pid)
    started = time.perf_counter()
    run = service.run(ws)
    elapsed = time.perf_counter() - started
    cpu, sandbox_cpu = cpu_seconds() - cpu, cpu_seconds(sandbox_pid) - sandbox_cpu
    if run.errors:
        raise SystemExit(f"sync failed: {run.errors}")
    return Timed(elapsed, requests_so_far(base) - before, sum(c.read for c in run.counts.values()), cpu, sandbox_cpu)


async def change_one_percent(base: str, concurrency: int, tag: str) -> int:
    """Untimed setup: 1% of accounts, employees and vendors get a new title or name through the API."""
    functions = []
    for n in range(0, SIZES["GLACCOUNT"], 100):
        functions.append(update(f"{tag}-a{n}", record("GLACCOUNT", {"ACCOUNTNO": f"{10000 + n}",
                                                                     "TITLE": f"Renamed account {n}"})))
    for n in range(0, SIZES["VENDOR"], 100):
        functions.append(update(f"{tag}-v{n}", record("VENDOR", {"VENDORID": f"V{n:05d}", "NAME": f"Vendor {n}*"})))
    for n in range(0, SIZES["EMPLOYEE"], 100):
        functions.append(update(f"{tag}-e{n}", record("EMPLOYEE", {"EMPLOYEEID": f"EMP{n:05d}", "TITLE": "Lead"})))
    options = ClientOptions(endpoint=f"{base}/ia/xml/xmlgw.phtml", max_concurrency=concurrency,
                            retry=RetryPolicy(attempts=5, initial_wait=0.1, max_wait=2.0))
    async with IntacctClient(Sender("ledgerbridge", Secret("sandbox")), Login("BIG", "xml_gateway",
                             Secret("sandbox")), options=options) as client:
        outcomes = await client.execute_many(functions)
    failed = [o for o in outcomes if not (hasattr(o, "ok") and o.ok)]
    if failed:
        raise SystemExit(f"{len(failed)} changes failed: {failed[0]}")
    return len(functions)


def main() -> None:
    args = arguments(__doc__ or "").parse_args()
    latency = args.latency_ms / 1000
    if latency == 0:
        skip("with --latency-ms 0 there is no floor to compare against")
    box = SecretBox(Fernet.generate_key())
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        seed = write_big_seed(Path(tmp) / "big.json")
        process, base = start(seed, tmp, args.latency_ms, args.max_concurrency)
        try:
            database = Database(f"sqlite:///{tmp}/ws.sqlite3")
            database.migrate()
            retry = RetryPolicy(attempts=5, initial_wait=0.1, max_wait=2.0)
            parallel = SyncService(database, box, client_options=ClientOptions(
                max_concurrency=args.max_concurrency, retry=retry))
            sequential = SyncService(database, box, client_options=ClientOptions(max_concurrency=1, retry=retry))
            ws_fast, ws_slow = workspace(database, box, base), workspace(database, box, base)
            full = timed_sync(parallel, ws_fast, base, process.pid)
            full_seq = timed_sync(sequential, ws_slow, base, process.pid)
            changed = asyncio.run(change_one_percent(base, args.max_concurrency, new_id()[-8:]))
            incr = timed_sync(parallel, ws_fast, base, process.pid)
            incr_seq = timed_sync(sequential, ws_slow, base, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    rows = []
    for label, timed, sequential_run in (("full", full, full_seq), ("incremental", incr, incr_seq)):
        floor = math.ceil(timed.requests / args.max_concurrency) * latency
        rows += [
            (f"{label}: requests / rows read", f"{timed.requests} / {timed.read}"),
            (f"{label}: measured / floor", f"{timed.seconds / floor:.2f}x  (floor = ceil({timed.requests} / "
                                           f"{args.max_concurrency}) x {args.latency_ms} ms = {floor:.1f} s)"),
            (f"{label}: sequential pager / measured", f"{sequential_run.seconds / timed.seconds:.2f}x"),
            (f"{label}: CPU", f"client {timed.client_cpu:.2f} s, sandbox {timed.sandbox_cpu:.2f} s, in "
                              f"{timed.seconds:.2f} s on {os.cpu_count()} cores"),
        ]
    rows.append(("records changed before the incremental run", str(changed)))
    report(f"sync: BIG company, latency {args.latency_ms} ms, concurrency {args.max_concurrency}", rows)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
