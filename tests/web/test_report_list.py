"""The report list's keyset pages, filters, counts and export health, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ledgerbridge.domain import EventKind, HistoryEvent, Report, ReportState, new_id
from ledgerbridge.store import Database, Reports
from ledgerbridge.store.repos.report_list import NEVER_EXPORTED, ListFilter, ReportList
from tests.db import new_user, new_workspace

STATES = (ReportState.DRAFT, ReportState.SUBMITTED, ReportState.APPROVED, ReportState.EXPORTED)


def _workspace_with_reports(database: Database, count: int = 130) -> tuple[str, str, list[Report]]:
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    with database.session() as session:
        owner = new_user(session)
        ws = new_workspace(session).id
        made = []
        for i in range(count):
            # Every third report shares its timestamp with the one before: ties are settled by id.
            at = start + timedelta(minutes=i - (1 if i % 3 == 2 else 0))
            state = STATES[i % 4]
            status, code = None, None
            if state is ReportState.APPROVED:
                status, code = ("failed", "INT860") if i % 8 == 2 else ("failed", "INT035")
            elif state is ReportState.EXPORTED:
                status = "exported"
            made.append(Report(new_id(), ws, owner.id if i % 5 else "", f"Trip {i:03d}", "USD", at, state=state,
                               export_status=status, last_int_code=code))
        others = new_user(session, name="Other Owner")
        made = [r if r.owner else Report(r.id, ws, others.id, r.title, r.currency, r.created_at, r.state,
                                         export_status=r.export_status, last_int_code=r.last_int_code)
                for r in made]
        Reports(session).add_many(made)
    return ws, owner.id, made


def _newest_first(reports: list[Report]) -> list[str]:
    return [r.id for r in sorted(reports, key=lambda r: (r.created_at, r.id), reverse=True)]


def _walk(listing: ReportList, ws: str, where: ListFilter, limit: int) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        page = listing.page(ws, where, limit=limit, after=after)
        seen.extend(row.report.id for row in page.rows)
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


def test_keyset_pages_cover_every_report_once_in_order_even_with_equal_timestamps(database: Database) -> None:
    ws, _, made = _workspace_with_reports(database)
    with database.session() as session:
        listing = ReportList(session)
        assert _walk(listing, ws, ListFilter(), 25) == _newest_first(made)
        assert _walk(listing, ws, ListFilter(), 7) == _newest_first(made)


def test_pages_back_with_the_before_cursor(database: Database) -> None:
    ws, _, made = _workspace_with_reports(database, 60)
    expected = _newest_first(made)
    with database.session() as session:
        listing = ReportList(session)
        first = listing.page(ws, limit=20)
        assert first.prev_cursor is None
        second = listing.page(ws, limit=20, after=first.next_cursor)
        assert second.prev_cursor is not None
        back = listing.page(ws, limit=20, before=second.prev_cursor)
        assert [r.report.id for r in back.rows] == expected[:20]
        assert back.prev_cursor is None and back.next_cursor is not None


def test_filters_narrow_the_list_and_counts_add_up(database: Database) -> None:
    ws, owner, made = _workspace_with_reports(database)
    with database.session() as session:
        listing = ReportList(session)
        approved = _walk(listing, ws, ListFilter(states=(ReportState.APPROVED,)), 10)
        assert approved == _newest_first([r for r in made if r.state is ReportState.APPROVED])
        int860 = _walk(listing, ws, ListFilter(int_code="INT860"), 10)
        assert int860 == _newest_first([r for r in made if r.last_int_code == "INT860"])
        never = _walk(listing, ws, ListFilter(export_status=NEVER_EXPORTED), 50)
        assert never == _newest_first([r for r in made if r.export_status is None])
        mine = _walk(listing, ws, ListFilter(owner=owner, states=(ReportState.DRAFT, ReportState.EXPORTED)), 9)
        assert mine == _newest_first([r for r in made if r.owner == owner
                                      and r.state in (ReportState.DRAFT, ReportState.EXPORTED)])
        titled = _walk(listing, ws, ListFilter(title="trip 01"), 50)
        assert titled == _newest_first([r for r in made if "Trip 01" in r.title])
        assert _walk(listing, ws, ListFilter(title="100%_"), 50) == []

        counts = listing.counts(ws)
        assert counts.total == len(made)
        assert counts.by_state[ReportState.APPROVED] == sum(r.state is ReportState.APPROVED for r in made)
        assert counts.by_int_code == {
            code: sum(r.last_int_code == code for r in made) for code in ("INT035", "INT860")}
        assert listing.counts(ws, owner).total == sum(r.owner == owner for r in made)


def test_health_counts_reports_per_day_by_outcome_and_code(database: Database) -> None:
    ws, _, made = _workspace_with_reports(database, 12)
    day = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    with database.session() as session:
        reports = Reports(session)
        a, b, c = made[0].id, made[1].id, made[2].id
        for report_id, at, kind, detail in (
            (a, day, EventKind.EXPORT_FAILED, {"code": "INT860", "stage": "preflight"}),
            (a, day + timedelta(minutes=10), EventKind.EXPORT_FAILED, {"code": "INT860"}),  # same report, same day
            (b, day, EventKind.EXPORT_FAILED, {"code": "INT035"}),
            (a, day + timedelta(hours=1), EventKind.EXPORTED, {}),  # the next UTC day
            (c, day + timedelta(hours=1), EventKind.EXPORT_UNCERTAIN, {"code": "INT993"}),
            (c, day - timedelta(days=40), EventKind.EXPORTED, {}),  # before the window
        ):
            reports.record(HistoryEvent(new_id(), report_id, at, "system", kind, detail))
        found = ReportList(session).health(ws, day - timedelta(days=29))
    assert [(d.day.isoformat(), d.exported, d.failed, d.uncertain) for d in found] == [
        ("2026-11-20", 0, {"INT860": 1, "INT035": 1}, 0),
        ("2026-11-21", 1, {}, 1),
    ]
