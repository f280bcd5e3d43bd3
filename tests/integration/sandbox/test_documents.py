"""Documents over HTTP: each posts balanced GL entries tagged with entity and dimensions; refusals post nothing."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    CLERK,
    bill,
    by_account,
    call,
    cc_transaction,
    create,
    data_of,
    debits_and_credits,
    expense_report,
    failed,
    gl_entries,
    gl_entries_described,
    key_of,
    read_keys,
    record_fields,
    reverse,
    unique,
)


def read_document(gateway_url: str, obj: str, recordno: int) -> etree._Element:
    data = data_of(call(gateway_url, read_keys(obj, recordno)))
    assert data.get("count") == "1"
    return data[0]


def assert_balanced(entries: list[dict[str, str]], total: str) -> None:
    debits, credits = debits_and_credits(entries)
    assert debits == credits == Decimal(total)


def test_card_charge_posts_lines_against_the_card_offset_account(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("CC")
    response = call(url, cc_transaction("AMEX-1005", [
        {"glaccountno": "6410", "paymentamount": "120.25", "locationid": "L110", "departmentid": "D100",
         "description": "Team dinner"},
        {"accountlabel": "Airfare", "paymentamount": "380.00", "locationid": "L120", "projectid": "PRJ-300"},
    ], reference=reference))
    recordno = key_of(response)
    entries = gl_entries(url, "CCTRANSACTION", recordno)
    assert_balanced(entries, "500.25")
    assert by_account(entries) == {"6410": Decimal("120.25"), "6110": Decimal("380.00"), "2100": Decimal("-500.25")}
    assert {e["MEGAENTITYID"] for e in entries} == {"E100"}
    dinner = next(e for e in entries if e["ACCOUNTNO"] == "6410")
    assert (dinner["LOCATION"], dinner["DEPARTMENT"], dinner["DESCRIPTION"]) == ("L110", "D100", "Team dinner")
    assert next(e for e in entries if e["ACCOUNTNO"] == "6110")["PROJECTID"] == "PRJ-300"
    assert {e["ENTRY_DATE"] for e in entries} == {"11/02/2026"}

    document = read_document(url, "CCTRANSACTION", recordno)
    header = record_fields(document)
    assert (header["RECORDNO"], header["RECORDID"]) == (str(recordno), reference)
    assert header["FINANCIALENTITY"] == "AMEX-1005"
    assert (header["TOTALENTERED"], header["WHENPAID"], header["STATE"]) == ("500.25", "11/02/2026", "Posted")
    lines = [record_fields(line) for line in document.iterfind("CCTRANSACTIONENTRIES/cctransactionentry")]
    assert [(line["ACCOUNTNO"], line["AMOUNT"]) for line in lines] == [("6410", "120.25"), ("6110", "380.00")]


def test_expense_report_posts_against_employee_liability(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    number = unique("ER")
    response = call(url, expense_report("EMP-001", [
        {"expensetype": "Lodging", "amount": "310.00", "locationid": "L110", "departmentid": "D100"},
        {"expensetype": "Client Meals", "amount": "64.80", "locationid": "L110", "departmentid": "D100"},
        {"glaccountno": "6130", "amount": "25.20", "locationid": "L120"},
    ], number=number))
    recordno = key_of(response)
    entries = gl_entries(url, "EEXPENSES", recordno)
    assert_balanced(entries, "400.00")
    assert by_account(entries) == {"6120": Decimal("310.00"), "6150": Decimal("64.80"), "6130": Decimal("25.20"),
                                   "2050": Decimal("-400.00")}
    header = record_fields(read_document(url, "EEXPENSES", recordno))
    assert (header["RECORDID"], header["EMPLOYEEID"], header["TOTALENTERED"]) == (number, "EMP-001", "400.00")
    # Every entry, the liability included, carries the report's employee as its employee dimension.
    assert {entry["EMPLOYEEID"] for entry in entries} == {"EMP-001"}


def test_draft_expense_report_posts_nothing(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    response = call(url, expense_report("EMP-001", [{"expensetype": "Lodging", "amount": "10.00",
                                                     "locationid": "L110"}], state="Draft"))
    recordno = key_of(response)
    assert gl_entries(url, "EEXPENSES", recordno) == []
    assert record_fields(read_document(url, "EEXPENSES", recordno))["STATE"] == "Draft"


def test_bill_posts_expense_lines_against_accounts_payable(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    number = unique("BILL")
    response = call(url, bill("V-CLOUDNINE", [
        {"glaccountno": "6220", "amount": "900.00", "locationid": "L210", "classid": "C300"},
        {"glaccountno": "6800", "amount": "1500.00", "locationid": "L110"},
    ], number=number))
    recordno = key_of(response)
    entries = gl_entries(url, "APBILL", recordno)
    assert_balanced(entries, "2400.00")
    assert by_account(entries) == {"6220": Decimal("900.00"), "6800": Decimal("1500.00"), "2000": Decimal("-2400.00")}
    # The lines sit in two entities; each entity balances on its own.
    for entity, total in (("E200", "900.00"), ("E100", "1500.00")):
        assert_balanced([e for e in entries if e["MEGAENTITYID"] == entity], total)
    assert next(e for e in entries if e["ACCOUNTNO"] == "6220")["CLASSID"] == "C300"
    # Every entry, accounts payable included, carries the bill's vendor as its vendor dimension.
    assert {entry["VENDORID"] for entry in entries} == {"V-CLOUDNINE"}
    header = record_fields(read_document(url, "APBILL", recordno))
    assert (header["RECORDID"], header["VENDORID"], header["VENDORNAME"]) == (number, "V-CLOUDNINE",
                                                                             "CloudNine Hosting LLC")


def apbill(vendor: str, lines: list[dict[str, str]], reference: str) -> etree._Element:
    return create("APBILL", {
        "RECORDID": reference, "VENDORID": vendor, "WHENCREATED": "11/03/2026", "WHENDUE": "12/03/2026",
        "DESCRIPTION": reference, "APBILLITEMS": [("APBILLITEM", line) for line in lines],
    })


def test_generic_apbill_create_posts_and_answers_with_its_recordno(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("APB")
    data = data_of(call(url, apbill("V-PAPERTRAIL", [
        {"ACCOUNTNO": "6300", "TRX_AMOUNT": "45.10", "LOCATIONID": "L110", "ENTRYDESCRIPTION": "Paper"},
        {"ACCOUNTNO": "6310", "TRX_AMOUNT": "4.90", "LOCATIONID": "L110", "DEPARTMENTID": "D300"},
    ], reference)))
    assert (data.get("listtype"), data.get("count")) == ("objects", "1")
    recordno = int(data.findtext("apbill/RECORDNO", ""))
    entries = gl_entries(url, "APBILL", recordno)
    assert_balanced(entries, "50.00")
    assert by_account(entries) == {"6300": Decimal("45.10"), "6310": Decimal("4.90"), "2000": Decimal("-50.00")}
    document = read_document(url, "APBILL", recordno)
    assert record_fields(document)["RECORDID"] == reference
    lines = [record_fields(line) for line in document.iterfind("APBILLITEMS/apbillitem")]
    assert [(line["ACCOUNTNO"], line["TRX_AMOUNT"]) for line in lines] == [("6300", "45.10"), ("6310", "4.90")]
    assert lines[0]["ENTRYDESCRIPTION"] == "Paper"


def journal(title: str, entries: list[dict[str, str]]) -> etree._Element:
    return create("GLBATCH", {"JOURNAL": "GJ", "BATCH_DATE": "11/04/2026", "BATCH_TITLE": title,
                              "ENTRIES": [("GLENTRY", entry) for entry in entries]})


def test_generic_glbatch_create_posts_its_debits_and_credits(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    title = unique("JE")
    data = data_of(call(url, journal(title, [
        {"ACCOUNTNO": "7100", "TR_TYPE": "1", "TRX_AMOUNT": "250.00", "LOCATION": "L110", "DEPARTMENT": "D300",
         "DESCRIPTION": title},
        {"ACCOUNTNO": "1590", "TR_TYPE": "-1", "TRX_AMOUNT": "250.00", "LOCATION": "L110", "DESCRIPTION": title},
    ])))
    recordno = int(data.findtext("glbatch/RECORDNO", ""))
    entries = gl_entries(url, "GLBATCH", recordno)
    assert_balanced(entries, "250.00")
    assert by_account(entries) == {"7100": Decimal("250.00"), "1590": Decimal("-250.00")}
    assert next(e for e in entries if e["ACCOUNTNO"] == "7100")["DEPARTMENT"] == "D300"
    document = read_document(url, "GLBATCH", recordno)
    assert [line.findtext("ACCOUNTNO") for line in document.iterfind("ENTRIES/glentry")] == ["7100", "1590"]
    header = record_fields(document)
    assert (header["BATCH_TITLE"], header["BATCH_DATE"], header["STATE"]) == (title, "11/04/2026", "Posted")


def test_unbalanced_journal_entry_is_refused(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    title = unique("JE")
    errors = failed(call(url, journal(title, [
        {"ACCOUNTNO": "7100", "TR_TYPE": "1", "TRX_AMOUNT": "250.00", "LOCATION": "L110", "DESCRIPTION": title},
        {"ACCOUNTNO": "1590", "TR_TYPE": "-1", "TRX_AMOUNT": "249.99", "LOCATION": "L110", "DESCRIPTION": title},
    ])))
    assert "not balanced" in errors[0]["description2"]
    assert gl_entries_described(url, title) == []


def test_reversing_a_card_charge_posts_its_mirror_image(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("CC")
    original = key_of(call(url, cc_transaction("AMEX-2010", [
        {"glaccountno": "6400", "paymentamount": "75.00", "locationid": "L210"},
    ], reference=reference, when=(2026, 10, 5))))
    memo = unique("REV")
    reversal = key_of(call(url, reverse("reverse_cctransaction", original, memo)))
    assert reversal != original
    entries = gl_entries(url, "CCTRANSACTION", reversal)
    assert_balanced(entries, "75.00")
    assert by_account(entries) == {"6400": Decimal("-75.00"), "2105": Decimal("75.00")}
    assert {e["DESCRIPTION"] for e in entries} == {memo}
    assert {e["MEGAENTITYID"] for e in entries} == {"E200"}
    assert by_account(gl_entries(url, "CCTRANSACTION", original)) == {"6400": Decimal("75.00"),
                                                                       "2105": Decimal("-75.00")}
    assert record_fields(read_document(url, "CCTRANSACTION", original))["STATE"] == "Reversed"
    (again, *_) = failed(call(url, reverse("reverse_cctransaction", original)))
    assert "already reversed" in again["description2"]


def test_reversing_an_expense_report_posts_its_mirror_image(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    original = key_of(call(url, expense_report("EMP-003", [
        {"expensetype": "Ground Transportation", "amount": "33.00", "locationid": "L120"},
        {"expensetype": "Travel Meals", "amount": "17.00", "locationid": "L120"},
    ], number=unique("ER"))))
    memo = unique("REV")
    reversal = key_of(call(url, reverse("reverse_expensereport", original, memo)))
    entries = gl_entries(url, "EEXPENSES", reversal)
    assert_balanced(entries, "50.00")
    assert by_account(entries) == {"6130": Decimal("-33.00"), "6160": Decimal("-17.00"), "2050": Decimal("50.00")}
    assert {e["DESCRIPTION"] for e in entries} == {memo}
    assert record_fields(read_document(url, "EEXPENSES", reversal))["DESCRIPTION"] == memo


def test_reversing_an_unknown_document_fails(sandbox_server: RunningSandbox) -> None:
    (error, *_) = failed(call(sandbox_server.gateway_url, reverse("reverse_cctransaction", 99999999)))
    assert "Cannot find" in error["description2"]


def test_founding_case_int860_is_refused_and_posts_nothing(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("INT860")
    response = call(url, cc_transaction("AMEX-1005", [
        {"accountlabel": "Entertainment", "paymentamount": "88.00", "locationid": "L110", "description": reference},
    ], reference=reference, description=reference))
    errors = failed(response)
    assert errors[0]["errorno"] == "BL01001973"
    assert errors[0]["description2"].startswith(
        "The specified GL account '6400' : 'Entertainment - West Region' is not valid. GL account is restricted by "
        "entity 'E200'.")
    assert errors[-1]["description2"].startswith("Could not create cctransaction record!")
    assert response.result().find("key") is None
    assert gl_entries_described(url, reference) == []
    # The same charge recategorized to Company Events posts.
    fixed = call(url, cc_transaction("AMEX-1005", [
        {"accountlabel": "Company Events", "paymentamount": "88.00", "locationid": "L110", "description": reference},
    ], reference=reference, description=reference))
    assert_balanced(gl_entries(url, "CCTRANSACTION", key_of(fixed)), "88.00")


def test_card_offset_account_on_a_line_is_refused(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("OFFSET")
    errors = failed(call(url, cc_transaction("AMEX-1005", [
        {"accountlabel": "AMEX Payment", "paymentamount": "10.00", "locationid": "L110", "description": reference},
    ], reference=reference, description=reference)))
    assert errors[0]["description2"].startswith("The account number 2100 is associated to the Credit Card AMEX-1005")
    assert gl_entries_described(url, reference) == []


def test_every_problem_of_a_document_is_reported_at_once(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    number = unique("BILL")
    errors = failed(call(url, bill("V-IRONBRIDGE", [
        {"glaccountno": "6220", "amount": "10.00", "locationid": "L110", "memo": number},
        {"glaccountno": "6800", "amount": "10.00", "departmentid": "D999", "memo": number},
    ], number=number, description=number)))
    texts = [e["description2"] for e in errors]
    assert any("on hold" in t for t in texts)
    assert any("missing the Class dimension for the Account 6220" in t for t in texts)
    assert any("Invalid Department D999 selected" in t for t in texts)
    assert gl_entries_described(url, number) == []


def test_clerk_records_documents_its_modules_allow(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    response = call(url, cc_transaction("VISA-4421", [{"glaccountno": "6300", "paymentamount": "9.99",
                                                        "locationid": "L110"}], reference=unique("CLERK")),
                    bill("V-PAPERTRAIL", [{"glaccountno": "6300", "amount": "9.99", "locationid": "L110"}]),
                    journal(unique("JE"), [
                        {"ACCOUNTNO": "7100", "TR_TYPE": "1", "TRX_AMOUNT": "1.00", "LOCATION": "L110"},
                        {"ACCOUNTNO": "1590", "TR_TYPE": "-1", "TRX_AMOUNT": "1.00", "LOCATION": "L110"}]),
                    login=CLERK)
    assert [r.findtext("status") for r in response.results] == ["success", "success", "failure"]
    assert failed(response, 2)[0]["errorno"] == "PL04000005"
    succeeded_keys = [int(r.findtext("key", "")) for r in response.results[:2]]
    assert_balanced(gl_entries(url, "CCTRANSACTION", succeeded_keys[0]), "9.99")
    assert_balanced(gl_entries(url, "APBILL", succeeded_keys[1]), "9.99")
