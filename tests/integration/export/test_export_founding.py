"""The founding case end to end: INT860 on account 6400 and card AMEX-1005, fixed in Intacct or recategorized."""

from __future__ import annotations

from ledgerbridge.domain import EventKind, HistoryEvent, ReportState, new_id
from ledgerbridge.domain.exports import AttemptState
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.export.deliver_outcome import Outcome
from ledgerbridge.export.suggest_categories import recategorize
from ledgerbridge.intacct import ClientOptions, RetryPolicy
from ledgerbridge.store import Database, ExportAttempts, Reports, SecretBox
from ledgerbridge.sync import SyncService
from tests.conftest import RunningSandbox
from tests.integration.export.workspace import approved_report, category, demo_workspace, found_in_intacct, now
from tests.integration.sandbox.test_console import ConsoleBrowser, account_6400_unrestricted

FAST = ClientOptions(retry=RetryPolicy(attempts=4, initial_wait=0.05, max_wait=0.5))


def test_int860_then_fix_in_intacct_sync_now_and_retry(
    database: Database, secret_box: SecretBox, console_sandbox: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, console_sandbox, "maria.alvarez@cedarridge.example")
    entertainment = category(database, ws, "Entertainment")
    report_id = approved_report(database, ws, owner, [("Harbor Grill", "86.40", entertainment.id, True)])
    service = ExportService(database, secret_box, client_options=FAST)

    checked = service.preflight(ws, report_id, owner.id)
    assert [f.code for f in checked.blocking] == ["INT860"]
    assert "account 6400" in checked.blocking[0].message and "AMEX-1005" in checked.blocking[0].message
    assert any(s.kind.value == "recategorize" for s in checked.suggestions)

    blocked = service.export_now(ws, [report_id], owner.id).of(report_id)
    assert (blocked.outcome, blocked.int_code) == (Outcome.BLOCKED, "INT860")

    refused = service.export_now(ws, [report_id], owner.id, check=False).of(report_id)
    assert (refused.outcome, refused.int_code) == (Outcome.FAILED, "INT860")
    assert refused.message is not None and "6400" in refused.message and "AMEX-1005" in refused.message

    browser = ConsoleBrowser(console_sandbox)
    browser.sign_in("xml_gateway")
    saved = browser.post("/accounts/6400", account_6400_unrestricted(browser.form_fields("/accounts/6400")))
    assert saved.status_code == 303
    assert SyncService(database, secret_box).run(ws).errors == ()

    retried = service.retry_now(ws, "INT860", owner.id)
    assert [o.report_id for o in retried.outcomes] == [report_id]
    done = retried.of(report_id)
    assert done.outcome is Outcome.EXPORTED and done.intacct_keys and done.intacct_keys[0]
    with database.session() as session:
        report = Reports(session).get(ws, report_id)
        kinds = [event.kind for event in Reports(session).history(report_id)]
        (attempt,) = ExportAttempts(session).of_report(ws, report_id)
    assert report.state is ReportState.EXPORTED and report.export_status == "exported"
    assert report.last_int_code is None
    assert attempt.state is AttemptState.EXPORTED and attempt.intacct_key == done.intacct_keys[0]
    assert attempt.attempts == 2
    for kind in (EventKind.PREFLIGHT, EventKind.EXPORT_FAILED, EventKind.RETRIED, EventKind.EXPORT_SENT,
                 EventKind.EXPORTED):
        assert kind in kinds
    assert found_in_intacct(console_sandbox, "CCTRANSACTION", report_id) == list(done.intacct_keys)
    browser.http.close()


def test_faq_path_recategorize_to_a_suggested_category_and_retry(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, "james.oconnor@cedarridge.example")
    entertainment = category(database, ws, "Entertainment")
    report_id = approved_report(database, ws, owner, [("Harbor Grill", "120.00", entertainment.id, True)])
    service = ExportService(database, secret_box, client_options=FAST)
    failed = service.export_now(ws, [report_id], owner.id, check=False).of(report_id)
    assert failed.int_code == "INT860"

    (suggestion,) = [s for s in service.preflight(ws, report_id, owner.id).suggestions
                     if s.kind.value == "recategorize"]
    names = [option.name for option in suggestion.categories]
    assert "Company Events" in names
    chosen = next(option for option in suggestion.categories if option.name == "Company Events")
    with database.session() as session:
        reports = Reports(session)
        moved, detail = recategorize(reports.expenses(report_id), suggestion.expense_ids, chosen.category_id)
        for expense in moved:
            reports.save_expense(expense)
        reports.record(HistoryEvent(new_id(), report_id, now(), owner.id, EventKind.RECATEGORIZED, detail))

    done = service.retry_now(ws, [report_id], owner.id).of(report_id)
    assert done.outcome is Outcome.EXPORTED and done.intacct_keys
    with database.session() as session:
        assert Reports(session).get(ws, report_id).state is ReportState.EXPORTED
    assert len(found_in_intacct(sandbox_server, "CCTRANSACTION", report_id)) == 1
