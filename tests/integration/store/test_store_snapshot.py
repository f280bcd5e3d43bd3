"""The Intacct snapshot: every kind round-trips, upserts overwrite, and 20,000 rows go in quickly."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ledgerbridge.domain import (
    IntacctAccount,
    IntacctCardAccount,
    IntacctDimensionValue,
    IntacctEmployee,
    IntacctExpenseType,
    IntacctJournal,
    IntacctPeriod,
    IntacctVendor,
    SnapshotRecord,
)
from ledgerbridge.store import Database, Snapshots, key_of
from tests.db import new_workspace, now


def one_of_each(workspace_id: str) -> list[SnapshotRecord]:
    at = now()
    common = {"workspace_id": workspace_id, "synced_at": at, "modified_at": at - timedelta(days=1)}
    return [
        IntacctAccount(
            **common, account_no="6400", title="Travel", account_type="incomestatement", record_no="88",
            entity="E200", disallow_direct_posting=True, required_dimensions=frozenset({"DEPARTMENT", "LOCATION"}),
            related={"LOCATION": frozenset({"L1", "L2"}), "DEPARTMENT": frozenset()},
        ),
        IntacctCardAccount(
            **common, card_id="AMEX-1005", description="Corporate Amex", card_type="Amex", offset_account="2100",
            vendor_id="V-AMEX", currency="USD", expires=date(2027, 6, 30),
        ),
        IntacctExpenseType(**common, name="Meals", gl_account="6420", description="Meals and entertainment"),
        IntacctEmployee(
            **common, employee_id="E-17", email="Dana.Reyes@Acme.com", name="Dana Reyes",
            start_date=date(2024, 1, 8), location="L1", department="D100", duplicate_email=True,
        ),
        IntacctVendor(**common, vendor_id="V-100", name="Credit Card Misc", on_hold=True, status="inactive"),
        IntacctDimensionValue(
            **common, dimension="PROJECT", value_id="P-9", name="Rollout", parent_id="P-1",
            extra={"customer": "C-3", "resources": ["E-17"]},
        ),
        IntacctPeriod(**common, entity="E200", closed_through=date(2026, 1, 31)),
        IntacctJournal(**common, symbol="CCJ", title="Card Journal (retired)", record_no="3", status="inactive"),
    ]


def test_every_kind_round_trips(database: Database) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        records = one_of_each(workspace.id)
        assert Snapshots(session).upsert(records) == len(records)
    with database.session() as session:
        snapshots = Snapshots(session)
        for record in records:
            assert snapshots.all(workspace.id, type(record)) == [record]
            assert snapshots.get(workspace.id, type(record), *key_of(record)) == record


def test_upsert_overwrites_by_key_and_delete_removes_by_key(db_session: Session) -> None:
    workspace = new_workspace(db_session)
    snapshots = Snapshots(db_session)
    account = one_of_each(workspace.id)[0]
    assert isinstance(account, IntacctAccount)
    snapshots.upsert([account, dataclasses.replace(account, account_no="6500")])
    snapshots.upsert([dataclasses.replace(account, status="inactive", related={})])
    stored = snapshots.get(workspace.id, IntacctAccount, "6400")
    assert stored is not None and not stored.active and stored.related == {}
    assert snapshots.keys(workspace.id, IntacctAccount) == {("6400",), ("6500",)}
    assert snapshots.delete(workspace.id, IntacctAccount, [("6500",), ("9999",)]) == 1
    assert snapshots.count(workspace.id, IntacctAccount) == 1


def test_workspaces_have_separate_snapshots(db_session: Session) -> None:
    first, second = new_workspace(db_session), new_workspace(db_session)
    snapshots = Snapshots(db_session)
    snapshots.upsert(one_of_each(first.id))
    assert snapshots.count(second.id, IntacctAccount) == 0
    assert snapshots.get(second.id, IntacctAccount, "6400") is None


def test_twenty_thousand_accounts_upsert_in_bulk(database: Database) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
    at = now()
    accounts = [
        IntacctAccount(workspace_id=workspace.id, synced_at=at, account_no=f"{n:05d}", title=f"Account {n}",
                       required_dimensions=frozenset({"DEPARTMENT"}) if n % 7 == 0 else frozenset())
        for n in range(20_000)
    ]
    started = time.perf_counter()
    with database.session() as session:
        Snapshots(session).upsert(accounts)
    with database.session() as session:
        Snapshots(session).upsert(dataclasses.replace(a, title=a.title + " (renamed)") for a in accounts[::100])
    elapsed = time.perf_counter() - started
    with database.session() as session:
        snapshots = Snapshots(session)
        assert snapshots.count(workspace.id, IntacctAccount) == 20_000
        renamed = snapshots.get(workspace.id, IntacctAccount, "00700")
        assert renamed is not None and renamed.title == "Account 700 (renamed)"
        assert renamed.required_dimensions == frozenset({"DEPARTMENT"})
    # One row at a time with a round trip each takes far longer than this on either database.
    assert elapsed < 30, f"20,000 rows took {elapsed:.1f}s"
