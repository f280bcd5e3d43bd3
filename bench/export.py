"""Export of approved reports to a sandbox with latency and a concurrency cap, through `ExportService`.

5,000 approved reports of 1 to 5 lines in two workspaces connected to the same demo company: one exports
reimbursable spend as expense reports and company card spend as credit card charges, the other as vendor
bills and journal entries; a quarter of the reports goes to each document type. Each workspace is exported
with one `export_now` call (preflight, planning, claims, batched sending, recording), timed as a whole.

Prints, measured in one run:
- time over the floor: floor = ceil(requests / concurrency) x latency per export run, requests counted by
  the sandbox's /stats for that run (the sign-in included), summed over the two runs; and the fewest
  requests the documents need at 100 functions a request;
- time over a serial exporter (the same service sending one report per request, one request at a time),
  measured on a sample of reports in the same run and scaled per report;
- preflight throughput in expense lines/s over the benchmark's own reports (before they are exported: approved,
  as an export meets them), and over the workspace of `bench/preflight.py`;
- with `--memory`: peak resident memory of a fresh process exporting 50,000 reports (against a sandbox
  without injected latency, to keep the run short; the work per report is the same).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
from cryptography.fernet import Fernet

from _common import Sandbox, arguments, cpu_seconds, report, sandbox, skip, waves
from ledgerbridge.domain import (
    CompanyCard,
    CompanyCardAs,
    ConnectionSettings,
    Expense,
    IntacctCredentials,
    Member,
    Money,
    Payment,
    ReimbursableAs,
    Report,
    ReportState,
    Role,
    User,
    Workspace,
    new_id,
)
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.export.preflight import preflight
from ledgerbridge.intacct import ClientOptions, RetryPolicy
from ledgerbridge.store import Coding, Connections, Database, Reports, SecretBox, Users, Workspaces
from ledgerbridge.sync import SyncService

OWNER_EMAIL = "maria.alvarez@cedarridge.example"
"""A demo employee: reports of hers match EMP-001 by email."""
CATEGORIES = ("Company Events", "Airfare", "Lodging", "Ground Transportation", "Software", "Office Supplies",
              "Phone and Internet", "Professional Dues")
SETTINGS = {
    "expense reports + card charges": {"reimbursable_as": ReimbursableAs.EXPENSE_REPORT,
                                       "company_card_as": CompanyCardAs.CREDIT_CARD_CHARGE},
    "vendor bills + journal entries": {"reimbursable_as": ReimbursableAs.VENDOR_BILL,
                                       "company_card_as": CompanyCardAs.JOURNAL_ENTRY,
                                       "default_vendor": "V-HARBORINN"},
}
FUNCTIONS_PER_REQUEST = 100
RETRY = RetryPolicy(attempts=8, initial_wait=0.1, max_wait=2.0)
PREFLIGHT_TARGET = 100_000


@dataclass(frozen=True)
class Setup:
    workspace_id: str
    owner_id: str
    categories: tuple[str, ...]
    card_id: str


def now() -> datetime:
    return datetime.now(UTC)


def workspace(database: Database, box: SecretBox, box_url: str, name: str, **settings: object) -> Setup:
    """A workspace connected to the demo company with the given export settings, synced (untimed)."""
    with database.session() as session:
        users = Users(session)
        owner = users.by_email(OWNER_EMAIL) or users.add(User(new_id(), OWNER_EMAIL, "Maria Alvarez", "x", now()))
        ws = Workspaces(session).add(Workspace(new_id(), name, "USD", now()))
        Workspaces(session).add_member(Member(ws.id, owner.id, Role.MEMBER, now()))
        connections = Connections(session, box)
        connections.connect(ws.id, IntacctCredentials("ledgerbridge", "sandbox", "DEMO", "xml_gateway", "sandbox",
                                                      box_url), now())
        connections.save_settings(ConnectionSettings(ws.id, **settings), now())  # type: ignore[arg-type]
        card = Coding(session).add_card(CompanyCard(new_id(), ws.id, "•••• 1005", owner.id, "AMEX-1005"))
    run = SyncService(database, box, client_options=ClientOptions(retry=RETRY)).run(ws.id)
    if run.errors:
        raise SystemExit(f"sync failed: {run.errors}")
    with database.session() as session:
        by_name = {c.name: c.id for c in Coding(session).categories(ws.id)}
    return Setup(ws.id, owner.id, tuple(by_name[n] for n in CATEGORIES), card.id)


def add_reports(database: Database, setup: Setup, count: int, rng: random.Random, tag: str) -> list[str]:
    """Approved reports of 1-5 lines, every other one company card spend (one day per report: one document)."""
    at = now()
    spent = at.date() - timedelta(days=3)
    reports, expenses = [], []
    for n in range(count):
        report = Report(new_id(), setup.workspace_id, setup.owner_id, f"{tag} report {n}", "USD", at,
                        state=ReportState.APPROVED, submitted_at=at, submitted_by=setup.owner_id, approved_at=at,
                        approved_by=setup.owner_id)
        reports.append(report)
        on_card = n % 2 == 1
        day = spent - timedelta(days=rng.randrange(20))
        for line in range(1 + rng.randrange(5)):
            expenses.append(Expense(
                new_id(), report.id, day if on_card else spent - timedelta(days=rng.randrange(20)),
                f"Merchant {line}", Money(Decimal(rng.randrange(100, 90_000)) / 100, "USD"),
                rng.choice(setup.categories), tags={} if on_card else {"LOCATION": "L110"},
                payment=Payment.COMPANY_CARD if on_card else Payment.REIMBURSABLE,
                card_id=setup.card_id if on_card else None))
    for start in range(0, count, 5000):
        chunk = reports[start:start + 5000]
        ids = {r.id for r in chunk}
        with database.session() as session:
            Reports(session).add_many(chunk, [e for e in expenses if e.report_id in ids])
    return [r.id for r in reports]


def requests_so_far(box: Sandbox) -> int:
    base = box.gateway_url.split("/ia/")[0]
    return int(httpx.get(f"{base}/stats", timeout=10).json()["companies"].get("DEMO", {}).get("requests", 0))


def options(box: Sandbox, *, functions_per_request: int, max_concurrency: int) -> ClientOptions:
    return ClientOptions(retry=RETRY, functions_per_request=functions_per_request, max_concurrency=max_concurrency)


@dataclass(frozen=True)
class Timed:
    seconds: float
    requests: int
    documents: int
    exported: int
    exporter_cpu: float
    sandbox_cpu: float


def timed_export(database: Database, key: bytes, box: Sandbox, setup: Setup, report_ids: list[str],
                 client: ClientOptions) -> Timed:
    service = ExportService(database, SecretBox(key), client_options=client)
    before = requests_so_far(box)
    cpu, sandbox_cpu = cpu_seconds(), cpu_seconds(box.pid)
    started = time.perf_counter()
    run = service.export_now(setup.workspace_id, report_ids, setup.owner_id)
    elapsed = time.perf_counter() - started
    cpu, sandbox_cpu = cpu_seconds() - cpu, cpu_seconds(box.pid) - sandbox_cpu
    documents = sum(len(o.intacct_keys) for o in run.outcomes)
    exported = sum(1 for o in run.outcomes if o.outcome.value == "exported")
    return Timed(elapsed, requests_so_far(box) - before, documents, exported, cpu, sandbox_cpu)


def preflight_rate(database: Database, key: bytes, setups: list[Setup], report_ids: list[list[str]]) -> tuple[float,
                                                                                                                 int]:
    """Expense lines/s of preflight over the benchmark's own reports (read untimed, checked timed)."""
    lines = 0
    seconds = 0.0
    today = date.today()
    for setup, ids in zip(setups, report_ids, strict=True):
        with database.session() as session:
            reports = Reports(session).get_many(setup.workspace_id, ids)
            expenses = Reports(session).expenses_of(ids)
            view = load_view(session, SecretBox(key), setup.workspace_id, {setup.owner_id})
        started = time.perf_counter()
        for item in reports:
            preflight(item, expenses[item.id], view, export_date=today)
        seconds += time.perf_counter() - started
        lines += sum(len(found) for found in expenses.values())
    return lines / seconds, lines


