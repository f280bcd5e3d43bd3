"""Payload builders: which documents a report becomes, and what each one says to Intacct."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from tests.integration.export.demo_view import approved_report, demo_view, expense

from ledgerbridge.domain import CompanyCardAs, DimensionImport, ExportDate, ReimbursableAs
from ledgerbridge.domain.connection import DEFAULT_DIMENSIONS, UserDefinedDimension
from ledgerbridge.domain.reports import Expense
from ledgerbridge.export.context import ExportType
from ledgerbridge.export.payloads import (
    PlannedDocument,
    PlanningError,
    VendorLookup,
    controlid_for,
    plan_documents,
)
from ledgerbridge.export.view import WorkspaceView
from ledgerbridge.intacct import Secret, Sender, Session, build_request

SCHEMA = Path(__file__).resolve().parents[3] / "src" / "ledgerbridge" / "sandbox" / "schema" / "api-v3.0.xsd"
D = dt.date
EXPORTED_ON = D(2026, 11, 2)
REPORT = "4f1c9a0e7b2d4c6f8a1e3b5d7c9f0a12"
HOSTILE = "Café <Crème> & \"Sons\" ]]> </request> ' OR 1=1 --"

CARD_AS = {
    ExportType.CREDIT_CARD_CHARGE: CompanyCardAs.CREDIT_CARD_CHARGE,
    ExportType.VENDOR_BILL: CompanyCardAs.VENDOR_BILL,
    ExportType.JOURNAL_ENTRY: CompanyCardAs.JOURNAL_ENTRY,
}


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA), validation="lax")


def plan(view: WorkspaceView, *expenses_: Expense, report_id: str = REPORT, version: int = 1,
         owner_employee_id: str | None = "EMP-001", vendor_lookup: VendorLookup | None = None,
         ) -> list[PlannedDocument]:
    report = approved_report(report_id, export_version=version)
    return plan_documents(report, list(expenses_), view, exported_on=EXPORTED_ON,
                          owner_employee_id=owner_employee_id, vendor_lookup=vendor_lookup)


def request(documents: list[PlannedDocument]) -> bytes:
    session = Session(Secret("s"), "https://api.intacct.com/ia/xml/xmlgw.phtml")
    return build_request(Sender("ledgerbridge", Secret("p")), session, [d.function for d in documents],
                         uniqueid=True)


def body(document: PlannedDocument) -> etree._Element:
    root = etree.fromstring(request([document]))
    found = root.find("operation/content/function")
    assert found is not None and found.get("controlid") == document.controlid
    return found[0]


def texts(element: etree._Element, path: str) -> list[str]:
    return [found.text or "" for found in element.iterfind(path)]


def trip() -> list[Expense]:
    """A realistic mixed report: two reimbursable expenses and three on two company cards."""
    return [
        expense("e1", REPORT, D(2026, 10, 12), "Skyway Air", "412.30", "cat-air", tags={"DEPARTMENT": "D100"}),
        expense("e2", REPORT, D(2026, 10, 15), "Harbor Inn", "389.00", "cat-hotel", description="2 nights"),
        expense("e3", REPORT, D(2026, 10, 13), "Yellow Cab", "23.10", "cat-taxi", card="card-amex"),
        expense("e4", REPORT, D(2026, 10, 13), "Metro Parking", "12.00", "cat-travel", card="card-amex"),
        expense("e5", REPORT, D(2026, 10, 14), "Papertrail", "19.99", "cat-supplies", card="card-visa"),
    ]


# --- each document type against Sage's schema -------------------------------------------------------

@pytest.mark.parametrize("reimbursable_as", list(ReimbursableAs))
@pytest.mark.parametrize("card_as", list(CompanyCardAs))
def test_every_combination_validates_against_the_official_schema(
        schema: xmlschema.XMLSchema, reimbursable_as: ReimbursableAs, card_as: CompanyCardAs) -> None:
    view = demo_view(reimbursable_as=reimbursable_as, company_card_as=card_as, default_vendor="V-SKYWAY",
                     user_defined_dimensions=(UserDefinedDimension("TRIP"),))
    expenses = [dataclasses.replace(e, merchant=HOSTILE, description=HOSTILE, tags={**e.tags, "TRIP": "T-1"})
                for e in trip()]
    documents = plan(view, *expenses)
    errors = [str(error).splitlines()[0] for error in schema.iter_errors(etree.fromstring(request(documents)))]
    assert errors == []
    for document in documents:
        # The merchant arrives exactly as typed: the client escapes it, nothing is lost or doubled.
        assert HOSTILE in "".join(str(text) for text in body(document).itertext())


def test_expense_report_lines_use_the_expense_type_else_the_gl_account() -> None:
    (report,) = plan(demo_view(), trip()[0], expense("e9", REPORT, D(2026, 10, 12), "Cafe", "8.00", "cat-travel"))
    element = body(report)
    assert element.tag == "create_expensereport"
    assert element.findtext("employeeid") == "EMP-001"
    assert element.findtext("expensereportno") == REPORT
    assert element.findtext("state") == "Submitted"
    lines = element.findall("expenses/expense")
    assert [line[0].tag for line in lines] == ["expensetype", "glaccountno"]
    assert [line[0].text for line in lines] == ["Airfare", "6100"]
    assert texts(element, "expenses/expense/amount") == ["412.30", "8.00"]
    assert report.context.lines[0].gl_account == "6110"  # the expense type's account, for error messages


def test_vendor_bill_is_a_generic_apbill_with_its_fields_in_order() -> None:
    view = demo_view(company_card_as=CompanyCardAs.VENDOR_BILL, default_vendor="V-SKYWAY")
    (bill,) = plan(view, expense("e3", REPORT, D(2026, 10, 13), "Yellow Cab", "23.10", "cat-taxi",
                                 card="card-amex", tags={"DEPARTMENT": "D100", "CLASS": "C100"}, billable=True))
    element = body(bill)
    assert element.tag == "create"
    apbill = element.find("APBILL")
    assert apbill is not None
    assert [child.tag for child in apbill] == ["VENDORID", "WHENCREATED", "WHENDUE", "RECORDID", "DESCRIPTION",
                                               "CURRENCY", "EXCH_RATE_TYPE_ID", "APBILLITEMS"]
    assert apbill.findtext("RECORDID") == REPORT
    assert apbill.findtext("WHENCREATED") == "10/13/2026"
    item = apbill.find("APBILLITEMS/APBILLITEM")
    assert item is not None
    assert {child.tag: child.text for child in item} == {
        "ACCOUNTNO": "6130", "TRX_AMOUNT": "23.10", "ENTRYDESCRIPTION": "Yellow Cab", "BILLABLE": "true",
        "LOCATIONID": "E100", "DEPARTMENTID": "D100", "CLASSID": "C100",
    }
    assert bill.reference_object == "APBILL" and bill.reference_field == "RECORDID"


def test_journal_entry_debits_expenses_and_credits_the_card_offset_account() -> None:
    view = demo_view(company_card_as=CompanyCardAs.JOURNAL_ENTRY)
    (entry,) = plan(view,
                    expense("e3", REPORT, D(2026, 10, 13), "Yellow Cab", "23.10", "cat-taxi", card="card-amex",
                            tags={"DEPARTMENT": "D100"}),
                    expense("e4", REPORT, D(2026, 10, 14), "Refund", "-5.00", "cat-travel", card="card-amex"))
    batch = body(entry).find("GLBATCH")
    assert batch is not None
    assert batch.findtext("JOURNAL") == "GJ"
    assert batch.findtext("REFERENCENO") == REPORT
    entries = batch.findall("ENTRIES/GLENTRY")
    assert [(e.findtext("ACCOUNTNO"), e.findtext("TRX_AMOUNT"), e.findtext("TR_TYPE")) for e in entries] == [
        ("6130", "23.10", "1"), ("6100", "5.00", "-1"), ("2100", "18.10", "-1")]
    assert entries[0].findtext("DEPARTMENT") == "D100" and entries[0].find("DEPARTMENTID") is None
    assert {e.findtext("LOCATION") for e in entries} == {"E100"}
    debits = sum(Decimal(e.findtext("TRX_AMOUNT") or "") for e in entries if e.findtext("TR_TYPE") == "1")
    credits = sum(Decimal(e.findtext("TRX_AMOUNT") or "") for e in entries if e.findtext("TR_TYPE") == "-1")
    assert debits == credits
    assert entry.reference_object == "GLBATCH" and entry.reference_field == "REFERENCENO"


@pytest.mark.parametrize("journal", ["ADJ", None])
def test_journal_entry_posts_to_the_workspaces_card_journal(journal: str | None) -> None:
    view = demo_view(company_card_as=CompanyCardAs.JOURNAL_ENTRY, card_journal=journal)
    (entry,) = plan(view, expense("e3", REPORT, D(2026, 10, 13), "Yellow Cab", "23.10", "cat-taxi",
                                  card="card-amex"))
    batch = body(entry).find("GLBATCH")
    assert batch is not None
    # Without a journal the field is left out, and Intacct refuses the entry for it (INT498).
    assert batch.findtext("JOURNAL") == journal


def test_card_charge_names_the_card_account_and_carries_the_reference() -> None:
    (charge,) = plan(demo_view(), trip()[2], trip()[3])
    element = body(charge)
    assert element.tag == "record_cctransaction"
    assert element.findtext("chargecardid") == "AMEX-1005"
    assert element.findtext("referenceno") == REPORT
    assert texts(element, "ccpayitems/ccpayitem/glaccountno") == ["6130", "6100"]
    assert texts(element, "ccpayitems/ccpayitem/paymentamount") == ["23.10", "12.00"]
    assert charge.context.card_account_id == "AMEX-1005"
    assert {line.card_account_id for line in charge.context.lines} == {"AMEX-1005"}


# --- identity: controlids and references ----------------------------------------------------------

def test_controlids_are_deterministic_and_distinct_per_document() -> None:
    first = plan(demo_view(), *trip())
    again = plan(demo_view(), *trip())
    assert [d.controlid for d in first] == [d.controlid for d in again]
    assert len({d.controlid for d in first}) == len(first) == 3
    assert all(d.function.controlid == d.controlid and d.function.writes for d in first)
    assert all(len(d.controlid) <= 256 for d in first)


def test_controlids_change_with_export_version_and_workspace_only() -> None:
    v1 = {d.controlid for d in plan(demo_view(), *trip())}
    v2 = {d.controlid for d in plan(demo_view(), *trip(), version=2)}
    other_report = {d.controlid for d in plan(demo_view(), *trip(), report_id="another")}
    assert v1.isdisjoint(v2) and v1.isdisjoint(other_report)
    assert controlid_for("w1", "r", 1, 0, ExportType.EXPENSE_REPORT, "er") != controlid_for(
        "w2", "r", 1, 0, ExportType.EXPENSE_REPORT, "er")


def test_controlids_are_the_same_in_another_process() -> None:
    here = controlid_for("ws-demo", REPORT, 3, 2, ExportType.CREDIT_CARD_CHARGE, "cc")
    code = ("from ledgerbridge.export.context import ExportType;"
            "from ledgerbridge.export.payloads import controlid_for;"
            f"print(controlid_for('ws-demo', '{REPORT}', 3, 2, ExportType.CREDIT_CARD_CHARGE, 'cc'))")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout.strip()
    assert there == here


def test_references_are_the_report_id_with_suffixes_only_when_needed() -> None:
    documents = plan(demo_view(), *trip())
    assert [(d.kind, d.reference) for d in documents] == [
        (ExportType.EXPENSE_REPORT, REPORT),
        (ExportType.CREDIT_CARD_CHARGE, f"{REPORT}-1"),
        (ExportType.CREDIT_CARD_CHARGE, f"{REPORT}-2"),
    ]
    reexport = plan(demo_view(), trip()[0], version=2)
    assert reexport[0].reference == f"{REPORT}-v2"
    assert body(reexport[0]).findtext("expensereportno") == f"{REPORT}-v2"


# --- splitting ----------------------------------------------------------------------------------------

def test_a_report_splits_by_payment_and_card_account() -> None:
    documents = plan(demo_view(), *trip())
    assert [(d.kind, d.expense_ids) for d in documents] == [
        (ExportType.EXPENSE_REPORT, ("e1", "e2")),
        (ExportType.CREDIT_CARD_CHARGE, ("e3", "e4")),
        (ExportType.CREDIT_CARD_CHARGE, ("e5",)),
    ]
    assert [d.context.card_account_id for d in documents] == [None, "AMEX-1005", "VISA-4421"]


def test_reimbursable_spend_as_vendor_bill_pays_the_employees_vendor() -> None:
    view = demo_view(reimbursable_as=ReimbursableAs.VENDOR_BILL, extra_vendors={"V-MALV": "Maria Alvarez"},
                     default_vendor="V-SKYWAY")
    (bill,) = plan(view, trip()[0], trip()[1])
    assert bill.kind is ExportType.VENDOR_BILL
    assert body(bill).findtext("APBILL/VENDORID") == "V-MALV"
    assert bill.context.vendor_id == "V-MALV"


def test_reimbursable_bill_falls_back_to_the_default_vendor_and_else_refuses() -> None:
    view = demo_view(reimbursable_as=ReimbursableAs.VENDOR_BILL, default_vendor="V-SKYWAY")
    (bill,) = plan(view, trip()[0])
    assert body(bill).findtext("APBILL/VENDORID") == "V-SKYWAY"
    with pytest.raises(PlanningError, match="no Intacct vendor"):
        plan(demo_view(reimbursable_as=ReimbursableAs.VENDOR_BILL), trip()[0])


def test_unmapped_card_uses_the_default_charge_card_account() -> None:
    new_card = expense("e6", REPORT, D(2026, 10, 16), "Cafe", "4.50", "cat-travel", card="card-new")
    (charge,) = plan(demo_view(default_charge_card_account="VISA-4421"), new_card)
    assert body(charge).findtext("chargecardid") == "VISA-4421"
    with pytest.raises(PlanningError, match="no charge card account"):
        plan(demo_view(), new_card)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PlanningError) as raised:
        plan(demo_view(), expense("e7", REPORT, D(2026, 10, 1), "X", "1.00", None),
             expense("e8", REPORT, D(2026, 10, 1), "Y", "1.00", "cat-travel", card="card-new"),
             owner_employee_id=None, report_id="r-unknown-owner")
    assert [p.expense_id for p in raised.value.problems] == ["e7", "e8"]


def test_the_owner_is_matched_to_an_employee_by_email_when_not_given() -> None:
    (report,) = plan(demo_view(), trip()[0], owner_employee_id=None)
    assert body(report).findtext("employeeid") == "EMP-001"
    unmatched = dataclasses.replace(approved_report(REPORT), owner="u-nobody")
    with pytest.raises(PlanningError, match="matches no Intacct employee"):
        plan_documents(unmatched, [trip()[0]], demo_view(), exported_on=EXPORTED_ON,
                       owner_employee_id=None)


# --- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "expected"), [
    (ExportDate.LAST_EXPENSE, D(2026, 10, 15)),
    (ExportDate.EXPORTED, EXPORTED_ON),
    (ExportDate.SUBMITTED, D(2026, 10, 24)),
])
@pytest.mark.parametrize("card_as", [CompanyCardAs.VENDOR_BILL, CompanyCardAs.JOURNAL_ENTRY])
def test_export_date_setting(setting: ExportDate, expected: dt.date, card_as: CompanyCardAs) -> None:
    view = demo_view(export_date=setting, company_card_as=card_as, default_vendor="V-SKYWAY")
    documents = plan(view, *trip())
    assert {d.context.export_date for d in documents} == {expected}
    first = body(documents[0])
    assert first.findtext("datecreated/day") == f"{expected.day:02d}"
    assert first.findtext("datecreated/month") == f"{expected.month:02d}"
    for document in documents[1:]:
        date_field = "APBILL/WHENCREATED" if card_as is CompanyCardAs.VENDOR_BILL else "GLBATCH/BATCH_DATE"
        assert body(document).findtext(date_field) == expected.strftime("%m/%d/%Y")


@pytest.mark.parametrize("setting", list(ExportDate))
def test_card_charges_use_the_transaction_date_whatever_the_setting(setting: ExportDate) -> None:
    documents = plan(demo_view(export_date=setting), *trip()[2:])
    dates = [(body(d).findtext("paymentdate/month"), body(d).findtext("paymentdate/day")) for d in documents]
    assert dates == [("10", "13"), ("10", "14")]
    assert [d.context.export_date for d in documents] == [D(2026, 10, 13), D(2026, 10, 14)]


def test_card_charges_on_different_days_are_separate_transactions() -> None:
    documents = plan(demo_view(), trip()[2], dataclasses.replace(trip()[3], spent_on=D(2026, 10, 20)))
    assert [d.expense_ids for d in documents] == [("e3",), ("e4",)]


# --- vendors --------------------------------------------------------------------------------------

def charge_vendor(view: WorkspaceView, vendor: str | None = None) -> str | None:
    (charge,) = plan(view, dataclasses.replace(trip()[2], vendor=vendor))
    return body(charge).findtext("ccpayitems/ccpayitem/vendorid")


def test_card_vendor_is_the_expense_vendor_first() -> None:
    view = demo_view(default_vendor="V-SKYWAY", extra_vendors={"V-MISC": "Credit Card Misc"})
    assert charge_vendor(view, "V-HARBORINN") == "V-HARBORINN"


def test_card_vendor_falls_back_to_the_default_vendor() -> None:
    view = demo_view(default_vendor="V-SKYWAY", extra_vendors={"V-MISC": "Credit Card Misc"})
    assert charge_vendor(view) == "V-SKYWAY"


def test_card_vendor_falls_back_to_credit_card_misc_by_name() -> None:
    assert charge_vendor(demo_view(extra_vendors={"V-MISC": "credit card MISC "})) == "V-MISC"


def test_card_vendor_lookup_can_be_supplied() -> None:
    (charge,) = plan(demo_view(), trip()[2], vendor_lookup={"Credit Card Misc": "V-LOOKED-UP"}.get)
    assert body(charge).findtext("ccpayitems/ccpayitem/vendorid") == "V-LOOKED-UP"


def test_card_charge_without_any_vendor_leaves_it_out_but_a_bill_cannot() -> None:
    assert charge_vendor(demo_view()) is None
    with pytest.raises(PlanningError, match="Credit Card Misc"):
        plan(demo_view(company_card_as=CompanyCardAs.VENDOR_BILL), trip()[2])


def test_card_bills_split_by_vendor() -> None:
    view = demo_view(company_card_as=CompanyCardAs.VENDOR_BILL, default_vendor="V-AMEX")
    documents = plan(view, trip()[2], dataclasses.replace(trip()[3], vendor="V-SKYWAY"))
    assert [(body(d).findtext("APBILL/VENDORID"), d.expense_ids) for d in documents] == [
        ("V-AMEX", ("e3",)), ("V-SKYWAY", ("e4",))]


# --- entity, dimensions, UDDs ------------------------------------------------------------------------

def test_connection_entity_goes_on_every_line_and_a_location_tag_wins() -> None:
    tagged = dataclasses.replace(trip()[1], tags={"LOCATION": "L110"})
    (report,) = plan(demo_view(), trip()[0], tagged)
    assert texts(body(report), "expenses/expense/locationid") == ["E100", "L110"]
    (top_level,) = plan(demo_view(entity=""), trip()[0])
    assert body(top_level).find("expenses/expense/locationid") is None


def test_card_charges_post_in_the_card_accounts_entity() -> None:
    view = demo_view(default_charge_card_account="AMEX-2010")
    (charge,) = plan(view, expense("e6", REPORT, D(2026, 10, 16), "Cafe", "4.50", "cat-travel", card="card-new"))
    assert texts(body(charge), "ccpayitems/ccpayitem/locationid") == ["E200"]
    assert charge.context.entity == "E200"


def test_employee_default_dimensions_fill_expense_report_lines() -> None:
    dims = {**DEFAULT_DIMENSIONS, "DEPARTMENT": DimensionImport.EMPLOYEE_DEFAULT}
    (report,) = plan(demo_view(dimensions=dims), trip()[1])
    assert texts(body(report), "expenses/expense/departmentid") == ["D100"]


def test_dimensions_not_imported_are_not_sent() -> None:
    tagged = dataclasses.replace(trip()[0], tags={"PROJECT": "PRJ-100", "CUSTOMER": "CUST-1001",
                                                  "CLASS": "C100"})
    (default,) = plan(demo_view(), tagged)
    assert body(default).find("expenses/expense/projectid") is None
    dims = {**DEFAULT_DIMENSIONS, "PROJECT": DimensionImport.TAG, "CUSTOMER": DimensionImport.TAG}
    (imported,) = plan(demo_view(dimensions=dims), tagged)
    line = body(imported).find("expenses/expense")
    assert line is not None
    assert (line.findtext("projectid"), line.findtext("customerid"), line.findtext("classid")) == (
        "PRJ-100", "CUST-1001", "C100")
    assert imported.context.lines[0].dimensions["PROJECT"] == "PRJ-100"


@pytest.mark.parametrize("card_as", list(CompanyCardAs))
def test_user_defined_dimensions(card_as: CompanyCardAs) -> None:
    view = demo_view(company_card_as=card_as, default_vendor="V-SKYWAY",
                     user_defined_dimensions=(UserDefinedDimension("TRIP"), UserDefinedDimension("COSTCENTER")))
    tagged = [dataclasses.replace(e, tags={"TRIP": "T-42", "COSTCENTER": "CC-9"})
              for e in (trip()[0], trip()[2])]
    report, card_document = plan(view, *tagged)
    fields = body(report).findall("expenses/expense/customfields/customfield")
    assert [(f.findtext("customfieldname"), f.findtext("customfieldvalue")) for f in fields] == [
        ("TRIP", "T-42"), ("COSTCENTER", "CC-9")]
    element = body(card_document)
    if card_as is CompanyCardAs.CREDIT_CARD_CHARGE:
        assert texts(element, "ccpayitems/ccpayitem/customfields/customfield/customfieldname") == ["TRIP", "COSTCENTER"]
    else:
        line = element.find("APBILL/APBILLITEMS/APBILLITEM" if card_as is CompanyCardAs.VENDOR_BILL
                            else "GLBATCH/ENTRIES/GLENTRY")
        assert line is not None
        assert (line.findtext("GLDIMTRIP"), line.findtext("GLDIMCOSTCENTER")) == ("T-42", "CC-9")
    assert card_document.context.lines[0].dimensions["TRIP"] == "T-42"


def test_billable_is_sent_only_for_billable_expenses() -> None:
    (report,) = plan(demo_view(), dataclasses.replace(trip()[0], billable=True), trip()[1])
    assert texts(body(report), "expenses/expense/billable") == ["true"]
    assert [line.billable for line in report.context.lines] == [True, False]


# --- currency -------------------------------------------------------------------------------------

def test_expenses_in_other_currencies_go_to_documents_of_their_own() -> None:
    documents = plan(demo_view(),
                     trip()[0],
                     expense("e-eur", REPORT, D(2026, 10, 12), "Hotel Paris", "180.45", "cat-hotel", currency="EUR"),
                     expense("e-jpy", REPORT, D(2026, 10, 12), "Tokyo Taxi", "1200", "cat-taxi", currency="JPY"),
                     expense("e-bhd", REPORT, D(2026, 10, 12), "Manama", "12.345", "cat-taxi", currency="BHD"))
    assert [(d.context.currency, d.expense_ids) for d in documents] == [
        ("BHD", ("e-bhd",)), ("EUR", ("e-eur",)), ("JPY", ("e-jpy",)), ("USD", ("e1",))]
    amounts = {d.context.currency: body(d).findtext("expenses/expense/amount") for d in documents}
    assert amounts == {"BHD": "12.345", "EUR": "180.45", "JPY": "1200", "USD": "412.30"}
    assert {body(d).findtext("currency") for d in documents} == {"BHD", "EUR", "JPY", "USD"}
    assert all(isinstance(line.amount, Decimal) for d in documents for line in d.context.lines)


def test_foreign_card_charge_states_its_currency_and_a_rate_type() -> None:
    (charge,) = plan(demo_view(), dataclasses.replace(
        trip()[2], amount=dataclasses.replace(trip()[2].amount, currency="CAD")))
    element = body(charge)
    assert (element.findtext("currency"), element.findtext("exchratetype")) == ("CAD", "Intacct Daily Rate")


# --- context for error translation ---------------------------------------------------------------------

def test_context_names_what_a_failure_message_needs() -> None:
    documents = plan(demo_view(), *trip())
    report, amex, _ = documents
    assert report.context.export_type is ExportType.EXPENSE_REPORT
    assert report.context.employee_id == "EMP-001"
    assert report.context.submitter_email == "maria.alvarez@cedarridge.example"
    assert report.context.report_id == REPORT
    first = report.context.lines[0]
    assert (first.line, first.expense_id, first.category, first.expense_type, first.gl_account) == (
        1, "e1", "Airfare", "Airfare", "6110")
    assert first.expense_label == "Skyway Air, 10/12/2026"
    assert first.amount == Decimal("412.30")
    assert amex.context.lines_where("6130", "gl_account")[0].expense_id == "e3"
    assert [line.line for line in amex.context.lines] == [1, 2]


def test_text_xml_cannot_carry_is_a_planning_problem_not_a_broken_batch() -> None:
    with pytest.raises(PlanningError, match="control characters") as raised:
        plan(demo_view(), dataclasses.replace(trip()[0], merchant="Cafe\x00"), trip()[1])
    assert [p.expense_id for p in raised.value.problems] == ["e1"]


def test_journal_entry_needs_the_cards_offset_account() -> None:
    no_offset = {"AMEX-1005": ("", "E100", "USD", "V-AMEX")}
    view = demo_view(company_card_as=CompanyCardAs.JOURNAL_ENTRY, card_accounts=no_offset)
    with pytest.raises(PlanningError, match="no credit card offset account"):
        plan(view, trip()[2])
