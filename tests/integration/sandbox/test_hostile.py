"""Hostile input: entity tricks, oversized and deeply nested bodies, and text that must round-trip byte-exact."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    HOSTILE,
    XML_WHITESPACE,
    Request,
    bill,
    call,
    cc_transaction,
    create,
    data_of,
    el,
    expense_report,
    gl_entries,
    key_of,
    post,
    query,
    read_by_name,
    read_keys,
    record_fields,
    reverse,
    rows,
    succeeded,
    unique,
    update,
)

PASSWD_MARKER = b"root:"


def login_request() -> bytes:
    return Request([el("getAPISession")]).build()


def assert_refused_at_control(gateway_url: str, body: bytes, reason: str) -> bytes:
    reply = httpx.post(gateway_url, content=body, headers={"Content-Type": "application/xml"}, timeout=60)
    assert b"<status>failure</status>" in reply.content
    assert b"<errorno>XL03000003</errorno>" in reply.content
    assert b"<operation>" not in reply.content
    assert reason.encode() in reply.content
    return reply.content


def with_doctype(doctype: str, text: str) -> bytes:
    body = login_request().replace(b"<request>", doctype.encode() + b"<request>", 1)
    return body.replace(b"<senderid>ledgerbridge</senderid>", f"<senderid>{text}</senderid>".encode(), 1)


def test_billion_laughs_is_refused_without_expansion(sandbox_server: RunningSandbox) -> None:
    entities = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">'
                                           for n in range(1, 10)]
    entities[1] = '<!ENTITY lol1 "' + "&lol;" * 10 + '">'
    doctype = "<!DOCTYPE request [" + "".join(entities) + "]>"
    content = assert_refused_at_control(sandbox_server.gateway_url, with_doctype(doctype, "&lol9;"), "DOCTYPE")
    assert b"lollol" not in content
    assert httpx.get(f"{sandbox_server.base_url}/healthz").status_code == 200


def test_external_entity_is_not_read(sandbox_server: RunningSandbox) -> None:
    doctype = '<!DOCTYPE request [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    content = assert_refused_at_control(sandbox_server.gateway_url, with_doctype(doctype, "&xxe;"), "DOCTYPE")
    assert PASSWD_MARKER not in content


def test_external_dtd_and_parameter_entities_are_refused(sandbox_server: RunningSandbox) -> None:
    for doctype in ('<!DOCTYPE request SYSTEM "http://127.0.0.1:9/evil.dtd">',
                    '<!DOCTYPE request [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'):
        content = assert_refused_at_control(sandbox_server.gateway_url, with_doctype(doctype, "ledgerbridge"),
                                            "DOCTYPE")
        assert PASSWD_MARKER not in content


def test_undeclared_entity_is_a_parse_error(sandbox_server: RunningSandbox) -> None:
    body = login_request().replace(b"<senderid>ledgerbridge", b"<senderid>&xxe;ledgerbridge", 1)
    assert_refused_at_control(sandbox_server.gateway_url, body, "XML Parse error")


def fifty_megabytes() -> bytes:
    padding = b"<!--" + b"x" * (50 * 1024 * 1024) + b"-->"
    return login_request().replace(b"<request>", b"<request>" + padding, 1)


def test_fifty_megabyte_body_is_refused(sandbox_server: RunningSandbox) -> None:
    response = post(sandbox_server.gateway_url, fifty_megabytes())
    assert response.http_status == 413
    assert response.control_status == "failure"
    assert response.errors()[0]["errorno"] == "XL03000003"
    assert "larger than" in response.errors()[0]["description2"]


def test_fifty_megabyte_body_without_a_length_is_refused(sandbox_server: RunningSandbox) -> None:
    body = fifty_megabytes()
    chunks = (body[start:start + (1 << 20)] for start in range(0, len(body), 1 << 20))
    reply = httpx.post(sandbox_server.gateway_url, content=chunks, timeout=60)
    assert reply.status_code == 413
    assert b"<errorno>XL03000003</errorno>" in reply.content
    assert httpx.get(f"{sandbox_server.base_url}/healthz").status_code == 200


def test_ten_thousand_deep_nesting_is_refused(sandbox_server: RunningSandbox) -> None:
    deep = b"<a>" * 10_000 + b"x" + b"</a>" * 10_000
    body = login_request().replace(b"<dtdversion>", deep + b"<dtdversion>", 1)
    assert_refused_at_control(sandbox_server.gateway_url, body, "nested more than")
    # Still answering normally afterwards.
    succeeded(call(sandbox_server.gateway_url, read_by_name("GLACCOUNT", "1000")))


def test_non_utf8_body_is_refused(sandbox_server: RunningSandbox) -> None:
    body = login_request().replace(b"ledgerbridge", "l\u00e9dger".encode("latin-1"), 1)
    assert_refused_at_control(sandbox_server.gateway_url, body, "UTF-8")


def text(suffix: str) -> str:
    return f"{HOSTILE} {suffix}"


def test_hostile_text_round_trips_in_master_data(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    accountno, classid, vendorid = unique("9&<"), unique("C<&>"), unique("V'\"")
    title, class_name, class_description = text("title"), text("class"), text("class description")
    vendor_name, print_as, email = text("vendor"), text("print as"), "o'neil+<x>@example.com"
    succeeded(call(url, create("GLACCOUNT", {"ACCOUNTNO": accountno, "TITLE": title}),
                   create("CLASS", {"CLASSID": classid, "NAME": class_name, "DESCRIPTION": class_description}),
                   create("VENDOR", {"VENDORID": vendorid, "NAME": vendor_name,
                                     "DISPLAYCONTACT": {"PRINTAS": print_as, "EMAIL1": email}})))

    response = call(url, read_by_name("GLACCOUNT", accountno), read_by_name("CLASS", classid),
                    read_by_name("VENDOR", vendorid))
    (account,), (klass,), (vendor,) = rows(response, 0), rows(response, 1), rows(response, 2)
    assert (account["ACCOUNTNO"], account["TITLE"]) == (accountno, title)
    assert (klass["CLASSID"], klass["NAME"], klass["DESCRIPTION"]) == (classid, class_name, class_description)
    assert (vendor["VENDORID"], vendor["NAME"]) == (vendorid, vendor_name)
    assert (vendor["DISPLAYCONTACT.PRINTAS"], vendor["DISPLAYCONTACT.EMAIL1"]) == (print_as, email)

    # The same values found by filtering on them, through query and readByQuery.
    found = rows(call(url, query("CLASS", ["CLASSID", "NAME"],
                                 el("filter", el("equalto", el("field", "NAME"), el("value", class_name))))))
    assert found == [{"CLASSID": classid, "NAME": class_name}]
    quoted = class_name.replace("'", "\\'")
    where = el("readByQuery", el("object", "CLASS"), el("fields", "CLASSID,DESCRIPTION"),
               el("query", f"NAME = '{quoted}'"), el("pagesize", "10"))
    assert rows(call(url, where)) == [{"CLASSID": classid, "DESCRIPTION": class_description}]

    renamed = text("renamed")
    succeeded(call(url, update("GLACCOUNT", {"ACCOUNTNO": accountno, "TITLE": renamed})))
    assert rows(call(url, read_by_name("GLACCOUNT", accountno)))[0]["TITLE"] == renamed


def test_hostile_text_round_trips_in_documents(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference, payee, header, line = text(unique("ref")), text("payee"), text("charge"), text("line")
    charge = cc_transaction("AMEX-1005", [{"glaccountno": "6410", "paymentamount": "12.00", "locationid": "L110",
                                           "description": line}], reference=reference, description=header)
    charge.find("payee").text = payee  # type: ignore[union-attr]
    number, report, memo, expense_memo = text(unique("ER")), text("report"), text("memo"), text("expense memo")
    bill_no, bill_text, bill_line = text(unique("B")), text("bill"), text("bill line")
    journal_title, journal_ref, journal_line = text(unique("JE")), text("journal ref"), text("journal line")
    response = call(
        url, charge,
        expense_report("EMP-002", [{"expensetype": "Lodging", "amount": "20.00", "locationid": "L210",
                                    "memo": expense_memo}], number=number, description=report, memo=memo),
        bill("V-SKYWAY", [{"glaccountno": "6110", "amount": "30.00", "locationid": "L110", "memo": bill_line}],
             number=bill_no, description=bill_text),
        create("GLBATCH", {"JOURNAL": "GJ", "BATCH_DATE": "11/04/2026", "BATCH_TITLE": journal_title,
                           "REFERENCENO": journal_ref, "ENTRIES": [
                               ("GLENTRY", {"ACCOUNTNO": "7100", "TR_TYPE": "1", "TRX_AMOUNT": "5.00",
                                            "LOCATION": "L110", "DESCRIPTION": journal_line}),
                               ("GLENTRY", {"ACCOUNTNO": "1590", "TR_TYPE": "-1", "TRX_AMOUNT": "5.00",
                                            "LOCATION": "L110", "DESCRIPTION": journal_line})]}),
    )
    card_key, report_key, bill_key = key_of(response, 0), key_of(response, 1), key_of(response, 2)
    batch_key = int(data_of(response, 3).findtext("glbatch/RECORDNO", ""))

    documents = call(url, read_keys("CCTRANSACTION", card_key), read_keys("EEXPENSES", report_key),
                     read_keys("APBILL", bill_key), read_keys("GLBATCH", batch_key))
    card, expense, payable, batch = (data_of(documents, i)[0] for i in range(4))
    card_fields = record_fields(card)
    assert (card_fields["RECORDID"], card_fields["PAYEE"], card_fields["DESCRIPTION"]) == (reference, payee, header)
    assert [record_fields(e)["DESCRIPTION"] for e in card.iterfind("CCTRANSACTIONENTRIES/*")] == [line]
    expense_fields = record_fields(expense)
    assert (expense_fields["RECORDID"], expense_fields["DESCRIPTION"], expense_fields["MEMO"]) == (number, report, memo)
    assert [expense_memo in record_fields(e).values() for e in expense.iterfind("EEXPENSESITEMS/*")] == [True]
    bill_fields = record_fields(payable)
    assert (bill_fields["RECORDID"], bill_fields["DESCRIPTION"]) == (bill_no, bill_text)
    assert [bill_line in record_fields(e).values() for e in payable.iterfind("APBILLITEMS/*")] == [True]
    batch_fields = record_fields(batch)
    assert (batch_fields["BATCH_TITLE"], batch_fields["REFERENCENO"]) == (journal_title, journal_ref)

    assert {e["DESCRIPTION"] for e in gl_entries(url, "CCTRANSACTION", card_key)} == {line, header}
    assert expense_memo in {e["DESCRIPTION"] for e in gl_entries(url, "EEXPENSES", report_key)}
    assert bill_line in {e["DESCRIPTION"] for e in gl_entries(url, "APBILL", bill_key)}
    assert {e["DESCRIPTION"] for e in gl_entries(url, "GLBATCH", batch_key)} == {journal_line}

    reversal_memo = text("reversal")
    reversed_card = key_of(call(url, reverse("reverse_cctransaction", card_key, reversal_memo)))
    reversed_report = key_of(call(url, reverse("reverse_expensereport", report_key, reversal_memo)))
    assert {e["DESCRIPTION"] for e in gl_entries(url, "CCTRANSACTION", reversed_card)} == {reversal_memo}
    assert {e["DESCRIPTION"] for e in gl_entries(url, "EEXPENSES", reversed_report)} == {reversal_memo}


def test_hostile_text_in_error_messages_is_escaped(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, cc_transaction(f"{HOSTILE}", [
        {"glaccountno": "6410", "paymentamount": "1.00", "locationid": "L110"}]))
    errors = response.errors(response.result())
    assert HOSTILE in errors[0]["description2"]


# Any text XML 1.0 can carry; surrogates and the non-characters it forbids cannot be sent at all.
xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff",
                           min_codepoint=0x09).filter(lambda c: c in "\t\n\r" or c >= " "),
    min_size=1, max_size=40,
).filter(lambda s: s.strip(XML_WHITESPACE) != "")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=xml_text, description=xml_text)
def test_any_text_round_trips(sandbox_server: RunningSandbox, name: str, description: str) -> None:
    url = sandbox_server.gateway_url
    classid = unique("HYP")
    succeeded(call(url, create("CLASS", {"CLASSID": classid, "NAME": name, "DESCRIPTION": description})))
    (stored,) = rows(call(url, read_by_name("CLASS", classid, fields_="NAME,DESCRIPTION")))
    # Without includewhitespace only XML's own whitespace around a value is insignificant.
    assert stored == {"NAME": name.strip(XML_WHITESPACE), "DESCRIPTION": description.strip(XML_WHITESPACE)}


def test_unicode_spaces_are_content_not_padding(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    classid = unique("NBSP")
    # No-break, ideographic and next-line spaces are text; only XML's own whitespace is trimmed.
    name, description = "\u3000Indented\u00a0", "  ends with NEL\u0085\n"
    succeeded(call(url, create("CLASS", {"CLASSID": classid, "NAME": name, "DESCRIPTION": description})))
    (stored,) = rows(call(url, read_by_name("CLASS", classid, fields_="NAME,DESCRIPTION")))
    assert stored == {"NAME": name, "DESCRIPTION": "ends with NEL\u0085"}
