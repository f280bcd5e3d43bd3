"""Query pages printed as text and spliced into the response print exactly as the same rows built as elements."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ledgerbridge.sandbox.objectdefs import find
from ledgerbridge.sandbox.records import flat_rows
from ledgerbridge.sandbox.xmlsafe import _xml_safe, to_bytes

FIELDS = ("RECORDNO", "TITLE", "ACCOUNTNO", "STATUS", "NOTE")
GLACCOUNT = find("GLACCOUNT")
HARD = ["", " ", "<", "&", ">", "]]>", "?>", "\r", "\r\n", "\t", '"', "'", "é", "€", "𝄞", "\x00", "\x1f", "\ud800",
        "\ufffe", "\u00a0", "\u2028", "<?ledgerbridge-rows ?>", "&amp;"]

values = st.one_of(
    st.none(),
    st.integers(),
    st.lists(st.text(max_size=3), max_size=1),  # line blocks and other lists are not printed in flat rows
    st.sampled_from(HARD),
    st.text(max_size=12),
    st.lists(st.sampled_from(HARD), max_size=4).map("".join),
)
rows = st.lists(st.dictionaries(st.sampled_from(FIELDS), values), max_size=4)


def as_elements(page: list[dict[str, Any]]) -> etree._Element:
    """The rows as the sandbox prints a record with chosen fields, one element per field."""
    response = etree.Element("response")
    data = etree.SubElement(response, "data", count=str(len(page)))
    for fields in page:
        row = etree.SubElement(data, "GLACCOUNT")
        for name in FIELDS:
            value = fields.get(name)
            if isinstance(value, list):
                continue
            etree.SubElement(row, name).text = _xml_safe("" if value is None else str(value))
    return response


def as_spliced(page: list[dict[str, Any]]) -> etree._Element:
    response = etree.Element("response")
    data = etree.SubElement(response, "data", count=str(len(page)))
    if page:  # as the gateway does: an empty page has no rows to splice
        data.append(flat_rows(GLACCOUNT, page, FIELDS, tag="GLACCOUNT"))
    return response


@settings(max_examples=300, deadline=None)
@given(page=rows, pretty=st.booleans())
def test_spliced_rows_print_as_elements_would(page: list[dict[str, Any]], pretty: bool) -> None:
    assert to_bytes(as_spliced(page), pretty=pretty) == to_bytes(as_elements(page), pretty=pretty)


def test_spliced_rows_parse_back_to_their_values() -> None:
    page = [{"RECORDNO": "1", "TITLE": "Meals & <Travel> \"Q3\"", "NOTE": ""}, {"RECORDNO": "2", "TITLE": None}]
    data = etree.fromstring(to_bytes(as_spliced(page), pretty=False)).find("data")
    assert data is not None
    assert [[(child.tag, child.text or "") for child in row] for row in data] == [
        [("RECORDNO", "1"), ("TITLE", 'Meals & <Travel> "Q3"'), ("ACCOUNTNO", ""), ("STATUS", ""), ("NOTE", "")],
        [("RECORDNO", "2"), ("TITLE", ""), ("ACCOUNTNO", ""), ("STATUS", ""), ("NOTE", "")],
    ]
