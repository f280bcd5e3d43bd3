"""INT codes produced end to end: a real export or Sync Now against the sandbox, or preflight on synced data.

Each test sets up what makes Intacct refuse (most of it is already in the demo company), exports without
the preflight gate so the sandbox itself answers, and checks the INT code's message with the real values,
its placeholders and its fix. Tests that change the sandbox's setup use a sandbox of their own.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerbridge.domain import (
    CompanyCard,
    CompanyCardAs,
    ConnectionSettings,
    Expense,
    IntacctCredentials,
    Money,
    Payment,
    ReimbursableAs,
    Report,
    ReportState,
    User,
    new_id,
)
from ledgerbridge.domain.connection import DimensionImport
from ledgerbridge.domain.sync_runs import SyncFailure
from ledgerbridge.export.deliver import ExportService
from ledgerbridge.export.deliver_outcome import Outcome, ReportOutcome
from ledgerbridge.intacct import ClientOptions, Condition, IntacctClient, Login, RetryPolicy, Secret, Sender, delete
from ledgerbridge.store import Coding, Connections, Database, Reports, SecretBox
from ledgerbridge.sync import SyncService
from tests.conftest import RunningSandbox, start_sandbox, stop_sandbox
from tests.fixtures.int_codes import HOW, Source, check_error
from tests.integration.export.workspace import SPENT, credentials, demo_workspace, now
from tests.integration.sandbox.test_console import ConsoleBrowser

FAST = ClientOptions(retry=RetryPolicy(attempts=2, initial_wait=0.02, max_wait=0.05))
MARIA = "maria.alvarez@cedarridge.example"
SPENT_TEXT = f"{SPENT.month:02d}/{SPENT.day:02d}/{SPENT.year}"


@dataclasses.dataclass(frozen=True)
class Line:
    """One expense of a test report."""

    merchant: str
    category: str | None
    amount: str = "48.00"
    tags: dict[str, str] = dataclasses.field(default_factory=lambda: {"LOCATION": "L110"})
    on_card: bool = False
    card_id: str | None = None
    spent_on: date = SPENT
    billable: bool = False

    @property
    def label(self) -> str:
        return f"{self.merchant}, {self.spent_on.month:02d}/{self.spent_on.day:02d}/{self.spent_on.year}"


def report(database: Database, ws: str, owner: User, lines: Sequence[Line]) -> tuple[str, list[str]]:
    """An approved report of `lines`; returns its id and its expense ids in order."""
    with database.session() as session:
        coding = Coding(session)
        default_card = coding.cards(ws)[0].id
        by_name = {c.name: c.id for c in coding.categories(ws)}
        reports = Reports(session)
        added = reports.add(Report(new_id(), ws, owner.id, "Client visit", "USD", now(), state=ReportState.APPROVED,
                                   submitted_at=now(), submitted_by=owner.id, approved_at=now(),
                                   approved_by=owner.id))
        expenses = [
            Expense(new_id(), added.id, line.spent_on, line.merchant, Money(Decimal(line.amount), "USD"),
                    by_name[line.category] if line.category else None, tags=dict(line.tags),
                    payment=Payment.COMPANY_CARD if line.on_card else Payment.REIMBURSABLE,
                    card_id=(line.card_id or default_card) if line.on_card else None, billable=line.billable)
            for line in lines
        ]
        reports.add_expenses(expenses)
    return added.id, [expense.id for expense in expenses]


def exporter(database: Database, box: SecretBox) -> ExportService:
    return ExportService(database, box, client_options=FAST, max_rounds=2,
                         round_backoff=RetryPolicy(attempts=2, initial_wait=0.01, max_wait=0.02))


def refused(database: Database, box: SecretBox, ws: str, report_id: str, owner: User) -> ReportOutcome:
    """Export without the preflight gate, so that the sandbox answers; it must refuse."""
    outcome = exporter(database, box).export_now(ws, [report_id], owner.id, check=False).of(report_id)
    assert outcome.outcome is Outcome.FAILED, outcome
    assert outcome.int_code is not None and outcome.message is not None
    return outcome


def produced(outcome: ReportOutcome | SyncFailure, code: str, **values: str) -> None:
    if isinstance(outcome, SyncFailure):
        assert outcome.int_code == code, outcome
    else:
        assert outcome.int_code == code, outcome
    assert outcome.message is not None
    check_error(code, outcome.message, values)


def settings(database: Database, box: SecretBox, ws: str, **changes: object) -> None:
    with database.session() as session:
        connections = Connections(session, box)
        current = connections.settings(ws)
        connections.save_settings(dataclasses.replace(current, **changes), now())  # type: ignore[arg-type]


def reconnect(database: Database, box: SecretBox, ws: str, sandbox: RunningSandbox, **changes: str) -> None:
    with database.session() as session:
        Connections(session, box).update_credentials(
            ws, dataclasses.replace(credentials(sandbox), **changes), now())


def gateway(sandbox: RunningSandbox, work: object) -> object:
    async def run() -> object:
        async with IntacctClient(Sender("ledgerbridge", Secret("sandbox")),
                                 Login("DEMO", "xml_gateway", Secret("sandbox")),
                                 options=ClientOptions(endpoint=sandbox.gateway_url)) as client:
            return await work(client)  # type: ignore[operator]
    return asyncio.run(run())


def delete_records(sandbox: RunningSandbox, object_name: str, id_field: str, ids: Sequence[str] | None) -> None:
    """Delete records in the sandbox as its administrator (all of the object's when `ids` is None)."""
    async def work(client: IntacctClient) -> None:
        where = Condition("in", id_field, *ids) if ids else None
        records = await client.query_all(object_name, ["RECORDNO", id_field], filter=where)
        assert records
        (result,) = await client.execute([delete(f"delete-{object_name}", object_name,
                                                 [r["RECORDNO"] for r in records])])
        assert result.ok, result.errors
    gateway(sandbox, work)


@pytest.fixture
def own_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    (tmp_path / "own").mkdir()
    proc, running = start_sandbox(tmp_path / "own")
    yield running
    stop_sandbox(proc)


# Expense reports refused by the sandbox's posting rules.


def test_int028_preflight_predicts_the_top_level_empty_location_the_sandbox_refuses(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, (located, unlocated) = report(database, ws, owner, [
        Line("Skyway Air", "Airfare"), Line("Harbor Inn", "Lodging", tags={})])

    checked = exporter(database, secret_box).preflight(ws, report_id, owner.id)
    assert [(f.code, f.expense_id) for f in checked.blocking] == [("INT028", unlocated)]
    predicted = checked.blocking[0]
    check_error("INT028", predicted.message, {"employee": "EMP-001"})
    assert "line 2 has no location" in predicted.detail

    outcome = refused(database, secret_box, ws, report_id, owner)
    produced(outcome, "INT028", employee="EMP-001")
    assert outcome.message == predicted.message
    assert located != unlocated


def test_int035_closed_period_names_the_first_open_date(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, _ = report(database, ws, owner, [
        Line("Skyway Air", "Airfare", tags={"LOCATION": "L210"}, spent_on=date(2026, 9, 15))])

    produced(refused(database, secret_box, ws, report_id, owner), "INT035", open_from="10/01/26")


def test_int073_account_requires_a_department(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, _ = report(database, ws, owner, [Line("Lakeside Seminars", "Training")])

    produced(refused(database, secret_box, ws, report_id, owner), "INT073", account="6600", dimension="Department")


def test_int084_inactive_department_on_a_line(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, _ = report(database, ws, owner, [
        Line("Skyway Air", "Airfare"), Line("Lab Supplies Co", "Office Supplies",
                                            tags={"LOCATION": "L110", "DEPARTMENT": "D600"})])

    produced(refused(database, secret_box, ws, report_id, owner), "INT084", line="2", tag="D600")


def test_int304_stale_coding_on_a_zero_amount_line(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    zero = Line("Garage Parking", "Ground Transportation", amount="0.00",
                tags={"LOCATION": "L110", "DEPARTMENT": "D600"})
    report_id, _ = report(database, ws, owner, [Line("Skyway Air", "Airfare"), zero])

    produced(refused(database, secret_box, ws, report_id, owner), "INT304", expense=zero.label)


def test_int205_project_of_another_customer(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, dimensions={
        **ConnectionSettings(ws).dimensions, "PROJECT": DimensionImport.TAG, "CUSTOMER": DimensionImport.TAG})
    report_id, _ = report(database, ws, owner, [
        Line("Skyway Air", "Airfare", tags={"LOCATION": "L110", "PROJECT": "PRJ-100", "CUSTOMER": "CUST-1002"})])

    produced(refused(database, secret_box, ws, report_id, owner), "INT205", project="PRJ-100", customer="CUST-1002")


def test_int480_submitter_is_not_a_project_resource(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, dimensions={**ConnectionSettings(ws).dimensions,
                                                   "PROJECT": DimensionImport.TAG})
    report_id, _ = report(database, ws, owner, [
        Line("Maple Leaf Taxi", "Ground Transportation", tags={"LOCATION": "L110", "PROJECT": "PRJ-400"})])

    produced(refused(database, secret_box, ws, report_id, owner), "INT480", employee="EMP-001", project="PRJ-400")


def test_int459_expense_type_behind_a_category_gone_since_the_last_sync(
    database: Database, secret_box: SecretBox, own_sandbox: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, own_sandbox, MARIA)
    delete_records(own_sandbox, "EEACCOUNTLABEL", "ACCOUNTLABEL", ["Company Events"])
    report_id, _ = report(database, ws, owner, [Line("Summer Offsite", "Company Events")])

    produced(refused(database, secret_box, ws, report_id, owner), "INT459", category="Company Events")


def test_int149_employee_gone_from_intacct_since_the_last_sync(
    database: Database, secret_box: SecretBox, own_sandbox: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, own_sandbox, MARIA)
    delete_records(own_sandbox, "EMPLOYEE", "EMPLOYEEID", ["EMP-001"])
    report_id, _ = report(database, ws, owner, [Line("Skyway Air", "Airfare")])

    produced(refused(database, secret_box, ws, report_id, owner), "INT149", email=MARIA)


def test_int771_time_and_expenses_subledger_closed(
    database: Database, secret_box: SecretBox, own_sandbox: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, own_sandbox, MARIA)
    browser = ConsoleBrowser(own_sandbox)
    browser.sign_in("xml_gateway")
    closed = browser.post("/books/subledgers", {**browser.form_fields("/books"), "entity": "", "subledger": "EE",
                                                "action": "close"})
    assert closed.status_code == 303, closed.text
    browser.http.close()
    report_id, _ = report(database, ws, owner, [Line("Skyway Air", "Airfare")])

    produced(refused(database, secret_box, ws, report_id, owner), "INT771", export_date=SPENT_TEXT)


# Company card charges.


def test_int860_restricted_account_linked_to_the_card(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, _ = report(database, ws, owner, [Line("Harbor Grill", "Entertainment", on_card=True, tags={})])

    produced(refused(database, secret_box, ws, report_id, owner), "INT860",
             account="6400", card="AMEX-1005", category="Entertainment")


def test_int088_cash_management_subledger_closed(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    report_id, _ = report(database, ws, owner, [
        Line("Toronto Stationers", "Office Supplies", on_card=True, tags={"LOCATION": "L310"})])

    produced(refused(database, secret_box, ws, report_id, owner), "INT088", export_date=SPENT_TEXT)


def test_int093_expired_charge_card(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    with database.session() as session:
        expired = Coding(session).add_card(CompanyCard(new_id(), ws, "•••• 7788", owner.id, "MC-7788"))
    report_id, _ = report(database, ws, owner, [
        Line("Papertrail", "Office Supplies", on_card=True, card_id=expired.id, tags={})])

    produced(refused(database, secret_box, ws, report_id, owner), "INT093", card="MC-7788")


# Company card journal entries and the journal they post to.


def test_int498_preflight_predicts_the_journal_the_sandbox_refuses(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, company_card_as=CompanyCardAs.JOURNAL_ENTRY, card_journal="CCJ")
    report_id, _ = report(database, ws, owner, [Line("Papertrail", "Office Supplies", on_card=True, tags={})])

    checked = exporter(database, secret_box).preflight(ws, report_id, owner.id)
    assert [f.code for f in checked.blocking] == ["INT498"]
    predicted = checked.blocking[0]
    check_error("INT498", predicted.message, {"journal": "CCJ"})
    assert "journal CCJ is inactive" in predicted.detail

    outcome = refused(database, secret_box, ws, report_id, owner)
    produced(outcome, "INT498", journal="CCJ")
    assert outcome.message == predicted.message


def test_int498_no_journal_chosen_for_card_journal_entries(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, company_card_as=CompanyCardAs.JOURNAL_ENTRY, card_journal=None)
    report_id, _ = report(database, ws, owner, [Line("Papertrail", "Office Supplies", on_card=True, tags={})])

    checked = exporter(database, secret_box).preflight(ws, report_id, owner.id)
    (finding,) = checked.blocking
    check_error("INT498", finding.message, {})
    blocked = exporter(database, secret_box).export_now(ws, [report_id], owner.id).of(report_id)
    assert (blocked.outcome, blocked.int_code) == (Outcome.BLOCKED, "INT498")

    # Sent anyway, the entry names no journal and the sandbox refuses it for that.
    produced(refused(database, secret_box, ws, report_id, owner), "INT498")


def test_int498_sync_now_reports_an_inactive_card_journal_and_keeps_the_rest(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, _ = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, company_card_as=CompanyCardAs.JOURNAL_ENTRY, card_journal="CCJ")

    run = SyncService(database, secret_box).run(ws)
    (error,) = run.errors
    assert error.kind == "GLJOURNAL"
    produced(error, "INT498", journal="CCJ")
    assert run.status.value == "succeeded"

    settings(database, secret_box, ws, card_journal=None)
    (none_chosen,) = SyncService(database, secret_box).run(ws).errors
    produced(none_chosen, "INT498")

    settings(database, secret_box, ws, card_journal="ADJ")
    assert not SyncService(database, secret_box).run(ws).errors


# Vendor bills.


def test_int446_vendor_on_hold(database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, reimbursable_as=ReimbursableAs.VENDOR_BILL, default_vendor="V-IRONBRIDGE")
    report_id, _ = report(database, ws, owner, [Line("Ironbridge Coworking", "Office Supplies")])

    produced(refused(database, secret_box, ws, report_id, owner), "INT446", vendor="V-IRONBRIDGE")


def test_int664_no_vendor_record_for_the_submitter(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, reimbursable_as=ReimbursableAs.VENDOR_BILL, default_vendor="V-MALVAREZ")
    report_id, _ = report(database, ws, owner, [Line("Skyway Air", "Airfare")])

    produced(refused(database, secret_box, ws, report_id, owner), "INT664", email=MARIA)


# The connection: permissions, credentials, an unavailable gateway.


def test_int043_web_services_user_without_general_ledger_rights(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    settings(database, secret_box, ws, company_card_as=CompanyCardAs.JOURNAL_ENTRY)
    reconnect(database, secret_box, ws, sandbox_server, user_id="clerk")
    report_id, _ = report(database, ws, owner, [Line("Papertrail", "Office Supplies", on_card=True, tags={})])

    produced(refused(database, secret_box, ws, report_id, owner), "INT043")


def test_int907_sender_credentials_refused(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    reconnect(database, secret_box, ws, sandbox_server, sender_password="not-the-sender-password")
    report_id, _ = report(database, ws, owner, [Line("Skyway Air", "Airfare")])

    produced(refused(database, secret_box, ws, report_id, owner), "INT907")


@pytest.fixture
def unavailable_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    """A sandbox whose gateway answers every request with HTTP 503."""
    (tmp_path / "unavailable").mkdir()
    proc, running = start_sandbox(tmp_path / "unavailable", "--faults", "503=1")
    yield running
    stop_sandbox(proc)


def test_int176_and_int993_when_the_gateway_stays_unavailable(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox, unavailable_sandbox: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    reconnect(database, secret_box, ws, sandbox_server, endpoint_url=unavailable_sandbox.gateway_url)
    expense_report, _ = report(database, ws, owner, [Line("Skyway Air", "Airfare")])
    card_charge, _ = report(database, ws, owner, [Line("Papertrail", "Office Supplies", on_card=True, tags={})])

    produced(refused(database, secret_box, ws, expense_report, owner), "INT176")
    produced(refused(database, secret_box, ws, card_charge, owner), "INT993", card="AMEX-1005")


# Sync Now.


def _sync_errors(database: Database, box: SecretBox, ws: str) -> tuple[SyncFailure, ...]:
    run = SyncService(database, box).run(ws)
    assert run.errors
    return run.errors


def _connected_workspace(database: Database, box: SecretBox, sandbox: RunningSandbox,
                         login: IntacctCredentials) -> str:
    from tests.db import new_workspace

    with database.session() as session:
        workspace = new_workspace(session, name="Cedar Ridge")
        Connections(session, box).connect(workspace.id, login, now())
        Connections(session, box).save_settings(ConnectionSettings(workspace.id), now())
    return workspace.id


def test_int122_sign_in_refused_during_sync(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    wrong = dataclasses.replace(credentials(sandbox_server), user_password="not-the-password")
    ws = _connected_workspace(database, secret_box, sandbox_server, wrong)

    (error,) = _sync_errors(database, secret_box, ws)
    produced(error, "INT122")


def test_int402_dimension_the_web_services_user_cannot_read(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    clerk = dataclasses.replace(credentials(sandbox_server), user_id="clerk")
    ws = _connected_workspace(database, secret_box, sandbox_server, clerk)

    errors = _sync_errors(database, secret_box, ws)
    by_kind = {error.kind: error for error in errors}
    assert {error.int_code for error in errors} == {"INT402"}
    produced(by_kind["DEPARTMENT"], "INT402", dimension="Department")


def test_int576_no_expense_types_to_import(
    database: Database, secret_box: SecretBox, own_sandbox: RunningSandbox
) -> None:
    delete_records(own_sandbox, "EEACCOUNTLABEL", "ACCOUNTLABEL", None)
    ws = _connected_workspace(database, secret_box, own_sandbox, credentials(own_sandbox))

    errors = _sync_errors(database, secret_box, ws)
    (error,) = [error for error in errors if error.int_code == "INT576"]
    produced(error, "INT576")


# Preflight on synced data: codes no Intacct error produces.


def test_int054_no_employee_has_the_submitters_email(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    email = "m.alvarez@cedarridge.example"
    ws, owner = demo_workspace(database, secret_box, sandbox_server, email)
    report_id, _ = report(database, ws, owner, [Line("Skyway Air", "Airfare")])

    checked = exporter(database, secret_box).preflight(ws, report_id, owner.id)
    (finding,) = checked.blocking
    assert (finding.code, finding.expense_id) == ("INT054", None)
    check_error("INT054", finding.message, {"email": email})
    blocked = exporter(database, secret_box).export_now(ws, [report_id], owner.id).of(report_id)
    assert (blocked.outcome, blocked.int_code) == (Outcome.BLOCKED, "INT054")


def test_int194_billable_expense_while_billable_is_off(
    database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox
) -> None:
    ws, owner = demo_workspace(database, secret_box, sandbox_server, MARIA)
    billable = Line("Skyway Air", "Airfare", billable=True)
    report_id, (expense_id,) = report(database, ws, owner, [billable])

    checked = exporter(database, secret_box).preflight(ws, report_id, owner.id)
    (finding,) = checked.blocking
    assert (finding.code, finding.expense_id) == ("INT194", expense_id)
    check_error("INT194", finding.message, {"expense": billable.label})
    assert any(s.kind.value == "clear_billable" for s in checked.suggestions)


PRODUCED_HERE = {
    "INT028": test_int028_preflight_predicts_the_top_level_empty_location_the_sandbox_refuses,
    "INT035": test_int035_closed_period_names_the_first_open_date,
    "INT043": test_int043_web_services_user_without_general_ledger_rights,
    "INT054": test_int054_no_employee_has_the_submitters_email,
    "INT073": test_int073_account_requires_a_department,
    "INT084": test_int084_inactive_department_on_a_line,
    "INT088": test_int088_cash_management_subledger_closed,
    "INT093": test_int093_expired_charge_card,
    "INT122": test_int122_sign_in_refused_during_sync,
    "INT149": test_int149_employee_gone_from_intacct_since_the_last_sync,
    "INT176": test_int176_and_int993_when_the_gateway_stays_unavailable,
    "INT194": test_int194_billable_expense_while_billable_is_off,
    "INT205": test_int205_project_of_another_customer,
    "INT304": test_int304_stale_coding_on_a_zero_amount_line,
    "INT402": test_int402_dimension_the_web_services_user_cannot_read,
    "INT446": test_int446_vendor_on_hold,
    "INT459": test_int459_expense_type_behind_a_category_gone_since_the_last_sync,
    "INT480": test_int480_submitter_is_not_a_project_resource,
    "INT498": test_int498_preflight_predicts_the_journal_the_sandbox_refuses,
    "INT576": test_int576_no_expense_types_to_import,
    "INT664": test_int664_no_vendor_record_for_the_submitter,
    "INT771": test_int771_time_and_expenses_subledger_closed,
    "INT860": test_int860_restricted_account_linked_to_the_card,
    "INT907": test_int907_sender_credentials_refused,
    "INT993": test_int176_and_int993_when_the_gateway_stays_unavailable,
}
"""The test that produces each code here."""


def test_this_module_produces_every_sandbox_and_preflight_code() -> None:
    wanted = {code for code, source in HOW.items() if source in (Source.SANDBOX, Source.PREFLIGHT)}
    assert set(PRODUCED_HERE) == wanted
    for code, test in PRODUCED_HERE.items():
        assert code.lower() in test.__name__, (code, test.__name__)
