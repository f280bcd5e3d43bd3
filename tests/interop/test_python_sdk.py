"""The ``sageintacctsdk`` package from PyPI (unmodified) against a running sandbox.

The package logs in at the fixed address https://api.intacct.com/ia/xml/xmlgw.phtml and then posts
to the endpoint that getAPISession returned (only its login object does; every other API object
keeps posting to the fixed address with the session id). It sends with ``requests.post``; the
tests replace that function, for the duration of this module only, with a ``requests.Session``
whose transport adapter for https://api.intacct.com/ sends to the sandbox instead. Everything
else about the requests (body, headers, parsing of the answers) is the package's own.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from sageintacctsdk import SageIntacctSDK
from sageintacctsdk.apis import api_base
from sageintacctsdk.apis.constants import dimensions_fields_mapping
from sageintacctsdk.exceptions import InvalidTokenError, SageIntacctSDKError, WrongParamsError

pytestmark = pytest.mark.interop

INTACCT_PREFIX = "https://api.intacct.com/"
DEMO = {
    "sender_id": "ledgerbridge",
    "sender_password": "sandbox",
    "user_id": "xml_gateway",
    "company_id": "DEMO",
    "user_password": "sandbox",
}
ENTITY = "E100"


class SandboxRoute(HTTPAdapter):
    """Sends requests meant for api.intacct.com to the sandbox, keeping the path and query."""

    def __init__(self, sandbox_base: str) -> None:
        super().__init__()
        self.sandbox_base = sandbox_base
        self.sent: list[tuple[str, str]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        original = request.url or ""
        if original.startswith(INTACCT_PREFIX):
            parts = urlsplit(original)
            request.url = self.sandbox_base + parts.path + (f"?{parts.query}" if parts.query else "")
        self.sent.append((original, request.url or ""))
        return super().send(request, **kwargs)


@dataclass
class Routed:
    route: SandboxRoute
    session: requests.Session


@pytest.fixture(scope="module")
def routed(sandbox_server: Any) -> Iterator[Routed]:
    route = SandboxRoute(sandbox_base=sandbox_server.base_url)
    session = requests.Session()
    session.mount(INTACCT_PREFIX, route)
    session.mount(sandbox_server.base_url + "/", route)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api_base.requests, "post", session.post)
        yield Routed(route, session)
    session.close()


@pytest.fixture(scope="module")
def sdk(routed: Routed) -> SageIntacctSDK:
    return SageIntacctSDK(**DEMO)


@pytest.fixture(scope="module")
def sdk_private(routed: Routed) -> SageIntacctSDK:
    """Adds <options><showprivate>true</showprivate></options> to every query: from the top level
    of a multi-entity company, records owned by an entity are only listed that way."""
    return SageIntacctSDK(**DEMO, show_private=True)


def as_list(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_active(row: dict[str, Any]) -> bool:
    return str(row.get("STATUS") or "").lower() in {"active", "t", "true"}


def is_true(value: Any) -> bool:
    return str(value or "").lower() in {"true", "t", "1"}


def read_all(api: Any, object_name: str) -> list[dict[str, Any]]:
    """Every field of every record, with the package's readByQuery (one page of up to 1000)."""
    data = api.read_by_query()["data"]
    return as_list(data.get(object_name.lower()))


def expense_accounts(sdk: SageIntacctSDK) -> list[str]:
    rows = read_all(sdk.accounts, "GLACCOUNT")
    chosen = [
        row["ACCOUNTNO"]
        for row in rows
        if str(row.get("ACCOUNTNO", "")).isdigit()
        and 6000 <= int(row["ACCOUNTNO"]) <= 6999
        and is_active(row)
        and not any(is_true(v) for k, v in row.items() if k.startswith("REQUIRE"))
        and not row.get("MEGAENTITYID")
    ]
    assert chosen, "no active unrestricted GL account in 6000-6999"
    return sorted(chosen, key=int)[:3]


