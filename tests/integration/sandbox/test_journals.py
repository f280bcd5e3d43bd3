"""GL journals over the gateway (GLJOURNAL), and journal entries refused for the journal they name."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from ledgerbridge.sandbox.app import open_store
from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    call,
    create,
    data_of,
    el,
    failed,
    gl_entries_described,
    query,
    read_by_query,
    record_fields,
    rows,
    unique,
    update,
)

SELECT = ("RECORDNO", "SYMBOL", "TITLE", "STATUS", "WHENMODIFIED")
SEEDED = {
    "GJ": ("General Journal", "active"),
    "ADJ": ("Adjusting Journal", "active"),
    "CCJ": ("Card Journal (retired)", "inactive"),
}


def journals(sandbox: RunningSandbox, *extra: etree._Element) -> dict[str, tuple[str, str]]:
    found = rows(call(sandbox.gateway_url, query("GLJOURNAL", SELECT, *extra)))
    assert all(row["RECORDNO"].isdigit() and row["WHENMODIFIED"] for row in found)
    return {row["SYMBOL"]: (row["TITLE"], row["STATUS"]) for row in found}


def journal_entry(journal: str | None, title: str) -> etree._Element:
    header: dict[str, object] = {} if journal is None else {"JOURNAL": journal}
    return create("GLBATCH", {**header, "BATCH_DATE": "11/04/2026", "BATCH_TITLE": title, "ENTRIES": [
        ("GLENTRY", {"ACCOUNTNO": "7100", "TR_TYPE": "1", "TRX_AMOUNT": "80.00", "LOCATION": "L110",
                     "DESCRIPTION": title}),
        ("GLENTRY", {"ACCOUNTNO": "1590", "TR_TYPE": "-1", "TRX_AMOUNT": "80.00", "LOCATION": "L110",
                     "DESCRIPTION": title}),
    ]})


def test_the_demo_journals_are_read_with_query(sandbox_server: RunningSandbox) -> None:
    found = journals(sandbox_server)
    assert {symbol: found[symbol] for symbol in SEEDED} == SEEDED


def test_journals_are_filtered_and_read_by_query_like_other_master_data(sandbox_server: RunningSandbox) -> None:
    inactive = el("filter", el("equalto", el("field", "STATUS"), el("value", "inactive")))
    assert journals(sandbox_server, inactive) == {"CCJ": SEEDED["CCJ"]}

    data = data_of(call(sandbox_server.gateway_url, read_by_query("GLJOURNAL", "SYMBOL = 'ADJ'")))
    assert data.get("listtype") == "gljournal"
    (adjusting,) = [record_fields(record) for record in data]
    assert (adjusting["SYMBOL"], adjusting["TITLE"], adjusting["STATUS"]) == ("ADJ", "Adjusting Journal", "active")


def test_a_journal_entry_to_an_inactive_or_unknown_journal_is_refused(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    for journal, text in (("CCJ", "Invalid Journal 'CCJ' specified. The journal is inactive."),
                          ("XJ", "Invalid Journal 'XJ' specified.")):
        title = unique("JE")
        first, wrapper = failed(call(url, journal_entry(journal, title)))
        assert first["errorno"] == "BL01001973"
        assert first["description2"].startswith(text), first
        assert first["correction"]
        assert wrapper["description2"].startswith("Could not create GLBatch record!")
        assert gl_entries_described(url, title) == []


def test_a_journal_entry_without_a_journal_is_refused(sandbox_server: RunningSandbox) -> None:
    title = unique("JE")
    first, _ = failed(call(sandbox_server.gateway_url, journal_entry(None, title)))
    assert (first["errorno"], first["description2"].split(" [")[0]) == (
        "PL01000127", "Required field JOURNAL is missing.")


def test_journals_created_or_reactivated_over_the_gateway_take_entries(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.gateway_url
    reactivated = call(url, update("GLJOURNAL", {"SYMBOL": "CCJ", "STATUS": "active"}),
                       create("GLJOURNAL", {"SYMBOL": "EXP", "TITLE": "Expense Journal"}))
    assert [result.findtext("status") for result in reactivated.results] == ["success", "success"]
    assert journals(fresh_sandbox)["CCJ"] == ("Card Journal (retired)", "active")
    assert journals(fresh_sandbox)["EXP"] == ("Expense Journal", "active")

    for journal in ("CCJ", "EXP"):
        data = data_of(call(url, journal_entry(journal, unique("JE"))))
        recordno = int(data.findtext("glbatch/RECORDNO", ""))
        posted = el("filter", el("and", el("equalto", el("field", "DOCTYPE"), el("value", "GLBATCH")),
                                 el("equalto", el("field", "DOCRECORDNO"), el("value", str(recordno)))))
        entries = rows(call(url, query("GLENTRY", ("RECORDNO", "JOURNAL"), posted)))
        assert len(entries) == 2 and {entry["JOURNAL"] for entry in entries} == {journal}


def test_a_company_without_journals_gets_the_general_journal(tmp_path: Path) -> None:
    store = open_store(tmp_path, "demo")
    try:
        journals_of = {str(j["SYMBOL"]): str(j["STATUS"]) for j in store.records("DEMO", "GLJOURNAL")}
        assert journals_of == {"GJ": "active", "ADJ": "active", "CCJ": "inactive"}
        # A data dir from before journals were kept: its companies have none, so they get the general journal.
        with store.transaction():
            for journal in store.records("DEMO", "GLJOURNAL"):
                store.delete_record("DEMO", "GLJOURNAL", int(journal["RECORDNO"]))
    finally:
        store.close()
    reopened = open_store(tmp_path, "demo")
    try:
        (general,) = reopened.records("DEMO", "GLJOURNAL")
        assert (general["SYMBOL"], general["TITLE"], general["STATUS"]) == ("GJ", "General Journal", "active")
    finally:
        reopened.close()


def test_seeded_records_predate_the_sandbox_so_a_change_in_its_first_second_shows(
        fresh_sandbox: RunningSandbox) -> None:
    # WHENMODIFIED has whole seconds: were the seed stamped as it loads, a change made in the same second would
    # carry the same stamp and an incremental reader would miss it.
    def stamp() -> datetime:
        (row,) = [r for r in rows(call(fresh_sandbox.gateway_url, query("GLJOURNAL", SELECT)))
                  if r["SYMBOL"] == "ADJ"]
        return datetime.strptime(row["WHENMODIFIED"], "%m/%d/%Y %H:%M:%S")

    seeded = stamp()
    assert seeded <= datetime.now() - timedelta(seconds=50)
    call(fresh_sandbox.gateway_url, update("GLJOURNAL", {"SYMBOL": "ADJ", "TITLE": "Adjustments"}))

    assert stamp() > seeded
