"""One classifier decides what every exchange means: retry, re-authenticate, reconcile, fix config, give up."""

from __future__ import annotations

import httpx
import pytest
from intacct_fakes import error_xml, response_xml, result_xml

from ledgerbridge.intacct import Disposition, Exchange, ProtocolError, classify, parse_response

REQUEST = httpx.Request("POST", "https://api.intacct.test/ia/xml/xmlgw.phtml")


def control_failure(errorno: str, text: str = "") -> str:
    return response_xml(control_status="failure", control_errors=error_xml(errorno, text))


def auth_failure() -> str:
    return response_xml(auth_status="failure", auth_errors=error_xml("XL03000006", "Sign-in information is incorrect"))


def transport(error: type[httpx.TransportError]) -> httpx.TransportError:
    return error("boom", request=REQUEST)


def test_a_malformed_endpoint_is_configuration() -> None:
    exchange = Exchange(writes=False, by_session=False, transport_error=httpx.InvalidURL("no host"))
    assert classify(exchange) is Disposition.CONFIGURATION


TRANSPORT_CASES = [
    # (error, writes, expected)
    (httpx.ConnectError, True, Disposition.RETRY),
    (httpx.ConnectTimeout, True, Disposition.RETRY),
    (httpx.PoolTimeout, True, Disposition.RETRY),
    (httpx.ReadTimeout, True, Disposition.UNCERTAIN),
    (httpx.ReadTimeout, False, Disposition.RETRY),
    (httpx.WriteTimeout, True, Disposition.UNCERTAIN),
    (httpx.RemoteProtocolError, True, Disposition.UNCERTAIN),
    (httpx.ReadError, True, Disposition.UNCERTAIN),
    (httpx.ReadError, False, Disposition.RETRY),
    (httpx.UnsupportedProtocol, False, Disposition.CONFIGURATION),
    (httpx.LocalProtocolError, True, Disposition.UNCERTAIN),
]


@pytest.mark.parametrize(("error", "writes", "expected"), TRANSPORT_CASES)
def test_transport_failures(error: type[httpx.TransportError], writes: bool, expected: Disposition) -> None:
    assert classify(Exchange(writes=writes, by_session=True, transport_error=transport(error))) is expected


HTTP_CASES = [
    # (status, body, writes, by_session, expected)
    (429, "", True, True, Disposition.RETRY),
    (429, control_failure("GW-0010", "API rate limit exceeded"), True, True, Disposition.RETRY),
    (503, "", True, True, Disposition.RETRY),
    (200, control_failure("GW-0010", "API rate limit exceeded"), True, True, Disposition.RETRY),
    (200, control_failure("PL04000050", "System temporarily unavailable"), True, True, Disposition.RETRY),
    (524, "", True, True, Disposition.UNCERTAIN),
    (524, "", False, True, Disposition.RETRY),
    (500, "<html>oops</html>", True, True, Disposition.UNCERTAIN),
    (502, "", True, True, Disposition.UNCERTAIN),
    (504, "", False, True, Disposition.RETRY),
    (200, "<html>not xml", True, True, Disposition.UNCERTAIN),
    (200, "<html>not xml", False, True, Disposition.FATAL),
    (401, control_failure("XMLGW_JPP0002", "Sign-in information is incorrect."), False, False,
     Disposition.CONFIGURATION),
    (401, "", False, True, Disposition.CONFIGURATION),
    (400, "", True, True, Disposition.FATAL),
    (413, "", True, True, Disposition.FATAL),
    (200, control_failure("XL03000006", "Incorrect Intacct XML Partner ID or password."), False, False,
     Disposition.CONFIGURATION),
    (200, control_failure("PL04000055", "This company is a demo company and has expired."), False, True,
     Disposition.CONFIGURATION),
    (200, control_failure("GW-0011", "Invalid Request"), False, True, Disposition.CONFIGURATION),
    (200, control_failure("XL03000003", "XML Parse schema error"), True, True, Disposition.FATAL),
    (200, auth_failure(), True, True, Disposition.REAUTHENTICATE),
    (200, auth_failure(), False, False, Disposition.CONFIGURATION),
    (200, response_xml(result_xml("create", "a", status="failure")), True, True, Disposition.OK),
    (200, response_xml(result_xml("readByQuery", "a")), False, True, Disposition.OK),
]


@pytest.mark.parametrize(("status", "body", "writes", "by_session", "expected"), HTTP_CASES)
def test_http_and_gateway_answers(status: int, body: str, writes: bool, by_session: bool,
                                  expected: Disposition) -> None:
    try:
        response, unreadable = parse_response(body.encode()), None
    except ProtocolError as exc:
        response, unreadable = None, exc
    exchange = Exchange(writes=writes, by_session=by_session, http_status=status, response=response,
                        unreadable=unreadable)
    assert classify(exchange) is expected


@pytest.mark.parametrize(("writes", "expected"), [(True, Disposition.UNCERTAIN), (False, Disposition.FATAL)])
def test_a_response_missing_results_is_never_taken_as_success(writes: bool, expected: Disposition) -> None:
    response = parse_response(response_xml(result_xml("create", "a")).encode())
    exchange = Exchange(writes=writes, by_session=True, http_status=200, response=response,
                        missing_results=("b",))
    assert classify(exchange) is expected
