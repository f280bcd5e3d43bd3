"""Fixing INT860 by recategorizing: the service moves the expenses, records why, preflights again; then it exports."""

from __future__ import annotations

import dataclasses

import pytest

from ledgerbridge.domain import EventKind, Member, ReportState, Role
from ledgerbridge.export.deliver_outcome import Outcome
from ledgerbridge.export.recategorize import (
    NotAllowed,
    NothingToMove,
    NotRecategorizable,
    Recategorizer,
    UnknownExpenses,
    UnusableCategory,
)
from ledgerbridge.store import Coding, Database, Reports, SecretBox, Workspaces
from tests.conftest import RunningSandbox
from tests.db import new_user
from tests.integration.export.test_int_codes_sandbox import Line, exporter, report
from tests.integration.export.workspace import category, demo_workspace, now

MARIA = "maria.alvarez@cedarridge.example"


def test_recategorizing_a_failed_report_to_the_suggested_category_lets_it_export(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, (grill, papers) = report(database, ws, owner, [
        Line("Harbor Grill", "Entertainment", on_card=True, tags={}),
        Line("Papertrail", "Office Supplies", on_card=True, tags={})])
    failed = exporter(database, secret_box).export_now(ws, [report_id], owner.id, check=False).of(report_id)
    assert failed.int_code == "INT860"
    target = category(database, ws, "Company Events")

    done = Recategorizer(database, secret_box).recategorize(ws, report_id, target.id, "system")

    assert [(m.expense_id, m.from_category, m.to_category) for m in done.moves] == [
        (grill, "Entertainment", "Company Events")]
    assert done.int_code == "INT860" and done.preflight.ok
    with database.session() as session:
        reports = Reports(session)
        moved = {e.id: e.category_id for e in reports.expenses(report_id)}
        history = reports.history(report_id)
    assert moved[grill] == target.id and moved[papers] == category(database, ws, "Office Supplies").id
    (event,) = [e for e in history if e.kind is EventKind.RECATEGORIZED]
    assert event.actor == "system"
    assert event.detail["int_code"] == "INT860"
    assert event.detail["changed"] == [{"expense_id": grill, "from": category(database, ws, "Entertainment").id,
                                        "from_name": "Entertainment", "to": target.id, "to_name": "Company Events"}]
    assert history[-1].kind is EventKind.PREFLIGHT

    retried = exporter(database, secret_box).retry_now(ws, [report_id], owner.id).of(report_id)
    assert retried.outcome is Outcome.EXPORTED and retried.intacct_keys


def test_recategorize_names_expenses_and_refuses_what_it_cannot_do(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, (grill,) = report(database, ws, owner, [Line("Harbor Grill", "Entertainment", on_card=True, tags={})])
    recategorizer = Recategorizer(database, secret_box)
    events = category(database, ws, "Company Events")

    with pytest.raises(UnknownExpenses):
        recategorizer.recategorize(ws, report_id, events.id, "system", expense_ids=["not-on-the-report"])
    with pytest.raises(NothingToMove):
        recategorizer.recategorize(ws, report_id, category(database, ws, "Training").id, "system")
    with database.session() as session:
        Coding(session).save_category(dataclasses.replace(events, enabled=False))
    with pytest.raises(UnusableCategory):
        recategorizer.recategorize(ws, report_id, events.id, "system", expense_ids=[grill])
    with database.session() as session:
        Coding(session).save_category(events)
        Workspaces(session).add_member(Member(ws, (approver := new_user(session, name="Abe")).id, Role.APPROVER,
                                              now()))
    with pytest.raises(NotAllowed):
        recategorizer.recategorize(ws, report_id, events.id, approver.id, expense_ids=[grill])

    with pytest.raises(NotAllowed):
        recategorizer.recategorize(ws, report_id, events.id, owner.id, expense_ids=[grill])
    with database.session() as session:
        assert Reports(session).expenses(report_id)[0].category_id == category(database, ws, "Entertainment").id

    exported = exporter(database, secret_box)
    recategorizer.recategorize(ws, report_id, events.id, "system", expense_ids=[grill])
    assert exported.export_now(ws, [report_id], owner.id).of(report_id).outcome is Outcome.EXPORTED
    with database.session() as session:
        assert Reports(session).get(ws, report_id).state is ReportState.EXPORTED
    with pytest.raises(NotRecategorizable):
        recategorizer.recategorize(ws, report_id, category(database, ws, "Office Supplies").id, "system",
                                   expense_ids=[grill])
