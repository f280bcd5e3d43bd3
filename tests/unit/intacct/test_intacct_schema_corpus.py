"""Every request the client can build validates against Sage's own 3.0 schema, whatever the text inside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ledgerbridge.intacct import (
    Bill,
    BillLine,
    ChargeCardLine,
    ChargeCardTransaction,
    Condition,
    CustomField,
    Dimensions,
    ExpenseLine,
    ExpenseReport,
    Function,
    InvalidRequestError,
    Logical,
    Login,
    Order,
    Secret,
    Sender,
    Session,
    build_request,
    create,
    create_bill,
    create_expensereport,
    delete,
    get_api_session,
    get_dimension_restricted_data,
    lookup,
    query,
    read,
    read_by_name,
    read_by_query,
    read_more,
    record,
    record_cctransaction,
    reverse_bill,
    reverse_cctransaction,
    reverse_expensereport,
    update,
)

SCHEMA_PATH = Path(__file__).resolve().parents[4] / "shared" / "intacct-schema" / "api-v3.0.xsd"

HOSTILE = [
    "<", "&", "]]>", "</request>", "<![CDATA[x]]>", "&amp;", "&lt;script&gt;", "' OR 1=1 --", '"quoted"',
    "Café Crème €", "日本語", "עברית", "😀 emoji", "\t tab and\nnewline\r", "  padded  ", "%7E~", "<!DOCTYPE x>",
]

# Any text XML 1.0 can carry: no control characters other than tab/newline/CR, no surrogates.
xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(["\t", "\n", "<", ">", "&", "'", '"']),
    min_size=1, max_size=40,
) | st.sampled_from(HOSTILE)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_PATH), validation="lax")


def corpus(text: str) -> list[Function]:
    """One of every function kind the client builds, with ``text`` in every free-text field."""
    day = dt.date(2026, 3, 14)
    dims = Dimensions(locationid=text, departmentid=text, projectid=text, taskid=text, customerid=text,
                      vendorid=text, employeeid=text, itemid=text, classid=text)
    fields = (CustomField(text, text),)
    return [
        create("c-1" + text, record("CLASS", {"CLASSID": text, "NAME": text, "STATUS": "active"}),
               record("APBILL", {"VENDORID": text, "WHENCREATED": day, "APBILLITEMS": {"APBILLITEM": [
                   {"ACCOUNTNO": text, "TRX_AMOUNT": Decimal("12.50")}, {"ACCOUNTNO": "6100",
                                                                         "TRX_AMOUNT": Decimal("-1E+2")}]}})),
        update("u-1", record("GLACCOUNT", {"ACCOUNTNO": text, "TITLE": text, "REQUIREDEPT": True})),
        delete("d-1", "CLASS", [text, 12]),
        read("GLACCOUNT", [1, 2, 3], fields=text),
        read_by_name("CREDITCARD", [text, "AMEX-01"]),
        read_by_query("VENDOR", f"NAME = '{text}'", fields="RECORDNO,NAME", pagesize=1000),
        read_more(text),
        query("GLACCOUNT", ["RECORDNO", "ACCOUNTNO", "CONTACT.EMAIL1"],
              filter=Logical("and", Condition("equalto", "STATUS", text),
                             Logical("or", Condition("like", "TITLE", text), Condition("isnull", "CATEGORY")),
                             Condition("in", "ACCOUNTNO", text, "6100"),
                             Condition("between", "WHENMODIFIED", text, text)),
              orderby=[Order("RECORDNO"), Order(text, descending=True)], pagesize=2000, offset=4000,
              caseinsensitive=True),
        query("CLASS", ["RECORDNO"], filter=Condition("notequalto", "NAME", text)),
        lookup(text),
        get_dimension_restricted_data("GLACCOUNT", text),
        get_api_session(text),
        get_api_session(),
        record_cctransaction("cc-1", ChargeCardTransaction(
            chargecardid=text, paymentdate=day, referenceno=text, payee=text, description=text, currency="EUR",
            customfields=fields, lines=(
                ChargeCardLine(Decimal("212.50"), glaccountno=text, description=text, dimensions=dims,
                               customfields=fields, billable=True),
                ChargeCardLine(Decimal("0.01"), accountlabel=text),
            ))),
        record_cctransaction("cc-2", ChargeCardTransaction(
            chargecardid="AMEX", paymentdate=day, currency="USD", exchrate=Decimal("1.1"),
            lines=(ChargeCardLine(Decimal(1), glaccountno="6100"),))),
        create_expensereport("er-1", ExpenseReport(
            employeeid=text, datecreated=day, dateposted=day, expensereportno=text, state="Submitted",
            description=text, memo=text, externalid=text, basecurr="USD", currency="USD", customfields=fields,
            lines=(
                ExpenseLine(Decimal("10.00"), expensetype=text, currency="USD", trx_amount=Decimal("10.00"),
                            expensedate=day, memo=text, paidfor=text, dimensions=dims, customfields=fields,
                            billable=False, exppmttype=text),
                ExpenseLine(Decimal("3"), glaccountno="6100"),
            ))),
        create_bill("b-1", Bill(
            vendorid=text, datecreated=day, datedue=day, termname=text, dateposted=day, billno=text,
            description=text, externalid=text, currency="GBP", customfields=fields,
            lines=(BillLine(Decimal("99.99"), glaccountno=text, memo=text, dimensions=dims, customfields=fields,
                            billable=True), BillLine(Decimal("1"), accountlabel=text)))),
        create_bill("b-2", Bill(vendorid="V1", datecreated=day, termname="Net 30",
                                lines=(BillLine(Decimal("5"), glaccountno="6100"),))),
        reverse_cctransaction("rcc-1", text, day, memo=text),
        reverse_expensereport("rer-1", text, day, description=text),
        reverse_bill("rb-1", text, day, description=text),
    ]


def requests_for(text: str) -> list[bytes]:
    sender = Sender(text, Secret(text))
    login = Login(text, text, Secret(text), entity_id=text)
    session = Session(Secret(text), "https://c1.intacct.test/ia/xml/xmlgw.phtml")
    functions = corpus(text)
    return [
        build_request(sender, login, functions[:1], uniqueid=True),
        build_request(sender, session, functions, uniqueid=True, transaction=True),
        *(build_request(sender, session, [function], uniqueid=function.writes) for function in functions),
    ]


def assert_valid(schema: xmlschema.XMLSchema, body: bytes) -> None:
    errors = [str(error).splitlines()[0] for error in schema.iter_errors(etree.fromstring(body))]
    assert errors == [], body.decode()[:2000]


def test_every_function_kind_is_in_the_corpus() -> None:
    names = {function.name for function in corpus("x")}
    assert names == {
        "create", "update", "delete", "read", "readByName", "readByQuery", "readMore", "query", "lookup",
        "getDimensionRestrictedData", "getAPISession", "record_cctransaction", "create_expensereport",
        "create_bill", "reverse_cctransaction", "reverse_expensereport", "reverse_bill",
    }


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_validate_and_round_trip(schema: xmlschema.XMLSchema, text: str) -> None:
    for body in requests_for(text):
        assert_valid(schema, body)
    # The text arrives exactly as given: escaping is lxml's job and nothing is lost or doubled.
    root = etree.fromstring(requests_for(text)[0])
    assert root.findtext("operation/content/function/create/CLASS/NAME") == text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=xml_text)
def test_generated_text_in_every_field_validates(schema: xmlschema.XMLSchema, text: str) -> None:
    for body in requests_for(text):
        assert_valid(schema, body)


@pytest.mark.parametrize("text", ["nul\x00byte", "bell\x07", "escape\x1b[31m", "\ufffe"])
def test_text_xml_cannot_carry_is_refused_before_sending(text: str) -> None:
    with pytest.raises(InvalidRequestError):
        requests_for(text)


def test_refused_text_names_its_element() -> None:
    # The element deep inside a document, not the request's root, is the one the message names.
    with pytest.raises(InvalidRequestError, match=r"<MEMO>"):
        build_request(Sender("s", Secret("p")), Session(Secret("x"), "https://c1.intacct.test/ia/xml/xmlgw.phtml"),
                      [create("c-1", record("GLBATCH", {"JOURNAL": "GJ", "ENTRIES": {"GLENTRY": [
                          {"AMOUNT": Decimal("1.00"), "MEMO": "fine"},
                          {"AMOUNT": Decimal("2.00"), "MEMO": "bell\x07"}]}}))], uniqueid=True)


def test_float_amounts_are_refused() -> None:
    with pytest.raises(InvalidRequestError, match="Decimal"):
        record_cctransaction("cc", ChargeCardTransaction(
            "AMEX", dt.date(2026, 1, 1), (ChargeCardLine(12.5, glaccountno="6100"),)))  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError):
        create("c", record("CLASS", {"AMOUNT": 12.5}))  # type: ignore[dict-item]


@pytest.mark.parametrize("make", [
    lambda: query("GLACCOUNT", ["*"]),
    lambda: query("GLACCOUNT", ["RECORDNO"], pagesize=2001),
    lambda: read_by_query("GLACCOUNT", pagesize=1001),
    lambda: Condition("between", "X", "1"),
    lambda: Logical("and", Condition("isnull", "X")),
    lambda: read("GLACCOUNT", [str(n) for n in range(101)]),
    lambda: create(""),
    lambda: create("x" * 257, record("CLASS", {"CLASSID": "1"})),
    lambda: record_cctransaction("cc", ChargeCardTransaction("AMEX", dt.date(2026, 1, 1), ())),
    lambda: create_bill("b", Bill("V", dt.date(2026, 1, 1), (BillLine(Decimal(1), glaccountno="1"),))),
    lambda: create_expensereport("e", ExpenseReport("E", dt.date(2026, 1, 1), (
        ExpenseLine(Decimal(1), expensetype="Meals", glaccountno="6100"),))),
])
def test_requests_the_gateway_would_refuse_are_not_built(make: Callable[[], object]) -> None:
    with pytest.raises(InvalidRequestError):
        make()


def test_writes_and_reads_are_marked_for_uniqueid() -> None:
    kinds = {function.name: function.writes for function in corpus("x")}
    assert {name for name, writes in kinds.items() if writes} == {
        "create", "update", "delete", "record_cctransaction", "create_expensereport", "create_bill",
        "reverse_cctransaction", "reverse_expensereport", "reverse_bill",
    }
