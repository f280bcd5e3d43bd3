"""The company limit against a sandbox that enforces one: within it nothing is refused; beyond it,
the gateway's 429s are retried until every request gets through."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ledgerbridge.intacct import (
    ClientOptions,
    IntacctClient,
    Login,
    Result,
    RetryPolicy,
    Secret,
    Sender,
    read_by_name,
)

SENDER = Sender("ledgerbridge", Secret("sandbox"))
LOGIN = Login("DEMO", "xml_gateway", Secret("sandbox"))
PATIENT = RetryPolicy(attempts=12, initial_wait=0.05, max_wait=0.5)
CAP = 2
LATENCY_MS = 50


def _shared_fixtures() -> ModuleType:
    # The top-level conftest is not importable by name once several conftest modules exist.
    name = "ledgerbridge_tests_shared_fixtures"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[2] / "conftest.py"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise RuntimeError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def capped_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A sandbox of its own that refuses more than CAP requests in flight for a company, with HTTP 429."""
    shared = _shared_fixtures()
    process, running = shared.start_sandbox(tmp_path_factory.mktemp("capped"), "--max-concurrency", str(CAP),
                                            "--latency-ms", str(LATENCY_MS))
    yield running
    shared.stop_sandbox(process)


def read_many(gateway_url: str, max_concurrency: int) -> tuple[Any, ...]:
    async def scenario() -> tuple[Any, ...]:
        options = ClientOptions(endpoint=gateway_url, max_concurrency=max_concurrency, retry=PATIENT)
        async with IntacctClient(SENDER, LOGIN, options=options) as client:
            await client.session()
            functions = [read_by_name("GLACCOUNT", ["6110"], controlid=f"limit-{n}") for n in range(16)]
            return await client.execute_many(functions, functions_per_request=1)

    return asyncio.run(scenario())


def retries_in(caplog: pytest.LogCaptureFixture) -> int:
    return sum("retrying" in message for message in caplog.messages)


def test_within_the_company_limit_nothing_is_refused(capped_sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ledgerbridge.intacct")
    outcomes = read_many(capped_sandbox.gateway_url, max_concurrency=CAP)
    assert all(isinstance(outcome, Result) and outcome.ok for outcome in outcomes)
    assert retries_in(caplog) == 0


def test_beyond_the_limit_rate_limits_are_retried_until_all_succeed(
        capped_sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ledgerbridge.intacct")
    outcomes = read_many(capped_sandbox.gateway_url, max_concurrency=CAP * 4)
    assert all(isinstance(outcome, Result) and outcome.ok for outcome in outcomes)
    assert retries_in(caplog) > 0
