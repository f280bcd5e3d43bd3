"""The request envelope over HTTP: control, authentication and result levels, sessions, whitespace."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx
from lxml import etree

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    ADMIN,
    CLERK,
    Request,
    call,
    create,
    data_of,
    el,
    failed,
    post,
    read_by_name,
    rows,
    succeeded,
    unique,
)

SUPPORT_ID = re.compile(r" \[Support ID: [A-Za-z0-9_%.]+\]$")


def assert_control_failure(response_root: etree._Element, errorno: str) -> dict[str, str]:
    assert response_root.findtext("control/status") == "failure"
    assert response_root.find("operation") is None
    errors = response_root.findall("errormessage/error")
    assert len(errors) == 1
    error = {tag: errors[0].findtext(tag) for tag in ("errorno", "description", "description2", "correction")}
    assert None not in error.values(), "all four error fields are always present"
    assert error["errorno"] == errorno
    assert SUPPORT_ID.search(error["description2"] or "")
    return {k: v or "" for k, v in error.items()}


def test_well_formed_request_passes_every_level(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"))
    assert response.http_status == 200
    assert response.root.findtext("control/senderid") == "ledgerbridge"
    assert response.root.findtext("control/controlid") == "req-1"
    assert response.root.findtext("control/dtdversion") == "3.0"
    auth = response.root.find("operation/authentication")
    assert auth is not None
    assert auth.findtext("userid") == "xml_gateway"
    assert auth.findtext("companyid") == "DEMO"
    (result,) = succeeded(response)
    assert result.findtext("function") == "readByName"
    assert result.findtext("controlid") == "f-1"


def test_malformed_xml_fails_at_control_level(sandbox_server: RunningSandbox) -> None:
    body = Request([read_by_name("GLACCOUNT", "1000")]).build().replace(b"</content>", b"</contnet>")
    response = post(sandbox_server.gateway_url, body)
    error = assert_control_failure(response.root, "XL03000003")
    assert error["description2"].startswith("XML Parse error")


def test_request_not_matching_the_schema_fails_at_control_level(sandbox_server: RunningSandbox) -> None:
    body = Request([read_by_name("GLACCOUNT", "1000")]).build().replace(b"<controlid>req-1</controlid>", b"")
    error = assert_control_failure(post(sandbox_server.gateway_url, body).root, "XL03000003")
    assert "schema" in error["description2"]


def test_unsupported_dtdversion_fails_at_control_level(sandbox_server: RunningSandbox) -> None:
    body = Request([read_by_name("GLACCOUNT", "1000")]).build().replace(b">3.0<", b">2.1<")
    assert_control_failure(post(sandbox_server.gateway_url, body).root, "XL03000003")


def test_wrong_sender_password_fails_at_control_level(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), sender=("ledgerbridge", "Sandbox"))
    error = assert_control_failure(response.root, "XL03000006")
    assert error["description2"].startswith("Incorrect Intacct XML Partner ID or password.")
    assert response.root.findtext("control/senderid") == "ledgerbridge"


def test_unknown_sender_fails_like_a_wrong_password(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), sender=("nobody", "sandbox"))
    error = assert_control_failure(response.root, "XL03000006")
    assert error["description2"].startswith("Incorrect Intacct XML Partner ID or password.")


def assert_auth_failure(response_root: etree._Element) -> dict[str, str]:
    assert response_root.findtext("control/status") == "success"
    assert response_root.findtext("operation/authentication/status") == "failure"
    assert response_root.findall("operation/result") == [], "no function runs after a failed login"
    (error,) = response_root.findall("operation/errormessage/error")
    found = {tag: error.findtext(tag) or "" for tag in ("errorno", "description", "description2", "correction")}
    assert found["errorno"] == "XL03000006"
    assert SUPPORT_ID.search(found["description2"])
    return found


def test_sender_not_authorized_by_the_company_fails_authentication(sandbox_server: RunningSandbox) -> None:
    name = unique("NOAUTH")
    response = call(sandbox_server.gateway_url, create("CLASS", {"CLASSID": name, "NAME": name}),
                    sender=("unauthorized-partner", "sandbox"))
    error = assert_auth_failure(response.root)
    assert error["description"] == "Invalid Web Services Authorization"
    assert error["description2"].startswith(
        "The sender ID 'unauthorized-partner' is not authorized to make Web Services requests to company ID 'DEMO'.")
    assert error["correction"]
    assert rows(call(sandbox_server.gateway_url, read_by_name("CLASS", name))) == []


def test_wrong_user_password_fails_authentication(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), login=("xml_gateway", "SANDBOX"))
    error = assert_auth_failure(response.root)
    assert error["description2"].startswith("Sign-in information is incorrect")
    assert response.root.findtext("operation/authentication/userid") == "xml_gateway"


def test_inactive_user_cannot_sign_in(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), login=("former_admin", "sandbox"))
    assert assert_auth_failure(response.root)["description2"].startswith("Sign-in information is incorrect")


def test_unknown_company_and_unknown_entity_fail_authentication(sandbox_server: RunningSandbox) -> None:
    for options in ({"company": "NOPE"}, {"entity": "E999"}):
        response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), **options)
        assert_auth_failure(response.root)


def test_unknown_session_fails_authentication(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), sessionid="not-a-session..")
    assert "session" in assert_auth_failure(response.root)["description2"]


def test_unknown_object_fails_only_its_function(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, el("readByQuery", el("object", "VENDOR9"), el("fields", "*"),
                                                   el("query", ""), el("pagesize", "10")),
                    read_by_name("GLACCOUNT", "1000"))
    (error,) = failed(response, 0)
    assert error["errorno"] == "Query Failed"
    assert error["description2"].startswith("Object definition VENDOR9 not found")
    assert SUPPORT_ID.search(error["description2"])
    assert response.result(1).findtext("status") == "success"


def test_every_function_error_has_all_four_fields(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, create("GLACCOUNT", {"ACCOUNTNO": "1000", "TITLE": "Again"}))
    result = response.result()
    for error in result.iterfind("errormessage/error"):
        assert [child.tag for child in error] == ["errorno", "description", "description2", "correction"]
    errors = failed(response)
    assert errors[0] == {**errors[0], "errorno": "BL01001973", "description": "Duplicate account number"}
    assert errors[0]["description2"].startswith("The account number '1000' already exists")


def api_session(gateway_url: str, entity: str | None = None, headers: dict[str, str] | None = None,
                **options: object) -> etree._Element:
    function = el("getAPISession") if entity is None else el("getAPISession", el("locationid", entity))
    body = Request([function], **options).build()  # type: ignore[arg-type]
    reply = httpx.post(gateway_url, content=body, headers={"Content-Type": "application/xml", **(headers or {})})
    api = etree.fromstring(reply.content).find("operation/result/data/api")
    assert api is not None, reply.text
    return api


def test_get_api_session_answers_on_the_host_the_client_used(sandbox_server: RunningSandbox) -> None:
    api = api_session(sandbox_server.gateway_url, headers={"Host": f"sandbox.intacct.com:{sandbox_server.port}"})
    assert api.findtext("endpoint") == f"http://sandbox.intacct.com:{sandbox_server.port}/ia/xml/xmlgw.phtml"
    assert api.findtext("locationid") == ""
    sessionid = api.findtext("sessionid") or ""
    assert sessionid
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), sessionid=sessionid)
    assert [r["ACCOUNTNO"] for r in rows(response)] == ["1000"]
    auth = response.root.find("operation/authentication")
    assert auth is not None
    assert (auth.findtext("userid"), auth.findtext("companyid")) == ("xml_gateway", "DEMO")


def test_entity_session_sees_only_its_entity(sandbox_server: RunningSandbox) -> None:
    east = api_session(sandbox_server.gateway_url, "E100")
    west = api_session(sandbox_server.gateway_url, "E200")
    assert (east.findtext("locationid"), west.findtext("locationid")) == ("E100", "E200")

    def visible_accounts(sessionid: str) -> set[str]:
        response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "6400", "6410", "6180"),
                        sessionid=sessionid)
        assert response.root.findtext("operation/authentication/locationid") in {"E100", "E200"}
        return {r["ACCOUNTNO"] for r in rows(response)}

    # 6400 is private to E200 and 6180 to E300; 6410 is shared.
    assert visible_accounts(east.findtext("sessionid") or "") == {"6410"}
    assert visible_accounts(west.findtext("sessionid") or "") == {"6400", "6410"}


def test_login_with_locationid_works_inside_the_entity(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "6400", "6180"), entity="E300")
    assert response.root.findtext("operation/authentication/locationid") == "E300"
    assert [r["ACCOUNTNO"] for r in rows(response)] == ["6180"]


def test_entity_session_can_open_a_top_level_session(sandbox_server: RunningSandbox) -> None:
    east = api_session(sandbox_server.gateway_url, "E100")
    top = api_session(sandbox_server.gateway_url, "", sessionid=east.findtext("sessionid"))
    assert top.findtext("locationid") == ""
    response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "6400"), sessionid=top.findtext("sessionid"))
    assert [r["ACCOUNTNO"] for r in rows(response)] == ["6400"]


def test_get_api_session_for_an_unknown_entity_fails(sandbox_server: RunningSandbox) -> None:
    (error,) = failed(call(sandbox_server.gateway_url, el("getAPISession", el("locationid", "E999"))))
    assert error["errorno"] == "Get API Session Failed"


def _timeout(response_root: etree._Element) -> tuple[datetime, datetime]:
    auth = response_root.find("operation/authentication")
    assert auth is not None
    return (datetime.fromisoformat(auth.findtext("sessiontimestamp") or ""),
            datetime.fromisoformat(auth.findtext("sessiontimeout") or ""))


def test_session_timeout_slides_forward_with_each_use(sandbox_server: RunningSandbox) -> None:
    sessionid = api_session(sandbox_server.gateway_url).findtext("sessionid")
    previous: datetime | None = None
    for _ in range(3):
        response = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000"), sessionid=sessionid)
        stamp, timeout = _timeout(response.root)
        # Each use extends the session to the company's duration (120 minutes in the demo) from now,
        # so the timeout is never fixed at the session's opening.
        assert timedelta(minutes=119, seconds=59) <= timeout - stamp <= timedelta(minutes=120)
        if previous is not None:
            assert timeout >= previous
        previous = timeout


def test_include_whitespace_pretty_prints_the_same_data(sandbox_server: RunningSandbox) -> None:
    function = read_by_name("DEPARTMENT", "D100")
    compact = httpx.post(sandbox_server.gateway_url, content=Request([function]).build()).content
    function = read_by_name("DEPARTMENT", "D100")
    pretty = httpx.post(sandbox_server.gateway_url,
                        content=Request([function], include_whitespace=True).build()).content
    assert b"\n" not in compact.split(b"?>", 1)[1]
    assert b"\n    <control>" in pretty or b"\n  <control>" in pretty
    parser = etree.XMLParser(remove_blank_text=True)
    compact_data = etree.fromstring(compact, parser).find("operation/result/data")
    pretty_data = etree.fromstring(pretty, parser).find("operation/result/data")
    assert compact_data is not None
    assert pretty_data is not None
    assert etree.tostring(compact_data) == etree.tostring(pretty_data)


def test_include_whitespace_keeps_surrounding_spaces_of_values(sandbox_server: RunningSandbox) -> None:
    padded = unique("WS")
    succeeded(call(sandbox_server.gateway_url, create("CLASS", {"CLASSID": padded, "NAME": "  Padded name \n"}),
                   include_whitespace=True))
    trimmed = unique("WS")
    succeeded(call(sandbox_server.gateway_url, create("CLASS", {"CLASSID": trimmed, "NAME": "  Padded name \n"})))
    names = {r["CLASSID"]: r["NAME"] for r in rows(call(sandbox_server.gateway_url,
                                                        read_by_name("CLASS", padded, trimmed)))}
    assert names == {padded: "  Padded name \n", trimmed: "Padded name"}


def test_clerk_may_read_but_not_change_master_data(sandbox_server: RunningSandbox) -> None:
    assert rows(call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "6400"), login=CLERK))
    name = unique("CL")
    attempts = [
        (create("GLACCOUNT", {"ACCOUNTNO": name, "TITLE": "Clerk account"}), "CREATE", "glaccount"),
        (el("update", el("GLACCOUNT", el("ACCOUNTNO", "6410"), el("STATUS", "inactive"))), "UPDATE", "glaccount"),
        (el("update", el("VENDOR", el("VENDORID", "V-IRONBRIDGE"), el("ONHOLD", "false"))), "UPDATE", "vendor"),
        (create("EMPLOYEE", {"EMPLOYEEID": name}), "CREATE", "employee"),
        (create("CLASS", {"CLASSID": name, "NAME": "Clerk class"}), "CREATE", "class"),
        (el("delete", el("object", "DEPARTMENT"), el("keys", "1")), "DELETE", "department"),
    ]
    response = call(sandbox_server.gateway_url, *(function for function, _, _ in attempts), login=CLERK)
    for index, (_, operation, object_type) in enumerate(attempts):
        (error,) = failed(response, index)
        assert error["errorno"] == "PL04000005"
        assert error["description2"].startswith(
            f"You do not have permission for API operation {operation} on objects of type {object_type}")
    check = call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "6410", name),
                 read_by_name("VENDOR", "V-IRONBRIDGE"), read_by_name("CLASS", name),
                 read_by_name("EMPLOYEE", name), el("read", el("object", "DEPARTMENT"), el("keys", "1"),
                                                      el("fields", "DEPARTMENTID")), login=ADMIN)
    assert [(r["ACCOUNTNO"], r["STATUS"]) for r in rows(check, 0)] == [("6410", "active")]
    assert rows(check, 1)[0]["ONHOLD"] == "true"
    assert rows(check, 2) == []
    assert rows(check, 3) == []
    assert len(rows(check, 4)) == 1


def test_clerk_is_refused_objects_outside_its_modules(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, el("readByQuery", el("object", "CUSTOMER"), el("fields", "*"),
                                                   el("query", ""), el("pagesize", "10")), login=CLERK)
    (error,) = failed(response)
    assert error["description2"].startswith(
        "You do not have permission for API operation READ_BY_QUERY on objects of type customer")


def test_data_element_of_a_read_names_the_object(sandbox_server: RunningSandbox) -> None:
    data = data_of(call(sandbox_server.gateway_url, read_by_name("CREDITCARD", "AMEX-1005")))
    assert (data.get("listtype"), data.get("count")) == ("creditcard", "1")
    card = data.find("creditcard")
    assert card is not None
    assert (card.findtext("CARDID"), card.findtext("OFFSETGLACCOUNTNO")) == ("AMEX-1005", "2100")
