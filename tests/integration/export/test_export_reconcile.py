"""Documents that may already be in Intacct are looked up by reference before anything is sent again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from ledgerbridge.domain import EventKind, ReportState, new_id
from ledgerbridge.domain.exports import AttemptState, ExportAttempt
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.export.deliver_outcome import Outcome
from ledgerbridge.export.deliver_view import load_view
from ledgerbridge.export.payloads import plan_documents
from ledgerbridge.intacct import ClientOptions, RetryPolicy
from ledgerbridge.store import Database, ExportAttempts, Reports, SecretBox
from ledgerbridge.store.models import ExportAttemptRow, ReportRow
from tests.conftest import RunningSandbox
from tests.integration.export.workspace import approved_report, category, demo_workspace, found_in_intacct, now

FAST = ClientOptions(retry=RetryPolicy(attempts=3, initial_wait=0.02, max_wait=0.1))


def exported_then_forgotten(database: Database, secret_box: SecretBox, sandbox: RunningSandbox,
                            state: AttemptState) -> tuple[ExportService, str, str, str]:
    """A report Intacct has, whose attempt the store shows in `state` (as after a crash or a lost answer)."""
    ws, owner = demo_workspace(database, secret_box, sandbox, "maria.alvarez@cedarridge.example")
    report_id = approved_report(database, ws, owner, [("Offsite", "75.00", category(database, ws, "Company Events").id,
                                                       True)])
    service = ExportService(database, secret_box, client_options=FAST, sending_lease=timedelta(minutes=5))
    key = service.export_now(ws, [report_id], owner.id).of(report_id).intacct_keys[0]
    with database.session() as session:
        session.execute(update(ExportAttemptRow).where(ExportAttemptRow.report_id == report_id).values(
            state=state.value, intacct_key=None, claimed_until=now() - timedelta(seconds=1)))
        session.execute(update(ReportRow).where(ReportRow.id == report_id).values(
            state=ReportState.APPROVED.value, exported_at=None, export_status=state.value))
    return service, ws, report_id, key


def test_a_sending_attempt_left_by_a_dead_process_is_found_not_sent_again(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    service, ws, report_id, key = exported_then_forgotten(database, secret_box, sandbox_server, AttemptState.SENDING)
    run = service.export_now(ws, [report_id], "system")
    assert run.of(report_id).outcome is Outcome.EXPORTED and run.of(report_id).intacct_keys == (key,)
    assert run.requests == 0  # a lookup, no document sent
    with database.session() as session:
        (attempt,) = ExportAttempts(session).of_report(ws, report_id)
        reconciled = [e for e in Reports(session).history(report_id) if e.kind is EventKind.RECONCILED]
    assert (attempt.state, attempt.intacct_key) == (AttemptState.EXPORTED, key)
    assert reconciled[-1].detail["found"] is True and reconciled[-1].detail["was"] == "sending"
    assert found_in_intacct(sandbox_server, "CCTRANSACTION", report_id) == [key]


def test_a_replay_refused_as_already_executed_is_reconciled(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    # The store believes nothing ran; Intacct refuses the same controlid, which proves it did.
    service, ws, report_id, key = exported_then_forgotten(database, secret_box, sandbox_server, AttemptState.FAILED)
    run = service.export_now(ws, [report_id], "system")
    assert run.of(report_id).outcome is Outcome.EXPORTED and run.of(report_id).intacct_keys == (key,)
    with database.session() as session:
        kinds = [e.kind for e in Reports(session).history(report_id)]
    assert kinds[-3:] == [EventKind.EXPORT_UNCERTAIN, EventKind.RECONCILED, EventKind.EXPORTED]
    assert found_in_intacct(sandbox_server, "CCTRANSACTION", report_id) == [key]


def test_an_uncertain_attempt_missing_from_intacct_goes_again_with_the_same_controlid(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, "maria.alvarez@cedarridge.example")
    report_id = approved_report(database, ws, owner, [("Offsite", "12.00", category(database, ws, "Company Events").id,
                                                       True)])
    # The request timed out before Intacct ran it: the store says uncertain, Intacct has nothing.
    with database.session() as session:
        reports = Reports(session)
        report, expenses = reports.get(ws, report_id), reports.expenses(report_id)
        view = load_view(session, secret_box, ws)
        (planned,) = plan_documents(report, expenses, view, exported_on=now().date(), owner_employee_id=None)
        ExportAttempts(session).add(ExportAttempt(
            new_id(), ws, report_id, 1, 0, planned.kind.value, planned.controlid, planned.reference,
            planned.reference_object, planned.reference_field, AttemptState.UNCERTAIN, now(), now(), attempts=1))
    run = ExportService(database, secret_box, client_options=FAST).export_now(ws, [report_id], owner.id)
    assert run.of(report_id).outcome is Outcome.EXPORTED
    with database.session() as session:
        (attempt,) = ExportAttempts(session).of_report(ws, report_id)
        history = Reports(session).history(report_id)
    assert (attempt.controlid, attempt.attempts, attempt.state) == (planned.controlid, 2, AttemptState.EXPORTED)
    reconciled = next(e for e in history if e.kind is EventKind.RECONCILED)
    assert reconciled.detail["found"] is False
    assert EventKind.PREFLIGHT not in [e.kind for e in history]  # looked up first, whatever preflight says now
    assert found_in_intacct(sandbox_server, "CCTRANSACTION", report_id) == [attempt.intacct_key]
