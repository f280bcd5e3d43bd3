"""transaction="true" (all or nothing) and uniqueid=true (a completed function is never run twice)."""

from __future__ import annotations

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import (
    call,
    cc_transaction,
    create,
    el,
    failed,
    filter_equal,
    gl_entries,
    gl_entries_described,
    key_of,
    query,
    read_by_name,
    rows,
    show_private,
    succeeded,
    unique,
)

ROLLED_BACK = "The entire transaction in this operation has been rolled back due to an error."


def charge(description: str, account: str = "6410", amount: str = "42.00") -> object:
    return cc_transaction("AMEX-1005", [{"glaccountno": account, "paymentamount": amount, "locationid": "L110",
                                         "description": description}], reference=description,
                          description=description)


def card_transactions(gateway_url: str, reference: str) -> list[dict[str, str]]:
    found = call(gateway_url, query("CCTRANSACTION", ["RECORDNO", "RECORDID"], filter_equal("RECORDID", reference),
                                     show_private()))
    return rows(found)


def test_one_failure_rolls_back_the_whole_operation(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    classid, posted, refused = unique("TX"), unique("TX-OK"), unique("TX-BAD")
    response = call(url, create("CLASS", {"CLASSID": classid, "NAME": "Rolled back"}), charge(posted),
                    charge(refused, account="6400"), read_by_name("GLACCOUNT", "1000"), transaction=True)
    statuses = [result.findtext("status") for result in response.results]
    assert statuses == ["aborted", "aborted", "failure", "aborted"]
    for index in (0, 1, 3):
        (error,) = response.errors(response.result(index))
        assert (error["errorno"], error["description2"]) == ("XL03000009", ROLLED_BACK)
    errors = failed(response, 2)
    assert "GL account is restricted by entity 'E200'" in errors[0]["description2"]
    assert errors[-1]["errorno"] == "XL03000009"
    assert errors[-2]["description2"].startswith("Could not create cctransaction record!")

    assert rows(call(url, read_by_name("CLASS", classid))) == []
    for reference in (posted, refused):
        assert card_transactions(url, reference) == []
        assert gl_entries_described(url, reference) == []


def test_successful_transaction_commits_everything(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    classid, posted = unique("TX"), unique("TX-OK")
    response = call(url, create("CLASS", {"CLASSID": classid, "NAME": "Kept"}), charge(posted), transaction=True)
    succeeded(response, count=2)
    assert [r["CLASSID"] for r in rows(call(url, read_by_name("CLASS", classid)))] == [classid]
    assert len(gl_entries(url, "CCTRANSACTION", key_of(response, 1))) == 2


def test_without_transaction_each_function_stands_alone(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    classid, posted, refused = unique("TX"), unique("TX-OK"), unique("TX-BAD")
    response = call(url, create("CLASS", {"CLASSID": classid, "NAME": "Kept"}), charge(refused, account="6400"),
                    charge(posted))
    assert [r.findtext("status") for r in response.results] == ["success", "failure", "success"]
    assert all(e["errorno"] != "XL03000009" for e in failed(response, 1))
    assert [r["CLASSID"] for r in rows(call(url, read_by_name("CLASS", classid)))] == [classid]
    assert len(card_transactions(url, posted)) == 1
    assert card_transactions(url, refused) == []


def test_a_failing_create_of_two_objects_keeps_neither(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    first = unique("TX")
    response = call(url, el("create", el("CLASS", el("CLASSID", first), el("NAME", "First")),
                            el("CLASS", el("CLASSID", first), el("NAME", "Duplicate"))))
    errors = failed(response)
    assert errors[0]["errorno"] == "BL34000061"
    assert rows(call(url, read_by_name("CLASS", first))) == []


def test_repeated_controlid_under_uniqueid_is_refused_and_not_executed(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("UQ")
    controlid = unique("export")
    first = call(url, charge(reference), uniqueid=True, controlids=[controlid])
    recordno = key_of(first)
    again = call(url, charge(reference), uniqueid=True, controlids=[controlid])
    (error,) = failed(again)
    assert controlid in error["description2"]
    assert again.result().findtext("controlid") == controlid
    assert again.result().find("key") is None
    assert [r["RECORDNO"] for r in card_transactions(url, reference)] == [str(recordno)]
    assert len(gl_entries_described(url, reference)) == 2


def test_uniqueid_refusal_in_a_transaction_rolls_back_the_rest(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    done, fresh = unique("UQ"), unique("UQ")
    controlid = unique("export")
    succeeded(call(url, charge(done), uniqueid=True, controlids=[controlid]))
    response = call(url, charge(fresh), charge(done), uniqueid=True, transaction=True,
                    controlids=[unique("export"), controlid])
    assert [r.findtext("status") for r in response.results] == ["aborted", "failure"]
    assert card_transactions(url, fresh) == []
    assert len(card_transactions(url, done)) == 1


def test_a_failed_function_is_not_completed_and_may_be_retried(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("UQ")
    controlid = unique("export")
    failed(call(url, charge(reference, account="6400"), uniqueid=True, controlids=[controlid]))
    retried = call(url, charge(reference), uniqueid=True, controlids=[controlid])
    assert len(gl_entries(url, "CCTRANSACTION", key_of(retried))) == 2


def test_without_uniqueid_a_repeated_controlid_runs_again(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("UQ")
    controlid = unique("export")
    for _ in range(2):
        succeeded(call(url, charge(reference), controlids=[controlid]))
    assert len(card_transactions(url, reference)) == 2


def test_uniqueid_covers_every_function_of_a_request(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    references = [unique("UQ") for _ in range(3)]
    controlids = [unique("export") for _ in references]
    succeeded(call(url, *(charge(r) for r in references[:2]), uniqueid=True, controlids=controlids[:2]))
    response = call(url, *(charge(r) for r in references), uniqueid=True, controlids=controlids)
    assert [r.findtext("status") for r in response.results] == ["failure", "failure", "success"]
    assert [len(card_transactions(url, r)) for r in references] == [1, 1, 1]


def test_documents_of_an_entity_are_hidden_from_other_entities(sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    reference = unique("PRIV")
    succeeded(call(url, charge(reference)))

    def listed(*extra: object, **options: object) -> list[dict[str, str]]:
        function = query("CCTRANSACTION", ["RECORDID", "MEGAENTITYID"], filter_equal("RECORDID", reference), *extra)
        return rows(call(url, function, **options))

    assert listed(show_private()) == [{"RECORDID": reference, "MEGAENTITYID": "E100"}]
    assert listed(entity="E100") == [{"RECORDID": reference, "MEGAENTITYID": "E100"}]
    assert listed(show_private(), entity="E200") == []
