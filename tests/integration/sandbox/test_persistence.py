"""The sandbox keeps its data across a restart on the same data directory."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import start_sandbox, stop_sandbox
from tests.integration.sandbox.gw import (
    call,
    cc_transaction,
    create,
    data_of,
    debits_and_credits,
    el,
    failed,
    gl_entries,
    key_of,
    read_by_name,
    read_keys,
    record_fields,
    rows,
    succeeded,
    update,
)


def test_data_survives_a_restart(tmp_path: Path) -> None:
    proc, sandbox = start_sandbox(tmp_path)
    try:
        url = sandbox.gateway_url
        succeeded(call(url, create("GLACCOUNT", {"ACCOUNTNO": "9100", "TITLE": "Kept & <restored>"}),
                       update("GLACCOUNT", {"ACCOUNTNO": "6410", "STATUS": "inactive"})))
        charge = key_of(call(url, cc_transaction("AMEX-1005", [
            {"glaccountno": "6300", "paymentamount": "1.00", "locationid": "L110"}]), uniqueid=True))
        before = gl_entries(url, "CCTRANSACTION", charge)
        total_before = data_of(call(url, el("readByQuery", el("object", "GLACCOUNT"), el("fields", "ACCOUNTNO"),
                                            el("query", ""), el("pagesize", "1")))).get("totalcount")
        sessionid = data_of(call(url, el("getAPISession"))).findtext("api/sessionid")
    finally:
        stop_sandbox(proc)

    proc, sandbox = start_sandbox(tmp_path)
    try:
        url = sandbox.gateway_url
        (account,) = rows(call(url, read_by_name("GLACCOUNT", "9100")))
        assert account["TITLE"] == "Kept & <restored>"
        assert rows(call(url, read_by_name("GLACCOUNT", "6410")))[0]["STATUS"] == "inactive"
        assert record_fields(data_of(call(url, read_keys("CCTRANSACTION", charge)))[0])["STATE"] == "Posted"
        after = gl_entries(url, "CCTRANSACTION", charge)
        assert after == before
        assert debits_and_credits(after) == debits_and_credits(before)
        # The seed is not loaded a second time over the existing data.
        total_after = data_of(call(url, el("readByQuery", el("object", "GLACCOUNT"), el("fields", "ACCOUNTNO"),
                                           el("query", ""), el("pagesize", "1")))).get("totalcount")
        assert total_after == total_before
        # Sessions and completed control IDs outlive the process too.
        assert rows(call(url, read_by_name("GLACCOUNT", "9100"), sessionid=sessionid))
        replay = call(url, cc_transaction("AMEX-1005", [
            {"glaccountno": "6300", "paymentamount": "1.00", "locationid": "L110"}]), uniqueid=True)
        assert "f-1" in failed(replay)[0]["description2"]
        # The account made inactive before the restart still refuses postings.
        refused = call(url, cc_transaction("AMEX-1005", [
            {"glaccountno": "6410", "paymentamount": "2.00", "locationid": "L110"}]), controlids=["retry-1"])
        assert "inactive" in failed(refused)[0]["description2"]
    finally:
        stop_sandbox(proc)
