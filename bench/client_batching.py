"""Creates through the client in batched, parallel requests, against a sandbox with latency and a cap.

Prints the measured time over the floor (whole waves of batched requests x latency) and over a client
that sends one request per create, one after another, on the same work.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
import uuid
from decimal import Decimal

from _common import RETRIES, arguments, client, report, sandbox, skip, waves
from ledgerbridge.intacct import (
    ChargeCardLine,
    ChargeCardTransaction,
    Dimensions,
    Function,
    Result,
    record_cctransaction,
)


def charges(count: int, tag: str) -> list[Function]:
    """Charge card transactions as an export would send them: deterministic controlids, one per document."""
    day = dt.date(2026, 11, 2)
    return [
        record_cctransaction(f"{tag}-{n}", ChargeCardTransaction(
            "AMEX-1005", day, (ChargeCardLine(Decimal("10.00") + Decimal(n) / 100, glaccountno="6110",
                                              description=f"Charge {n}",
                                              dimensions=Dimensions(locationid="L110", departmentid="D100")),),
            referenceno=f"{tag}-{n}", payee="Bench"))
        for n in range(count)
    ]


async def batched(box: object, functions: list[Function], per_request: int) -> tuple[float, int]:
    async with client(box) as bench_client:  # type: ignore[arg-type]
        await bench_client.session()
        started = time.perf_counter()
        outcomes = await bench_client.execute_many(functions, functions_per_request=per_request)
        elapsed = time.perf_counter() - started
    return elapsed, sum(1 for outcome in outcomes if isinstance(outcome, Result) and outcome.ok)


async def serial(box: object, functions: list[Function]) -> tuple[float, int]:
    async with client(box, max_concurrency=1) as bench_client:  # type: ignore[arg-type]
        await bench_client.session()
        started = time.perf_counter()
        succeeded = 0
        for function in functions:
            (result,) = await bench_client.execute([function])
            succeeded += result.ok
        elapsed = time.perf_counter() - started
    return elapsed, succeeded


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--functions-per-request", type=int, default=100)
    parser.add_argument("--serial-sample", type=int, default=50,
                        help="serial creates actually sent; their mean is scaled to --documents (0 = all)")
    args = parser.parse_args()
    with sandbox(args.latency_ms, args.max_concurrency) as box:
        tag = uuid.uuid4().hex[:8]
        work = charges(args.documents, f"batch-{tag}")
        batched_s, batched_ok = asyncio.run(batched(box, work, args.functions_per_request))
        sample = args.serial_sample or args.documents
        serial_sample_s, serial_ok = asyncio.run(serial(box, charges(sample, f"serial-{tag}")))
    serial_s = serial_sample_s / sample * args.documents
    requests = math.ceil(args.documents / args.functions_per_request)
    floor_s = waves(requests, args.max_concurrency) * box.latency_s
    if floor_s == 0:
        skip("with --latency-ms 0 there is no floor to compare against")
    ideal_s = requests / args.max_concurrency * box.latency_s
    report(f"client_batching: {args.documents} record_cctransaction, latency {args.latency_ms} ms, "
           f"concurrency {args.max_concurrency}", [
        ("requests", f"{requests} of up to {args.functions_per_request} functions"),
        ("succeeded", f"{batched_ok}/{args.documents} batched, {serial_ok}/{sample} serial"),
        ("measured / floor", f"{batched_s / floor_s:.2f}x  (floor = {waves(requests, args.max_concurrency)} "
                             "whole waves of requests x latency)"),
        ("measured / ideal", f"{batched_s / ideal_s:.2f}x  (ideal = requests / concurrency x latency)"),
        ("retries", f"{RETRIES.retries} (requests sent again after a refusal such as HTTP 429)"),
        ("measured", f"{batched_s:.2f} s batched; serial {serial_s:.1f} s (scaled)"),
        ("serial / batched", f"{serial_s / batched_s:.1f}x  (serial: one request per create, "
                             f"mean of {sample} scaled to {args.documents})"),
    ])


if __name__ == "__main__":
    main()