def bench_preflight_rate() -> tuple[float, float, int]:
    """Lines/s cold and warm over the workspace and reports of `bench/preflight.py`."""
    import preflight as preflight_bench

    view = preflight_bench.build_view()
    reports = preflight_bench.build_reports(random.Random(7), 1000, 5)
    cold, _ = preflight_bench.run(view, reports)
    warm = min(preflight_bench.run(view, reports)[0] for _ in range(3))
    return 5000 / cold, 5000 / warm, 5000


@contextmanager
def database_at(url: str | None) -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        database = Database(url or f"sqlite:///{tmp}/ws.sqlite3")
        database.migrate()
        try:
            yield database
        finally:
            database.dispose()


def throughput(args: argparse.Namespace) -> None:
    key = Fernet.generate_key()
    secret_box = SecretBox(key)
    latency = args.latency_ms / 1000
    if latency == 0:
        skip("with --latency-ms 0 there is no floor to compare against")
    rng = random.Random(5)
    with sandbox(args.latency_ms, args.max_concurrency) as box, database_at(args.database_url) as database:
        setups = [workspace(database, secret_box, box.gateway_url, name, **settings)
                  for name, settings in SETTINGS.items()]
        per_workspace = args.reports // len(setups)
        batched_ids = [add_reports(database, setup, per_workspace, rng, "batched") for setup in setups]
        serial_ids = [add_reports(database, setup, args.serial_sample // len(setups), rng, "serial")
                      for setup in setups]
        # Before the exports: preflight is measured on approved reports, as an export meets them.
        own_rate, own_lines = preflight_rate(database, key, setups, batched_ids)
        batched = [timed_export(database, key, box, setup, ids, options(
            box, functions_per_request=FUNCTIONS_PER_REQUEST, max_concurrency=args.max_concurrency))
            for setup, ids in zip(setups, batched_ids, strict=True)]
        serial = [timed_export(database, key, box, setup, ids, options(box, functions_per_request=1,
                                                                      max_concurrency=1))
                  for setup, ids in zip(setups, serial_ids, strict=True)]
    cold_rate, warm_rate, _ = bench_preflight_rate()
    cold_x, warm_x = cold_rate / PREFLIGHT_TARGET, warm_rate / PREFLIGHT_TARGET
    reports_total = per_workspace * len(setups)
    measured = sum(t.seconds for t in batched)
    requests = sum(t.requests for t in batched)
    floor = sum(waves(t.requests, args.max_concurrency) * latency for t in batched)
    documents = sum(t.documents for t in batched)
    minimal = sum(math.ceil(t.documents / FUNCTIONS_PER_REQUEST) + 1 for t in batched)
    sample = sum(len(ids) for ids in serial_ids)
    serial_per_report = sum(t.seconds for t in serial) / sample
    serial_scaled = serial_per_report * reports_total
    rows = [
        ("reports / documents", f"{reports_total} / {documents} ({', '.join(SETTINGS)}; 1-5 lines each)"),
        ("exported", f"{sum(t.exported for t in batched)}/{reports_total} batched, "
                     f"{sum(t.exported for t in serial)}/{sample} serial"),
        ("requests (sandbox /stats)", f"{requests} in {len(batched)} runs (sign-ins included); fewest possible at "
                                      f"{FUNCTIONS_PER_REQUEST} functions a request: {minimal}"),
        ("measured", f"{measured:.2f} s ({' + '.join(f'{t.seconds:.2f}' for t in batched)})"),
        ("measured / floor", f"{measured / floor:.2f}x  (floor = sum over runs of ceil(requests / "
                             f"{args.max_concurrency}) x {args.latency_ms} ms = {floor:.1f} s; target at most 1.5x)"),
        ("CPU while exporting", f"exporter {sum(t.exporter_cpu for t in batched):.2f} s, sandbox "
                                f"{sum(t.sandbox_cpu for t in batched):.2f} s on {os.cpu_count()} cores (an "
                                "exporter CPU close to the measured time: its own work bounds the run)"),
        ("serial / measured", f"{serial_scaled / measured:.1f}x  (serial: one report per request, one request at "
                              f"a time; {sample} reports measured, {serial_per_report * 1000:.0f} ms each, scaled "
                              f"to {reports_total}; target at least 30x)"),
        ("preflight, these reports", f"{own_rate:,.0f} lines/s over {own_lines} lines "
                                     f"({own_rate / PREFLIGHT_TARGET:.2f}x the {PREFLIGHT_TARGET:,} target)"),
        ("preflight, bench/preflight.py", f"{cold_rate:,.0f} lines/s cold, {warm_rate:,.0f} warm "
                                          f"({cold_x:.2f}x / {warm_x:.2f}x)"),
        ("machine load", f"{os.getloadavg()[0]:.1f} (1-minute load average) on {os.cpu_count()} cores; other work "
                         "on the machine inflates every figure above"),
    ]
    report(f"export: {reports_total} approved reports, latency {args.latency_ms} ms, "
           f"concurrency {args.max_concurrency}", rows)
    sys.stdout.flush()


def memory(args: argparse.Namespace) -> None:
    """Peak memory of a fresh process exporting `--memory-reports` reports; data prepared by this one."""
    key = Fernet.generate_key()
    secret_box = SecretBox(key)
    rng = random.Random(6)
    with sandbox(args.memory_latency_ms, args.max_concurrency) as box, \
            tempfile.TemporaryDirectory(prefix="bench-export-mem-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/ws.sqlite3"
        database = Database(url)
        database.migrate()
        setups = [workspace(database, secret_box, box.gateway_url, name, **settings)
                  for name, settings in SETTINGS.items()]
        started = time.perf_counter()
        for setup in setups:
            add_reports(database, setup, args.memory_reports // len(setups), rng, "memory")
        created = time.perf_counter() - started
        database.dispose()
        job = {"url": url, "key": key.decode(), "workspaces": [s.workspace_id for s in setups],
               "actor": setups[0].owner_id, "max_concurrency": args.max_concurrency}
        child = subprocess.run([sys.executable, __file__, "--memory-child", json.dumps(job)],
                               capture_output=True, text=True, check=True, env={**os.environ})
        result = json.loads(child.stdout.strip().splitlines()[-1])
    peak_mb = result["maxrss_kb"] / 1024
    report(f"export memory: {result['reports']} approved reports, latency {args.memory_latency_ms} ms, "
           f"concurrency {args.max_concurrency}", [
        ("created", f"{result['reports']} reports in bulk in {created:.1f} s"),
        ("exported", f"{result['exported']}/{result['reports']} in {result['seconds']:.1f} s, "
                     f"{result['requests']} requests"),
        ("peak memory (ru_maxrss)", f"{peak_mb:.0f} MB  (target under 400 MB: {peak_mb / 400:.2f}x of it)"),
    ])


def memory_child(job_json: str) -> None:
    job = json.loads(job_json)
    database = Database(job["url"])
    service = ExportService(database, SecretBox(job["key"].encode()), client_options=ClientOptions(
        retry=RETRY, functions_per_request=FUNCTIONS_PER_REQUEST, max_concurrency=job["max_concurrency"]))
    started = time.perf_counter()
    reports = exported = requests = 0
    for workspace_id in job["workspaces"]:
        run = service.export_now(workspace_id, service.approved(workspace_id), job["actor"])
        reports += len(run.outcomes)
        exported += sum(1 for o in run.outcomes if o.outcome.value == "exported")
        requests += run.requests
    seconds = time.perf_counter() - started
    print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "reports": reports,
                      "exported": exported, "requests": requests, "seconds": seconds}))


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--serial-sample", type=int, default=40,
                        help="reports exported by the serial exporter; its time per report is scaled to --reports")
    parser.add_argument("--database-url", help="the workspace database (default: a temporary SQLite file)")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory exporting --memory-reports")
    parser.add_argument("--memory-only", action="store_true", help="only the memory measure")
    parser.add_argument("--memory-reports", type=int, default=50_000)
    parser.add_argument("--memory-latency-ms", type=int, default=0)
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    if not args.memory_only:
        throughput(args)
    if args.memory or args.memory_only:
        memory(args)


if __name__ == "__main__":
    main()
