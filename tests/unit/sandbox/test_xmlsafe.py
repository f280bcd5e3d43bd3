"""Hostile and everyday request bodies through the sandbox's hardened XML parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ledgerbridge.sandbox import xmlsafe
from ledgerbridge.sandbox.xmlsafe import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    XmlRejected,
    child_text,
    parse_request,
    sub,
    text_of,
    to_bytes,
)

SESSION_REQUEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<request>
  <control><senderid>S</senderid><password>SP</password><controlid>c1</controlid></control>
  <operation>
    <authentication><login><userid>U</userid><companyid>C</companyid><password>UP</password></login></authentication>
    <content><function controlid="f1"><getAPISession/></function></content>
  </operation>
</request>
"""


def rejected(body: bytes, **limits: int) -> XmlRejected:
    with pytest.raises(XmlRejected) as caught:
        parse_request(body, **limits)
    return caught.value


@pytest.fixture
def parser_never_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails the test if the body gets as far as the XML parser."""

    def refuse() -> etree.XMLPullParser:
        raise AssertionError("the body reached the XML parser")

    monkeypatch.setattr(xmlsafe, "_new_parser", refuse)


def test_a_gateway_request_parses_to_its_root() -> None:
    root = parse_request(SESSION_REQUEST)

    assert root.tag == "request"
    assert child_text(root.find("control"), "senderid") == "S"
    assert root.find("operation/content/function").get("controlid") == "f1"


@pytest.mark.usefixtures("parser_never_built")
def test_billion_laughs_is_refused_before_any_entity_expands() -> None:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>\n<request>&lol9;</request>'
    ).encode()

    problem = rejected(body)

    assert "DOCTYPE" in problem.reason
    assert (problem.line, problem.column) == (2, 1)


@pytest.mark.usefixtures("parser_never_built")
def test_external_entity_never_reads_the_file() -> None:
    body = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request><a>&x;</a></request>'

    assert "DOCTYPE" in rejected(body).reason


@pytest.mark.usefixtures("parser_never_built")
def test_parameter_entity_pointing_at_the_network_is_refused() -> None:
    body = b'<!-- hi --><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><request/>'

    assert "DOCTYPE" in rejected(body).reason


def test_undeclared_entity_is_malformed_and_named() -> None:
    problem = rejected(b"<request><a>&passwd;</a></request>")

    assert "passwd" in problem.reason
    assert problem.line == 1


def test_xinclude_is_left_as_an_inert_element() -> None:
    body = (
        b'<request xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="file:///etc/passwd" parse="text"/></request>'
    )

    root = parse_request(body)

    assert "root:" not in "".join(root.itertext())
    assert root[0].tag == "{http://www.w3.org/2001/XInclude}include"


@pytest.mark.usefixtures("parser_never_built")
def test_a_50_mb_body_is_refused_on_its_size_alone() -> None:
    body = b"<request>" + b"a" * (50 * 1024 * 1024) + b"</request>"

    problem = rejected(body)

    assert str(MAX_BODY_BYTES) in problem.reason


def test_the_size_cap_can_be_lowered() -> None:
    assert "100-byte limit" in rejected(b"<request>" + b"x" * 100 + b"</request>", max_bytes=100).reason


def test_ten_thousand_deep_nesting_is_refused_without_recursion() -> None:
    body = b"<a>" * 10_000 + b"</a>" * 10_000

    problem = rejected(body)

    assert f"nested more than {MAX_DEPTH} deep" in problem.reason


def test_depth_cap_is_exact() -> None:
    assert parse_request(b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH).tag == "a"
    assert "deep" in rejected(b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1)).reason
    assert "nested more than 3 deep" in rejected(b"<a><b><c><d/></c></b></a>", max_depth=3).reason


def test_invalid_utf8_is_refused_with_its_position() -> None:
    problem = rejected(b"<request>\n  <payee>Caf\xe9</payee>\n</request>")

    assert "UTF-8" in problem.reason
    assert (problem.line, problem.column) == (2, 13)


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="ISO-8859-1"?><request>x</request>',
        "<request>x</request>".encode("utf-16"),
        b"\xff\xfe\x00\x00garbage",
    ],
    ids=["declared-latin1", "utf16", "binary"],
)
def test_non_utf8_bodies_are_refused(body: bytes) -> None:
    assert "UTF-8" in rejected(body).reason


@pytest.mark.parametrize("body", [b"", b"   \r\n\t ", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom-only"])
def test_empty_bodies_are_refused(body: bytes) -> None:
    assert rejected(body).reason == "request body is empty"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"hello world", "Start tag expected"),
        (b"<request><a></request>", "mismatch"),
        (b"<request/><request/>", "Extra content"),
        (b"<request>\x00</request>", "invalid Char"),
        (b"<request>", "Premature end"),
    ],
)
def test_garbage_is_refused_with_the_parser_reason(body: bytes, expected: str) -> None:
    problem = rejected(body)

    assert problem.reason.startswith("malformed XML: ")
    assert expected in problem.reason
    assert problem.line == 1
    assert problem.column is not None


def test_a_utf8_bom_is_accepted() -> None:
    assert text_of(parse_request("\ufeff<a>é</a>".encode())) == "é"


def test_processing_instructions_and_comments_are_dropped() -> None:
    root = parse_request(
        b'<?xml version="1.0"?><?xml-stylesheet href="x"?><request><?php x?><a>1<!-- c -->2</a></request>'
    )

    assert [child.tag for child in root] == ["a"]
    assert text_of(root[0]) == "12"


def test_doctype_text_inside_cdata_is_content() -> None:
    root = parse_request(b"<request><description><![CDATA[<!DOCTYPE x> & <b>]]></description></request>")

    assert child_text(root, "description") == "<!DOCTYPE x> & <b>"


def test_text_is_trimmed_unless_whitespace_is_kept() -> None:
    root = parse_request(b"<a><b>\n  Hotel  \t</b><c/><d>\xc2\xa0x\xc2\xa0</d></a>")

    assert text_of(root.find("b")) == "Hotel"
    assert text_of(root.find("b"), keep_whitespace=True) == "\n  Hotel  \t"
    assert text_of(root.find("c")) == ""
    assert text_of(root.find("missing")) == ""
    # NBSP is content, not XML whitespace.
    assert text_of(root.find("d")) == "\u00a0x\u00a0"


def test_child_text_default_applies_only_when_the_child_is_missing() -> None:
    root = parse_request(b"<control><uniqueid/><dtdversion> 3.0 </dtdversion></control>")

    assert child_text(root, "dtdversion") == "3.0"
    assert child_text(root, "uniqueid", "false") == ""
    assert child_text(root, "policyid", "none") == "none"


def test_responses_carry_a_double_quoted_utf8_declaration() -> None:
    root = etree.Element("response")
    control = sub(root, "control")
    sub(control, "status", "success")
    sub(root, "data", None, listtype="objects", count="1")

    compact = to_bytes(root, pretty=False)
    pretty = to_bytes(root, pretty=True)

    assert compact == (
        b'<?xml version="1.0" encoding="UTF-8"?><response><control><status>success</status></control>'
        b'<data listtype="objects" count="1"/></response>'
    )
    assert pretty.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<response>\n  <control>\n')
    assert etree.tostring(parse_request(pretty)) == etree.tostring(parse_request(compact), pretty_print=True).strip()


def test_characters_xml_cannot_carry_become_replacement_characters() -> None:
    root = etree.Element("r")
    sub(root, "v", "a\x00b\x1bc", note="\ufffe")

    again = parse_request(to_bytes(root, pretty=False))

    assert text_of(again[0]) == "a\ufffdb\ufffdc"
    assert again[0].get("note") == "\ufffd"


@pytest.mark.parametrize(
    "text",
    [
        "AT&T <Hotel> \"quoted\" 'single' &amp; &lt;",
        "\U0001d11e \U0001f600 \U00010348",
        "שלום עולם مرحبا \u200f(RTL)\u200e",
        "line1\r\nline2\rline3\n",
        "]]> <![CDATA[",
    ],
    ids=["markup", "astral", "rtl", "newlines", "cdata-end"],
)
def test_known_hard_text_round_trips_exactly(text: str) -> None:
    assert round_trip(text, pretty=True) == (text, text)


def round_trip(text: str, *, pretty: bool) -> tuple[str, str]:
    """Text and attribute value after sub -> to_bytes -> parse_request -> text_of."""
    root = etree.Element("response")
    sub(root, "value", text, note=text)
    again = parse_request(to_bytes(root, pretty=pretty)).find("value")
    assert again is not None
    return text_of(again, keep_whitespace=True), again.get("note", "")


XML_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs",),
        exclude_characters="\ufffe\uffff",
    ).filter(lambda ch: ch in "\t\n\r" or ord(ch) >= 0x20),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(text=XML_TEXT, pretty=st.booleans())
def test_any_xml_text_round_trips_exactly(text: str, pretty: bool) -> None:
    assert round_trip(text, pretty=pretty) == (text, text)


@settings(max_examples=200, deadline=None)
@given(text=XML_TEXT)
def test_trimmed_text_only_loses_surrounding_xml_whitespace(text: str) -> None:
    root = etree.Element("r")
    sub(root, "v", text)

    parsed = parse_request(to_bytes(root, pretty=False))

    assert text_of(parsed[0]) == text.strip(" \t\r\n")


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=200))
def test_arbitrary_bytes_either_parse_or_are_rejected_with_a_reason(body: bytes) -> None:
    reason = "parsed"
    try:
        parse_request(body)
    except XmlRejected as problem:
        reason = problem.reason
    assert reason
