"""Preflight throughput: expense lines checked per second over a realistic workspace, against the target.

Builds (untimed) a workspace the size of a mid-market Intacct company: 3 entities, 640 GL accounts (some
entity-private, some with dimension relationships or required dimensions, some inactive), 200 expense
types and categories, 40 charge cards, 2,000 employees, 680 dimension values and 3 closed periods, then
1,000 approved reports of 5 lines each, reimbursable and company card spend mixed, one line in twenty
coded with a category whose account may refuse it. Times `preflight` over every report: once cold (the
per-workspace indexes are built on the first report) and then warm, best of several passes. Prints lines/s
and the ratio to the 100,000 lines/s target.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta

from ledgerbridge.domain.coding import Category, CompanyCard, Tag
from ledgerbridge.domain.connection import ConnectionSettings
from ledgerbridge.domain.money import Money
from ledgerbridge.domain.reports import Expense, Payment, Report, ReportState
from ledgerbridge.domain.snapshot import (
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctPeriod,
    IntacctVendor,
)
from ledgerbridge.export.preflight import preflight
from ledgerbridge.export.view import WorkspaceView, index

TARGET = 100_000
WS = "ws-bench"
AT = datetime(2026, 11, 1, tzinfo=UTC)
ENTITIES = ("E100", "E200", "E300")
DEPARTMENTS = [f"D{n:03d}" for n in range(100, 400)]
LOCATIONS = [f"L{e[1]}{n:02d}" for e in ENTITIES for n in range(60)]
CLASSES = [f"C{n:03d}" for n in range(20)]


def build_view() -> WorkspaceView:
    accounts = []
    for n in range(600):
        number = str(6000 + n)
        kind = n % 20
        accounts.append(IntacctAccount(
            workspace_id=WS, synced_at=AT, account_no=number, title=f"Expense {number}",
            account_type="incomestatement",
            entity=ENTITIES[n % 3] if kind == 1 else "",
            status="inactive" if kind == 2 else "active",
            required_dimensions=frozenset({"DEPARTMENT"}) if kind in (3, 4) else frozenset(),
            related={"DEPARTMENT": frozenset(DEPARTMENTS[:150])} if kind == 5 else {},
        ))
    cards = [IntacctCardAccount(workspace_id=WS, synced_at=AT, card_id=f"CARD-{n}", entity=ENTITIES[n % 3],
                                offset_account=f"2{n:03d}", expires=date(2028, 12, 31)) for n in range(40)]
    accounts += [IntacctAccount(workspace_id=WS, synced_at=AT, account_no=f"2{n:03d}", title=f"Card {n}",
                                account_type="balancesheet") for n in range(40)]
    expense_types = [IntacctExpenseType(workspace_id=WS, synced_at=AT, name=f"Type {n}", gl_account=str(6000 + n * 3))
                     for n in range(200)]
    categories = [Category(f"cat-{n}", WS, f"Type {n}", expense_type=f"Type {n}") for n in range(200)]
    values = [("DEPARTMENT", d) for d in DEPARTMENTS] + [("LOCATION", loc) for loc in LOCATIONS] + \
        [("CLASS", c) for c in CLASSES]
    dimension_values = [IntacctDimensionValue(workspace_id=WS, synced_at=AT, dimension=d, value_id=v, name=v,
                                              extra={"entity": f"E{v[1]}00"} if d == "LOCATION" else {})
                        for d, v in values]
    tags = [Tag(f"tag-{v}", WS, d, v, v) for d, v in values]
    employees = [IntacctEmployee(workspace_id=WS, synced_at=AT, employee_id=f"EMP-{n}",
                                 email=f"person{n}@example.com") for n in range(2000)]
    return index(
        ConnectionSettings(WS, entity="E100"),
        categories=categories, tags=tags,
        cards=[CompanyCard(f"card-{n}", WS, f"•••• {1000 + n}", None, f"CARD-{n}") for n in range(40)],
        member_emails={f"u-{n}": f"person{n}@example.com" for n in range(2000)},
        accounts=accounts, card_accounts=cards, expense_types=expense_types, employees=employees,
        vendors=[IntacctVendor(workspace_id=WS, synced_at=AT, vendor_id=f"V-{n}", name=f"Vendor {n}")
                 for n in range(30)],
        dimension_values=dimension_values,
        periods=[IntacctPeriod(workspace_id=WS, synced_at=AT, entity=e, closed_through=date(2026, 6, 30))
                 for e in ENTITIES],
    )


def build_reports(rng: random.Random, count: int, lines: int) -> list[tuple[Report, list[Expense]]]:
    reports = []
    # Lines mostly coded with categories whose accounts take them; one in twenty with an entity-private,
    # inactive or relationship-restricted account (which refuses some of those lines).
    clean = [n for n in range(200) if (n * 3) % 20 not in (1, 2, 5)]
    risky = [n for n in range(200) if (n * 3) % 20 in (1, 2, 5)]
    for r in range(count):
        owner = f"u-{r % 2000}"
        report = Report(id=f"R-{r}", workspace_id=WS, owner=owner, title=f"Report {r}", currency="USD",
                        created_at=AT, state=ReportState.APPROVED)
        expenses = []
        for n in range(lines):
            card = rng.random() < 0.4
            category = rng.choice(risky) if rng.random() < 0.05 else rng.choice(clean)
            location = rng.choice(LOCATIONS[:60] if not card else LOCATIONS)
            expenses.append(Expense(
                id=f"E-{r}-{n}", report_id=report.id, spent_on=date(2026, 10, 1) + timedelta(days=rng.randrange(30)),
                merchant=f"Merchant {n}", amount=Money.of(f"{rng.randrange(1, 50000) / 100:.2f}", "USD"),
                category_id=f"cat-{category}",
                tags={"DEPARTMENT": rng.choice(DEPARTMENTS), "LOCATION": location, "CLASS": rng.choice(CLASSES)},
                payment=Payment.COMPANY_CARD if card else Payment.REIMBURSABLE,
                card_id=f"card-{rng.randrange(40)}" if card else None,
            ))
        reports.append((report, expenses))
    return reports


def run(view: WorkspaceView, reports: list[tuple[Report, list[Expense]]]) -> tuple[float, int]:
    started = time.perf_counter()
    found = 0
    for report, expenses in reports:
        found += len(preflight(report, expenses, view, export_date=date(2026, 11, 2)))
    return time.perf_counter() - started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    view = build_view()
    reports = build_reports(rng, args.reports, args.lines)
    total = args.reports * args.lines
    cold, findings = run(view, reports)
    warm = min(run(view, reports)[0] for _ in range(args.passes))
    print(f"preflight: {args.reports} reports x {args.lines} lines = {total} lines, {findings} findings "
          f"({findings / total:.1%} of lines)")
    for label, seconds in (("cold (first pass, builds the workspace indexes)", cold),
                           (f"warm (best of {args.passes} passes)", warm)):
        rate = total / seconds
        print(f"  {label:<48} {rate:>10,.0f} lines/s   {rate / TARGET:.2f}x the {TARGET:,} lines/s target")


if __name__ == "__main__":
    main()
