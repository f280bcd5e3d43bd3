"""Reading a large result set with ``query`` through the client, against a sandbox with latency and a cap.

The first page tells the total; the remaining pages go out together within the company limit. Prints
the measured time over the floor (1 + whole waves of the remaining pages, x latency) and over a client
that fetches the same pages one request after another.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid

from _common import RETRIES, Sandbox, arguments, client, report, sandbox, skip, waves
from ledgerbridge.intacct import Condition, Order, Result, create, query, record

SELECT = ["RECORDNO", "CLASSID", "NAME", "STATUS"]


async def seed_classes(box: Sandbox, rows: int, tag: str) -> None:
    """Untimed setup: enough CLASS records for the pages to be worth fetching."""
    functions = [create(f"{tag}-seed-{n}", record("CLASS", {"CLASSID": f"{tag}-{n:06d}", "NAME": f"Class {n}"}))
                 for n in range(rows)]
    async with client(box) as setup:
        outcomes = await setup.execute_many(functions)
    failed = [outcome for outcome in outcomes if not (isinstance(outcome, Result) and outcome.ok)]
    if failed:
        raise SystemExit(f"setup failed for {len(failed)} classes: {failed[0]}")


def by_tag(tag: str) -> Condition:
    return Condition("like", "CLASSID", f"{tag}-%")


async def parallel(box: Sandbox, tag: str, pagesize: int) -> tuple[float, int]:
    async with client(box) as bench_client:
        await bench_client.session()
        started = time.perf_counter()
        records = await bench_client.query_all("CLASS", SELECT, filter=by_tag(tag), pagesize=pagesize)
        elapsed = time.perf_counter() - started
    return elapsed, len(records)


async def serial(box: Sandbox, tag: str, pagesize: int) -> tuple[float, int]:
    async with client(box, max_concurrency=1) as bench_client:
        await bench_client.session()
        started = time.perf_counter()
        fetched, offset, total = 0, 0, None
        while total is None or offset < total:
            (result,) = await bench_client.execute([query("CLASS", SELECT, filter=by_tag(tag), pagesize=pagesize,
                                                          offset=offset, orderby=[Order("RECORDNO")])])
            if not result.ok or result.data is None:
                raise SystemExit(f"page at offset {offset} failed: {result.errors}")
            total = result.data.totalcount or 0
            fetched += len(result.data.records)
            offset += pagesize
        elapsed = time.perf_counter() - started
    return elapsed, fetched


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--rows", type=int, default=9000)
    parser.add_argument("--pagesize", type=int, default=1000)
    args = parser.parse_args()
    tag = f"PG{uuid.uuid4().hex[:6].upper()}"
    with sandbox(args.latency_ms, args.max_concurrency) as box:
        asyncio.run(seed_classes(box, args.rows, tag))
        parallel_s, parallel_rows = asyncio.run(parallel(box, tag, args.pagesize))
        serial_s, serial_rows = asyncio.run(serial(box, tag, args.pagesize))
    pages = math.ceil(args.rows / args.pagesize)
    round_trips = 1 + waves(pages - 1, args.max_concurrency)
    floor_s = round_trips * box.latency_s
    if floor_s == 0:
        skip("with --latency-ms 0 there is no floor to compare against")
    report(f"client_paging: {args.rows} CLASS rows by query, {args.pagesize} a page, latency {args.latency_ms} ms, "
           f"concurrency {args.max_concurrency}", [
        ("pages", f"{pages} (rows read: {parallel_rows} parallel, {serial_rows} serial)"),
        ("measured / floor", f"{parallel_s / floor_s:.2f}x  (floor = {round_trips} round trips x latency: the "
                             "first page, then whole waves of the rest)"),
        ("serial / parallel", f"{serial_s / parallel_s:.1f}x  (serial: one page per request, in order)"),
        ("retries", f"{RETRIES.retries} (requests sent again after a refusal such as HTTP 429)"),
        ("measured", f"{parallel_s:.2f} s parallel, {serial_s:.2f} s serial"),
    ])


if __name__ == "__main__":
    main()
