"""The sandbox query engine answers readByQuery and query the way an Intacct company would."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ledgerbridge.sandbox.querylang import (
    FieldType,
    FieldTypes,
    QueryError,
    Row,
    Selection,
    aggregate,
    filter_from_xml,
    order_rows,
    parse_field_list,
    parse_where,
    selection_from_xml,
)

GLACCOUNT: dict[str, FieldType] = {
    "RECORDNO": "integer",
    "ACCOUNTNO": "text",
    "TITLE": "text",
    "ACCOUNTTYPE": "text",
    "STATUS": "text",
    "REQUIREDEPT": "boolean",
    "MEGAENTITYID": "text",
    "WHENCREATED": "date",
    "WHENMODIFIED": "timestamp",
}
glaccount_types = GLACCOUNT.get


def account(
    recordno: str,
    accountno: str,
    title: str,
    accounttype: str,
    status: str,
    requiredept: str | None,
    entity: str | None,
    created: str,
    modified: str,
) -> Row:
    return {
        "RECORDNO": recordno,
        "ACCOUNTNO": accountno,
        "TITLE": title,
        "ACCOUNTTYPE": accounttype,
        "STATUS": status,
        "REQUIREDEPT": requiredept,
        "MEGAENTITYID": entity,
        "WHENCREATED": created,
        "WHENMODIFIED": modified,
    }


CHART_OF_ACCOUNTS: list[Row] = [
    account("2", "1000", "Cash", "balancesheet", "active", "false", "", "12/31/2025", "01/05/2026 09:15:00"),
    account(
        "10",
        "2100",
        "Corporate Card Payable",
        "balancesheet",
        "active",
        "false",
        None,
        "01/02/2026",
        "01/05/2026 17:40:12",
    ),
    account(
        "31",
        "6100",
        "Travel",
        "incomestatement",
        "active",
        "true",
        "US-EAST",
        "02/14/2026",
        "03/01/2026 08:00:00",
    ),
    account(
        "32",
        "6200",
        "Meals & Entertainment",
        "incomestatement",
        "inactive",
        "true",
        "",
        "02/14/2026",
        "03/02/2026 11:30:00",
    ),
    account(
        "33",
        "6300",
        "Erin's Office Supplies",
        "incomestatement",
        "active",
        None,
        "",
        "03/01/2026",
        "03/01/2026 00:00:00",
    ),
]

VENDOR: dict[str, FieldType] = {
    "RECORDNO": "integer",
    "VENDORID": "text",
    "NAME": "text",
    "STATUS": "text",
    "ONHOLD": "boolean",
    "CREDITLIMIT": "decimal",
    "DISPLAYCONTACT.EMAIL1": "text",
}
vendor_types = VENDOR.get

VENDORS: list[Row] = [
    {
        "RECORDNO": "1",
        "VENDORID": "V100",
        "NAME": "Acme Travel",
        "STATUS": "active",
        "ONHOLD": "false",
        "CREDITLIMIT": "5000.00",
        "DISPLAYCONTACT.EMAIL1": "billing@acme.example",
    },
    {
        "RECORDNO": "2",
        "VENDORID": "V200",
        "NAME": "Blue Bottle Catering",
        "STATUS": "active",
        "ONHOLD": "true",
        "CREDITLIMIT": "212.50",
        "DISPLAYCONTACT.EMAIL1": "AP@BlueBottle.example",
    },
    {
        "RECORDNO": "3",
        "VENDORID": "V300",
        "NAME": "Corner Cabs",
        "STATUS": "inactive",
        "ONHOLD": None,
        "CREDITLIMIT": "",
        "DISPLAYCONTACT.EMAIL1": None,
    },
    {
        "RECORDNO": "4",
        "VENDORID": "V400",
        "NAME": "acme hotels",
        "STATUS": "active",
        "ONHOLD": "false",
        "CREDITLIMIT": "1250.5",
        "DISPLAYCONTACT.EMAIL1": "stay@acme.example",
    },
]

EMPLOYEE: dict[str, FieldType] = {
    "RECORDNO": "integer",
    "EMPLOYEEID": "text",
    "STATUS": "text",
    "STARTDATE": "date",
    "CONTACT.EMAIL1": "text",
    "CONTACT.LASTNAME": "text",
}
employee_types = EMPLOYEE.get

EMPLOYEES: list[Row] = [
    {
        "RECORDNO": "7",
        "EMPLOYEEID": "E7",
        "STATUS": "active",
        "STARTDATE": "04/01/2024",
        "CONTACT.EMAIL1": "Dana.Reyes@example.com",
        "CONTACT.LASTNAME": "Reyes",
    },
    {
        "RECORDNO": "8",
        "EMPLOYEEID": "E8",
        "STATUS": "active",
        "STARTDATE": "11/15/2023",
        "CONTACT.EMAIL1": "sam.okafor@example.com",
        "CONTACT.LASTNAME": "okafor",
    },
    {
        "RECORDNO": "9",
        "EMPLOYEEID": "E9",
        "STATUS": "inactive",
        "STARTDATE": None,
        "CONTACT.EMAIL1": "",
        "CONTACT.LASTNAME": "Brandt",
    },
]


def where(
    query: str, rows: Sequence[Row], types: FieldTypes = glaccount_types, key: str = "ACCOUNTNO"
) -> list[str | None]:
    predicate = parse_where(query, types)
    return [row[key] for row in rows if predicate(row)]


def xml(text: str) -> etree._Element:
    return etree.fromstring(text)


def matching(
    filter_xml: str | None, rows: Sequence[Row], types: FieldTypes, key: str, **options: bool
) -> list[str | None]:
    predicate = filter_from_xml(None if filter_xml is None else xml(filter_xml), types, **options)
    return [row[key] for row in rows if predicate(row)]


# readByQuery conditions over a chart of accounts


def test_empty_query_returns_the_whole_chart() -> None:
    assert where("", CHART_OF_ACCOUNTS) == ["1000", "2100", "6100", "6200", "6300"]
    assert where("   ", CHART_OF_ACCOUNTS) == ["1000", "2100", "6100", "6200", "6300"]


def test_expense_accounts_that_are_active() -> None:
    query = "ACCOUNTTYPE = 'incomestatement' AND STATUS = 'active'"
    assert where(query, CHART_OF_ACCOUNTS) == ["6100", "6300"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("STATUS = 'T'", ["1000", "2100", "6100", "6300"]),
        ("STATUS = 'F'", ["6200"]),
        ("STATUS = 'inactive'", ["6200"]),
        ("STATUS in ('F')", ["6200"]),
    ],
)
def test_status_filters_accept_t_and_f(query: str, expected: list[str]) -> None:
    assert where(query, CHART_OF_ACCOUNTS) == expected


def test_a_status_declared_boolean_still_reads_active_and_inactive() -> None:
    departments = [
        {"DEPARTMENTID": "SALES", "STATUS": "active"},
        {"DEPARTMENTID": "OPS", "STATUS": "inactive"},
    ]
    department_types: dict[str, FieldType] = {"DEPARTMENTID": "text", "STATUS": "boolean"}
    assert where("STATUS = 'T'", departments, department_types.get, "DEPARTMENTID") == ["SALES"]
    assert where("STATUS = 'false'", departments, department_types.get, "DEPARTMENTID") == ["OPS"]


def test_string_comparison_is_case_sensitive_but_keywords_are_not() -> None:
    assert where("status = 'ACTIVE'", CHART_OF_ACCOUNTS) == []
    assert where("TITLE like 'travel'", CHART_OF_ACCOUNTS) == []
    query = "accounttype = 'balancesheet' and NoT status = 'inactive'"
    assert where(query, CHART_OF_ACCOUNTS) == ["1000", "2100"]


def test_record_numbers_compare_as_numbers_not_text() -> None:
    # As text '10' < '9'; as numbers the card payable account (10) is above 9.
    assert where("RECORDNO > 9", CHART_OF_ACCOUNTS) == ["2100", "6100", "6200", "6300"]
    assert where("RECORDNO >= '31' AND RECORDNO <= 32.0", CHART_OF_ACCOUNTS) == ["6100", "6200"]


def test_dates_compare_across_the_year_end() -> None:
    assert where("WHENCREATED < '01/15/2026'", CHART_OF_ACCOUNTS) == ["1000", "2100"]
    assert where("WHENCREATED = '02/14/2026'", CHART_OF_ACCOUNTS) == ["6100", "6200"]


def test_timestamps_compare_with_dates_and_timestamps() -> None:
    assert where("WHENMODIFIED >= '03/01/2026'", CHART_OF_ACCOUNTS) == ["6100", "6200", "6300"]
    after_noon = "WHENMODIFIED > '01/05/2026 12:00:00'"
    assert where(after_noon, CHART_OF_ACCOUNTS) == ["2100", "6100", "6200", "6300"]
    assert where("WHENMODIFIED = '03/01/2026'", CHART_OF_ACCOUNTS) == ["6300"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ACCOUNTNO like '6%'", ["6100", "6200", "6300"]),
        ("ACCOUNTNO like '_1%'", ["2100", "6100"]),
        ("ACCOUNTNO not like '6%'", ["1000", "2100"]),
        ("TITLE like '%&%'", ["6200"]),
        ("ACCOUNTNO in ('6100', '6300', '9999')", ["6100", "6300"]),
        ("ACCOUNTNO not in ('6100', '6300')", ["1000", "2100", "6200"]),
        ("RECORDNO in (2, 33)", ["1000", "6300"]),
    ],
)
def test_like_and_in(query: str, expected: list[str]) -> None:
    assert where(query, CHART_OF_ACCOUNTS) == expected


def test_backslash_escapes_a_quote_inside_a_string() -> None:
    assert where(r"TITLE = 'Erin\'s Office Supplies'", CHART_OF_ACCOUNTS) == ["6300"]
    assert where("TITLE = 'Erin''s Office Supplies'", CHART_OF_ACCOUNTS) == ["6300"]


def test_top_level_accounts_have_no_owning_entity() -> None:
    # Intacct prints a NULL as an empty element, so '' and a missing value are both NULL.
    assert where("MEGAENTITYID IS NULL", CHART_OF_ACCOUNTS) == ["1000", "2100", "6200", "6300"]
    assert where("MEGAENTITYID is not null", CHART_OF_ACCOUNTS) == ["6100"]


def test_and_binds_tighter_than_or_and_parentheses_regroup() -> None:
    loose = "ACCOUNTNO = '1000' OR ACCOUNTTYPE = 'incomestatement' AND STATUS = 'inactive'"
    grouped = "(ACCOUNTNO = '1000' OR ACCOUNTTYPE = 'incomestatement') AND STATUS = 'inactive'"
    assert where(loose, CHART_OF_ACCOUNTS) == ["1000", "6200"]
    assert where(grouped, CHART_OF_ACCOUNTS) == ["6200"]
    assert where("NOT (ACCOUNTNO like '6%' OR RECORDNO = 2)", CHART_OF_ACCOUNTS) == ["2100"]


def test_accounts_that_never_set_a_new_boolean_are_neither_required_nor_not() -> None:
    assert where("REQUIREDEPT = 'T'", CHART_OF_ACCOUNTS) == ["6100", "6200"]
    assert where("REQUIREDEPT = 'false'", CHART_OF_ACCOUNTS) == ["1000", "2100"]
    assert where("REQUIREDEPT != 'true'", CHART_OF_ACCOUNTS) == ["1000", "2100"]
    assert where("NOT REQUIREDEPT = 'T'", CHART_OF_ACCOUNTS) == ["1000", "2100"]
    assert where("REQUIREDEPT <> 'T' OR REQUIREDEPT IS NULL", CHART_OF_ACCOUNTS) == ["1000", "2100", "6300"]


def test_vendors_on_hold_and_credit_limits_in_decimals() -> None:
    assert where("ONHOLD = 'T'", VENDORS, vendor_types, "VENDORID") == ["V200"]
    assert where("CREDITLIMIT = 212.5", VENDORS, vendor_types, "VENDORID") == ["V200"]
    assert where("CREDITLIMIT > '1000'", VENDORS, vendor_types, "VENDORID") == ["V100", "V400"]
    assert where("CREDITLIMIT in (1250.50, 5000)", VENDORS, vendor_types, "VENDORID") == ["V100", "V400"]


def test_employee_found_by_email_on_the_related_contact() -> None:
    query = "CONTACT.EMAIL1 = 'sam.okafor@example.com'"
    assert where(query, EMPLOYEES, employee_types, "EMPLOYEEID") == ["E8"]


def test_field_names_may_be_written_in_lower_case() -> None:
    assert where("accountno = '6100'", CHART_OF_ACCOUNTS) == ["6100"]


@pytest.mark.parametrize("query", ["BUDGETID = '1'", "ACCOUNTNO = '1' OR BUDGETID IS NULL"])
def test_unknown_field_is_named(query: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_where(query, glaccount_types)
    assert "BUDGETID" in caught.value.message
    assert caught.value.field == "BUDGETID"


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("STATUS = ", 10),
        ("STATUS = 'active' AND", 22),
        ("STATUS 'active'", 8),
        ("(STATUS = 'active'", 19),
        ("STATUS = 'active", 10),
        ("ACCOUNTNO in ('1000' '2000')", 22),
        ("STATUS = 'active' ; drop", 19),
        ("STATUS IS 'active'", 11),
        ("ACCOUNTNO = active", 13),
    ],
)
def test_syntax_errors_point_at_the_position(query: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_where(query, glaccount_types)
    assert caught.value.position == position
    assert f"position {position}" in caught.value.message


@pytest.mark.parametrize("query", ["RECORDNO = 'ten'", "WHENCREATED > '2026-01-31'", "REQUIREDEPT = 'yes'"])
def test_literals_that_do_not_fit_the_field_type_are_refused(query: str) -> None:
    with pytest.raises(QueryError, match="Invalid value"):
        parse_where(query, glaccount_types)


# Compiled once, evaluated many times


def test_the_same_query_compiles_once() -> None:
    query = "ACCOUNTTYPE = 'incomestatement' AND RECORDNO > 31"
    assert parse_where(query, glaccount_types) is parse_where(query, glaccount_types)


def test_field_types_are_consulted_while_compiling_not_per_row() -> None:
    lookups: list[str] = []

    def counting_types(name: str) -> FieldType | None:
        lookups.append(name)
        return GLACCOUNT.get(name)

    predicate = parse_where("STATUS = 'T' AND WHENCREATED >= '01/01/2026'", counting_types)
    after_compiling = len(lookups)
    ledger = [dict(row, RECORDNO=str(number)) for number in range(2_000) for row in CHART_OF_ACCOUNTS[:1]]
    assert sum(predicate(row) for row in ledger) == 0
    assert len(lookups) == after_compiling


def test_a_large_chart_filters_in_one_pass() -> None:
    ledger = [{**CHART_OF_ACCOUNTS[number % 5], "RECORDNO": str(number)} for number in range(50_000)]
    predicate = parse_where("STATUS = 'T' AND RECORDNO >= 25000 AND ACCOUNTNO like '6%'", glaccount_types)
    assert sum(1 for row in ledger if predicate(row)) == 10_000


# Generated equality / in expressions agree with a plain evaluation

GENERATED_VENDOR: dict[str, FieldType] = {"NAME": "text", "CREDITLIMIT": "decimal"}
_NAMES = st.text(alphabet="ab'\\ %_", max_size=4)
# A narrow range so generated limits often repeat; rows print two places, queries the shortest form.
_LIMITS = st.decimals(min_value=-5, max_value=5, places=2, allow_nan=False, allow_infinity=False)
_VENDOR_ROW = st.fixed_dictionaries(
    {
        "NAME": st.one_of(st.none(), _NAMES),
        "CREDITLIMIT": st.one_of(st.none(), _LIMITS.map(str)),
    }
)
_OPERATORS = st.sampled_from(["=", "in"])
_CLAUSE = st.one_of(
    st.tuples(st.just("NAME"), _OPERATORS, st.lists(_NAMES, min_size=1, max_size=3)),
    st.tuples(st.just("CREDITLIMIT"), _OPERATORS, st.lists(_LIMITS, min_size=1, max_size=3)),
)


def _literal(value: str | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _clause_text(field: str, op: str, values: list[str] | list[Decimal]) -> str:
    if op == "=":
        return f"{field} = {_literal(values[0])}"
    return f"{field} IN ({', '.join(_literal(value) for value in values)})"


def _clause_holds(row: Row, field: str, op: str, values: list[str] | list[Decimal]) -> bool:
    raw = row.get(field)
    if not raw:
        return False
    candidates = values[:1] if op == "=" else values
    if field == "CREDITLIMIT":
        return Decimal(raw) in candidates
    return raw in candidates


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(_VENDOR_ROW, max_size=8),
    groups=st.lists(st.lists(_CLAUSE, min_size=1, max_size=3), min_size=1, max_size=3),
)
def test_generated_equality_and_in_queries_match_plain_python(
    rows: list[Row], groups: list[list[tuple[str, str, list[str] | list[Decimal]]]]
) -> None:
    query = " OR ".join("(" + " AND ".join(_clause_text(*clause) for clause in group) + ")" for group in groups)
    predicate = parse_where(query, GENERATED_VENDOR.get)
    expected = [any(all(_clause_holds(row, *clause) for clause in group) for group in groups) for row in rows]
    assert [predicate(row) for row in rows] == expected


# query: <filter>


def test_no_filter_selects_every_vendor() -> None:
    assert matching(None, VENDORS, vendor_types, "VENDORID") == ["V100", "V200", "V300", "V400"]


def test_active_vendors_modified_since_a_date_as_a_sync_asks() -> None:
    employees_filter = """
    <filter><and>
      <equalto><field>STATUS</field><value>active</value></equalto>
      <greaterthanorequalto><field>STARTDATE</field><value>01/01/2024</value></greaterthanorequalto>
    </and></filter>"""
    assert matching(employees_filter, EMPLOYEES, employee_types, "EMPLOYEEID") == ["E7"]


def test_nested_or_inside_and() -> None:
    vendor_filter = """
    <filter><and>
      <notequalto><field>STATUS</field><value>F</value></notequalto>
      <or>
        <equalto><field>ONHOLD</field><value>true</value></equalto>
        <lessthan><field>CREDITLIMIT</field><value>2000</value></lessthan>
      </or>
    </and></filter>"""
    assert matching(vendor_filter, VENDORS, vendor_types, "VENDORID") == ["V200", "V400"]


def test_an_and_with_a_single_condition_is_accepted() -> None:
    vendor_filter = "<filter><and><equalto><field>ONHOLD</field><value>T</value></equalto></and></filter>"
    assert matching(vendor_filter, VENDORS, vendor_types, "VENDORID") == ["V200"]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            "<between><field>CREDITLIMIT</field><value>200</value><value>1250.50</value></between>",
            ["V200", "V400"],
        ),
        ("<in><field>VENDORID</field><value>V100</value><value>V300</value></in>", ["V100", "V300"]),
        ("<notin><field>VENDORID</field><value>V100</value><value>V300</value></notin>", ["V200", "V400"]),
        ("<like><field>NAME</field><value>Acme%</value></like>", ["V100"]),
        ("<notlike><field>NAME</field><value>%a%</value></notlike>", []),
        ("<isnull><field>DISPLAYCONTACT.EMAIL1</field></isnull>", ["V300"]),
        ("<isnotnull><field>CREDITLIMIT</field></isnotnull>", ["V100", "V200", "V400"]),
        ("<greaterthan><field>RECORDNO</field><value>3</value></greaterthan>", ["V400"]),
        ("<lessthanorequalto><field>CREDITLIMIT</field><value>212.50</value></lessthanorequalto>", ["V200"]),
    ],
)
def test_each_filter_operator(condition: str, expected: list[str]) -> None:
    assert matching(f"<filter>{condition}</filter>", VENDORS, vendor_types, "VENDORID") == expected


def test_employees_by_email_ignore_case_only_when_asked() -> None:
    by_email = "<filter><equalto><field>CONTACT.EMAIL1</field><value>dana.reyes@example.com</value></equalto></filter>"
    assert matching(by_email, EMPLOYEES, employee_types, "EMPLOYEEID") == []
    assert matching(by_email, EMPLOYEES, employee_types, "EMPLOYEEID", case_insensitive=True) == ["E7"]


def test_case_insensitive_like_finds_every_acme_vendor() -> None:
    acme = "<filter><like><field>NAME</field><value>acme%</value></like></filter>"
    assert matching(acme, VENDORS, vendor_types, "VENDORID") == ["V400"]
    assert matching(acme, VENDORS, vendor_types, "VENDORID", case_insensitive=True) == ["V100", "V400"]


def test_in_accepts_a_thousand_values_and_no_more() -> None:
    values = "".join(f"<value>W{number}</value>" for number in range(1000))
    accepted = f"<filter><in><field>VENDORID</field>{values}</in></filter>"
    assert matching(accepted, VENDORS, vendor_types, "VENDORID") == []
    refused = f"<filter><in><field>VENDORID</field>{values}<value>V100</value></in></filter>"
    with pytest.raises(QueryError, match="1000"):
        filter_from_xml(xml(refused), vendor_types)


@pytest.mark.parametrize(
    "condition",
    [
        "<equalto><field>BALANCE</field><value>1</value></equalto>",
        "<equalto><field>NAME</field></equalto>",
        "<between><field>CREDITLIMIT</field><value>1</value></between>",
        "<startswith><field>NAME</field><value>A</value></startswith>",
        "<or></or>",
        "<in><field>VENDORID</field></in>",
        "<equalto><field>CREDITLIMIT</field><value>lots</value></equalto>",
    ],
)
def test_malformed_filters_are_refused(condition: str) -> None:
    with pytest.raises(QueryError):
        filter_from_xml(xml(f"<filter>{condition}</filter>"), vendor_types)


# query: <select>, aggregates and <orderby>


def test_select_reads_fields_and_aggregates() -> None:
    select = xml(
        "<select><field>RECORDNO</field><field>contact.email1</field><count>RECORDNO</count>"
        "<max>STARTDATE</max></select>"
    )
    assert selection_from_xml(select, employee_types) == Selection(
        fields=("RECORDNO", "CONTACT.EMAIL1"), aggregates=(("count", "RECORDNO"), ("max", "STARTDATE"))
    )


@pytest.mark.parametrize(
    "select",
    [
        "<select/>",
        "<select><field>SALARY</field></select>",
        "<select><sum>CONTACT.LASTNAME</sum></select>",
        "<select><median>RECORDNO</median></select>",
    ],
)
def test_bad_selects_are_refused(select: str) -> None:
    with pytest.raises(QueryError):
        selection_from_xml(xml(select), employee_types)


def test_aggregates_over_vendor_credit_limits() -> None:
    selection = selection_from_xml(
        xml(
            "<select><count>RECORDNO</count><count>CREDITLIMIT</count><sum>CREDITLIMIT</sum>"
            "<avg>CREDITLIMIT</avg><min>CREDITLIMIT</min><max>NAME</max></select>"
        ),
        vendor_types,
    )
    assert aggregate(VENDORS, selection, vendor_types) == {
        "COUNT.RECORDNO": "4",
        "COUNT.CREDITLIMIT": "3",
        "SUM.CREDITLIMIT": "6463.00",
        "AVG.CREDITLIMIT": "2154.333333333333333333333333",
        "MIN.CREDITLIMIT": "212.50",
        "MAX.NAME": "acme hotels",
    }


def test_aggregates_over_no_rows() -> None:
    selection = Selection(fields=(), aggregates=(("count", "RECORDNO"), ("sum", "CREDITLIMIT")))
    assert aggregate([], selection, vendor_types) == {"COUNT.RECORDNO": "0", "SUM.CREDITLIMIT": ""}


def test_earliest_and_latest_start_dates_compare_as_dates() -> None:
    selection = Selection(fields=(), aggregates=(("min", "STARTDATE"), ("max", "STARTDATE")))
    result = aggregate(EMPLOYEES, selection, employee_types)
    assert result == {"MIN.STARTDATE": "11/15/2023", "MAX.STARTDATE": "04/01/2024"}


def test_count_of_unknown_field_is_refused() -> None:
    with pytest.raises(QueryError, match="BALANCE"):
        aggregate(VENDORS, Selection(fields=(), aggregates=(("count", "BALANCE"),)), vendor_types)


def ordered(orderby: str | None, rows: Sequence[Row], types: FieldTypes, key: str, **options: bool) -> list[str | None]:
    element = None if orderby is None else xml(orderby)
    return [row[key] for row in order_rows(rows, element, types, **options)]


def test_no_orderby_keeps_the_stored_order() -> None:
    assert ordered(None, VENDORS, vendor_types, "VENDORID") == ["V100", "V200", "V300", "V400"]


def test_record_numbers_sort_numerically() -> None:
    orderby = "<orderby><order><field>RECORDNO</field><descending/></order></orderby>"
    assert ordered(orderby, CHART_OF_ACCOUNTS, glaccount_types, "RECORDNO") == ["33", "32", "31", "10", "2"]


def test_nulls_come_first_ascending_and_last_descending() -> None:
    ascending = "<orderby><order><field>CREDITLIMIT</field><ascending/></order></orderby>"
    descending = "<orderby><order><field>CREDITLIMIT</field><descending/></order></orderby>"
    assert ordered(ascending, VENDORS, vendor_types, "VENDORID") == ["V300", "V200", "V400", "V100"]
    assert ordered(descending, VENDORS, vendor_types, "VENDORID") == ["V100", "V400", "V200", "V300"]


def test_several_orders_apply_in_sequence() -> None:
    orderby = (
        "<orderby><order><field>STATUS</field><descending/></order>"
        "<order><field>WHENCREATED</field><ascending/></order></orderby>"
    )
    assert ordered(orderby, CHART_OF_ACCOUNTS, glaccount_types, "ACCOUNTNO") == [
        "6200",
        "1000",
        "2100",
        "6100",
        "6300",
    ]


def test_names_sort_by_case_only_when_case_sensitive() -> None:
    orderby = "<orderby><order><field>CONTACT.LASTNAME</field><ascending/></order></orderby>"
    assert ordered(orderby, EMPLOYEES, employee_types, "EMPLOYEEID") == ["E9", "E7", "E8"]
    ignoring_case = ordered(orderby, EMPLOYEES, employee_types, "EMPLOYEEID", case_insensitive=True)
    assert ignoring_case == ["E9", "E8", "E7"]


def test_order_by_unknown_field_is_refused() -> None:
    orderby = xml("<orderby><order><field>HIREDATE</field></order></orderby>")
    with pytest.raises(QueryError, match="HIREDATE"):
        order_rows(EMPLOYEES, orderby, employee_types)


# readByQuery / read: fields


@pytest.mark.parametrize("fields", ["*", "", "  "])
def test_star_or_nothing_means_every_field(fields: str) -> None:
    assert parse_field_list(fields, glaccount_types) is None


def test_a_field_list_is_trimmed_and_resolved() -> None:
    assert parse_field_list("RECORDNO, accountno,TITLE,RECORDNO", glaccount_types) == (
        "RECORDNO",
        "ACCOUNTNO",
        "TITLE",
    )


def test_a_field_list_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(QueryError, match="NORMALBALANCE"):
        parse_field_list("ACCOUNTNO,NORMALBALANCE", glaccount_types)
