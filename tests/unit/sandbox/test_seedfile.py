"""Seed files: the built-in demo company is complete and consistent; broken seeds say everything wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from ledgerbridge.sandbox.seedfile import (
    ID_FIELDS,
    Seed,
    SeedCompany,
    SeedError,
    builtin_seed_names,
    load_seed,
    parse_seed,
    parse_seed_text,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "sandbox.md"


@pytest.fixture(scope="module")
def demo() -> Seed:
    return load_seed("demo")


@pytest.fixture(scope="module")
def company(demo: Seed) -> SeedCompany:
    found = demo.company("DEMO")
    assert found is not None
    return found


def rows(company: SeedCompany, object_name: str) -> tuple[Any, ...]:
    return company.records[object_name]


def rec(company: SeedCompany, object_name: str, record_id: str) -> Any:
    found = company.record(object_name, record_id)
    assert found is not None, f"{object_name} {record_id} missing from the demo"
    return found


def mdy(value: str) -> date:
    month, day, year = (int(part) for part in value.split("/"))
    return date(year, month, day)


# -- the demo company ---------------------------------------------------------------------------


def test_demo_is_a_builtin_seed() -> None:
    assert "demo" in builtin_seed_names()


def test_demo_credentials_match_the_documented_ones(demo: Seed, company: SeedCompany) -> None:
    sender = demo.sender("ledgerbridge")
    assert sender is not None
    assert sender.password == "sandbox"
    assert sender.authorized_for("DEMO")
    outsider = demo.sender("unauthorized-partner")
    assert outsider is not None
    assert outsider.password == "sandbox"
    assert not outsider.authorized_for("DEMO")
    admin, clerk = company.user("xml_gateway"), company.user("clerk")
    assert admin is not None
    assert admin.admin
    assert admin.active
    assert admin.password == "sandbox"
    assert clerk is not None
    assert not clerk.admin
    assert clerk.active
    assert clerk.password == "sandbox"
    assert "*" not in clerk.permissions
    assert "gl.write" not in clerk.permissions


def test_demo_is_multi_entity_with_a_canadian_entity(company: SeedCompany) -> None:
    assert company.basecurrency == "USD"
    assert {(e.locationid, e.currency) for e in company.entities} == {
        ("E100", "USD"), ("E200", "USD"), ("E300", "CAD"),
    }


def test_demo_chart_of_accounts_has_what_an_expense_export_needs(company: SeedCompany) -> None:
    accounts = {r["ACCOUNTNO"]: r for r in rows(company, "GLACCOUNT")}
    assert 40 <= len(accounts) <= 70
    expense = [
        no for no, r in accounts.items() if "6000" <= no <= "6999" and r["ACCOUNTTYPE"] == "incomestatement"
    ]
    assert len(expense) >= 20
    for liability in ("2000", "2050", "2100", "2110"):
        assert accounts[liability]["ACCOUNTTYPE"] == "balancesheet"
        assert accounts[liability]["NORMALBALANCE"] == "credit"
    for card in rows(company, "CREDITCARD"):
        assert accounts[card["OFFSETGLACCOUNTNO"]]["CATEGORY"] == "Credit Card Liabilities"


def test_every_reference_in_the_demo_resolves(company: SeedCompany) -> None:
    ids = {name: {r[field] for r in rows(company, name)} for name, field in ID_FIELDS.items()}
    entities = {e.locationid for e in company.entities}
    locations = ids["LOCATION"] | entities
    references = [
        ("CREDITCARD", "VENDORID", ids["VENDOR"]), ("CREDITCARD", "OFFSETGLACCOUNTNO", ids["GLACCOUNT"]),
        ("CREDITCARD", "DEPT", ids["DEPARTMENT"]), ("CREDITCARD", "LOCATION", locations),
        ("EEACCOUNTLABEL", "GLACCOUNTNO", ids["GLACCOUNT"]), ("EMPLOYEE", "LOCATIONID", locations),
        ("EMPLOYEE", "DEPARTMENTID", ids["DEPARTMENT"]), ("LOCATION", "PARENTID", locations),
        ("PROJECT", "CUSTOMERID", ids["CUSTOMER"]), ("PROJECT", "DEPARTMENTID", ids["DEPARTMENT"]),
        ("PROJECT", "LOCATIONID", locations), ("GLACCOUNT", "CLOSINGACCOUNTNO", ids["GLACCOUNT"]),
    ]
    for object_name, field, targets in references:
        for row in rows(company, object_name):
            assert row.get(field, "") in targets | {""}, (object_name, field, row.get(field))
    for name in ID_FIELDS:
        for row in rows(company, name):
            assert row.get("MEGAENTITYID", "") in entities | {""}, (name, row)
    for project in rows(company, "PROJECT"):
        assert set(project["RESOURCES"]) <= ids["EMPLOYEE"]
    for relationship in company.dimension_relationships:
        assert relationship.account in ids["GLACCOUNT"]
        for dimension, values in relationship.allowed.items():
            assert set(values) <= (locations if dimension == "LOCATION" else ids[dimension])
    for period in company.closed_periods:
        assert period.entity in entities | {""}
    for closed in company.closed_subledgers:
        assert closed.entity in entities | {""}


def test_every_card_has_a_vendor_and_a_liability_offset_account(company: SeedCompany) -> None:
    for card in rows(company, "CREDITCARD"):
        offset = rec(company, "GLACCOUNT", card["OFFSETGLACCOUNTNO"])
        assert offset["ACCOUNTTYPE"] == "balancesheet"
        assert offset["NORMALBALANCE"] == "credit"
        assert rec(company, "VENDOR", card["VENDORID"])["STATUS"] == "active"
    offsets = [card["OFFSETGLACCOUNTNO"] for card in rows(company, "CREDITCARD")]
    assert len(offsets) == len(set(offsets)), "one offset account per card keeps error texts unambiguous"


def test_founding_case_int860_is_in_the_demo(company: SeedCompany) -> None:
    card = rec(company, "CREDITCARD", "AMEX-1005")
    assert card["MEGAENTITYID"] == "E100"
    assert card["LOCATION"] == "E100"
    assert card["STATUS"] == "active"
    entertainment = rec(company, "EEACCOUNTLABEL", "Entertainment")
    restricted = rec(company, "GLACCOUNT", entertainment["GLACCOUNTNO"])
    assert restricted["ACCOUNTNO"] == "6400"
    assert restricted["MEGAENTITYID"] == "E200" != card["MEGAENTITYID"]
    assert restricted["STATUS"] == "active", "the only thing wrong with 6400 is its owner"
    # The card's own liability account, reachable through a category as an expense line.
    offset_category = rec(company, "EEACCOUNTLABEL", "AMEX Payment")
    assert offset_category["GLACCOUNTNO"] == card["OFFSETGLACCOUNTNO"] == "2100"
    # The fix by recategorizing needs a category with an unrestricted account.
    alternative = rec(company, "GLACCOUNT", rec(company, "EEACCOUNTLABEL", "Company Events")["GLACCOUNTNO"])
    assert alternative["MEGAENTITYID"] == ""
    assert alternative["STATUS"] == "active"
    assert alternative["ACCOUNTNO"] not in {r.account for r in company.dimension_relationships}


def _required(flag: str) -> Callable[[SeedCompany], bool]:
    return lambda c: any(a[flag] == "true" and a["STATUS"] == "active" for a in rows(c, "GLACCOUNT"))


def _inactive(object_name: str) -> Callable[[SeedCompany], bool]:
    return lambda c: any(r["STATUS"] == "inactive" for r in rows(c, object_name))


def _project_customer_mismatch_possible(c: SeedCompany) -> bool:
    linked = {p["CUSTOMERID"] for p in rows(c, "PROJECT") if p.get("CUSTOMERID") and p["STATUS"] == "active"}
    return len(linked) >= 2


def _employee_outside_a_project(c: SeedCompany) -> bool:
    active = {e["EMPLOYEEID"] for e in rows(c, "EMPLOYEE") if e["STATUS"] == "active"}
    return any(active - set(p["RESOURCES"]) for p in rows(c, "PROJECT") if p["STATUS"] == "active")


def _entity_private_account(c: SeedCompany) -> bool:
    return any(a["MEGAENTITYID"] and a["ACCOUNTTYPE"] == "incomestatement" for a in rows(c, "GLACCOUNT"))


def _card_offset_as_expense_type(c: SeedCompany) -> bool:
    offsets = {card["OFFSETGLACCOUNTNO"] for card in rows(c, "CREDITCARD")}
    return any(t["GLACCOUNTNO"] in offsets for t in rows(c, "EEACCOUNTLABEL"))


def _future_start(c: SeedCompany) -> bool:
    starts = [mdy(e["STARTDATE"]) for e in rows(c, "EMPLOYEE") if e["STATUS"] == "active"]
    return max(starts) > date(2026, 12, 31)


RULES: dict[str, Callable[[SeedCompany], bool]] = {
    "entity-private account": _entity_private_account,
    "dimension relationship": lambda c: any(
        {"LOCATION", "DEPARTMENT"} & set(r.allowed) for r in c.dimension_relationships
    ),
    "inactive account behind an active expense type": lambda c: any(
        c.record("GLACCOUNT", t["GLACCOUNTNO"])["STATUS"] == "inactive"  # type: ignore[index]
        for t in rows(c, "EEACCOUNTLABEL") if t["STATUS"] == "active"
    ),
    "card offset account as expense line": _card_offset_as_expense_type,
    "disallow direct posting": _required("SUBLEDGERCONTROLON"),
    "required department": _required("REQUIREDEPT"),
    "required location": _required("REQUIRELOC"),
    "required project": _required("REQUIREPROJECT"),
    "required customer": _required("REQUIRECUSTOMER"),
    "required employee": _required("REQUIREEMPLOYEE"),
    "required class": _required("REQUIRECLASS"),
    "inactive department": _inactive("DEPARTMENT"),
    "inactive location": _inactive("LOCATION"),
    "inactive class": _inactive("CLASS"),
    "inactive customer": _inactive("CUSTOMER"),
    "inactive project": _inactive("PROJECT"),
    "project not linked to the customer": _project_customer_mismatch_possible,
    "employee not a project resource": _employee_outside_a_project,
    "closed period in E200": lambda c: any(
        p.entity == "E200" and p.closed_through == date(2026, 9, 30) for p in c.closed_periods
    ),
    "closed Cash Management in E300": lambda c: any(
        s.entity == "E300" and s.subledger == "CM" for s in c.closed_subledgers
    ),
    "employee start date": _future_start,
    "employee inactive": _inactive("EMPLOYEE"),
    "vendor on hold": lambda c: any(v["ONHOLD"] == "true" for v in rows(c, "VENDOR")),
    "vendor inactive": _inactive("VENDOR"),
    "expense type inactive": _inactive("EEACCOUNTLABEL"),
    "card expired": lambda c: any(int(card["EXP_YEAR"]) < 2026 for card in rows(c, "CREDITCARD")),
    "card inactive": _inactive("CREDITCARD"),
    "CAD card in E300": lambda c: any(
        card["CURRENCY"] == "CAD" and card["MEGAENTITYID"] == "E300" for card in rows(c, "CREDITCARD")
    ),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_demo_has_an_example_of_each_posting_rule(company: SeedCompany, rule: str) -> None:
    assert RULES[rule](company)


def test_two_employees_share_an_email_that_differs_only_by_case(company: SeedCompany) -> None:
    emails = [e["CONTACT.EMAIL1"] for e in rows(company, "EMPLOYEE")]
    assert len(set(emails)) == len(emails), "exact emails are unique"
    folded = [email.casefold() for email in emails]
    assert len(folded) - len(set(folded)) == 1


def test_docs_describe_every_demo_record(company: SeedCompany, demo: Seed) -> None:
    text = DOCS.read_text(encoding="utf-8")
    named = [s.senderid for s in demo.senders] + [u.userid for u in company.users]
    named += [e.locationid for e in company.entities]
    for object_name, field in ID_FIELDS.items():
        named += [r[field] for r in rows(company, object_name)]
    missing = [name for name in named if f"`{name}`" not in text]
    assert not missing, f"docs/sandbox.md does not mention {missing}"


# -- reading and validation ---------------------------------------------------------------------


def minimal_seed() -> dict[str, Any]:
    return {
        "format": "ledgerbridge-sandbox-seed/1",
        "senders": [{"senderid": "s", "password": "p", "authorized_companies": ["ACME"]}],
        "companies": [{
            "companyid": "ACME", "name": "Acme", "basecurrency": "USD",
            "entities": [{"LOCATIONID": "E1", "NAME": "East"}],
            "users": [{"userid": "admin", "password": "pw", "admin": True, "permissions": ["*"]}],
            "records": {
                "GLACCOUNT": [
                    {"ACCOUNTNO": "2100", "TITLE": "Card payable", "NORMALBALANCE": "credit"},
                    {"ACCOUNTNO": "6100", "TITLE": "Travel", "ACCOUNTTYPE": "incomestatement"},
                ],
                "VENDOR": [{"VENDORID": "V1", "NAME": "Card issuer"}],
                "CREDITCARD": [{"CARDID": "C1", "DESCRIPTION": "Card", "VENDORID": "V1",
                                "OFFSETGLACCOUNTNO": "2100", "EXP_MONTH": "May", "EXP_YEAR": "2030"}],
                "EMPLOYEE": [{"EMPLOYEEID": "EMP1", "CONTACT.CONTACTNAME": "Kim Lee", "LOCATIONID": "E1",
                              "STARTDATE": "01/31/2024"}],
                "PROJECT": [{"PROJECTID": "P1", "NAME": "Project", "RESOURCES": ["EMP1"]}],
            },
        }],
    }


def test_a_minimal_seed_reads_with_intacct_defaults_filled_in() -> None:
    seed = parse_seed(minimal_seed())
    acme = seed.company("ACME")
    assert acme is not None
    assert acme.session_minutes == 120
    assert acme.entities[0].currency == "USD"
    travel = acme.record("GLACCOUNT", "6100")
    assert travel is not None
    assert (travel["STATUS"], travel["NORMALBALANCE"], travel["REQUIREDEPT"]) == ("active", "debit", "false")
    assert acme.records["CLASS"] == ()
    assert acme.record("PROJECT", "P1") == {"PROJECTID": "P1", "NAME": "Project", "RESOURCES": ("EMP1",),
                                            "STATUS": "active"}


def test_seed_records_cannot_be_changed(company: SeedCompany) -> None:
    account = rec(company, "GLACCOUNT", "6400")
    with pytest.raises(TypeError):
        account["MEGAENTITYID"] = ""
    with pytest.raises(TypeError):
        company.records["GLACCOUNT"] = ()  # type: ignore[index]


def test_a_broken_seed_reports_every_problem_at_once() -> None:
    data = minimal_seed()
    data["format"] = "ledgerbridge-sandbox-seed/9"
    data["senders"].append({"senderid": "s", "password": "", "authorized_companies": ["NOPE"]})
    acme = data["companies"][0]
    acme["users"].append({"userid": "clerk", "password": "", "admin": "no", "permissions": ["gl.delete"]})
    acme["closed_periods"] = [{"entity": "E9", "closed_through": "09/30/2026"}]
    acme["closed_subledgers"] = [{"entity": "E1", "subledger": "GL"}]
    acme["dimension_relationships"] = [{"account": "6999", "DEPARTMENT": ["D1"]}]
    records = acme["records"]
    records["INVOICE"] = []
    records["GLACCOUNT"].append({"ACCOUNTNO": "6100", "STATUS": "enabled", "REQUIREDEPT": "yes"})
    records["GLACCOUNT"].append({"ACCOUNTNO": "6200", "TITLE": "Meals", "ACCOUNTTYPE": "incomestatement",
                                 "CLOSINGTYPE": "closing account", "MEGAENTITYID": "E7"})
    records["CREDITCARD"][0].update({"OFFSETGLACCOUNTNO": "6100", "EXP_MONTH": "Jan", "EXP_YEAR": "30"})
    records["EEACCOUNTLABEL"] = [{"ACCOUNTLABEL": "Meals", "DESCRIPTION": "Meals", "GLACCOUNTNO": "6300"}]
    records["EMPLOYEE"][0].update({"STARTDATE": "2024-01-31", "DEPARTMENTID": "D1", "RECORDNO": "7"})
    records["PROJECT"][0].update({"RESOURCES": ["EMP1", "EMP2"], "CUSTOMERID": "CU1", "budget": "10"})

    with pytest.raises(SeedError) as caught:
        parse_seed(data)

    at = "companies[0]"
    located = {problem.split(": ", 1)[0] for problem in caught.value.problems}
    assert located == {
        "format",
        "senders[1].password",
        "senders[1].authorized_companies[0]",
        "senders[1].senderid",
        f"{at}.users[1].password",
        f"{at}.users[1].admin",
        f"{at}.users[1].permissions[0]",
        f"{at}.closed_periods[0].closed_through",
        f"{at}.closed_periods[0].entity",
        f"{at}.closed_subledgers[0].subledger",
        f"{at}.dimension_relationships[0].account",
        f"{at}.dimension_relationships[0].DEPARTMENT[0]",
        f"{at}.records.INVOICE",
        f"{at}.records.GLACCOUNT[2].STATUS",
        f"{at}.records.GLACCOUNT[2].REQUIREDEPT",
        f"{at}.records.GLACCOUNT[2].TITLE",
        f"{at}.records.GLACCOUNT[2].ACCOUNTNO",
        f"{at}.records.GLACCOUNT[3].CLOSINGACCOUNTNO",
        f"{at}.records.GLACCOUNT[3].MEGAENTITYID",
        f"{at}.records.CREDITCARD[0].OFFSETGLACCOUNTNO",
        f"{at}.records.CREDITCARD[0].EXP_MONTH",
        f"{at}.records.CREDITCARD[0].EXP_YEAR",
        f"{at}.records.EEACCOUNTLABEL[0].GLACCOUNTNO",
        f"{at}.records.EMPLOYEE[0].STARTDATE",
        f"{at}.records.EMPLOYEE[0].DEPARTMENTID",
        f"{at}.records.EMPLOYEE[0].RECORDNO",
        f"{at}.records.PROJECT[0].RESOURCES[1]",
        f"{at}.records.PROJECT[0].CUSTOMERID",
        f"{at}.records.PROJECT[0].budget",
    }
    problems = caught.value.problems
    first = f"{at}.records.GLACCOUNT[1].ACCOUNTNO"
    assert f"{at}.records.GLACCOUNT[2].ACCOUNTNO: duplicate ACCOUNTNO '6100' (first at {first})" in problems
    missing = "GLACCOUNT '6300' does not exist in company 'ACME'"
    assert f"{at}.records.EEACCOUNTLABEL[0].GLACCOUNTNO: {missing}" in problems
    assert str(caught.value).startswith(f"{len(located)} problems in the seed:")


def test_a_location_record_may_not_repeat_an_entity() -> None:
    data = minimal_seed()
    data["companies"][0]["records"]["LOCATION"] = [{"LOCATIONID": "E1", "NAME": "East again"}]
    with pytest.raises(SeedError) as caught:
        parse_seed(data)
    assert caught.value.problems == [
        "companies[0].records.LOCATION[0].LOCATIONID: 'E1' is an entity; entities are locations already",
    ]


def test_a_seed_file_loads_by_path_as_well_as_by_name(tmp_path: Path, demo: Seed) -> None:
    packaged = resources.files("ledgerbridge.sandbox").joinpath("seeds", "demo.json")
    path = tmp_path / "my-company.json"
    path.write_text(packaged.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_seed(path) == demo
    assert load_seed(str(path)).source == str(path)


def test_unreadable_or_invalid_json_is_one_located_problem(tmp_path: Path) -> None:
    with pytest.raises(SeedError) as missing:
        load_seed(tmp_path / "absent.json")
    assert "absent.json: cannot read the seed file" in missing.value.problems[0]
    assert "built-in seeds: demo" in missing.value.problems[0]

    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": "ledgerbridge-sandbox-seed/1",\n  "senders": [,]\n}', encoding="utf-8")
    with pytest.raises(SeedError) as invalid:
        load_seed(broken)
    assert invalid.value.problems == [f"{broken}: line 3 column 15: not valid JSON (Expecting value)"]


def test_a_key_given_twice_is_reported_not_silently_overwritten() -> None:
    text = json.dumps(minimal_seed())
    text = text.replace('"name": "Acme"', '"name": "Acme", "name": "Acme Corp"')
    with pytest.raises(SeedError) as caught:
        parse_seed_text(text, "acme.json")
    assert caught.value.problems == ["acme.json: key 'name' appears twice in one JSON object"]


def test_the_example_in_the_docs_is_a_valid_seed() -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    seed = parse_seed_text(example, "docs/sandbox.md example")
    assert [c.companyid for c in seed.companies] == ["ACME"]
