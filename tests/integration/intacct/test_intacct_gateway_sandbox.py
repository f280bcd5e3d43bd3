"""The client against a running sandbox over HTTP: the two only meet on the wire."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Coroutine
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from ledgerbridge.intacct import (
    ChargeCardLine,
    ChargeCardTransaction,
    ClientOptions,
    Condition,
    ConfigurationError,
    Dimensions,
    ExpenseLine,
    ExpenseReport,
    IntacctClient,
    IntacctError,
    Login,
    ReauthenticationError,
    Result,
    RetryPolicy,
    Secret,
    Sender,
    Session,
    Status,
    create,
    create_expensereport,
    query,
    read,
    read_by_name,
    read_by_query,
    record,
    record_cctransaction,
)

T = TypeVar("T")
SENDER = Sender("ledgerbridge", Secret("sandbox"))
LOGIN = Login("DEMO", "xml_gateway", Secret("sandbox"))
QUICK_RETRY = RetryPolicy(attempts=3, initial_wait=0.05, max_wait=0.2)


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@pytest.fixture
def client_for(sandbox_server: Any) -> Any:
    def make(login: Login = LOGIN, sender: Sender = SENDER) -> IntacctClient:
        return IntacctClient(sender, login, options=ClientOptions(endpoint=sandbox_server.gateway_url,
                                                                  retry=QUICK_RETRY))
    return make


@pytest.fixture
def tag() -> str:
    """A per-test prefix: the sandbox is shared by the whole run, so ids and controlids must not collide."""
    return uuid.uuid4().hex[:8].upper()


def test_session_is_opened_at_the_endpoint_the_gateway_returns(client_for: Any, sandbox_server: Any) -> None:
    async def scenario() -> tuple[Session, Result]:
        async with client_for() as client:
            session = await client.session()
            (result,) = await client.execute([read_by_name("GLACCOUNT", ["6110"])])
            return session, result

    session, result = run(scenario())
    assert session.endpoint.startswith(f"http://{sandbox_server.host}:{sandbox_server.port}/")
    assert result.ok
    assert result.data is not None
    assert result.data.records[0]["ACCOUNTNO"] == "6110"


def test_wrong_password_and_unknown_session_fail_as_intacct_says(client_for: Any, sandbox_server: Any) -> None:
    with pytest.raises(ConfigurationError) as raised:
        run(client_for(Login("DEMO", "xml_gateway", Secret("not-the-password"))).session())
    assert raised.value.errors
    stranger = IntacctClient(SENDER, Session(Secret("no-such-session-1234"), sandbox_server.gateway_url),
                             company_id="DEMO", options=ClientOptions(retry=QUICK_RETRY))
    with pytest.raises(ReauthenticationError):
        run(stranger.execute([read_by_name("GLACCOUNT", ["6110"])]))


def test_paging_with_read_by_query_and_read_more_returns_every_row_once(client_for: Any) -> None:
    async def scenario() -> tuple[tuple[Any, ...], Result]:
        async with client_for() as client:
            paged = await client.read_all_by_query("GLACCOUNT", fields="RECORDNO,ACCOUNTNO", pagesize=7)
            (whole,) = await client.execute([read_by_query("GLACCOUNT", fields="RECORDNO,ACCOUNTNO", pagesize=1000)])
            return paged, whole

    paged, whole = run(scenario())
    assert whole.data is not None
    assert len(paged) == whole.data.totalcount > 7
    assert sorted(item["RECORDNO"] for item in paged) == sorted(item["RECORDNO"] for item in whole.data.records)


def test_paging_with_query_offsets_in_parallel_returns_every_row_in_order(client_for: Any) -> None:
    async def scenario() -> tuple[tuple[Any, ...], Result]:
        async with client_for() as client:
            paged = await client.query_all("GLACCOUNT", ["RECORDNO", "ACCOUNTNO", "TITLE"], pagesize=5,
                                           filter=Condition("equalto", "STATUS", "active"))
            (whole,) = await client.execute([query("GLACCOUNT", ["RECORDNO"], pagesize=2000,
                                                   filter=Condition("equalto", "STATUS", "active"))])
            return paged, whole

    paged, whole = run(scenario())
    assert whole.data is not None
    assert len(paged) == whole.data.totalcount > 5
    numbers = [int(item["RECORDNO"]) for item in paged]
    assert numbers == sorted(set(numbers))


def test_a_batch_of_100_creates_maps_mixed_outcomes_to_the_right_function(client_for: Any, tag: str) -> None:
    # Every tenth class reuses a seeded CLASSID and must fail; the others must exist afterwards.
    def class_for(n: int) -> dict[str, Any]:
        return {"CLASSID": "C100" if n % 10 == 3 else f"{tag}-{n:03d}", "NAME": f"Batch class {n} & <co>"}

    functions = [create(f"{tag}-create-{n}", record("CLASS", class_for(n))) for n in range(100)]

    async def scenario() -> tuple[tuple[Result | IntacctError, ...], tuple[Result, ...]]:
        async with client_for() as client:
            outcomes = await client.execute_many(functions, functions_per_request=100)
            check = await client.execute([read_by_name("CLASS", [f"{tag}-{n:03d}" for n in range(100)
                                                                  if n % 10 != 3], fields="CLASSID,NAME")])
            return outcomes, check

    outcomes, (check,) = run(scenario())
    assert len(outcomes) == 100
    for n, outcome in enumerate(outcomes):
        assert isinstance(outcome, Result)
        assert outcome.controlid == f"{tag}-create-{n}"
        if n % 10 == 3:
            assert outcome.status is Status.FAILURE
            assert "C100" in outcome.errors[0].description2
        else:
            assert outcome.ok
            assert len(outcome.recordnos) == 1
    assert check.data is not None
    names = {item["CLASSID"]: item["NAME"] for item in check.data.records}
    assert len(names) == 90
    assert names[f"{tag}-001"] == "Batch class 1 & <co>"


def test_uniqueid_makes_the_gateway_refuse_a_replayed_create(client_for: Any, tag: str) -> None:
    function = create(f"{tag}-once", record("CLASS", {"CLASSID": f"{tag}-ONCE", "NAME": "Once only"}))

    async def scenario() -> tuple[Result, Result, Result]:
        async with client_for() as client:
            (first,) = await client.execute([function])
            (again,) = await client.execute([function])
            (found,) = await client.execute([query("CLASS", ["RECORDNO"], filter=Condition(
                "equalto", "CLASSID", f"{tag}-ONCE"))])
            return first, again, found

    first, again, found = run(scenario())
    assert first.ok
    assert again.status is Status.FAILURE
    assert f"{tag}-once" in again.errors[0].description2
    assert found.data is not None
    assert found.data.totalcount == 1


def test_a_transaction_is_all_or_nothing(client_for: Any, tag: str) -> None:
    async def scenario() -> tuple[tuple[Result, ...], Result]:
        async with client_for() as client:
            results = await client.execute([
                create(f"{tag}-tx-1", record("CLASS", {"CLASSID": f"{tag}-TX", "NAME": "Rolled back"})),
                create(f"{tag}-tx-2", record("CLASS", {"CLASSID": "C100", "NAME": "Duplicate"})),
            ], transaction=True)
            (check,) = await client.execute([read_by_name("CLASS", [f"{tag}-TX"])])
            return results, check

    (kept, failed), check = run(scenario())
    assert kept.status is Status.ABORTED
    assert failed.status is Status.FAILURE
    assert "XL03000009" in [error.errorno for error in failed.errors]
    assert check.data is not None
    assert check.data.records == ()


def test_legacy_documents_come_back_with_their_key(client_for: Any, tag: str) -> None:
    day = dt.date(2026, 11, 2)
    card = ChargeCardTransaction("AMEX-1005", day, (ChargeCardLine(
        Decimal("212.50"), glaccountno="6110", description="Flight",
        dimensions=Dimensions(locationid="L110", departmentid="D100")),), referenceno=f"{tag}-R1", payee="Delta")
    report = ExpenseReport("EMP-001", day, (ExpenseLine(
        Decimal("45.10"), expensetype="Airfare", dimensions=Dimensions(locationid="L110", departmentid="D100")),),
        description=f"{tag} trip")

    async def scenario() -> tuple[tuple[Result, ...], Result]:
        async with client_for() as client:
            created = await client.execute([record_cctransaction(f"{tag}-cc", card),
                                            create_expensereport(f"{tag}-er", report)])
            assert created[0].key is not None
            (back,) = await client.execute([read("CCTRANSACTION", [created[0].key])])
            return created, back

    (charge, expense), back = run(scenario())
    assert charge.ok
    assert expense.ok
    assert expense.key
    assert back.data is not None
    assert back.data.records[0]["RECORDID"] == f"{tag}-R1"
    assert Decimal(back.data.records[0]["TOTALENTERED"]) == Decimal("212.50")
