"""The company's request slots: a freed slot goes to the highest-priority waiter, first come among equals."""

from __future__ import annotations

import asyncio

import pytest

from ledgerbridge.intacct._limits import CompanySlots, request_priority


async def _take(slots: CompanySlots, name: str, priority: int, order: list[str], release: asyncio.Event) -> None:
    with request_priority(priority):
        async with slots.slot():
            order.append(name)
            await release.wait()


def test_a_freed_slot_goes_to_the_highest_priority_then_first_come() -> None:
    async def scenario() -> list[str]:
        slots, order, release = CompanySlots(1), [], asyncio.Event()
        holder = asyncio.ensure_future(_take(slots, "holder", 0, order, release))
        await asyncio.sleep(0)
        waiting = [asyncio.ensure_future(_take(slots, name, priority, order, release))
                   for name, priority in (("low-1", 0), ("high", 2), ("low-2", 0), ("middle", 1))]
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(holder, *waiting)
        return order

    assert asyncio.run(scenario()) == ["holder", "high", "middle", "low-1", "low-2"]


def test_requests_take_free_slots_at_once_up_to_the_limit() -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        slots, order, release = CompanySlots(2), [], asyncio.Event()
        tasks = [asyncio.ensure_future(_take(slots, name, 0, order, release)) for name in ("a", "b", "c")]
        await asyncio.sleep(0.01)
        running = list(order)
        release.set()
        await asyncio.gather(*tasks)
        return running, order

    running, order = asyncio.run(scenario())
    assert running == ["a", "b"]
    assert order == ["a", "b", "c"]


def test_a_cancelled_waiter_does_not_keep_a_slot() -> None:
    async def scenario() -> list[str]:
        slots, order, release = CompanySlots(1), [], asyncio.Event()
        holder = asyncio.ensure_future(_take(slots, "holder", 0, order, release))
        await asyncio.sleep(0)
        given_up = asyncio.ensure_future(_take(slots, "given-up", 5, order, release))
        later = asyncio.ensure_future(_take(slots, "later", 0, order, release))
        await asyncio.sleep(0)
        given_up.cancel()
        release.set()
        await asyncio.gather(holder, later)
        with pytest.raises(asyncio.CancelledError):
            await given_up
        # Every slot is back: a new request gets one at once.
        async with slots.slot():
            order.append("after")
        return order

    assert asyncio.run(scenario()) == ["holder", "later", "after"]


def test_a_waiter_cancelled_as_its_slot_arrives_passes_the_slot_on() -> None:
    async def scenario() -> list[str]:
        slots, order, release = CompanySlots(1), [], asyncio.Event()
        await slots._acquire(0)
        first = asyncio.ensure_future(_take(slots, "first", 0, order, release))
        second = asyncio.ensure_future(_take(slots, "second", 0, order, release))
        await asyncio.sleep(0)
        slots._release()  # the slot is handed to "first" ...
        first.cancel()  # ... which is cancelled before it runs again
        release.set()
        await asyncio.gather(first, second, return_exceptions=True)
        return order

    assert asyncio.run(scenario()) == ["second"]


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CompanySlots(0)
