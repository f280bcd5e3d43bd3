"""Bulk reads and writes of reports, expenses, history and export attempts: what an export run of
thousands of reports uses, on both backends, with the same answers as the one-at-a-time methods."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from ledgerbridge.domain import SYSTEM, EventKind, Expense, HistoryEvent, Money, Payment, Report, ReportState, new_id
from ledgerbridge.domain.exports import AttemptState, ExportAttempt
from ledgerbridge.store import Database, ExportAttempts, NotFound, Reports
from ledgerbridge.store.repos.exports import Settlement
from tests.db import new_user, new_workspace, now


def approved(workspace_id: str, owner: str, title: str) -> Report:
    at = now()
    return Report(new_id(), workspace_id, owner, title, "USD", at, state=ReportState.APPROVED, submitted_at=at,
                  submitted_by=owner, approved_at=at, approved_by=owner)


def lines(report: Report, count: int) -> list[Expense]:
    return [Expense(new_id(), report.id, date(2026, 10, 1) + timedelta(days=n), f"Merchant {n}",
                    Money(Decimal(f"{n + 1}.25"), "USD"), tags={"LOCATION": "L110"} if n % 2 else {},
                    payment=Payment.COMPANY_CARD if n % 2 else Payment.REIMBURSABLE, description="bulk")
            for n in range(count)]


def attempt_of(report: Report, index: int = 0) -> ExportAttempt:
    at = now()
    return ExportAttempt(new_id(), report.workspace_id, report.id, report.export_version, index, "expense_report",
                         f"lb-{report.id}-{index}", report.id, "EEXPENSES", "RECORDID", AttemptState.QUEUED, at, at)


def test_reports_added_in_bulk_read_back_like_one_at_a_time(db_session: Session) -> None:
    owner = new_user(db_session)
    workspace = new_workspace(db_session, admin=owner)
    reports = [approved(workspace.id, owner.id, f"Bulk {n}") for n in range(1200)]
    expenses = [e for n, report in enumerate(reports) for e in lines(report, 1 + n % 5)]
    repo = Reports(db_session)
    repo.add_many(reports, expenses)
    wanted = [r.id for r in reversed(reports)]
    assert repo.get_many(workspace.id, wanted) == [repo.get(workspace.id, r) for r in wanted]
    by_report = repo.expenses_of(wanted)
    assert [by_report[r] for r in wanted] == [repo.expenses(r) for r in wanted]
    assert [len(by_report[r.id]) for r in reports[:5]] == [1, 2, 3, 4, 5]
    assert repo.owners_of(workspace.id, wanted) == {owner.id}


def test_bulk_reads_stay_inside_the_workspace(db_session: Session) -> None:
    owner = new_user(db_session)
    mine, theirs = new_workspace(db_session, admin=owner), new_workspace(db_session, admin=owner)
    report = approved(theirs.id, owner.id, "Someone else's")
    Reports(db_session).add_many([report], lines(report, 2))
    with pytest.raises(NotFound):
        Reports(db_session).get_many(mine.id, [report.id])
    assert ExportAttempts(db_session).of_reports(mine.id, [report.id]) == []


def test_an_expense_of_another_report_is_refused(db_session: Session) -> None:
    owner = new_user(db_session)
    workspace = new_workspace(db_session, admin=owner)
    one, other = approved(workspace.id, owner.id, "One"), approved(workspace.id, owner.id, "Other")
    with pytest.raises(ValueError, match="not one added here"):
        Reports(db_session).add_many([one], lines(other, 1))


def test_history_events_and_statuses_in_bulk(db_session: Session) -> None:
    owner = new_user(db_session)
    workspace = new_workspace(db_session, admin=owner)
    reports = [approved(workspace.id, owner.id, f"R{n}") for n in range(3)]
    repo = Reports(db_session)
    repo.add_many(reports)
    events = [HistoryEvent(new_id(), r.id, now(), SYSTEM, EventKind.EXPORT_SENT, {"documents": [{"n": n}]})
              for n, r in enumerate(reports)]
    repo.record_many(events)
    repo.set_export_outcomes(workspace.id, {reports[0].id: ("failed", "INT860"), reports[1].id: ("sending", None)})
    assert [repo.history(r.id) for r in reports] == [[e] for e in events]
    assert [(r.export_status, r.last_int_code) for r in repo.get_many(workspace.id, [r.id for r in reports])] == [
        ("failed", "INT860"), ("sending", None), (None, None)]


def test_save_many_saves_only_reports_still_in_the_expected_state(db_session: Session) -> None:
    owner = new_user(db_session)
    workspace = new_workspace(db_session, admin=owner)
    reports = [approved(workspace.id, owner.id, f"R{n}") for n in range(4)]
    repo = Reports(db_session)
    repo.add_many(reports)
    # Someone sends one report back to its owner before the export finishes.
    repo.save(dataclasses.replace(reports[2], state=ReportState.DRAFT), if_state=ReportState.APPROVED)
    exported = [dataclasses.replace(r, state=ReportState.EXPORTED, exported_at=now(), export_status="exported")
                for r in reports]
    changed = repo.save_many(exported, if_state=ReportState.APPROVED,
                             fields=("state", "exported_at", "export_status", "last_int_code"))
    assert changed == [reports[2].id]
    states = [r.state for r in repo.get_many(workspace.id, [r.id for r in reports])]
    assert states == [ReportState.EXPORTED, ReportState.EXPORTED, ReportState.DRAFT, ReportState.EXPORTED]


def test_claims_and_settlements_in_bulk_are_compare_and_set(database: Database) -> None:
    with database.session() as session:
        owner = new_user(session)
        workspace = new_workspace(session, admin=owner)
        reports = [approved(workspace.id, owner.id, f"R{n}") for n in range(5)]
        Reports(session).add_many(reports)
        attempts = [attempt_of(r) for r in reports]
        ExportAttempts(session).add_many(attempts)
    # Another exporter claims the second attempt first.
    with database.session() as session:
        assert ExportAttempts(session).claim(attempts[1], until=now() + timedelta(minutes=5), at=now())
    with database.session() as session:
        lost = ExportAttempts(session).claim_many(attempts, until=now() + timedelta(minutes=5), at=now())
    assert lost == [attempts[1]]
    with database.session() as session:
        stored = {a.id: a for a in ExportAttempts(session).of_reports(workspace.id, [r.id for r in reports])}
    assert [stored[a.id].state for a in attempts] == [AttemptState.SENDING] * 5
    assert [stored[a.id].attempts for a in attempts] == [1] * 5
    mine = [stored[a.id] for a in attempts if a.id != attempts[1].id]
    settlements = [Settlement(mine[0], AttemptState.EXPORTED, intacct_key="101"),
                   Settlement(mine[1], AttemptState.UNCERTAIN, int_code="INT999", message="lost",
                              intacct_errors=[{"errorno": "X", "support_id": "S1"}]),
                   Settlement(stored[attempts[1].id], AttemptState.EXPORTED, intacct_key="102")]
    with database.session() as session:
        # The other exporter records its outcome first; ours for its attempt is refused.
        assert ExportAttempts(session).settle(stored[attempts[1].id], AttemptState.FAILED, at=now(), int_code="INT1")
    with database.session() as session:
        lost = ExportAttempts(session).settle_many(settlements, at=now())
    assert lost == [stored[attempts[1].id]]
    with database.session() as session:
        after = {a.id: a for a in ExportAttempts(session).of_reports(workspace.id, [r.id for r in reports])}
    assert (after[mine[0].id].state, after[mine[0].id].intacct_key) == (AttemptState.EXPORTED, "101")
    assert (after[mine[1].id].state, after[mine[1].id].intacct_errors) == (
        AttemptState.UNCERTAIN, ({"errorno": "X", "support_id": "S1"},))
    assert (after[attempts[1].id].state, after[attempts[1].id].int_code) == (AttemptState.FAILED, "INT1")


def test_a_claim_over_attempts_read_in_different_states_takes_only_those_unchanged(database: Database) -> None:
    with database.session() as session:
        owner = new_user(session)
        workspace = new_workspace(session, admin=owner)
        reports = [approved(workspace.id, owner.id, f"R{n}") for n in range(4)]
        Reports(session).add_many(reports)
        attempts = [attempt_of(r) for r in reports]
        ExportAttempts(session).add_many(attempts)
    # Two attempts were sent once and refused with nothing executed: retried from `failed`, count 1.
    with database.session() as session:
        repo = ExportAttempts(session)
        for attempt in attempts[2:]:
            assert repo.claim(attempt, until=now() + timedelta(minutes=5), at=now())
    with database.session() as session:
        stored = {a.id: a for a in ExportAttempts(session).of_reports(workspace.id, [r.id for r in reports])}
        for attempt in attempts[2:]:
            assert ExportAttempts(session).settle(stored[attempt.id], AttemptState.FAILED, at=now(), int_code="X")
    with database.session() as session:
        by_id = {a.id: a for a in ExportAttempts(session).of_reports(workspace.id, [r.id for r in reports])}
    retried = [by_id[a.id] for a in attempts]
    # Another exporter retries the last one first.
    with database.session() as session:
        assert ExportAttempts(session).claim(retried[3], until=now() + timedelta(minutes=5), at=now())
    with database.session() as session:
        lost = ExportAttempts(session).claim_many(retried, until=now() + timedelta(minutes=5), at=now())
    assert lost == [retried[3]]
    with database.session() as session:
        after = {a.id: a for a in ExportAttempts(session).of_reports(workspace.id, [r.id for r in reports])}
    assert [after[a.id].state for a in attempts] == [AttemptState.SENDING] * 4
    assert [after[a.id].attempts for a in attempts] == [1, 1, 2, 2]
