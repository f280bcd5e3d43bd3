"""The client against a scripted gateway: sessions, errors at each level, retries, batching, paging."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest
from intacct_fakes import (
    LOGIN_ENDPOINT,
    SESSION_ENDPOINT,
    FakeGateway,
    SleepLog,
    error_xml,
    failure_xml,
    make_client,
    response_xml,
    result_xml,
    run,
    xml_response,
)
from lxml import etree

from ledgerbridge.intacct import (
    DEFAULT_TIMEOUT,
    ClientOptions,
    ConfigurationError,
    FatalError,
    FunctionFailedError,
    IntacctClient,
    IntacctError,
    InvalidRequestError,
    Login,
    ReauthenticationError,
    Result,
    RetriableError,
    RetryPolicy,
    Secret,
    Sender,
    Session,
    Status,
    UncertainOutcomeError,
    create,
    get_api_session,
    read_by_name,
    record,
)


def class_create(n: int) -> object:
    return create(f"export-{n}", record("CLASS", {"CLASSID": f"C{n}", "NAME": f"Class {n}"}))


# Sessions.

def test_login_opens_a_session_alone_then_uses_the_returned_endpoint(gateway: FakeGateway, sender: Sender,
                                                                       login: Login) -> None:
    async def scenario() -> None:
        async with make_client(gateway, sender, login) as client:
            await client.execute([read_by_name("GLACCOUNT", ["6100"])])
            await client.execute([read_by_name("GLACCOUNT", ["6200"])])

    run(scenario())
    signin, first, second = gateway.requests
    assert signin.url == LOGIN_ENDPOINT
    assert signin.function_names == ["getAPISession"]
    assert signin.root.find("operation/authentication/login") is not None
    # The session is reused, at the endpoint getAPISession returned.
    assert first.url == second.url == SESSION_ENDPOINT
    assert first.session_id == second.session_id == "SESSION-0001-abcdef"


def test_entity_login_asks_for_an_entity_session(gateway: FakeGateway, sender: Sender) -> None:
    login = Login("DEMO", "xml_gateway", Secret("user-pw-Kx27?"), entity_id="E100")
    run(make_client(gateway, sender, login).session())
    assert gateway.requests[0].root.findtext("operation/content/function/getAPISession/locationid") == "E100"
    assert gateway.requests[0].root.findtext("operation/authentication/login/locationid") == "E100"


def test_concurrent_first_calls_sign_in_once(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    async def scenario() -> None:
        async with make_client(gateway, sender, login) as client:
            await asyncio.gather(*(client.execute([read_by_name("GLACCOUNT", [str(n)])]) for n in range(10)))

    run(scenario())
    assert len(gateway.requests) - len(gateway.work_requests) == 1


def test_requests_made_while_the_session_opens_sign_in_by_themselves(gateway: FakeGateway, sender: Sender,
                                                                     login: Login) -> None:
    async def scenario() -> str:
        released = asyncio.Event()

        async def slow_sign_in(request: httpx.Request) -> httpx.Response:
            if b"getAPISession" in request.content:
                await released.wait()
            return gateway(request)

        async with make_client(slow_sign_in, sender, login) as client:
            opening = client.start_session()
            assert client.start_session() is opening  # one sign-in, however often it is started
            # Answered while getAPISession is still held back: it did not wait for the session.
            (early,) = await asyncio.wait_for(client.execute([read_by_name("GLACCOUNT", ["6100"])]), 5)
            assert early.ok
            released.set()
            session = await opening
            await client.execute([read_by_name("GLACCOUNT", ["6200"])])
            return session.session_id.reveal()

    session_id = run(scenario())
    early, late = gateway.work_requests
    assert early.url == LOGIN_ENDPOINT and early.session_id is None
    assert early.root.findtext("operation/authentication/login/userid") == "xml_gateway"
    assert late.url == SESSION_ENDPOINT and late.session_id == session_id
    assert len(gateway.requests) - len(gateway.work_requests) == 1


def test_a_refused_login_fails_the_requests_that_left_with_it(gateway: FakeGateway, sender: Sender) -> None:
    wrong = Login("DEMO", "xml_gateway", Secret("not-the-password"))

    async def scenario() -> tuple[BaseException | Result, ...]:
        async with make_client(gateway, sender, wrong) as client:
            opening = client.start_session()
            outcomes = await asyncio.gather(client.execute([read_by_name("GLACCOUNT", ["6100"])]), opening,
                                            return_exceptions=True)
            return tuple(outcomes)

    read, signing_in = run(scenario())
    assert isinstance(read, ConfigurationError) and isinstance(signing_in, ConfigurationError)


def test_closing_the_client_ends_a_sign_in_nobody_waited_for(sender: Sender, login: Login) -> None:
    async def never_answers(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    async def scenario() -> bool:
        client = make_client(never_answers, sender, login)
        opening = client.start_session()
        await asyncio.sleep(0)
        await client.aclose()
        return opening.cancelled()

    assert run(scenario())


def test_expired_session_signs_in_again_once_and_replays_with_the_same_controlids(
        gateway: FakeGateway, sender: Sender, login: Login) -> None:
    async def scenario() -> tuple[Result, ...]:
        async with make_client(gateway, sender, login) as client:
            await client.session()
            gateway.expire_sessions()
            return await client.execute([class_create(1), class_create(2)])  # type: ignore[list-item]

    results = run(scenario())
    assert [result.ok for result in results] == [True, True]
    refused, replayed = gateway.work_requests
    assert refused.controlids == replayed.controlids == ["export-1", "export-2"]
    assert replayed.uniqueid == "true"
    assert refused.session_id != replayed.session_id


def test_writes_are_not_replayed_without_uniqueid(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    async def scenario() -> None:
        async with make_client(gateway, sender, login, uniqueid_for_writes=False) as client:
            await client.session()
            gateway.expire_sessions()
            await client.execute([class_create(1)])  # type: ignore[list-item]

    with pytest.raises(ReauthenticationError):
        run(scenario())
    assert len(gateway.work_requests) == 1


def test_reads_are_replayed_even_without_uniqueid(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    async def scenario() -> tuple[Result, ...]:
        async with make_client(gateway, sender, login, uniqueid_for_writes=False) as client:
            await client.session()
            gateway.expire_sessions()
            return await client.execute([read_by_name("GLACCOUNT", ["6100"])])

    assert run(scenario())[0].ok


def test_a_session_that_fails_right_after_sign_in_is_not_retried_forever(
        gateway: FakeGateway, sender: Sender, login: Login) -> None:
    refused = xml_response(response_xml(auth_status="failure", auth_errors=error_xml("XL03000006", "expired")))

    async def scenario() -> None:
        async with make_client(gateway, sender, login) as client:
            await client.session()
            gateway.script.extend([refused, lambda request: xml_response(gateway.respond(
                etree.fromstring(request.content))), refused])
            await client.execute([read_by_name("GLACCOUNT", ["6100"])])

    with pytest.raises(ReauthenticationError):
        run(scenario())
    assert len(gateway.requests) == 4  # sign-in, refused, sign-in again, refused again: then stop


def test_an_existing_session_without_login_cannot_renew(gateway: FakeGateway, sender: Sender) -> None:
    session = Session(Secret("SESSION-given-123"), SESSION_ENDPOINT)
    client = IntacctClient(sender, session, company_id="DEMO", transport=httpx.MockTransport(gateway),
                           options=ClientOptions(retry=RetryPolicy(attempts=1)))
    with pytest.raises(ReauthenticationError):
        run(client.execute([read_by_name("GLACCOUNT", ["6100"])]))
    assert gateway.requests[0].session_id == "SESSION-given-123"


def test_wrong_user_password_is_configuration(gateway: FakeGateway, sender: Sender) -> None:
    login = Login("DEMO", "xml_gateway", Secret("wrong-password"))
    with pytest.raises(ConfigurationError, match="Sign-in information is incorrect") as raised:
        run(make_client(gateway, sender, login).session())
    assert raised.value.errornos == ("XL03000006",)
    assert len(gateway.requests) == 1


def test_wrong_sender_password_is_configuration(gateway: FakeGateway, login: Login) -> None:
    with pytest.raises(ConfigurationError, match="Partner ID"):
        run(make_client(gateway, Sender("ledgerbridge", Secret("nope-nope")), login).session())


# Function-level outcomes are values.

def test_mixed_results_are_mapped_back_by_controlid_even_when_reordered(
        gateway: FakeGateway, sender: Sender, login: Login) -> None:
    def answer(function: etree._Element, controlid: str) -> str:
        if controlid == "export-2":
            return failure_xml("create", controlid,
                               error_xml("BL01001973", "Invalid Project '10064' specified. [Support ID: x%7Ey]"),
                               error_xml("BL01001973", "Could not create class record!"))
        return result_xml("create", controlid, inner='<data listtype="objects" count="1"><class>'
                          f"<RECORDNO>{controlid[-1]}</RECORDNO></class></data>")

    def reorder(request: httpx.Request) -> httpx.Response:
        root = etree.fromstring(request.content)
        functions = list(reversed(root.findall("operation/content/function")))
        return xml_response(response_xml("".join(answer(f[0], f.get("controlid", "")) for f in functions)))

    async def scenario() -> tuple[Result, ...]:
        async with make_client(gateway, sender, login) as client:
            await client.session()
            gateway.script.append(reorder)
            return await client.execute([class_create(n) for n in (1, 2, 3)])  # type: ignore[misc]

    first, second, third = run(scenario())
    assert (first.controlid, first.recordnos) == ("export-1", ("1",))
    assert third.recordnos == ("3",)
    assert second.status is Status.FAILURE
    assert [error.description2 for error in second.errors] == [
        "Invalid Project '10064' specified.", "Could not create class record!"]
    assert second.errors[0].support_id == "x~y"


def test_transaction_sends_the_attribute_and_reports_aborted_functions(
        gateway: FakeGateway, sender: Sender, login: Login) -> None:
    def answer(function: etree._Element, controlid: str) -> str:
        if controlid == "export-1":
            return failure_xml("create", controlid, error_xml("BL01001973", "Account 16200 is not valid"),
                               error_xml("XL03000009", "The entire transaction in this operation has been "
                                         "rolled back due to an error."))
        return failure_xml("create", controlid, error_xml("XL03000009", "rolled back"), status="aborted")

    gateway.answer = answer

    async def scenario() -> tuple[Result, ...]:
        async with make_client(gateway, sender, login) as client:
            return await client.execute([class_create(1), class_create(2)], transaction=True)  # type: ignore[list-item]

    failed, aborted = run(scenario())
    assert gateway.work_requests[0].root.find("operation").get("transaction") == "true"
    assert failed.status is Status.FAILURE
    assert aborted.status is Status.ABORTED


def test_uniqueid_is_true_for_writes_and_false_for_reads(gateway: FakeGateway, sender: Sender,
                                                         login: Login) -> None:
    async def scenario() -> None:
        async with make_client(gateway, sender, login) as client:
            await client.execute([read_by_name("GLACCOUNT", ["6100"])])
            await client.execute([class_create(1)])  # type: ignore[list-item]

    run(scenario())
    assert [sent.uniqueid for sent in gateway.requests] == ["false", "false", "true"]


def test_get_api_session_cannot_be_mixed_into_a_request(gateway: FakeGateway, sender: Sender,
                                                        login: Login) -> None:
    with pytest.raises(InvalidRequestError):
        run(make_client(gateway, sender, login).execute([get_api_session(), read_by_name("X", ["1"])]))


# Retries.

def test_rate_limit_is_retried_with_capped_backoff_then_succeeds(gateway: FakeGateway, sender: Sender,
                                                                 login: Login) -> None:
    limited = xml_response(response_xml(control_status="failure", control_errors=error_xml(
        "GW-0010", "API rate limit exceeded")), status_code=429)
    sleep = SleepLog()
    policy = RetryPolicy(attempts=5, initial_wait=1.0, multiplier=2.0, max_wait=3.0, jitter=0.0)

    async def scenario() -> tuple[Result, ...]:
        async with make_client(gateway, sender, login, retry=policy, sleep=sleep) as client:
            await client.session()
            gateway.script.extend([limited, limited, limited])
            return await client.execute([class_create(1)])  # type: ignore[list-item]

    assert run(scenario())[0].ok
    assert sleep.waits == [1.0, 2.0, 3.0]
    assert len(gateway.work_requests) == 4


def test_retries_stop_after_the_policy_attempts(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    gateway.script.extend([httpx.Response(503)] * 10)
    with pytest.raises(RetriableError) as raised:
        run(make_client(gateway, sender, login, retry=RetryPolicy(attempts=3, initial_wait=0, jitter=0)).session())
    assert raised.value.http_status == 503
    assert len(gateway.requests) == 3


def test_connection_refused_is_retried_even_for_writes(gateway: FakeGateway, sender: Sender,
                                                       login: Login) -> None:
    async def scenario() -> tuple[Result, ...]:
        async with make_client(gateway, sender, login) as client:
            await client.session()
            gateway.script.append(httpx.ConnectError("refused"))
            return await client.execute([class_create(1)])  # type: ignore[list-item]

    assert run(scenario())[0].ok
    assert len(gateway.work_requests) == 2


@pytest.mark.parametrize("failure", [
    httpx.ReadTimeout("slow"),
    httpx.RemoteProtocolError("peer closed"),
    httpx.Response(524, text="origin timeout"),
    httpx.Response(500, text="<html>error</html>"),
    httpx.Response(200, text="<response><control><status>suc"),
], ids=["read-timeout", "connection-lost", "524", "500", "truncated"])
def test_a_write_whose_fate_is_unknown_is_uncertain_and_never_resent(
        gateway: FakeGateway, sender: Sender, login: Login, failure: httpx.Response | Exception) -> None:
    async def scenario() -> None:
        async with make_client(gateway, sender, login) as client:
            await client.session()
            gateway.script.append(failure)
            await client.execute([class_create(1)])  # type: ignore[list-item]

    with pytest.raises(UncertainOutcomeError):
        run(scenario())
    assert len(gateway.work_requests) == 1


def test_a_read_that_timed_out_is_simply_retried(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    async def scenario() -> tuple[Result, ...]:
        async with make_client(gateway, sender, login) as client:
            await client.session()
            gateway.script.append(httpx.ReadTimeout("slow"))
            return await client.execute([read_by_name("GLACCOUNT", ["6100"])])

    assert run(scenario())[0].ok


def test_schema_rejection_is_fatal_and_not_retried(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    gateway.script.append(xml_response(response_xml(control_status="failure", control_errors=error_xml(
        "XL03000003", "XML Parse schema error: Line: 1, column: 2. [Support ID: abc]"))))
    with pytest.raises(FatalError, match="XL03000003") as raised:
        run(make_client(gateway, sender, login).session())
    assert raised.value.errors[0].support_id == "abc"
    assert len(gateway.requests) == 1


def test_every_request_has_a_default_timeout(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    seen: list[dict[str, float | None]] = []

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return gateway(request)

    run(make_client(spy, sender, login).session())
    assert seen[0] == DEFAULT_TIMEOUT.as_dict()
    assert all(value is not None for value in seen[0].values())


# Batching and the company limit.

def test_many_functions_go_in_even_batches_and_map_back(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    def answer(function: etree._Element, controlid: str) -> str:
        number = int(controlid.split("-")[1])
        if number % 7 == 0:
            return failure_xml("create", controlid, error_xml("BL34000061", f"Another Class with C{number}"))
        return result_xml("create", controlid, inner='<data listtype="objects" count="1"><class>'
                          f"<RECORDNO>{1000 + number}</RECORDNO></class></data>")

    gateway.answer = answer
    functions = [class_create(n) for n in range(250)]

    async def scenario() -> tuple[Result | IntacctError, ...]:
        async with make_client(gateway, sender, login) as client:
            return await client.execute_many(functions)  # type: ignore[arg-type]

    outcomes = run(scenario())
    assert sorted(len(sent.functions) for sent in gateway.work_requests) == [83, 83, 84]
    for number, outcome in enumerate(outcomes):
        assert isinstance(outcome, Result)
        assert outcome.controlid == f"export-{number}"
        assert outcome.ok is (number % 7 != 0)
        if outcome.ok:
            assert outcome.recordnos == (str(1000 + number),)


def test_a_failed_batch_marks_only_its_own_functions(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    def flaky(request: httpx.Request) -> httpx.Response:
        root = etree.fromstring(request.content)
        if root.find("operation/content/function").get("controlid") == "export-0":
            raise httpx.ReadTimeout("slow")
        return xml_response(gateway.respond(root))

    async def scenario() -> tuple[Result | IntacctError, ...]:
        async with make_client(gateway, sender, login) as client:
            await client.session()
            gateway.script.extend([flaky, flaky])
            return await client.execute_many([class_create(n) for n in range(4)],  # type: ignore[misc]
                                             functions_per_request=2)

    outcomes = run(scenario())
    assert [type(outcome).__name__ for outcome in outcomes] == [
        "UncertainOutcomeError", "UncertainOutcomeError", "Result", "Result"]


def test_duplicate_controlids_are_refused(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    with pytest.raises(InvalidRequestError):
        run(make_client(gateway, sender, login).execute_many([class_create(1), class_create(1)]))  # type: ignore[list-item]


def test_one_company_limit_is_shared_by_all_its_clients(sender: Sender, login: Login) -> None:
    gateway = FakeGateway()
    in_flight = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return gateway(request)

    async def scenario() -> None:
        clients = [make_client(slow, sender, login, max_concurrency=3) for _ in range(2)]
        await asyncio.gather(*(client.execute_many([read_by_name("GLACCOUNT", [str(n)], controlid=f"r{n}")
                                                    for n in range(12)], functions_per_request=1)
                               for client in clients))

    run(scenario())
    assert peak == 3


def test_different_companies_do_not_share_a_limit(sender: Sender) -> None:
    gateway = FakeGateway()
    in_flight = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return gateway(request)

    async def scenario() -> None:
        logins = [Login(company, "xml_gateway", Secret("user-pw-Kx27?")) for company in ("ACME", "GLOBEX")]
        clients = [make_client(slow, sender, login, max_concurrency=1) for login in logins]
        await asyncio.gather(*(client.session() for client in clients))

    run(scenario())
    assert peak == 2


# Paging.

def paged_gateway(total: int) -> FakeGateway:
    rows = [f"<glaccount><RECORDNO>{n}</RECORDNO><ACCOUNTNO>{6000 + n}</ACCOUNTNO></glaccount>"
            for n in range(1, total + 1)]

    def answer(function: etree._Element, controlid: str) -> str:
        name = str(function.tag)
        if name == "readByQuery":
            start, size = 0, int(function.findtext("pagesize") or 100)
        elif name == "readMore":
            start, size = int(function.findtext("resultId") or 0), 3
        else:
            start, size = int(function.findtext("offset") or 0), int(function.findtext("pagesize") or 100)
        page = rows[start:start + size]
        remaining = max(0, total - start - len(page))
        cursor = str(start + len(page)) if remaining and name != "query" else ""
        return result_xml(name, controlid, inner=(
            f'<data listtype="glaccount" count="{len(page)}" totalcount="{total}" numremaining="{remaining}" '
            f'offset="{start}" resultId="{cursor}">{"".join(page)}</data>'))

    return FakeGateway(answer=answer)


def test_read_all_by_query_follows_read_more_to_the_end(sender: Sender, login: Login) -> None:
    gateway = paged_gateway(10)
    records = run(make_client(gateway, sender, login).read_all_by_query("GLACCOUNT", pagesize=3))
    assert [item["RECORDNO"] for item in records] == [str(n) for n in range(1, 11)]
    assert [sent.function_names[0] for sent in gateway.work_requests] == ["readByQuery"] + ["readMore"] * 3


def test_query_all_fetches_remaining_pages_together(sender: Sender, login: Login) -> None:
    gateway = paged_gateway(25)
    in_flight = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return gateway(request)

    records = run(make_client(slow, sender, login, max_concurrency=4).query_all(
        "GLACCOUNT", ["RECORDNO", "ACCOUNTNO"], pagesize=5))
    assert [item["ACCOUNTNO"] for item in records] == [str(6000 + n) for n in range(1, 26)]
    offsets = sorted(int(sent.root.findtext(".//offset") or -1) for sent in gateway.work_requests)
    assert offsets == [0, 5, 10, 15, 20]
    assert peak == 4
    # Without an explicit order, pages are ordered by RECORDNO so offsets mean the same rows.
    assert gateway.work_requests[0].root.findtext(".//orderby/order/field") == "RECORDNO"


def _pages_asked(gateway: FakeGateway) -> list[list[str]]:
    return [[f"{function.findtext('.//object')}@{function.findtext('.//offset')}" for function in sent.functions]
            for sent in gateway.work_requests]


def test_first_pages_asked_together_share_one_request(sender: Sender, login: Login) -> None:
    gateway = paged_gateway(7)

    async def scenario() -> list[tuple[Any, ...]]:
        client = make_client(gateway, sender, login)
        await client.session()
        return list(await asyncio.gather(
            client.query_all("CLASS", ["RECORDNO"], pagesize=5, together=True),
            client.query_all("DEPARTMENT", ["RECORDNO"], pagesize=5, together=True),
            client.query_all("GLACCOUNT", ["RECORDNO"], pagesize=5),
        ))

    classes, departments, accounts = run(scenario())
    assert len(classes) == len(departments) == len(accounts) == 7
    asked = _pages_asked(gateway)
    # The two first pages asked together went in one request; every other page in its own.
    assert ["CLASS@0", "DEPARTMENT@0"] in asked
    assert sorted(page for request in asked for page in request) == [
        "CLASS@0", "CLASS@5", "DEPARTMENT@0", "DEPARTMENT@5", "GLACCOUNT@0", "GLACCOUNT@5"]
    assert len(asked) == 5


def test_a_failure_in_a_shared_request_reaches_only_its_own_query(sender: Sender, login: Login) -> None:
    rows = paged_gateway(3)

    def answer(function: etree._Element, controlid: str) -> str:
        if function.findtext(".//object") == "CLASS":
            return failure_xml("query", controlid, error_xml("DL02000001", "Object CLASS is not permitted."))
        return rows.answer(function, controlid)

    gateway = FakeGateway(answer=answer)

    async def scenario() -> list[Any]:
        client = make_client(gateway, sender, login)
        return list(await asyncio.gather(
            client.query_all("CLASS", ["RECORDNO"], together=True),
            client.query_all("DEPARTMENT", ["RECORDNO"], together=True),
            return_exceptions=True,
        ))

    classes, departments = run(scenario())
    assert isinstance(classes, FunctionFailedError)
    assert "not permitted" in str(classes)
    assert [item["RECORDNO"] for item in departments] == ["1", "2", "3"]
    assert len(gateway.work_requests) == 1


def test_requests_waiting_for_a_slot_go_by_priority(sender: Sender, login: Login) -> None:
    gateway = paged_gateway(15)
    gate = asyncio.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        if b"BLOCKER" in request.content:
            await gate.wait()
        await asyncio.sleep(0.05)  # long enough for the accounts' next pages to be asked while one is in flight
        return gateway(request)

    async def scenario() -> None:
        client = make_client(held, sender, login, max_concurrency=1)
        await client.session()
        blocker = asyncio.ensure_future(client.execute([read_by_name("BLOCKER", ["1"], controlid="blocker")]))
        await asyncio.sleep(0.01)
        reads = [read_by_name("VENDOR", [str(n)], controlid=f"v{n}") for n in range(3)]
        waiting = asyncio.gather(
            client.execute_many(reads, functions_per_request=1),
            client.query_all("GLACCOUNT", ["RECORDNO"], pagesize=5, priority=1),
        )
        await asyncio.sleep(0.01)
        gate.set()
        await asyncio.gather(blocker, waiting)

    run(scenario())
    asked = [f"{sent.functions[0][0].findtext('object')}@{sent.functions[0][0].findtext('offset') or ''}"
             for sent in gateway.work_requests]
    # One slot. The accounts' first page goes ahead of the vendors waiting with it; the slot it frees goes to
    # the next one waiting (a vendor, the accounts' next pages are not asked yet), then the accounts' pages,
    # which wait with a higher priority, go ahead of the vendors left.
    assert asked == ["BLOCKER@", "GLACCOUNT@0", "VENDOR@", "GLACCOUNT@5", "GLACCOUNT@10", "VENDOR@", "VENDOR@"]


def test_a_failed_page_raises_with_the_gateway_errors(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    gateway.answer = lambda function, controlid: failure_xml(
        str(function.tag), controlid, error_xml("Query Failed", "Object definition VENDOR9 not found"))
    with pytest.raises(FunctionFailedError, match="VENDOR9") as raised:
        run(make_client(gateway, sender, login).query_all("VENDOR9", ["RECORDNO"]))
    assert raised.value.result.status is Status.FAILURE


def test_money_in_generic_records_is_sent_as_plain_decimal(gateway: FakeGateway, sender: Sender,
                                                           login: Login) -> None:
    bill = create("bill-1", record("APBILL", {"APBILLITEMS": {"APBILLITEM": [
        {"TRX_AMOUNT": Decimal("1E+3")}, {"TRX_AMOUNT": Decimal("0.10")}]}}))
    run(make_client(gateway, sender, login).execute([bill]))
    amounts = [element.text for element in gateway.work_requests[0].root.iter("TRX_AMOUNT")]
    assert amounts == ["1000", "0.10"]


def test_sign_in_retries_share_the_attempts_of_the_call(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    gateway.script.extend([httpx.Response(503)] * 10)
    client = make_client(gateway, sender, login, retry=RetryPolicy(attempts=3, initial_wait=0, jitter=0))
    with pytest.raises(RetriableError):
        run(client.execute([read_by_name("GLACCOUNT", ["6100"])]))
    assert len(gateway.requests) == 3