def unused_account_no(sdk: SageIntacctSDK, taken: frozenset[str] = frozenset()) -> str:
    used = {row["ACCOUNTNO"] for row in read_all(sdk.accounts, "GLACCOUNT")} | set(taken)
    start = secrets.randbelow(1000)
    for step in range(1000):
        candidate = str(6000 + (start + step) % 1000)
        if candidate not in used:
            return candidate
    raise AssertionError("no free account number in 6000-6999")


def post_with_accounts(sdk: SageIntacctSDK, build: Any, send: Any) -> tuple[dict[str, Any], str]:
    """Posts with up to three candidate expense accounts: the seed may restrict some of them."""
    failures: list[str] = []
    for account in expense_accounts(sdk):
        try:
            return send(build(account)), account
        except WrongParamsError as error:
            failures.append(f"{account}: {error.response}")
    raise AssertionError("every candidate account failed: " + " | ".join(failures))


def split_date(day: date) -> dict[str, str]:
    return {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}"}


def read_back(sdk: SageIntacctSDK, object_name: str, key: str) -> dict[str, Any]:
    result = sdk.api_base.format_and_send_request(
        {"read": {"object": object_name, "keys": key, "fields": "*", "returnFormat": "xml"}}
    )
    rows = as_list(result["data"].get(object_name.lower()))
    assert len(rows) == 1, result
    return rows[0]


# --- session -------------------------------------------------------------------------------------


def test_connect_logs_in_and_follows_the_returned_endpoint(
    sdk: SageIntacctSDK, routed: Routed, sandbox_server: Any
) -> None:
    login_url, login_target = routed.route.sent[0]
    assert login_url == "https://api.intacct.com/ia/xml/xmlgw.phtml"
    assert login_target == sandbox_server.gateway_url
    followed = sdk.api_base._ApiBase__api_url
    assert followed == sandbox_server.gateway_url, "the endpoint must be on the host and port the client used"
    assert sdk.api_base._ApiBase__session_id
    assert sdk.accounts._ApiBase__session_id == sdk.api_base._ApiBase__session_id
    # The login object posts to the endpoint it was given; a later call through it proves the
    # session works there.
    before = len(routed.route.sent)
    probe = {"query": {"object": "GLACCOUNT", "select": {"field": "RECORDNO"}, "pagesize": "1"}}
    assert sdk.api_base.format_and_send_request(probe)["status"] == "success"
    assert routed.route.sent[before] == (followed, followed)


# --- reads ---------------------------------------------------------------------------------------


def test_accounts_count_and_get_all(sdk: SageIntacctSDK) -> None:
    total = sdk.accounts.count(None)
    active = sdk.accounts.count()
    assert 0 < active <= total
    accounts = sdk.accounts.get_all()
    assert len(accounts) == total
    assert len({row["ACCOUNTNO"] for row in accounts}) == total
    assert set(accounts[0]) == set(dimensions_fields_mapping["GLACCOUNT"])
    assert sum(1 for row in accounts if is_active(row)) == active


def test_accounts_get_all_pages_with_offset(sdk: SageIntacctSDK) -> None:
    everything = {row["ACCOUNTNO"] for row in sdk.accounts.get_all()}
    sdk.accounts._ApiBase__pagesize = 5
    try:
        paged = sdk.accounts.get_all()
    finally:
        sdk.accounts._ApiBase__pagesize = 2000
    assert len(everything) > 5, "the demo chart of accounts should need more than one page of 5"
    assert {row["ACCOUNTNO"] for row in paged} == everything
    assert len(paged) == len(everything)


def test_accounts_get_reads_by_query(sdk: SageIntacctSDK) -> None:
    first = sdk.accounts.get_all()[0]
    data = sdk.accounts.get(field="ACCOUNTNO", value=first["ACCOUNTNO"])
    assert data["@listtype"] == "glaccount"
    assert data["@count"] == "1"
    assert data["@totalcount"] == "1"
    assert data["@numremaining"] == "0"
    record = data["glaccount"]
    assert record["ACCOUNTNO"] == first["ACCOUNTNO"]
    assert record["TITLE"] == first["TITLE"]


