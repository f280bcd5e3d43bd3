"""Latency, concurrency limit and fault knobs, observed from a client over HTTP."""

from __future__ import annotations

import concurrent.futures
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from tests.conftest import RunningSandbox, start_sandbox, stop_sandbox
from tests.integration.sandbox.gw import Request, cc_transaction, el, post, query

FAULT_RATE = 0.1


@pytest.fixture
def faulty_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    spec = ",".join(f"{kind}={FAULT_RATE}" for kind in ("drop", "lost", "503", "524", "slow"))
    proc, running = start_sandbox(tmp_path, "--faults", spec, "--fault-seed", "7", "--slow-ms", "4000")
    yield running
    stop_sandbox(proc)


def _outcome(sandbox: RunningSandbox, reference: str) -> str:
    body = Request([cc_transaction("AMEX-1005", [{"glaccountno": "6100", "paymentamount": "12.00",
                                                   "departmentid": "D100", "locationid": "E100"}],
                                   reference=reference)]).build()
    try:
        reply = httpx.post(sandbox.gateway_url, content=body, timeout=2.0)
    except httpx.TimeoutException:
        return "timeout"
    except httpx.TransportError:
        return "connection lost"
    if reply.status_code != 200:
        return f"http {reply.status_code}"
    return "ok"


def _posted_references(sandbox: RunningSandbox) -> set[str]:
    """References of every transaction the sandbox holds; the lookup itself may meet a fault, so retry."""
    filter_ = el("filter", el("like", el("field", "RECORDID"), el("value", "FAULT-%")))
    body = Request([query("CCTRANSACTION", ["RECORDID"], filter_, el("pagesize", "2000"))]).build()
    for _ in range(40):
        try:
            reply = httpx.post(sandbox.gateway_url, content=body, timeout=3)
        except httpx.TransportError:
            continue
        if reply.status_code == 200:
            return {e.text or "" for e in etree.fromstring(reply.content).iter("RECORDID")}
    raise AssertionError("the sandbox kept failing the lookup")


def test_each_fault_kind_happens_at_about_its_rate_and_committed_faults_really_commit(
        faulty_sandbox: RunningSandbox) -> None:
    attempts = 80
    outcomes = {f"FAULT-{n}": _outcome(faulty_sandbox, f"FAULT-{n}") for n in range(attempts)}
    stats = httpx.get(f"{faulty_sandbox.base_url}/stats").json()
    injected = Counter(stats["faults"])
    for kind in ("drop", "lost", "503", "524", "slow"):
        # 80 draws at 10 %: about 8 each; a wide band, and the seeded draw repeats run after run.
        assert 2 <= injected[kind] <= 20, (kind, injected)
    seen = Counter(outcomes.values())
    assert seen["http 503"] == injected["503"]
    # Both commit before answering; under heavy machine load a 524 can arrive after the client gave up.
    assert seen["http 524"] + seen["timeout"] == injected["524"] + injected["slow"]
    assert seen["timeout"] >= injected["slow"]
    assert seen["connection lost"] >= injected["drop"] + injected["lost"] - 2
    posted = _posted_references(faulty_sandbox)
    lost_but_committed = {ref for ref, outcome in outcomes.items() if outcome in {"http 524", "timeout"}}
    assert lost_but_committed
    assert lost_but_committed <= posted
    assert {ref for ref, outcome in outcomes.items() if outcome == "ok"} <= posted
    refused = {ref for ref, outcome in outcomes.items() if outcome == "http 503"}
    assert not refused & posted
    dropped = {ref for ref, outcome in outcomes.items() if outcome == "connection lost"}
    assert len(dropped & posted) == injected["lost"], "only 'lost' responses commit; 'drop' never processes"


def test_concurrency_limit_refuses_with_gw_0010_and_peak_never_exceeds_it(tmp_path: Path) -> None:
    proc, sandbox = start_sandbox(tmp_path, "--max-concurrency", "3", "--latency-ms", "150")
    try:
        body = Request([el("getAPISession")]).build()

        def send(_: int) -> tuple[int, bytes]:
            reply = httpx.post(sandbox.gateway_url, content=body, timeout=30)
            return reply.status_code, reply.content

        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            replies = list(pool.map(send, range(36)))
        statuses = Counter(status for status, _ in replies)
        assert statuses[429] > 0 and statuses[200] > 0
        limited = next(content for status, content in replies if status == 429)
        assert b"GW-0010" in limited and b"API rate limit exceeded" in limited
        company = httpx.get(f"{sandbox.base_url}/stats").json()["companies"]["DEMO"]
        assert company["peak_concurrency"] <= 3
        assert company["rate_limited"] == statuses[429]
        assert company["requests"] == 36
    finally:
        stop_sandbox(proc)


def test_latency_is_added_to_every_request(tmp_path: Path) -> None:
    proc, sandbox = start_sandbox(tmp_path, "--latency-ms", "400")
    try:
        body = Request([el("getAPISession")]).build()
        httpx.post(sandbox.gateway_url, content=body, timeout=30)
        # A client timeout shorter than the configured latency must expire: the delay is real.
        with pytest.raises(httpx.TimeoutException):
            httpx.post(sandbox.gateway_url, content=body, timeout=0.2)
    finally:
        stop_sandbox(proc)


def test_stats_count_documents_per_company(fresh_sandbox: RunningSandbox) -> None:
    line = {"glaccountno": "6100", "paymentamount": "5.00", "departmentid": "D100", "locationid": "E100"}
    post(fresh_sandbox.gateway_url, Request([cc_transaction("AMEX-1005", [line]) for _ in range(3)]))
    company = httpx.get(f"{fresh_sandbox.base_url}/stats").json()["companies"]["DEMO"]
    assert company["documents"] == 3
    assert company["functions"] == 3


def test_ready_once_the_request_schema_is_loaded(tmp_path: Path) -> None:
    # start_sandbox itself waits for /readyz; a fresh one may still be loading when /healthz first answers.
    proc, running = start_sandbox(tmp_path)
    try:
        ready = httpx.get(f"{running.base_url}/readyz")
        assert (ready.status_code, ready.json()) == (200, {"status": "ready", "pid": proc.pid})
        assert httpx.get(f"{running.base_url}/healthz").status_code == 200
    finally:
        stop_sandbox(proc)
