"""Reports, expenses and history: exact money, filtered pages, guarded state changes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from ledgerbridge.domain import (
    SYSTEM,
    EventKind,
    Expense,
    HistoryEvent,
    Money,
    Payment,
    Report,
    ReportState,
    new_id,
    transition,
    transition_event,
)
from ledgerbridge.store import Database, NotFound, ReportChanged, ReportFilter, Reports
from tests.db import new_user, new_workspace, now


@pytest.mark.parametrize(
    "amount",
    [
        Money.of("0.01", "USD"),
        Money.of("-1234.56", "EUR"),
        Money.of("99999999999.99", "USD"),
        Money.of("1234567", "JPY"),
        Money.of("12345678.123", "KWD"),
        Money.of("-1234567.8912", "CLF"),
    ],
)
def test_amounts_round_trip_exactly(database: Database, amount: Money) -> None:
    with database.session() as session:
        owner = new_user(session)
        workspace = new_workspace(session, admin=owner)
        report = Reports(session).add(Report(new_id(), workspace.id, owner.id, "Exact", amount.currency, now()))
        expense = Reports(session).add_expense(
            Expense(new_id(), report.id, date(2026, 2, 28), "Vendor", amount, tags={"DEPARTMENT": "D1"})
        )
    with database.session() as session:
        stored = Reports(session).expense(report.id, expense.id)
    assert stored == expense
    assert stored.amount.amount == amount.amount and isinstance(stored.amount.amount, Decimal)


def test_expenses_keep_their_order_and_fields(db_session: Session) -> None:
    owner = new_user(db_session)
    workspace = new_workspace(db_session, admin=owner)
    reports = Reports(db_session)
    report = reports.add(Report(new_id(), workspace.id, owner.id, "Trip", "USD", now()))
    lines = [
        Expense(new_id(), report.id, date(2026, 3, day), f"Merchant {day}", Money.of(f"{day}.50", "USD"),
                payment=Payment.COMPANY_CARD, billable=day % 2 == 0, description="client visit", vendor="V100")
        for day in (3, 1, 2)
    ]
    reports.add_expenses(lines[:2])
    reports.add_expense(lines[2])
    assert reports.expenses(report.id) == lines
    edited = reports.save_expense(Expense(lines[0].id, report.id, date(2026, 3, 4), "Taxi", Money.of("9", "USD")))
    assert reports.expense(report.id, lines[0].id) == edited
    reports.delete_expense(report.id, lines[1].id)
    assert [e.merchant for e in reports.expenses(report.id)] == ["Taxi", "Merchant 2"]
    with pytest.raises(NotFound):
        reports.expense(new_id(), lines[2].id)


def test_state_changes_are_stored_with_history(database: Database) -> None:
    with database.session() as session:
        owner = new_user(session)
        workspace = new_workspace(session, admin=owner)
        report = Reports(session).add(Report(new_id(), workspace.id, owner.id, "Trip", "USD", now()))
    submitted = transition(report, ReportState.SUBMITTED, owner.id, now())
    with database.session() as session:
        reports = Reports(session)
        reports.save(submitted, if_state=ReportState.DRAFT)
        reports.record(transition_event(report, submitted, owner.id, submitted.submitted_at or now(), new_id()))
        reports.record(HistoryEvent(new_id(), report.id, now() + timedelta(seconds=1), SYSTEM, EventKind.PREFLIGHT,
                                    {"findings": [{"code": "INT860", "line": 1}]}))
    with database.session() as session:
        reports = Reports(session)
        assert reports.get(workspace.id, report.id) == submitted
        history = reports.history(report.id)
        assert [e.kind for e in history] == [EventKind.SUBMITTED, EventKind.PREFLIGHT]
        assert history[1].detail == {"findings": [{"code": "INT860", "line": 1}]}
        with pytest.raises(ReportChanged):
            reports.save(submitted, if_state=ReportState.DRAFT)


def test_a_report_of_another_workspace_is_not_found(db_session: Session) -> None:
    owner = new_user(db_session)
    mine, theirs = new_workspace(db_session, admin=owner), new_workspace(db_session)
    reports = Reports(db_session)
    report = reports.add(Report(new_id(), mine.id, owner.id, "Mine", "USD", now()))
    with pytest.raises(NotFound):
        reports.get(theirs.id, report.id)
    with pytest.raises(NotFound):
        reports.set_export_outcome(theirs.id, report.id, "failed", "INT860")
    assert reports.workspace_of(report.id) == mine.id
    assert reports.workspace_of(new_id()) is None


def test_report_lists_filter_and_page_newest_first(db_session: Session) -> None:
    alice, bob = new_user(db_session), new_user(db_session)
    workspace = new_workspace(db_session, admin=alice)
    reports = Reports(db_session)
    start = now()
    made = [
        reports.add(
            Report(new_id(), workspace.id, alice.id if i % 2 else bob.id, f"R{i}", "USD", start + timedelta(minutes=i),
                   state=ReportState.APPROVED if i % 3 == 0 else ReportState.DRAFT)
        )
        for i in range(10)
    ]
    reports.set_export_outcome(workspace.id, made[3].id, "failed", "INT860")
    first = reports.page(workspace.id, limit=4)
    second = reports.page(workspace.id, limit=4, after=first.next_cursor)
    third = reports.page(workspace.id, limit=4, after=second.next_cursor)
    titles = [r.title for page in (first, second, third) for r in page.reports]
    assert titles == [f"R{i}" for i in reversed(range(10))]
    assert third.next_cursor is None
    approved = reports.page(workspace.id, ReportFilter(states=[ReportState.APPROVED]))
    assert [r.title for r in approved.reports] == ["R9", "R6", "R3", "R0"]
    assert reports.count(workspace.id, ReportFilter(owner=alice.id)) == 5
    failed = reports.page(workspace.id, ReportFilter(int_code="INT860"))
    assert [(r.title, r.export_status) for r in failed.reports] == [("R3", "failed")]
    assert reports.count(workspace.id, ReportFilter(export_status="failed")) == 1
