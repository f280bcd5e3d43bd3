"""The report state machine: the only moves, who and when, and what history records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ledgerbridge.domain import EventKind, InvalidTransition, Report, ReportState, transition, transition_event
from ledgerbridge.domain.reports import TRANSITIONS, is_editable, request_reexport

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALL = list(ReportState)


def draft() -> Report:
    return Report(id="r1", workspace_id="w1", owner="u-owner", title="March travel", currency="USD", created_at=T0)


def walk(report: Report, *states: ReportState) -> Report:
    for i, state in enumerate(states, 1):
        report = transition(report, state, f"u{i}", T0 + timedelta(hours=i))
    return report


def test_happy_path_records_who_and_when() -> None:
    report = walk(draft(), ReportState.SUBMITTED, ReportState.APPROVED, ReportState.EXPORTED, ReportState.REIMBURSED)
    assert report.state is ReportState.REIMBURSED
    assert (report.submitted_by, report.submitted_at) == ("u1", T0 + timedelta(hours=1))
    assert (report.approved_by, report.approved_at) == ("u2", T0 + timedelta(hours=2))
    assert report.exported_at == T0 + timedelta(hours=3)
    assert report.reimbursed_at == T0 + timedelta(hours=4)


@pytest.mark.parametrize(
    ("path", "back"),
    [((ReportState.SUBMITTED,), ReportState.DRAFT), ((ReportState.SUBMITTED, ReportState.APPROVED), ReportState.DRAFT)],
)
def test_returning_to_draft_clears_submission_and_approval(path: tuple[ReportState, ...], back: ReportState) -> None:
    report = transition(walk(draft(), *path), back, "u-approver", T0 + timedelta(days=1))
    assert report.state is ReportState.DRAFT
    assert report.submitted_at is None and report.approved_by is None
    assert is_editable(report)


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("target", ALL)
def test_every_move_outside_the_table_is_refused(start: ReportState, target: ReportState) -> None:
    paths = {
        ReportState.DRAFT: (),
        ReportState.SUBMITTED: (ReportState.SUBMITTED,),
        ReportState.APPROVED: (ReportState.SUBMITTED, ReportState.APPROVED),
        ReportState.EXPORTED: (ReportState.SUBMITTED, ReportState.APPROVED, ReportState.EXPORTED),
        ReportState.REIMBURSED: (
            ReportState.SUBMITTED, ReportState.APPROVED, ReportState.EXPORTED, ReportState.REIMBURSED,
        ),
    }
    report = walk(draft(), *paths[start])
    if target in TRANSITIONS[start]:
        assert transition(report, target, "u9", T0).state is target
    else:
        with pytest.raises(InvalidTransition) as caught:
            transition(report, target, "u9", T0)
        assert caught.value.from_state is start and caught.value.to_state is target
        assert report.state is start


def test_a_draft_cannot_be_exported_and_the_message_says_what_is_allowed() -> None:
    with pytest.raises(InvalidTransition, match="cannot go from draft to exported \\(allowed: submitted\\)"):
        transition(draft(), ReportState.EXPORTED, "u1", T0)


def test_transition_event_names_the_move() -> None:
    submitted = walk(draft(), ReportState.SUBMITTED)
    returned = transition(submitted, ReportState.DRAFT, "u-approver", T0)
    event = transition_event(submitted, returned, "u-approver", T0, "e1")
    assert event.kind is EventKind.RETURNED
    assert event.detail == {"from": "submitted", "to": "draft"}
    assert event.actor == "u-approver"


def test_reexport_bumps_the_export_version_of_an_exported_report_only() -> None:
    exported = walk(draft(), ReportState.SUBMITTED, ReportState.APPROVED, ReportState.EXPORTED)
    again = request_reexport(exported)
    assert again.export_version == 2 and again.state is ReportState.EXPORTED
    with pytest.raises(InvalidTransition):
        request_reexport(draft())
