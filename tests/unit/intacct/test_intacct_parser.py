"""Gateway responses become typed values; hostile or foreign bodies are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from intacct_fakes import error_xml, failure_xml, response_xml, result_xml

from ledgerbridge.intacct import ProtocolError, Status, parse_response


def test_control_failure_keeps_every_error_and_has_no_operation() -> None:
    body = response_xml(control_status="failure", control_errors=error_xml(
        "XL03000006", "Incorrect Intacct XML Partner ID or password.") + error_xml("XL03000009", "second"))
    response = parse_response(body.encode())
    assert response.control.status is Status.FAILURE
    assert response.authentication is None
    assert [error.errorno for error in response.errors] == ["XL03000006", "XL03000009"]


def test_authentication_failure_is_reported_with_its_errors_and_no_results() -> None:
    body = response_xml(auth_status="failure", auth_errors=error_xml("XL03000006", "Sign-in information is incorrect"))
    response = parse_response(body.encode())
    assert response.control.status is Status.SUCCESS
    assert response.authentication is not None
    assert response.authentication.status is Status.FAILURE
    assert response.results == ()
    assert response.errors[0].description2 == "Sign-in information is incorrect"


def test_authentication_echo_is_typed() -> None:
    authentication = parse_response(response_xml().encode()).authentication
    assert authentication is not None
    assert authentication.companyid == "DEMO"
    assert authentication.sessiontimeout == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def test_function_failure_keeps_all_errors_in_order_with_support_id_split_out() -> None:
    body = response_xml(failure_xml(
        "record_cctransaction", "exp-42",
        error_xml("BL01001973", "This transaction is missing the Department dimension for the Account 6100 "
                  "[Support ID: AbC%7EdEf%7E12]"),
        error_xml("BL01001973", "Could not create cctransaction record!", correction="Check the lines."),
    ))
    (result,) = parse_response(body.encode()).results
    assert result.status is Status.FAILURE
    assert not result.ok
    first, wrapper = result.errors
    assert first.description2 == "This transaction is missing the Department dimension for the Account 6100"
    assert first.support_id == "AbC~dEf~12"
    assert wrapper.support_id is None
    assert wrapper.correction == "Check the lines."


def test_aborted_results_of_a_rolled_back_transaction() -> None:
    body = response_xml(
        failure_xml("create", "a", error_xml("BL01001973", "Invalid account"),
                    error_xml("XL03000009", "The entire transaction in this operation has been rolled back "
                              "due to an error."))
        + failure_xml("create", "b", error_xml("XL03000009", "rolled back"), status="aborted"))
    first, second = parse_response(body.encode()).results
    assert first.status is Status.FAILURE
    assert second.status is Status.ABORTED
    assert second.errors[0].errorno == "XL03000009"


def test_legacy_key_and_generic_records() -> None:
    body = response_xml(
        result_xml("create_expensereport", "er-1", inner="<key>3430</key>")
        + result_xml("create", "c-1", inner='<data listtype="objects" count="2"><class><RECORDNO>7</RECORDNO>'
                     "<CLASSID>C7</CLASSID></class><apbill><RECORDNO>8</RECORDNO></apbill></data>"))
    legacy, generic = parse_response(body.encode()).results
    assert legacy.key == "3430"
    assert legacy.recordnos == ("3430",)
    assert generic.recordnos == ("7", "8")
    assert generic.data is not None
    assert generic.data.records[0]["CLASSID"] == "C7"


def test_paging_attributes_and_nested_records() -> None:
    body = response_xml(result_xml("readByQuery", "q", inner=(
        '<data listtype="glaccount" count="1" totalcount="3" numremaining="2" resultId="7765623332">'
        "<glaccount><RECORDNO>1</RECORDNO><TITLE> Travel &amp; Meals </TITLE><EMPTY/>"
        "<LINES><LINE><N>1</N></LINE><LINE><N>2</N></LINE></LINES></glaccount></data>")))
    (result,) = parse_response(body.encode()).results
    assert result.data is not None
    assert (result.data.count, result.data.totalcount, result.data.numremaining) == (1, 3, 2)
    assert result.data.result_id == "7765623332"
    item = result.data.records[0]
    assert item["TITLE"] == " Travel & Meals "
    assert item["EMPTY"] == ""
    assert [line.fields for line in item.related["LINES"][0].related["LINE"]] == [{"N": "1"}, {"N": "2"}]
    with pytest.raises(TypeError):
        item.fields["TITLE"] = "changed"  # type: ignore[index]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE response [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<response><control><status>success</status></control><errormessage><error><errorno>&d;</errorno></error>
</errormessage></response>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE response [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<response><control><status>failure</status></control><errormessage><error><errorno>&secret;</errorno>
</error></errormessage></response>"""


@pytest.mark.parametrize("body", [
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    b'<!DOCTYPE response SYSTEM "http://evil.test/x.dtd"><response/>',
    b"<html><body>502 Bad Gateway</body></html>",
    b"not xml at all",
    b"",
    b"<response><operation/></response>",
    b"<response><control><status>maybe</status></control></response>",
], ids=["billion-laughs", "external-entity", "external-dtd", "html", "text", "empty", "no-control", "bad-status"])
def test_hostile_or_foreign_bodies_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(ProtocolError) as raised:
        parse_response(body)
    assert "root:" not in str(raised.value)


def test_size_cap() -> None:
    body = response_xml(result_xml("lookup", "l")).encode()
    assert parse_response(body, max_bytes=len(body)).results
    with pytest.raises(ProtocolError, match="cap"):
        parse_response(body, max_bytes=len(body) - 1)


def test_deep_nesting_does_not_exhaust_the_parser() -> None:
    depth = 100_000
    body = b"<response>" + b"<a>" * depth + b"</a>" * depth + b"</response>"
    with pytest.raises(ProtocolError):
        parse_response(body)
