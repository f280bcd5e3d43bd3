"""Sage's official Node SDK (@intacct/intacct-sdk, unmodified) against a running sandbox.

``node/scenarios.js`` drives the SDK and prints one JSON object per scenario. The SDK only accepts
hosts ending in ``intacct.com``, so the script resolves ``sandbox.intacct.com`` to the sandbox inside
its own process; the sandbox has to hand back an endpoint on that host name and port.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.interop

NODE_DIR = Path(__file__).resolve().parent / "node"
SCRIPT = NODE_DIR / "scenarios.js"
HOST_ALIAS = "sandbox.intacct.com"

Result = dict[str, Any]


def ensure_node_sdk() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is required for the interop tests (node not found on PATH)")
    if not (NODE_DIR / "node_modules" / "@intacct" / "intacct-sdk" / "package.json").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is required to install tests/interop/node (npm not found on PATH)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, timeout=300)
    return node


@pytest.fixture(scope="module")
def results(sandbox_server: Any) -> dict[str, Result]:
    node = ensure_node_sdk()
    env = {
        **os.environ,
        "INTEROP_GATEWAY_URL": sandbox_server.gateway_url,
        "INTEROP_HOST_ALIAS": HOST_ALIAS,
        "INTACCT_SENDER_ID": "ledgerbridge",
        "INTACCT_SENDER_PASSWORD": "sandbox",
        "INTACCT_COMPANY_ID": "DEMO",
        "INTACCT_USER_ID": "xml_gateway",
        "INTACCT_USER_PASSWORD": "sandbox",
    }
    proc = subprocess.run([node, str(SCRIPT)], cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=100)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return {line["scenario"]: line for line in lines}


def scenario(results: dict[str, Result], name: str) -> Result:
    assert name in results, f"scenario {name} did not run: {sorted(results)}"
    result = results[name]
    assert result["ok"], json.dumps(result, indent=2, ensure_ascii=False)
    return result


def error_text(result: Result) -> str:
    error = result["error"]
    return " | ".join([error["message"], *error["errors"]])


def test_session_follows_endpoint_on_the_host_the_client_used(results: dict[str, Result], sandbox_server: Any) -> None:
    session = scenario(results, "session")
    assert session["endpoint_host"] == HOST_ALIAS
    assert session["endpoint_port"] == str(sandbox_server.port)
    assert session["endpoint_protocol"] == "http:"
    assert session["endpoint"].endswith("/ia/xml/xmlgw.phtml")
    assert session["credentials"] == "SessionCredentials"
    assert session["session_id_length"] > 0
    assert session["company_id"] == "DEMO"
    assert session["user_id"] == "xml_gateway"
    assert session["entity_id"] == ""
    timestamp = datetime.fromisoformat(session["session_timestamp"])
    timeout = datetime.fromisoformat(session["session_timeout"])
    assert timestamp.tzinfo is not None
    assert timeout > timestamp
    assert HOST_ALIAS in session["resolved_names"]


def test_readbyquery_pages_with_readmore(results: dict[str, Result]) -> None:
    paging = scenario(results, "readbyquery_paging")
    pages = paging["pages"]
    assert len(pages) >= 2, "the demo chart of accounts should need more than one page of 7"
    total = pages[0]["totalcount"]
    assert [page["function"] for page in pages] == ["readByQuery"] + ["readMore"] * (len(pages) - 1)
    delivered = 0
    for page in pages:
        assert page["listtype"] == "glaccount"
        assert page["totalcount"] == total
        assert page["count"] == page["rows"]
        assert page["count"] <= 7
        delivered += page["rows"]
        assert page["numremaining"] == total - delivered
    assert all(page["resultId"] for page in pages[:-1])
    assert pages[-1]["numremaining"] == 0
    assert paging["rows"] == total == paging["distinct_accountnos"]
    assert {"RECORDNO", "ACCOUNTNO", "TITLE", "ACCOUNTTYPE", "NORMALBALANCE", "STATUS"} <= set(
        paging["first_row_fields"]
    )


def test_query_pages_with_offset(results: dict[str, Result]) -> None:
    paging = scenario(results, "query_paging")
    pages = paging["pages"]
    assert len(pages) >= 2
    total = pages[0]["totalcount"]
    offset = 0
    for page in pages:
        assert page["function"] == "query"
        assert page["listtype"] == "GLACCOUNT"
        assert page["totalcount"] == total
        assert page["count"] == page["rows"] <= 9
        offset += page["rows"]
        assert page["numremaining"] == total - offset
    assert paging["rows"] == total == paging["distinct_accountnos"]
    assert paging["sorted"], "orderby ACCOUNTNO ascending"
    assert set(paging["fields"]) == {"RECORDNO", "ACCOUNTNO", "TITLE", "STATUS"}
    assert paging["active_filter"]["statuses"] == ["active"]
    assert paging["active_filter"]["rows"] == paging["active_filter"]["totalcount"] <= total
    # readByQuery returned every account; query from the top level without showprivate leaves out
    # the accounts owned by an entity (MEGAENTITYID set).
    every = scenario(results, "readbyquery_paging")
    assert total == every["rows"] - len(every["entity_owned"])


def test_readbyname_returns_the_account(results: dict[str, Result]) -> None:
    read = scenario(results, "readbyname")
    data = read["result"]["data"]
    assert read["result"]["function"] == "readByName"
    assert len(data) == 1
    assert data[0]["ACCOUNTNO"] == read["requested"]
    assert data[0]["TITLE"] == read["expected_title"]


def test_account_create_and_update(results: dict[str, Result]) -> None:
    account = scenario(results, "account_create_update")
    created = account["created"]
    assert created["function"] == "create"
    assert created["listtype"] == "objects"
    assert created["count"] == 1
    assert created["data"][0]["ACCOUNTNO"] == account["accountno"]
    assert created["data"][0]["RECORDNO"].isdigit()
    assert account["updated"]["function"] == "update"
    assert account["updated"]["data"][0]["RECORDNO"] == created["data"][0]["RECORDNO"]
    read_back = account["read_back"]["data"]
    assert len(read_back) == 1
    assert read_back[0]["TITLE"] == account["new_title"]
    assert read_back[0]["ACCOUNTTYPE"] == "incomestatement"


@pytest.mark.parametrize(
    ("name", "function", "object_name", "reference"),
    [
        ("cctransaction", "record_cctransaction", "CCTRANSACTION", "referenceno"),
        ("expense_report", "create_expensereport", "EEXPENSES", "expensereportno"),
        ("bill", "create_bill", "APBILL", "billno"),
    ],
)
def test_legacy_create_returns_key_and_reads_back(
    results: dict[str, Result], name: str, function: str, object_name: str, reference: str
) -> None:
    posted = scenario(results, name)
    result = posted["result"]
    assert result["function"] == function
    assert result["status"] == "success"
    assert result["key"]
    assert result["key"].isdigit()
    read = posted["read_back"]
    assert read["listtype"].lower() == object_name.lower()
    assert len(read["data"]) == 1
    assert read["data"][0]["RECORDNO"] == result["key"]
    assert read["data"][0]["RECORDID"] == posted[reference]


def test_wrong_password_fails_with_sign_in_error(results: dict[str, Result]) -> None:
    outcome = scenario(results, "wrong_password")
    assert outcome["failed"], outcome
    text = error_text(outcome)
    assert outcome["error"]["name"] == "ResponseException"
    assert any(e.startswith(("XL03000006", "XMLGW_JPP0002")) for e in outcome["error"]["errors"]), text
    assert "Sign-in information is incorrect" in text


def test_unauthorized_sender_fails_with_authorization_error(results: dict[str, Result]) -> None:
    outcome = scenario(results, "unauthorized_sender")
    assert outcome["failed"], outcome
    text = error_text(outcome)
    assert outcome["error"]["name"] == "ResponseException"
    assert any(e.startswith("XL03000006") for e in outcome["error"]["errors"]), text
    assert (
        "is not authorized to make Web Services requests to company ID 'DEMO'" in text
        or "Incorrect Intacct XML Partner ID or password" in text
    ), text


def test_repeated_controlid_under_uniqueid_is_refused(results: dict[str, Result]) -> None:
    outcome = scenario(results, "uniqueid_repeat")
    assert outcome["initial"]["ok"], outcome["initial"]
    assert outcome["initial"]["result"]["controlid"] == outcome["controlid"]
    for attempt in ("repeated", "repeated_other_payload"):
        refused = outcome[attempt]
        assert not refused["ok"], f"{attempt} was executed: {refused}"
        assert refused["error"]["name"] == "ResultException"
        assert refused["error"]["errors"], refused
    assert outcome["first_count"] == 1, "the first create ran exactly once"
    assert outcome["second_count"] == 0, "a refused function must not execute"
