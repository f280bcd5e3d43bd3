"""Retry policy as a value: which dispositions are retried, how often, and how long to wait."""

from __future__ import annotations

import random
from dataclasses import dataclass

from tenacity import RetryCallState


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter; only ``RetriableError`` is ever retried.

    ``attempts`` counts the first try. ``jitter`` is the fraction of each wait that is randomized,
    so clients that failed together do not come back together.
    """

    attempts: int = 5
    initial_wait: float = 0.5
    multiplier: float = 2.0
    max_wait: float = 30.0
    jitter: float = 1.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("a retry policy needs at least one attempt")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter is a fraction between 0 and 1")

    def wait_before(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.max_wait, self.initial_wait * self.multiplier ** (attempt - 1))
        spread = ceiling * self.jitter
        return ceiling - spread + (rng or random).uniform(0.0, spread) if spread else ceiling

    def tenacity_wait(self, state: RetryCallState) -> float:
        return self.wait_before(state.attempt_number)


NO_RETRY = RetryPolicy(attempts=1)
