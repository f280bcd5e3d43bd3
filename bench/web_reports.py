"""The web report list at 100,000 reports on SQLite: p50/p95/p99 of whole page requests against p95 < 100 ms.

Builds a fresh SQLite workspace (bulk inserts), signs in through the real pages, then requests the report list
through the ASGI app over HTTP (httpx's ASGI transport): the first page, filtered pages, a member's own
reports, and deep pages reached by cursor. Each figure includes the session lookup, the queries, rendering
and the HTTP round trip inside the process.

    python bench/web_reports.py [--reports 100000] [--requests 60]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import Table, insert, select

from ledgerbridge.domain import Member, Role, User, Workspace, new_id
from ledgerbridge.store import Database, SecretBox, Users, Workspaces
from ledgerbridge.store.models import ExpenseRow, ReportRow
from ledgerbridge.web import create_app
from ledgerbridge.web.api.auth import hash_password
from ledgerbridge.web.pages.reports import encode_cursor

TARGET_P95_MS = 100.0
PASSWORD = "bench-password-1"  # a throwaway user in a temporary database
CODES = (("INT860", 40), ("INT035", 20), ("INT459", 15), ("INT073", 10), ("INT771", 8), ("INT194", 7))
STATES = (("exported", 60), ("reimbursed", 5), ("approved", 15), ("submitted", 10), ("draft", 10))
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _rows(workspace_id: str, owners: list[str], count: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    span = 730 * 24 * 3600
    for i in range(count):
        state = _pick(rng, STATES)
        status = code = None
        if state in ("exported", "reimbursed"):
            status = "exported"
        elif state == "approved":
            roll = rng.random()
            if roll < 0.6:
                status, code = "failed", _pick(rng, CODES)
            elif roll < 0.65:
                status = "uncertain"
        created = start + timedelta(seconds=rng.randrange(span))
        report_id = new_id()
        report = {
            "id": report_id, "workspace_id": workspace_id, "owner_id": owners[i % len(owners)],
            "title": f"{rng.choice(('Client visit', 'Conference', 'Team dinner', 'Supplies', 'Travel'))} {i}",
            "state": state, "currency": "USD", "created_at": created, "submitted_at": None, "submitted_by": None,
            "approved_at": None, "approved_by": None, "exported_at": None, "reimbursed_at": None,
            "export_version": 1, "export_status": status, "last_int_code": code,
        }
        expense = {
            "id": new_id(), "report_id": report_id, "position": 1, "spent_on": created.date(),
            "merchant": "Harbor Grill", "amount": Decimal(rng.randrange(500, 90000)) / 100, "currency": "USD",
            "category_id": None, "tags": {}, "payment": "reimbursable", "card_id": None, "billable": False,
            "description": "", "vendor": None,
        }
        yield report, expense


def build(database: Database, count: int) -> tuple[str, str, str]:
    """A workspace with `count` reports; returns its id and the emails of an admin and a member."""
    now = datetime.now(UTC)
    with database.session() as session:
        users = Users(session)
        secret = hash_password(PASSWORD)
        admin = users.add(User(new_id(), "admin@bench.example", "Ada Admin", secret, now))
        member = users.add(User(new_id(), "member@bench.example", "Mo Member", secret, now))
        others = [users.add(User(new_id(), f"owner{i}@bench.example", f"Owner {i}", secret, now)).id
                  for i in range(18)]
        ws = Workspaces(session).add(Workspace(new_id(), "Bench", "USD", now)).id
        Workspaces(session).add_member(Member(ws, admin.id, Role.ADMIN, now))
        Workspaces(session).add_member(Member(ws, member.id, Role.MEMBER, now))
        for owner in others:
            Workspaces(session).add_member(Member(ws, owner, Role.MEMBER, now))
    owners = [member.id, *others]
    reports_table, expenses_table = cast(Table, ReportRow.__table__), cast(Table, ExpenseRow.__table__)
    batch_reports: list[dict[str, Any]] = []
    batch_expenses: list[dict[str, Any]] = []
    with database.session() as session:
        for report, expense in _rows(ws, owners, count):
            batch_reports.append(report)
            batch_expenses.append(expense)
            if len(batch_reports) == 5000:
                session.execute(insert(reports_table), batch_reports)
                session.execute(insert(expenses_table), batch_expenses)
                batch_reports, batch_expenses = [], []
        if batch_reports:
            session.execute(insert(reports_table), batch_reports)
            session.execute(insert(expenses_table), batch_expenses)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return ws, admin.email, member.email


async def sign_in(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/signin")
    token = _CSRF.search(page.text)
    assert token is not None, "the sign-in page has no CSRF token"
    response = await client.post("/signin", data={"email": email, "password": PASSWORD,
                                                  "csrf_token": token.group(1)})
    assert response.status_code == 303, response.text[:300]


def deep_cursors(database: Database, workspace_id: str, offsets: list[int]) -> list[str]:
    """Cursors as the list hands them out, for pages deep in the list (the report just above each offset)."""
    reports = cast(Table, ReportRow.__table__)
    found = []
    with database.session() as session:
        for offset in offsets:
            row = session.execute(
                select(reports.c.created_at, reports.c.id).where(reports.c.workspace_id == workspace_id)
                .order_by(reports.c.created_at.desc(), reports.c.id.desc()).offset(offset).limit(1)).one()
            found.append(encode_cursor((row.created_at, row.id)))
    return found


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def measure(client: httpx.AsyncClient, urls: list[str], rounds: int) -> list[float]:
    for url in urls[:3]:  # warm up: templates compiled, caches filled
        (await client.get(url)).raise_for_status()
    samples = []
    for i in range(rounds):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = await client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.text[:300]}")
        samples.append(elapsed)
    return samples


async def run(database: Database, box: SecretBox, ws: str, admin: str, member: str, rounds: int) -> int:
    app = create_app(database=database, box=box)
    base = f"/workspaces/{ws}/reports"
    deep = deep_cursors(database, ws, [5_000, 40_000, 90_000])
    scenarios = {
        "first page": [base],
        "filter: state=approved": [f"{base}?state=approved"],
        "filter: export failed": [f"{base}?export_status=failed"],
        "filter: INT860": [f"{base}?int_code=INT860"],
        "filter: state + INT code": [f"{base}?state=approved&int_code=INT459"],
        "deep pages by cursor": [f"{base}?after={cursor}" for cursor in deep],
        "deep page, filtered": [f"{base}?state=exported&after={deep[1]}"],
    }
    print(f"{'scenario':<28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    every: list[float] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
        await sign_in(client, admin)
        for name, urls in scenarios.items():
            samples = await measure(client, urls, rounds)
            every += samples
            print(f"{name:<28}{statistics.median(samples):>9.1f}{percentile(samples, .95):>9.1f}"
                  f"{percentile(samples, .99):>9.1f}")
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
        await sign_in(client, member)
        samples = await measure(client, [base, f"{base}?state=approved"], rounds)
        every += samples
        print(f"{'member: own reports':<28}{statistics.median(samples):>9.1f}{percentile(samples, .95):>9.1f}"
              f"{percentile(samples, .99):>9.1f}")
    p95 = percentile(every, .95)
    print(f"{'all requests':<28}{statistics.median(every):>9.1f}{p95:>9.1f}{percentile(every, .99):>9.1f}")
    verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
    print(f"p95 / target ({TARGET_P95_MS:.0f} ms): {p95 / TARGET_P95_MS:.2f}x — {verdict}")
    return 0 if p95 < TARGET_P95_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60, help="requests per scenario")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as directory:
        database = Database(f"sqlite:///{Path(directory) / 'ledgerbridge.sqlite3'}")
        database.migrate()
        started = time.perf_counter()
        ws, admin, member = build(database, args.reports)
        print(f"{args.reports:,} reports (and one expense each) inserted in {time.perf_counter() - started:.1f} s")
        try:
            return asyncio.run(run(database, SecretBox(Fernet.generate_key()), ws, admin, member, args.requests))
        finally:
            database.dispose()


if __name__ == "__main__":
    sys.exit(main())
