"""Intacct refusals become INT codes with the real account, card, employee and vendor filled in.

One case per INT code that an Intacct error can produce, with the texts real Intacct companies send and the
texts of the sandbox's posting rules. Codes no Intacct error produces are listed in PREFLIGHT_ONLY; a test
checks that together they cover the whole catalog.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from ledgerbridge.catalog import CATALOG, Kind, render
from ledgerbridge.export import (
    PREFLIGHT_ONLY,
    DocumentContext,
    DocumentLine,
    ExportFailure,
    ExportType,
    no_card_journal,
    no_expense_types,
    translate,
    translate_exception,
    translate_sync,
)
from ledgerbridge.intacct import (
    ConfigurationError,
    Disposition,
    ErrorDetail,
    FatalError,
    IntacctError,
    ReauthenticationError,
    Result,
    RetriableError,
    Status,
    UncertainOutcomeError,
    parse_response,
)

CARD_CHARGE = DocumentContext(
    ExportType.CREDIT_CARD_CHARGE,
    lines=(
        DocumentLine(1, "exp-1", gl_account="6400", category="Entertainment", card_account_id="AMEX-1005",
                     dimensions={"Department": "D100", "Location": "L100"}, amount=Decimal("120.00")),
        DocumentLine(2, "exp-2", gl_account="6100", category="Travel", card_account_id="AMEX-1005",
                     dimensions={"Project": "PRJ-100", "Customer": "CUST-1002"}, amount=Decimal("50.00")),
        DocumentLine(3, "exp-3", gl_account="2100", category="Card Payments", card_account_id="AMEX-1005",
                     amount=Decimal("10.00")),
    ),
    card_account_id="AMEX-1005", export_date=dt.date(2026, 9, 15), currency="USD", report_id="R-7",
)

EXPENSE_REPORT = DocumentContext(
    ExportType.EXPENSE_REPORT,
    lines=(
        DocumentLine(1, "exp-11", gl_account="6400", category="Meals & Entertainment", expense_type="Meals",
                     dimensions={"Department": "D300"}, amount=Decimal("40.00")),
        DocumentLine(2, "exp-12", gl_account="6150", category="Per Diem", expense_type="Per Diem",
                     dimensions={"Location": "L200", "Project": "PRJ-100"}, amount=Decimal("75.00")),
        DocumentLine(3, "exp-13", gl_account="6960", category="Old Category", dimensions={"Class": "CL-9"},
                     amount=Decimal("0.00"), expense_label="Parking garage, 09/02/2026"),
    ),
    employee_id="EMP-001", export_date=dt.date(2026, 9, 15), currency="USD", report_id="R-42",
    submitter_email="ana.lima@example.com",
)

VENDOR_BILL = DocumentContext(
    ExportType.VENDOR_BILL,
    lines=(
        DocumentLine(1, "exp-21", gl_account="6500", category="Supplies", billable=True,
                     dimensions={"Customer": "CUST-1001"}, amount=Decimal("19.99")),
        DocumentLine(2, "exp-22", amount=Decimal("5.00"), expense_label="Staples, 09/12/2026"),
    ),
    vendor_id="V-IRONBRIDGE", employee_id="EMP-001", export_date=dt.date(2026, 9, 15),
    submitter_email="ana.lima@example.com", report_id="R-43",
)

JOURNAL_ENTRY = DocumentContext(
    ExportType.JOURNAL_ENTRY,
    lines=(
        DocumentLine(1, "exp-31", gl_account="2000"),
        DocumentLine(2, "exp-32", gl_account="6600", category="Office"),
    ),
    export_date=dt.date(2026, 9, 15),
)


def business(
    text: str, correction: str = "", errorno: str = "BL01001973", support: str | None = "Ab%7Ecd"
) -> ErrorDetail:
    return ErrorDetail(errorno, "", text, correction, support)


def refused(*errors: ErrorDetail, function: str = "create", status: Status = Status.FAILURE) -> Result:
    return Result(status, function, "report-R-42-v1", errors=errors)


@dataclass(frozen=True)
class Case:
    code: str
    context: DocumentContext
    text: str
    values: dict[str, str]
    lines: tuple[int, ...] = ()
    correction: str = ""
    message: str | None = None
    whole_document: bool = False


CASES = {
    # INT860, every kind of restriction, with the card and the category when they are involved.
    "860-entity-private-card": Case(
        "INT860", CARD_CHARGE,
        "The specified GL account '6400' : 'Entertainment - West Region' is not valid. GL account is restricted "
        "by entity 'E200'.",
        {"account": "6400", "card": "AMEX-1005", "category": "Entertainment"}, (1,),
        message="INT860 Export Error: Sage Intacct couldn't create the transaction because account 6400 (linked to "
        "Credit Card AMEX-1005, reached through category Entertainment) is restricted."),
    "860-card-offset": Case(
        "INT860", CARD_CHARGE, "The account number 2100 is associated to the Credit Card AMEX-1005.",
        {"account": "2100", "card": "AMEX-1005", "category": "Card Payments"}, (3,)),
    "860-inactive-no-card": Case(
        "INT860", EXPENSE_REPORT,
        "GL account '6150': 'Travel' specified is not valid. GL account is restricted because it is inactive.",
        {"account": "6150", "category": "Per Diem"}, (2,),
        message="INT860 Export Error: Sage Intacct couldn't create the transaction because account 6150 (reached "
        "through category Per Diem) is restricted."),
    "860-dimension-side": Case(
        "INT860", EXPENSE_REPORT,
        "Department 'D300' specified is not valid. Department is restricted by GL account.",
        {"account": "6400", "category": "Meals & Entertainment"}, (1,)),
    "860-auto-filled": Case(
        "INT860", CARD_CHARGE, "Location must be L900. This value is auto-filled from the GL account.",
        {"account": "6400", "card": "AMEX-1005", "category": "Entertainment"}, (1,)),
    "860-direct-posting": Case(
        "INT860", JOURNAL_ENTRY,
        "Direct posting to GL account '2000': 'Accounts Payable' is disallowed; it only takes postings from "
        "subledgers.", {"account": "2000"}, (1,),
        message="INT860 Export Error: Sage Intacct couldn't create the transaction because account 2000 is "
        "restricted."),
    "073-required-dimension": Case(
        "INT073", JOURNAL_ENTRY, "This transaction is missing the Department dimension for the Account 6600",
        {"account": "6600", "dimension": "Department"}, (2,)),
    "073-requires": Case(
        "INT073", JOURNAL_ENTRY, "The account number '6600' requires a Location.",
        {"account": "6600", "dimension": "Location"}, (2,)),
    "084-inactive": Case("INT084", EXPENSE_REPORT, "Department 'D300' is inactive.",
                         {"line": "1", "tag": "D300"}, (1,), correction="Activate department D300."),
    "084-unknown-location": Case("INT084", EXPENSE_REPORT, "The location 'L200' is invalid.",
                                 {"line": "2", "tag": "L200"}, (2,)),
    "084-unknown-project": Case("INT084", CARD_CHARGE, "Invalid Project 'PRJ-100' specified.",
                                {"line": "2", "tag": "PRJ-100"}, (2,)),
    "084-unknown-department": Case("INT084", CARD_CHARGE, "Invalid Department D100 selected",
                                   {"line": "1", "tag": "D100"}, (1,)),
    "084-project-status": Case(
        "INT084", EXPENSE_REPORT, "The Project 'PRJ-100' has a project status that prevents expense submittal.",
        {"line": "2", "tag": "PRJ-100"}, (2,)),
    "205-project-customer": Case(
        "INT205", CARD_CHARGE,
        "Customer 'CUST-1002' specified is not valid. The project 'PRJ-100' belongs to customer 'CUST-1001'.",
        {"project": "PRJ-100", "customer": "CUST-1002"}, (2,)),
    "480-not-a-resource": Case("INT480", EXPENSE_REPORT, "The employee is not a resource of the project 'PRJ-100'.",
                               {"employee": "EMP-001", "project": "PRJ-100"}, (2,)),
    "028-empty-location": Case(
        "INT028", EXPENSE_REPORT, "Use of empty Location is invalid. A valid Multi-Entity Location must be specified.",
        {"employee": "EMP-001"}, whole_document=True),
    "035-closed-period-sandbox": Case(
        "INT035", EXPENSE_REPORT,
        "The transaction date 09/15/2026 is in a closed period: the books of entity 'E200' are closed through "
        "09/30/2026. Date must be on or after 10/01/26", {"open_from": "10/01/26"}, whole_document=True,
        message="INT035 Export Error: Sage Intacct only accepts dates on or after 10/01/26 for this export; the "
        "period of the export date is closed."),
    "771-closed-period-long": Case(
        "INT771", VENDOR_BILL,
        "Your transaction date (09/15/2026) is within a period that's been closed. You can add, modify, or delete "
        "a transaction only if the date of that transaction is within a period that's open.",
        {"export_date": "09/15/2026"}, whole_document=True),
    "771-batches-closed": Case("INT771", JOURNAL_ENTRY, "The batches for this reporting period are closed.",
                               {"export_date": "09/15/2026"}, whole_document=True),
    "771-ap-subledger": Case(
        "INT771", VENDOR_BILL,
        "The Accounts Payable subledger is closed for the company; no transactions can be posted to it.",
        {"export_date": "09/15/2026"}, whole_document=True),
    "088-cash-management": Case(
        "INT088", CARD_CHARGE,
        "The Cash Management subledger is closed for entity 'E300'; no transactions can be posted to it.",
        {"export_date": "09/15/2026"}, whole_document=True, correction="Open the subledger, then try again."),
    "093-expired-card": Case("INT093", CARD_CHARGE, "The charge card account MC-7788 expired in June 2025.",
                             {"card": "MC-7788"}, whole_document=True),
    "149-employee-invalid": Case("INT149", EXPENSE_REPORT, "The employee 'EMP-999' is invalid.",
                                 {"email": "ana.lima@example.com"}, whole_document=True),
    "009-manager-no-user": Case("INT009", EXPENSE_REPORT, "employee manager does not have a user associated",
                                {"employee": "EMP-001"}, whole_document=True),
    "012-reason-for-expense": Case("INT012", EXPENSE_REPORT, "'Reason for expense' note is invalid",
                                   {"report": "R-42"}, whole_document=True),
    "503-expense-types-off": Case("INT503", EXPENSE_REPORT,
                                  "Expense types are not enabled in the Time & Expenses configuration.", {},
                                  whole_document=True),
    "225-tax-detail": Case(
        "INT225", VENDOR_BILL,
        "Tax detail AU-GST-10 cannot be used in this transaction because it does not belong to tax solution "
        "Australia - GST.", {"tax_rate": "AU-GST-10"}, whole_document=True),
    "446-on-hold": Case("INT446", VENDOR_BILL, "The vendor 'V-IRONBRIDGE' is on hold.", {"vendor": "V-IRONBRIDGE"},
                        whole_document=True, correction="Take the vendor off hold, then try again."),
    "664-vendor-missing": Case("INT664", VENDOR_BILL, "Vendor 'V-IRONBRIDGE' specified is not valid.",
                               {"email": "ana.lima@example.com"}, whole_document=True),
    "664-invalid-vendor": Case("INT664", VENDOR_BILL, "Invalid Vendor 'V-IRONBRIDGE' specified.",
                               {"email": "ana.lima@example.com"}, whole_document=True),
    "592-smart-rule": Case(
        "INT592", CARD_CHARGE, "Smart Rule ENTITY_ONLY violated. This record must be created at the Entity level.",
        {"smart_rule": "ENTITY_ONLY"}, whole_document=True),
    "083-billable": Case("INT083", VENDOR_BILL, "Expense type 'Supplies' is not set up for billable expenses.",
                         {"category": "Supplies"}, (1,)),
    "680-no-account": Case("INT680", VENDOR_BILL, "Account  is not valid", {"expense": "Staples, 09/12/2026"}, (2,)),
    "459-unknown-expense-type": Case("INT459", EXPENSE_REPORT, "Invalid expense type 'Per Diem'.",
                                     {"category": "Per Diem"}, (2,)),
    "459-inactive-expense-type": Case("INT459", EXPENSE_REPORT, "The expense type 'Meals' is inactive.",
                                      {"category": "Meals & Entertainment"}, (1,)),
    "459-account-gone": Case("INT459", VENDOR_BILL, "Account 6500 is not valid", {"category": "Supplies"}, (1,)),
    "043-permission": Case(
        "INT043", CARD_CHARGE, "You do not have permission for API operation CREATE on objects of type cctransaction",
        {}, whole_document=True),
    "304-zero-amount-line": Case("INT304", EXPENSE_REPORT, "Class 'CL-9' is inactive.",
                                 {"expense": "Parking garage, 09/02/2026"}, (3,)),
    "000-unknown": Case("INT000", CARD_CHARGE, "Something Intacct has never said before.",
                        {"intacct_error": "BL01001973", "intacct_text": "Something Intacct has never said before."},
                        whole_document=True,
                        message="INT000 Export Error: Sage Intacct returned error BL01001973: Something Intacct "
                        "has never said before."),
    "000-inactive-vendor": Case(
        "INT000", VENDOR_BILL, "Vendor 'V-IRONBRIDGE' specified is not valid.",
        {"intacct_error": "BL01001973",
         "intacct_text": "Vendor 'V-IRONBRIDGE' specified is not valid. Activate the vendor V-IRONBRIDGE, then try "
         "again."}, whole_document=True, correction="Activate the vendor V-IRONBRIDGE, then try again."),
}


def _check_rendered(failure: ExportFailure, case: Case) -> None:
    assert failure.code == case.code
    assert failure.values == case.values
    assert failure.message.startswith(f"{case.code} Export Error: ")
    for value in case.values.values():
        assert value in failure.message
    if case.message is not None:
        assert failure.message == case.message
    assert failure.fixes, "every INT code comes with a way out"
    assert all(path.steps for path in failure.fixes)
    assert failure.error.why


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_intacct_error_becomes_its_int_code(case: Case) -> None:
    error = business(case.text, case.correction)
    failure = translate(refused(error, business("Could not create expense report record!")), case.context)

    _check_rendered(failure, case)
    if case.whole_document:
        assert failure.problems[0].whole_document
        assert failure.line_numbers == tuple(line.line for line in case.context.lines)
    else:
        assert failure.line_numbers == case.lines
        assert failure.expense_ids == tuple(case.context.lines[n - 1].expense_id for n in case.lines)
    assert failure.problems[0].intacct_error == error
    assert failure.intacct_errors[0] == error
    assert failure.support_ids == ("Ab%7Ecd",)
    assert failure.disposition is Disposition.FATAL


# INT498 is a sync code (the workspace's journal setting); a journal entry refused for its journal says the same.
JOURNAL_CASES = {
    "498-inactive-journal": Case(
        "INT498", JOURNAL_ENTRY, "Invalid Journal 'CCJ' specified. The journal is inactive.", {"journal": "CCJ"},
        correction="Activate the journal CCJ or use another journal."),
    "498-unknown-journal": Case("INT498", JOURNAL_ENTRY, "Invalid Journal 'XJ' specified.", {"journal": "XJ"}),
    "498-no-journal": Case("INT498", JOURNAL_ENTRY, "Required field JOURNAL is missing.", {}),
}


@pytest.mark.parametrize("case", JOURNAL_CASES.values(), ids=JOURNAL_CASES.keys())
def test_a_journal_entry_refused_for_its_journal_is_int498(case: Case) -> None:
    error = business(case.text, case.correction)
    failure = translate(refused(error, business("Could not create GLBatch record!")), case.context)

    assert (failure.code, failure.values) == ("INT498", case.values)
    assert failure.message == render("INT498", **case.values).message
    assert failure.problems[0].whole_document
    assert failure.fixes[0].steps[0].text.startswith("In Settings > Workspaces")
    assert failure.disposition is Disposition.FATAL


def test_an_invalid_journal_outside_a_journal_entry_is_not_int498() -> None:
    failure = translate(refused(business("Invalid Journal 'CCJ' specified.")), CARD_CHARGE)

    assert failure.code == "INT000"


def test_sync_reports_the_card_journal_with_or_without_a_symbol() -> None:
    inactive, none = no_card_journal("CCJ"), no_card_journal(None)

    assert (inactive.code, dict(inactive.error.values), inactive.object_name) == ("INT498", {"journal": "CCJ"},
                                                                              "GLJOURNAL")
    assert inactive.message == ("INT498 Sync Error: Sage Intacct can't take company card journal entries because "
                                "journal CCJ is not an active journal there.")
    assert none.message.endswith("because no journal is chosen for them in the workspace.")


def test_every_code_comes_from_an_intacct_error_a_sync_or_preflight() -> None:
    from_errors = {case.code for case in [*CASES.values(), *JOURNAL_CASES.values()]}
    from_elsewhere = {"INT993", "INT176", "INT907", "INT122", "INT245", "INT402", "INT068", "INT576"}
    assert from_errors | from_elsewhere | set(PREFLIGHT_ONLY) == {entry.code for entry in CATALOG}
    assert not set(PREFLIGHT_ONLY) & (from_errors | from_elsewhere)


def test_the_most_specific_error_decides_and_wrappers_are_context() -> None:
    errors = (
        business("Could not create cctransaction record!", support=None),
        business("The specified GL account '6400' : 'Entertainment - West Region' is not valid. GL account is "
                 "restricted by entity 'E200'.", support="one"),
        business("Department 'D100' specified is not valid. Department is restricted by GL account.", support="two"),
        ErrorDetail("XL03000009", "", "The entire transaction in this operation has been rolled back due to an error."),
    )
    failure = translate(refused(*errors, function="record_cctransaction"), CARD_CHARGE)

    assert failure.code == "INT860"
    assert failure.values == {"account": "6400", "card": "AMEX-1005", "category": "Entertainment"}
    # The dimension side says the same thing about the same line: one problem, not two.
    assert len(failure.problems) == 1
    assert failure.intacct_errors == errors
    assert failure.support_ids == ("one", "two")
    assert failure.function == "record_cctransaction"


def test_every_specific_error_is_kept_in_intacct_order() -> None:
    failure = translate(refused(
        business("Invalid Project 'PRJ-100' specified."),
        business("GL account '6400': 'Entertainment' specified is not valid. GL account is restricted because it is "
                 "inactive."),
        business("The Cash Management subledger is closed for the company; no transactions can be posted to it."),
        business("Could not create cctransaction record!"),
    ), CARD_CHARGE)

    assert failure.codes == ("INT084", "INT860", "INT088")
    assert [problem.lines[0].line for problem in failure.problems[:2]] == [2, 1]


def test_a_card_charge_refused_with_only_the_wrapper_is_int993() -> None:
    failure = translate(refused(business("Could not create cctransaction record!"), function="record_cctransaction"),
                        CARD_CHARGE)

    assert failure.code == "INT993"
    assert failure.values == {"card": "AMEX-1005"}
    assert failure.message == ("INT993 Export Error: Sage Intacct couldn't create the credit card charge "
                               "(cctransaction) for card AMEX-1005.")


def test_another_document_refused_with_only_the_wrapper_shows_intacct_text() -> None:
    failure = translate(refused(business("Could not create bill record!")), VENDOR_BILL)

    assert failure.code == "INT000"
    assert failure.values["intacct_text"] == "Could not create bill record!"


def test_a_function_rolled_back_for_another_ones_error_is_sent_again() -> None:
    rollback = ErrorDetail("XL03000009", "", "The entire transaction in this operation has been rolled back due to "
                           "an error.")
    failure = translate(refused(rollback, status=Status.ABORTED), EXPENSE_REPORT)

    assert failure.code == "INT000"
    assert failure.disposition is Disposition.RETRY


def test_a_duplicate_control_id_is_reconciled_not_reported() -> None:
    failure = translate(refused(business(
        "A function with control ID 'report-R-42-v1' has already been executed and completed for this company; "
        "with uniqueid set to true it is not executed again.")), EXPENSE_REPORT)

    assert failure.disposition is Disposition.UNCERTAIN


def test_html_escaped_quotes_are_read_as_quotes() -> None:
    failure = translate(refused(business("The vendor &#039;V-IRONBRIDGE&#039; is on hold.")), VENDOR_BILL)

    assert failure.code == "INT446"
    assert failure.values == {"vendor": "V-IRONBRIDGE"}


def test_a_restriction_on_an_account_no_line_uses_still_names_the_account() -> None:
    failure = translate(refused(business(
        "The specified GL account '7777' : 'Other' is not valid. GL account is restricted by entity 'E200'.")),
        EXPENSE_REPORT)

    assert failure.code == "INT860"
    assert failure.values == {"account": "7777"}
    assert failure.problems[0].whole_document


def test_values_the_document_cannot_supply_fall_back_to_intacct_text() -> None:
    no_email = DocumentContext(ExportType.EXPENSE_REPORT, lines=EXPENSE_REPORT.lines, employee_id="EMP-001")
    failure = translate(refused(business("The employee 'EMP-999' is invalid.")), no_email)

    assert failure.code == "INT000"
    assert "EMP-999" in failure.message


def test_a_success_is_not_translated() -> None:
    with pytest.raises(ValueError, match="nothing to translate"):
        translate(Result(Status.SUCCESS, "create", "c1", key="12"), EXPENSE_REPORT)


def test_support_ids_come_through_from_the_wire() -> None:
    body = (
        b"<response><control><status>success</status><senderid>ledgerbridge</senderid><controlid>r</controlid>"
        b"<uniqueid>true</uniqueid><dtdversion>3.0</dtdversion></control><operation><authentication>"
        b"<status>success</status><userid>xml_gateway</userid><companyid>DEMO</companyid></authentication>"
        b"<result><status>failure</status><function>record_cctransaction</function><controlid>c1</controlid>"
        b"<errormessage><error><errorno>BL01001973</errorno><description></description><description2>The account "
        b"number 2100 is associated to the Credit Card AMEX-1005. [Support ID: Kq1%7EZ9x]</description2>"
        b"<correction></correction></error><error><errorno>BL01001973</errorno><description></description>"
        b"<description2>Could not create cctransaction record! [Support ID: Kq1%7EZ9y]</description2>"
        b"<correction></correction></error></errormessage></result></operation></response>"
    )
    result = parse_response(body).results[0]

    failure = translate(result, CARD_CHARGE)

    assert failure.code == "INT860"
    assert failure.values == {"account": "2100", "card": "AMEX-1005", "category": "Card Payments"}
    assert len(failure.support_ids) == 2
    assert all("[Support ID" not in error.description2 for error in failure.intacct_errors)


# Control- and authentication-level failures, and the exchange breaking down, during an export and a sync.

SIGN_IN = ErrorDetail("XL03000006", "", "Sign-in information is incorrect")
SENDER_NOT_AUTHORIZED = ErrorDetail(
    "XL03000006", "Invalid Web Services Authorization",
    "The sender ID 'ledgerbridge' is not authorized to make Web Services requests to company ID 'DEMO'.",
    "Contact the company administrator to grant Web Services authorization to this sender ID.")
BAD_SENDER = ErrorDetail("XL03000006", "", "Incorrect Intacct XML Partner ID or password.")
GATEWAY_LOGIN = ErrorDetail("XMLGW_JPP0002", "Sign-in information is incorrect. Please check your request.")
BAD_SESSION = ErrorDetail("XL03000006", "", "Invalid session: the session ID is unknown or the session has timed out.")
RATE_LIMIT = ErrorDetail("GW-0010", "API rate limit exceeded")
NO_PERMISSION = ErrorDetail(
    "PL04000005", "", "You do not have permission for API operation READ_BY_QUERY on objects of type vendor",
    support_id="Zz%7E1")
BAD_ENTITY = ErrorDetail("Get API Session Failed", "", "Invalid entity 'E999' for company DEMO.")
DEMO_EXPIRED = ErrorDetail("PL04000055", "", "This company is a demo company and has expired.")
SCHEMA = ErrorDetail("XL03000003", "", "XML Parse schema error: Element 'foo' is not expected. Line: 3, column: 4.")


@pytest.mark.parametrize(
    ("error", "context", "export_code", "sync_code", "disposition"),
    [
        (ConfigurationError("x", errors=(SIGN_IN,)), EXPENSE_REPORT, "INT907", "INT122", Disposition.CONFIGURATION),
        (ConfigurationError("x", errors=(SENDER_NOT_AUTHORIZED,)), EXPENSE_REPORT, "INT907", "INT122",
         Disposition.CONFIGURATION),
        (ConfigurationError("x", errors=(GATEWAY_LOGIN,), http_status=401), VENDOR_BILL, "INT907", "INT122",
         Disposition.CONFIGURATION),
        (ConfigurationError("x", errors=(BAD_SENDER,)), EXPENSE_REPORT, "INT907", "INT907", Disposition.CONFIGURATION),
        (ConfigurationError("x", errors=(DEMO_EXPIRED,)), EXPENSE_REPORT, "INT907", "INT907",
         Disposition.CONFIGURATION),
        (ReauthenticationError("x", errors=(BAD_SESSION,)), EXPENSE_REPORT, "INT176", "INT122",
         Disposition.REAUTHENTICATE),
        (FatalError("x", errors=(BAD_ENTITY,)), EXPENSE_REPORT, "INT907", "INT907", Disposition.FATAL),
        (FatalError("x", errors=(NO_PERMISSION,)), CARD_CHARGE, "INT043", "INT245", Disposition.FATAL),
        (RetriableError("x", errors=(RATE_LIMIT,), http_status=429), JOURNAL_ENTRY, "INT176", "INT000",
         Disposition.RETRY),
        (UncertainOutcomeError("ReadTimeout talking to the gateway"), EXPENSE_REPORT, "INT176", "INT000",
         Disposition.UNCERTAIN),
        (UncertainOutcomeError("ReadTimeout talking to the gateway"), CARD_CHARGE, "INT993", "INT000",
         Disposition.UNCERTAIN),
        (RetriableError("ConnectError talking to the gateway"), VENDOR_BILL, "INT176", "INT000", Disposition.RETRY),
        (ConfigurationError("HTTP 403", http_status=403), VENDOR_BILL, "INT907", "INT907", Disposition.CONFIGURATION),
        (FatalError("x", errors=(SCHEMA,)), VENDOR_BILL, "INT000", "INT000", Disposition.FATAL),
    ],
    ids=["sign-in", "sender-not-authorized", "gateway-login", "sender-password", "demo-expired", "session",
         "entity", "permission", "rate-limit", "timeout", "timeout-card-charge", "connect", "http-403", "schema"],
)
def test_connection_failures_become_connection_and_sync_codes(
    error: IntacctError, context: DocumentContext, export_code: str, sync_code: str, disposition: Disposition
) -> None:
    failure = translate_exception(error, context)
    assert failure.code == export_code
    assert failure.disposition is disposition
    assert failure.fixes and failure.error.why
    assert failure.intacct_errors == error.errors
    assert failure.problems[0].whole_document
    if export_code == "INT993":
        assert failure.values == {"card": "AMEX-1005"}
    if export_code == "INT000":
        assert failure.values["intacct_text"].startswith("XML Parse schema error")

    synced = translate_sync(error, object_name="VENDOR")
    assert synced.code == sync_code
    assert synced.disposition is disposition
    assert synced.fixes
    if sync_code == "INT000":
        assert synced.message.startswith("INT000 Sync Error: ")


def test_sign_in_failure_during_sync_is_int122_with_its_fix() -> None:
    synced = translate_sync(ConfigurationError("x", errors=(SENDER_NOT_AUTHORIZED,)), object_name="GLACCOUNT")

    assert synced.message == "INT122 Sync Error: Sage Intacct rejected the connection's sign-in while syncing."
    assert any("Web Services Authorizations" in step.text for path in synced.fixes for step in path.steps)
    assert synced.error.needs_intacct_admin


def test_a_permission_refused_on_the_export_function_is_int043() -> None:
    failure = translate(refused(NO_PERMISSION), VENDOR_BILL)

    assert failure.code == "INT043"
    assert failure.support_ids == ("Zz%7E1",)


def test_a_dimension_that_cannot_be_read_is_int402() -> None:
    unreadable = Result(Status.FAILURE, "query", "sync-udd", errors=(
        ErrorDetail("Query Failed", "", "Object definition PROJECT_TYPE not found"),))
    synced = translate_sync(unreadable, object_name="PROJECT_TYPE", dimension="Project Type")

    assert synced.code == "INT402"
    assert synced.values == {"dimension": "Project Type"}
    assert synced.message == "INT402 Sync Error: Sage Intacct couldn't return the values of dimension Project Type."
    assert synced.error.kind is Kind.SYNC


def test_a_dimension_the_user_may_not_read_is_int402() -> None:
    denied = Result(Status.FAILURE, "readByQuery", "sync-dept", errors=(NO_PERMISSION,))
    assert translate_sync(denied, object_name="DEPARTMENT", dimension="Department").code == "INT402"
    assert translate_sync(denied, object_name="VENDOR").code == "INT245"


def test_creating_the_card_liability_account_during_sync_is_int068() -> None:
    refused_create = Result(Status.FAILURE, "create", "sync-liability", errors=(
        business("You do not have permission for API operation CREATE on objects of type glaccount",
                 errorno="PL04000005"),
        business("Could not create GL Account record!")))
    synced = translate_sync(refused_create, object_name="GLACCOUNT")

    assert synced.code == "INT068"
    assert len(synced.intacct_errors) == 2


def test_expense_types_without_time_and_expenses_is_int576() -> None:
    unsubscribed = Result(Status.FAILURE, "readByQuery", "sync-eeaccountlabel", errors=(
        business("Time & Expenses module is not subscribed."),))

    assert translate_sync(unsubscribed, object_name="EEACCOUNTLABEL").code == "INT576"
    assert no_expense_types().code == "INT576"
    assert no_expense_types().fixes


def test_an_unknown_sync_error_shows_intacct_text() -> None:
    odd = Result(Status.FAILURE, "query", "sync-x", errors=(business("Something odd on the Intacct side."),))
    synced = translate_sync(odd, object_name="LOCATION")

    assert synced.code == "INT000"
    assert synced.message == ("INT000 Sync Error: Sage Intacct returned error BL01001973: Something odd on the "
                              "Intacct side.")


@pytest.mark.parametrize("text", [
    "The charge card account VISA-3300 is inactive.",
    "The charge card account 'ZZ-1' is not valid.",
    "The employee 'EMP-006' is inactive.",
    "Cannot create expense before employee joining date 03/01/2027",
    "The total of an expense report can't be negative.",
])
def test_refusals_no_int_code_describes_keep_intacct_words(text: str) -> None:
    failure = translate(refused(business(text)), CARD_CHARGE)

    assert failure.code == "INT000"
    assert failure.message == f"INT000 Export Error: Sage Intacct returned error BL01001973: {text}"
    assert failure.fixes
