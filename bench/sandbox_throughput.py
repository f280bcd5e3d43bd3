"""How many documents per second the sandbox posts, batched (100 functions a request) and one by one.

Starts its own sandbox on a fresh data dir, opens a session, then records charge card transactions.
Prints documents per second for both shapes and the ratio, all measured in this one run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import start_sandbox, stop_sandbox


def element(tag: str, text: str | None = None, *children: etree._Element) -> etree._Element:
    node = etree.Element(tag)
    node.text = text
    node.extend(children)
    return node


def cc_charge(number: int) -> etree._Element:
    line = element("ccpayitem", None, element("glaccountno", "6100"), element("description", f"Taxi {number}"),
                   element("paymentamount", f"{10 + number % 90}.25"), element("departmentid", "D100"),
                   element("locationid", "E100"))
    return element(
        "record_cctransaction", None, element("chargecardid", "AMEX-1005"),
        element("paymentdate", None, element("year", "2026"), element("month", "11"), element("day", "02")),
        element("referenceno", f"BENCH-{number}"), element("payee", "City Cab"),
        element("description", "Benchmark charge"), element("ccpayitems", None, line),
    )


def request(session: str, first: int, count: int) -> bytes:
    control = element("control", None, element("senderid", "ledgerbridge"), element("password", "sandbox"),
                      element("controlid", f"bench-{first}"), element("uniqueid", "true"),
                      element("dtdversion", "3.0"), element("includewhitespace", "false"))
    content = element("content")
    for number in range(first, first + count):
        function = element("function", None, cc_charge(number))
        function.set("controlid", f"bench-doc-{number}")
        content.append(function)
    operation = element("operation", None, element("authentication", None, element("sessionid", session)), content)
    return etree.tostring(element("request", None, control, operation), xml_declaration=True, encoding="UTF-8")


def open_session(client: httpx.Client, url: str) -> str:
    login = element("login", None, element("userid", "xml_gateway"), element("companyid", "DEMO"),
                    element("password", "sandbox"))
    control = element("control", None, element("senderid", "ledgerbridge"), element("password", "sandbox"),
                      element("controlid", "login"), element("uniqueid", "false"), element("dtdversion", "3.0"))
    operation = element("operation", None, element("authentication", None, login),
                        element("content", None, _function("getAPISession")))
    body = etree.tostring(element("request", None, control, operation))
    root = etree.fromstring(client.post(url, content=body).content)
    return root.findtext(".//sessionid") or ""


def _function(name: str) -> etree._Element:
    function = element("function", None, element(name))
    function.set("controlid", "session")
    return function


def post_all(url: str, session: str, start: int, documents: int, per_request: int, workers: int) -> float:
    """Seconds to post `documents` in requests of `per_request` functions, `workers` requests at a time."""
    bodies = [request(session, start + i, min(per_request, documents - i)) for i in range(0, documents, per_request)]
    created = 0
    local = threading.local()

    def send(body: bytes) -> int:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=120)
        root = etree.fromstring(local.client.post(url, content=body).content)
        return sum(1 for s in root.iterfind("operation/result/status") if s.text == "success")

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        created = sum(pool.map(send, bodies))
    elapsed = time.perf_counter() - began
    if created != documents:
        raise SystemExit(f"only {created} of {documents} documents were created")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--single", type=int, default=300, help="documents sent one function per request")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        proc, sandbox = start_sandbox(Path(data_dir))
        try:
            with httpx.Client(timeout=60) as client:
                session = open_session(client, sandbox.gateway_url)
            post_all(sandbox.gateway_url, session, 10_000_000, 100, 100, 1)  # warm-up
            batched = post_all(sandbox.gateway_url, session, 0, args.documents, 100, args.workers)
            single = post_all(sandbox.gateway_url, session, 1_000_000, args.single, 1, args.workers)
        finally:
            stop_sandbox(proc)
    batched_rate = args.documents / batched
    single_rate = args.single / single
    print(f"batched (100 functions/request, {args.workers} in flight): {batched_rate:,.0f} documents/s")
    print(f"one function per request ({args.workers} in flight):      {single_rate:,.0f} documents/s")
    print(f"batched / one-per-request: {batched_rate / single_rate:.1f}x")
    print(f"target 1,000 documents/s batched: {'met' if batched_rate >= 1000 else 'NOT met'}"
          f" ({batched_rate / 1000:.2f}x of target)")


if __name__ == "__main__":
    main()