def test_charge_card_accounts(sdk: SageIntacctSDK, sdk_private: SageIntacctSDK) -> None:
    top_level = sdk.charge_card_accounts.get_all()
    cards = sdk_private.charge_card_accounts.get_all()
    assert cards
    assert len(cards) == sdk_private.charge_card_accounts.count(None) >= len(top_level)
    assert len(cards) == len(read_all(sdk.charge_card_accounts, "CREDITCARD"))
    assert set(cards[0]) == set(dimensions_fields_mapping["CREDITCARD"])
    assert any(is_active(card) for card in cards)
    assert all(card["CARDID"] for card in cards)


def test_employees_query_with_dotted_contact_fields(sdk_private: SageIntacctSDK) -> None:
    employees = sdk_private.employees.get_all()
    assert employees
    assert set(employees[0]) == set(dimensions_fields_mapping["EMPLOYEE"])
    emails = [row["CONTACT.EMAIL1"] for row in employees if row.get("CONTACT.EMAIL1")]
    assert emails
    assert all("@" in email for email in emails)
    assert all(row["EMPLOYEEID"] for row in employees)


def test_vendors_query_with_dotted_contact_fields(sdk_private: SageIntacctSDK) -> None:
    vendors = sdk_private.vendors.get_all()
    assert vendors
    assert set(vendors[0]) == set(dimensions_fields_mapping["VENDOR"])
    assert any(row.get("DISPLAYCONTACT.EMAIL1") for row in vendors)
    one = sdk_private.vendors.get(field="VENDORID", value=vendors[0]["VENDORID"])
    assert one["@listtype"] == "VENDOR"
    assert one["@totalcount"] == "1"
    assert one["VENDOR"][0]["VENDORID"] == vendors[0]["VENDORID"]
    assert one["VENDOR"][0]["NAME"] == vendors[0]["NAME"]


# --- writes --------------------------------------------------------------------------------------


def create_account(sdk: SageIntacctSDK, title: str) -> tuple[str, dict[str, Any]]:
    account_no = unused_account_no(sdk)
    created = sdk.accounts.post(
        {
            "ACCOUNTNO": account_no,
            "TITLE": title.format(account_no),
            "ACCOUNTTYPE": "incomestatement",
            "NORMALBALANCE": "debit",
            "CLOSINGTYPE": "non-closing account",
            "STATUS": "active",
        }
    )
    assert created["status"] == "success"
    assert created["function"] == "create"
    assert created["data"]["@listtype"] == "objects"
    return account_no, created["data"]["glaccount"]


def test_account_post_and_update(sdk: SageIntacctSDK) -> None:
    account_no, record = create_account(sdk, "Interop meals & <travel> {}")
    assert record["ACCOUNTNO"] == account_no
    assert str(record["RECORDNO"]).isdigit()
    assert sdk.accounts.get(field="ACCOUNTNO", value=account_no)["glaccount"]["TITLE"] == (
        f"Interop meals & <travel> {account_no}"
    )

    new_title = f"Interop travel & lodging {account_no}"
    updated = sdk.accounts.update({"ACCOUNTNO": account_no, "TITLE": new_title})
    assert updated["status"] == "success"
    assert updated["function"] == "update"
    read = sdk.accounts.get(field="ACCOUNTNO", value=account_no)["glaccount"]
    assert read["TITLE"] == new_title
    assert read["RECORDNO"] == record["RECORDNO"]


