"""One process of the shared-slots test: waits for the start time, then reads with `max_concurrency` requests in
flight, holding Redis slots when given a Redis URL. Prints how many reads succeeded."""

from __future__ import annotations

import asyncio
import sys
import time

from ledgerbridge.intacct import (
    ClientOptions,
    IntacctClient,
    Login,
    RedisSlots,
    RetryPolicy,
    Secret,
    Sender,
    read_by_name,
)

SENDER = Sender("ledgerbridge", Secret("sandbox"))
LOGIN = Login("DEMO", "xml_gateway", Secret("sandbox"))


async def read(gateway_url: str, redis_url: str, prefix: str, start_at: float, reads: int, limit: int) -> int:
    shared = RedisSlots(redis_url, prefix=prefix) if redis_url else None
    options = ClientOptions(endpoint=gateway_url, max_concurrency=limit, shared_slots=shared,
                            retry=RetryPolicy(attempts=30, initial_wait=0.05, max_wait=0.3))
    try:
        async with IntacctClient(SENDER, LOGIN, options=options) as client:
            await client.session()
            await asyncio.sleep(max(0.0, start_at - time.time()))
            functions = [read_by_name("GLACCOUNT", ["6110"], controlid=f"shared-{n}") for n in range(reads)]
            outcomes = await client.execute_many(functions, functions_per_request=1)
    finally:
        if shared is not None:
            shared.close()
    return sum(1 for outcome in outcomes if getattr(outcome, "ok", False))


if __name__ == "__main__":
    gateway, redis_url, prefix, start, count, cap = sys.argv[1:7]
    print(asyncio.run(read(gateway, redis_url, prefix, float(start), int(count), int(cap))))
