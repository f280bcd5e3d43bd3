"""Generic functions over HTTP: create, read, readByName, update, delete, listing, paging, field catalogues."""

from __future__ import annotations

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    call,
    create,
    data_of,
    delete,
    el,
    failed,
    query,
    read_by_name,
    read_by_query,
    read_keys,
    rows,
    succeeded,
    unique,
    update,
)


def test_create_answers_with_recordno_and_id_and_reads_back(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    accountno = unique("9")
    data = data_of(call(url, create("GLACCOUNT", {"ACCOUNTNO": accountno, "TITLE": "Suspense",
                                                  "NORMALBALANCE": "credit", "REQUIREDEPT": "T"})))
    assert (data.get("listtype"), data.get("count")) == ("objects", "1")
    recordno = data.findtext("glaccount/RECORDNO", "")
    assert recordno.isdigit()
    assert data.findtext("glaccount/ACCOUNTNO") == accountno

    by_name = rows(call(url, read_by_name("GLACCOUNT", accountno)))
    by_key = rows(call(url, read_keys("GLACCOUNT", recordno)))
    assert by_name == by_key
    (account,) = by_name
    assert (account["RECORDNO"], account["TITLE"], account["NORMALBALANCE"]) == (recordno, "Suspense", "credit")
    assert (account["ACCOUNTTYPE"], account["STATUS"], account["REQUIREDEPT"]) == ("balancesheet", "active", "true")
    assert account["CREATEDBY"] == "xml_gateway"


def test_create_several_objects_in_one_call(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    classid, departmentid = unique("C"), unique("D")
    data = data_of(call(url, el("create", el("CLASS", el("CLASSID", classid), el("NAME", "Pair")),
                                el("DEPARTMENT", el("DEPARTMENTID", departmentid), el("TITLE", "Pair")))))
    assert data.get("count") == "2"
    assert [child.tag for child in data] == ["class", "department"]
    assert data.findtext("department/DEPARTMENTID") == departmentid


def test_missing_required_field_is_refused(sandbox_server: RunningSandbox) -> None:
    errors = failed(call(sandbox_server.gateway_url, create("VENDOR", {"VENDORID": unique("V")})))
    assert errors[0]["errorno"] == "PL01000127"
    assert "NAME" in errors[0]["description2"]
    assert errors[1]["description2"].startswith("Could not create Vendor record!")


def test_update_by_id_and_by_recordno(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    vendorid = unique("V")
    recordno = data_of(call(url, create("VENDOR", {"VENDORID": vendorid, "NAME": "Before"}))).findtext(
        "vendor/RECORDNO", "")
    succeeded(call(url, update("VENDOR", {"VENDORID": vendorid, "NAME": "After", "ONHOLD": "true"})))
    succeeded(call(url, update("VENDOR", {"RECORDNO": recordno, "STATUS": "inactive"})))
    (vendor,) = rows(call(url, read_by_name("VENDOR", vendorid)))
    assert (vendor["NAME"], vendor["ONHOLD"], vendor["STATUS"], vendor["RECORDNO"]) == (
        "After", "true", "inactive", recordno)


def test_update_of_a_missing_record_is_refused(sandbox_server: RunningSandbox) -> None:
    errors = failed(call(sandbox_server.gateway_url, update("CLASS", {"CLASSID": unique("NOPE"), "NAME": "x"})))
    assert errors[0]["description2"].startswith("Cannot update non-existing CLASS with CLASSID=NOPE-")


def test_credit_cards_are_read_only(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, create("CREDITCARD", {"CARDID": unique("CARD"), "DESCRIPTION": "x"}),
                    update("CREDITCARD", {"CARDID": "AMEX-1005", "DESCRIPTION": "renamed"}))
    assert "cannot be performed on objects of type creditcard" in failed(response, 0)[0]["description2"]
    assert "cannot be performed on objects of type creditcard" in failed(response, 1)[0]["description2"]
    (card,) = rows(call(sandbox_server.gateway_url, read_by_name("CREDITCARD", "AMEX-1005")))
    assert card["DESCRIPTION"] == "AMEX Corporate - East"


def test_delete_removes_the_record(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    classid = unique("C")
    recordno = data_of(call(url, create("CLASS", {"CLASSID": classid, "NAME": "Short-lived"}))).findtext(
        "class/RECORDNO", "")
    (result,) = succeeded(call(url, delete("CLASS", recordno)))
    assert result.find("data") is None
    assert rows(call(url, read_keys("CLASS", recordno))) == []
    assert rows(call(url, read_by_name("CLASS", classid))) == []
    (error, *_) = failed(call(url, delete("CLASS", recordno)))
    assert error["description2"].startswith(f"Cannot find class with key '{recordno}' to delete.")


def test_read_selected_fields_only(sandbox_server: RunningSandbox) -> None:
    response = call(sandbox_server.gateway_url, read_by_name("EMPLOYEE", "EMP-008", "EMP-009",
                                                             fields_="EMPLOYEEID,CONTACT.EMAIL1"))
    assert rows(response) == [
        {"EMPLOYEEID": "EMP-008", "CONTACT.EMAIL1": "alex.morgan@cedarridge.example"},
        {"EMPLOYEEID": "EMP-009", "CONTACT.EMAIL1": "Alex.Morgan@cedarridge.example"},
    ]


def test_read_by_name_of_unknown_names_returns_nothing(sandbox_server: RunningSandbox) -> None:
    data = data_of(call(sandbox_server.gateway_url, read_by_name("VENDOR", "V-NOBODY")))
    assert (data.get("listtype"), data.get("count"), len(data)) == ("vendor", "0", 0)


def make_classes(gateway_url: str, count: int) -> tuple[str, list[str]]:
    prefix = unique("PG")
    ids = [f"{prefix}-{n:02d}" for n in range(count)]
    function = el("create", *(el("CLASS", el("CLASSID", i), el("NAME", f"Paging {n % 3}"),
                                 el("STATUS", "inactive" if n % 4 == 0 else "active")) for n, i in enumerate(ids)))
    succeeded(call(gateway_url, function))
    return prefix, ids


def test_read_by_query_pages_through_read_more_to_the_end(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    prefix, ids = make_classes(url, 23)
    data = data_of(call(url, read_by_query("CLASS", f"CLASSID LIKE '{prefix}-%'", "CLASSID,NAME", pagesize=5)))
    pages = [data]
    seen_counts = [(data.get("count"), data.get("totalcount"), data.get("numremaining"))]
    result_id = data.get("resultId") or ""
    assert result_id
    while result_id:
        data = data_of(call(url, el("readMore", el("resultId", result_id))))
        pages.append(data)
        seen_counts.append((data.get("count"), data.get("totalcount"), data.get("numremaining")))
        result_id = data.get("resultId") or ""
    assert seen_counts == [("5", "23", "18"), ("5", "23", "13"), ("5", "23", "8"), ("5", "23", "3"),
                           ("3", "23", "0")]
    assert all(page.get("listtype") == "class" for page in pages)
    found = [row.findtext("CLASSID") for page in pages for row in page.iterfind("class")]
    assert sorted(found) == ids
    assert [child.tag for child in pages[0][0]] == ["CLASSID", "NAME"]
    (error,) = failed(call(url, el("readMore", el("resultId", data_of(call(
        url, read_by_query("CLASS", f"CLASSID LIKE '{prefix}-%'", pagesize=23))).get("resultId") or "spent"))))
    assert "resultId" in error["description2"]


def test_read_by_query_where_clause_and_page_limits(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    prefix, ids = make_classes(url, 9)
    response = call(url, read_by_query("CLASS", f"CLASSID LIKE '{prefix}-%' AND STATUS = 'T' AND NAME IN "
                                                "('Paging 1', 'Paging 2')", "CLASSID", pagesize=1000))
    expected = [i for n, i in enumerate(ids) if n % 4 != 0 and n % 3 in (1, 2)]
    assert sorted(r["CLASSID"] for r in rows(response)) == expected
    too_big = call(url, read_by_query("CLASS", "", pagesize=1001))
    assert "1000" in failed(too_big)[0]["description2"]
    (bad,) = failed(call(url, read_by_query("CLASS", "CLASSID = ")))
    assert bad["errorno"] == "Query Failed"


def test_query_offset_pagesize_orderby_and_filter(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    prefix, ids = make_classes(url, 12)
    in_range = el("like", el("field", "CLASSID"), el("value", f"{prefix}-%"))

    def page(offset: int, size: int) -> tuple[dict[str, str | None], list[str]]:
        function = query("CLASS", ["CLASSID", "NAME"], el("filter", in_range.__copy__()),
                         el("orderby", el("order", el("field", "CLASSID"), el("descending"))),
                         el("offset", str(offset)), el("pagesize", str(size)))
        data = data_of(call(url, function))
        attrs = {name: data.get(name) for name in ("listtype", "totalcount", "offset", "count", "numremaining")}
        return attrs, [row.findtext("CLASSID") or "" for row in data.iterfind("CLASS")]

    newest_first = sorted(ids, reverse=True)
    first, first_ids = page(0, 5)
    assert first == {"listtype": "CLASS", "totalcount": "12", "offset": "0", "count": "5", "numremaining": "7"}
    assert first_ids == newest_first[:5]
    middle, middle_ids = page(5, 5)
    assert (middle["offset"], middle["count"], middle["numremaining"]) == ("5", "5", "2")
    assert middle_ids == newest_first[5:10]
    last, last_ids = page(10, 5)
    assert (last["count"], last["numremaining"]) == ("2", "0")
    assert last_ids == newest_first[10:]
    assert page(12, 5)[1] == []


def test_query_filter_operators(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    prefix, ids = make_classes(url, 8)

    def matching(condition: object) -> list[str]:
        function = query("CLASS", ["CLASSID"], el("filter", el("and", el("like", el("field", "CLASSID"),
                                                                           el("value", f"{prefix}-%")), condition)),
                         el("orderby", el("order", el("field", "CLASSID"), el("ascending"))))
        return [r["CLASSID"] for r in rows(call(url, function))]

    assert matching(el("equalto", el("field", "STATUS"), el("value", "inactive"))) == [ids[0], ids[4]]
    assert matching(el("in", el("field", "NAME"), el("value", "Paging 0"), el("value", "Paging 2"))) == [
        ids[0], ids[2], ids[3], ids[5], ids[6]]
    assert matching(el("or", el("equalto", el("field", "CLASSID"), el("value", ids[1])),
                       el("greaterthan", el("field", "CLASSID"), el("value", ids[6])))) == [ids[1], ids[7]]
    assert matching(el("notequalto", el("field", "NAME"), el("value", "Paging 1"))) == [
        i for n, i in enumerate(ids) if n % 3 != 1]


def test_query_with_a_dotted_related_field_and_case_insensitive_filter(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    email = "alex.morgan@cedarridge.example"
    condition = el("filter", el("equalto", el("field", "CONTACT.EMAIL1"), el("value", email)))
    exact = rows(call(url, query("EMPLOYEE", ["EMPLOYEEID", "CONTACT.EMAIL1"], condition)))
    assert exact == [{"EMPLOYEEID": "EMP-008", "CONTACT.EMAIL1": "alex.morgan@cedarridge.example"}]
    condition = el("filter", el("equalto", el("field", "CONTACT.EMAIL1"), el("value", email)))
    either = rows(call(url, query("EMPLOYEE", ["EMPLOYEEID"], condition,
                                  el("options", el("caseinsensitive", "true")))))
    assert sorted(r["EMPLOYEEID"] for r in either) == ["EMP-008", "EMP-009"]


def test_query_of_an_unknown_field_fails(sandbox_server: RunningSandbox) -> None:
    (error,) = failed(call(sandbox_server.gateway_url, query("GLACCOUNT", ["ACCOUNTNO", "NOSUCHFIELD"])))
    assert error["errorno"] == "Query Failed"
    assert "NOSUCHFIELD" in error["description2"]


def test_inspect_and_lookup_list_the_fields(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    response = call(url, el("inspect", el("object", "GLACCOUNT")), el("inspect", el("object", "GLACCOUNT"), detail="1"),
                    el("lookup", el("object", "VENDOR")))
    plain = data_of(response, 0)
    names = [field.text for field in plain.iterfind("Type/Fields/Field")]
    assert [t.get("Name") for t in plain.iterfind("Type")] == ["GLACCOUNT"]
    assert {"RECORDNO", "ACCOUNTNO", "TITLE", "NORMALBALANCE", "STATUS"} <= set(names)
    detailed = {f.findtext("ID"): f for f in data_of(response, 1).iterfind("Type/Fields/Field")}
    assert set(detailed) == set(names)
    assert detailed["ACCOUNTNO"].findtext("REQUIRED") == "true"
    assert detailed["REQUIREDEPT"].findtext("DATATYPE") == "BOOLEAN"
    vendor = {f.findtext("ID"): f for f in data_of(response, 2).iterfind("Type/Fields/Field")}
    assert vendor["NAME"].findtext("REQUIRED") == "true"
    assert vendor["RECORDNO"].findtext("READONLY") == "true"


def test_dimension_restricted_data_of_an_account_and_of_a_dimension(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url

    def related(dimension: str, value: str) -> dict[str, list[str]]:
        data = data_of(call(url, el("getDimensionRestrictedData",
                                    el("DimensionValue", el("dimension", dimension), el("value", value)))))
        assert data.get("listtype") == "RestrictedData"
        return {block.findtext("dimension") or "": [v.text or "" for v in block.iterfind("value")]
                for block in data.iterfind("RestrictedData")}

    assert related("GLACCOUNT", "6150") == {"DEPARTMENT": ["D100", "D200"], "LOCATION": ["E100", "L110", "L120"]}
    assert related("GLACCOUNT", "6210") == {"DEPARTMENT": ["D400"]}
    assert related("GLACCOUNT", "6100") == {}
    assert "6150" in related("DEPARTMENT", "D100")["GLACCOUNT"]
    assert related("LOCATION", "L110") == {"GLACCOUNT": ["6150"]}
    (error,) = failed(call(url, el("getDimensionRestrictedData",
                                   el("DimensionValue", el("dimension", "GLACCOUNT"), el("value", "0000")))))
    assert "0000" in error["description2"]


def test_entities_are_served_as_locationentity(sandbox_server: RunningSandbox) -> None:
    found = rows(call(sandbox_server.gateway_url, query("LOCATIONENTITY", ["LOCATIONID", "CURRENCY"],
                                                         el("orderby", el("order", el("field", "LOCATIONID"),
                                                                          el("ascending"))))))
    assert found == [{"LOCATIONID": "E100", "CURRENCY": "USD"}, {"LOCATIONID": "E200", "CURRENCY": "USD"},
                     {"LOCATIONID": "E300", "CURRENCY": "CAD"}]