def test_non_ascii_text_round_trips(sdk: SageIntacctSDK) -> None:
    """The package decodes answers with ``requests``' ``Response.text``: without ``charset=UTF-8``
    in the Content-Type, ``requests`` decodes a text/xml body as ISO-8859-1 and this breaks."""
    title = "Interop café – Zürich {}"
    account_no, _ = create_account(sdk, title)
    read = sdk.accounts.get(field="ACCOUNTNO", value=account_no)["glaccount"]
    assert read["TITLE"] == title.format(account_no)


def active_card(sdk: SageIntacctSDK) -> dict[str, Any]:
    cards = [card for card in read_all(sdk.charge_card_accounts, "CREDITCARD") if is_active(card)]
    assert cards, "no active charge card account"
    credit = [card for card in cards if (card.get("LIABILITYTYPE") or "Credit") == "Credit"]
    return (credit or cards)[0]


def test_charge_card_transaction_post(sdk: SageIntacctSDK) -> None:
    card = active_card(sdk)
    entity = card.get("LOCATION") or card.get("MEGAENTITYID") or ENTITY
    reference = f"INTEROP-PY-CC-{secrets.token_hex(5)}"

    def build(account: str) -> dict[str, Any]:
        return {
            "chargecardid": card["CARDID"],
            "paymentdate": split_date(date.today()),
            "referenceno": reference,
            "payee": "Hôtel de la Gare & Co",
            "description": "Interop <card> charge",
            "ccpayitems": {
                "ccpayitem": [
                    {
                        "glaccountno": account,
                        "description": "Lodging",
                        "paymentamount": "212.50",
                        "locationid": entity,
                    }
                ]
            },
        }

    result, _ = post_with_accounts(sdk, build, sdk.charge_card_transactions.post)
    assert result["status"] == "success"
    assert result["function"] == "record_cctransaction"
    assert str(result["key"]).isdigit()
    record = read_back(sdk, "CCTRANSACTION", result["key"])
    assert record["RECORDNO"] == result["key"]
    assert record["RECORDID"] == reference


def test_expense_report_post(sdk: SageIntacctSDK) -> None:
    employees = [row for row in read_all(sdk.employees, "EMPLOYEE") if is_active(row)]
    assert employees, "no active employee"
    employee = employees[0]
    entity = employee.get("LOCATIONID") or employee.get("MEGAENTITYID") or ENTITY
    number = f"INTEROP-PY-ER-{secrets.token_hex(5)}"

    def build(account: str) -> dict[str, Any]:
        return {
            "employeeid": employee["EMPLOYEEID"],
            "datecreated": split_date(date.today()),
            "expensereportno": number,
            "state": "Submitted",
            "description": "Interop expense report",
            "expenses": {
                "expense": [
                    {
                        "glaccountno": account,
                        "amount": "48.30",
                        "expensedate": split_date(date.today()),
                        "memo": "Café <Olimpico>",
                        "locationid": entity,
                    }
                ]
            },
        }

    result, _ = post_with_accounts(sdk, build, sdk.expense_reports.post)
    assert result["status"] == "success"
    assert result["function"] == "create_expensereport"
    assert str(result["key"]).isdigit()
    record = read_back(sdk, "EEXPENSES", result["key"])
    assert record["RECORDNO"] == result["key"]
    assert record["RECORDID"] == number


