"""The retry policy is a value: capped exponential waits, bounded jitter, validated on construction."""

from __future__ import annotations

import random

import pytest

from ledgerbridge.intacct import RetryPolicy


def test_waits_grow_exponentially_and_stop_at_the_cap() -> None:
    policy = RetryPolicy(attempts=8, initial_wait=0.5, multiplier=2.0, max_wait=5.0, jitter=0.0)
    assert [policy.wait_before(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_stays_within_the_randomized_fraction() -> None:
    policy = RetryPolicy(initial_wait=4.0, max_wait=4.0, jitter=0.25)
    rng = random.Random(7)
    waits = [policy.wait_before(1, rng) for _ in range(200)]
    assert min(waits) >= 3.0
    assert max(waits) <= 4.0
    assert len(set(waits)) > 100  # clients that failed together do not return together


def test_defaults_are_production_sized() -> None:
    policy = RetryPolicy()
    assert policy.attempts == 5
    assert policy.wait_before(20) <= policy.max_wait == 30.0


@pytest.mark.parametrize("kwargs", [{"attempts": 0}, {"jitter": 1.5}, {"jitter": -0.1}])
def test_nonsense_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"attempt|jitter"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