def test_bill_post_with_generic_create(sdk: SageIntacctSDK) -> None:
    vendors = [v for v in read_all(sdk.vendors, "VENDOR") if is_active(v) and not is_true(v.get("ONHOLD"))]
    assert vendors, "no active vendor"
    vendor = vendors[0]
    entity = vendor.get("MEGAENTITYID") or ENTITY
    number = f"INTEROP-PY-BILL-{secrets.token_hex(5)}"
    today = date.today()

    def build(account: str) -> dict[str, Any]:
        return {
            "WHENCREATED": today.strftime("%m/%d/%Y"),
            "VENDORID": vendor["VENDORID"],
            "RECORDID": number,
            "WHENDUE": (today + timedelta(days=30)).strftime("%m/%d/%Y"),
            "DESCRIPTION": "Interop bill",
            "CURRENCY": "USD",
            "APBILLITEMS": {
                "APBILLITEM": [
                    {
                        "ACCOUNTNO": account,
                        "TRX_AMOUNT": "1234.56",
                        "ENTRYDESCRIPTION": "Software subscription",
                        "LOCATIONID": entity,
                    }
                ]
            },
        }

    result, _ = post_with_accounts(sdk, build, sdk.bills.post)
    assert result["status"] == "success"
    assert result["function"] == "create"
    assert result["data"]["@listtype"] == "objects"
    created = result["data"]["apbill"]
    assert str(created["RECORDNO"]).isdigit()
    record = read_back(sdk, "APBILL", created["RECORDNO"])
    assert record["RECORDID"] == number
    assert record["VENDORID"] == vendor["VENDORID"]


# --- failures ------------------------------------------------------------------------------------


def error_numbers(error: SageIntacctSDKError) -> list[str]:
    response = error.response
    if isinstance(response, dict) and "error" in response:
        return [str(e.get("errorno")) for e in as_list(response["error"])]
    return []


def test_wrong_password_is_refused(routed: Routed) -> None:
    with pytest.raises(InvalidTokenError) as failure:
        SageIntacctSDK(**{**DEMO, "user_password": "not-the-password"})
    assert set(error_numbers(failure.value)) & {"XL03000006", "XMLGW_JPP0002"}, failure.value.response
    assert "Sign-in information is incorrect" in str(failure.value.response)


def test_unauthorized_sender_is_refused(routed: Routed) -> None:
    with pytest.raises((InvalidTokenError, WrongParamsError)) as failure:
        SageIntacctSDK(**{**DEMO, "sender_id": "unauthorized-partner", "sender_password": "sandbox"})
    assert "XL03000006" in error_numbers(failure.value), failure.value.response
    text = str(failure.value.response)
    assert (
        "is not authorized to make Web Services requests to company ID 'DEMO'" in text
        or "Incorrect Intacct XML Partner ID or password" in text
    ), text


def test_repeated_controlid_under_uniqueid_is_refused(sdk: SageIntacctSDK) -> None:
    """The package always sends uniqueid=false, so this builds the body and uses its own sender."""
    base = sdk.api_base
    control_id = f"interop-py-unique-{uuid.uuid4()}"
    first = unused_account_no(sdk)
    second = unused_account_no(sdk, frozenset({first}))

    def body(account_no: str) -> dict[str, Any]:
        return {
            "request": {
                "control": {
                    "senderid": DEMO["sender_id"],
                    "password": DEMO["sender_password"],
                    "controlid": f"req-{uuid.uuid4()}",
                    "uniqueid": True,
                    "dtdversion": "3.0",
                    "includewhitespace": False,
                },
                "operation": {
                    "authentication": {"sessionid": base._ApiBase__session_id},
                    "content": {
                        "function": {
                            "@controlid": control_id,
                            "create": {
                                "GLACCOUNT": {
                                    "ACCOUNTNO": account_no,
                                    "TITLE": f"Interop uniqueid {account_no}",
                                    "ACCOUNTTYPE": "incomestatement",
                                    "NORMALBALANCE": "debit",
                                    "CLOSINGTYPE": "non-closing account",
                                }
                            },
                        }
                    },
                },
            }
        }

    send = base._ApiBase__post_request
    url = base._ApiBase__api_url
    done = send(body(first), url)
    assert done["result"]["status"] == "success"
    assert done["result"]["controlid"] == control_id
    for account_no in (first, second):
        with pytest.raises(WrongParamsError) as refused:
            send(body(account_no), url)
        assert error_numbers(refused.value), refused.value.response
    assert sdk.accounts.get(field="ACCOUNTNO", value=first)["@totalcount"] == "1"
    assert sdk.accounts.get(field="ACCOUNTNO", value=second)["@totalcount"] == "0"
