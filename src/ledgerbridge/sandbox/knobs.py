"""Latency, per-company concurrency limits and injected faults, for benchmarks and reliability tests.

Faults are drawn from a seeded random generator in arrival order, so a run can be repeated.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["drop", "lost", "503", "524", "slow"]
FAULT_KINDS: tuple[FaultKind, ...] = ("drop", "lost", "503", "524", "slow")
FAULT_HELP = {
    "drop": "connection dropped before the request is processed",
    "lost": "request processed and committed, then the connection dropped (response lost)",
    "503": "HTTP 503 before the request is processed",
    "524": "HTTP 524 after the request was processed and committed",
    "slow": "request processed and committed, then the response held back past a client's timeout",
}


class KnobError(ValueError):
    """A knob given on the command line does not parse."""


def parse_faults(spec: str) -> dict[FaultKind, float]:
    """'drop=0.02,lost=0.05,503=0.01' -> probabilities per kind; their sum may not exceed 1."""
    rates: dict[FaultKind, float] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in FAULT_KINDS:
            raise KnobError(f"unknown fault kind {name!r}; known kinds: {', '.join(FAULT_KINDS)}")
        try:
            rate = float(value)
        except ValueError:
            raise KnobError(f"fault {name!r} needs a probability between 0 and 1, got {value!r}") from None
        if not 0 <= rate <= 1:
            raise KnobError(f"fault {name!r} needs a probability between 0 and 1, got {value!r}")
        rates[name] = rate
    if sum(rates.values()) > 1:
        raise KnobError("fault probabilities add up to more than 1")
    return rates


@dataclass
class Knobs:
    latency_ms: int = 0
    jitter_ms: int = 0
    max_concurrency: int | None = None
    faults: dict[FaultKind, float] = field(default_factory=dict)
    fault_seed: int | None = None
    slow_ms: int = 30_000

    def __post_init__(self) -> None:
        self._random = random.Random(self.fault_seed)
        self._lock = threading.Lock()

    def delay_seconds(self) -> float:
        if not self.latency_ms and not self.jitter_ms:
            return 0.0
        with self._lock:
            jitter = self._random.uniform(-self.jitter_ms, self.jitter_ms) if self.jitter_ms else 0.0
        return max(self.latency_ms + jitter, 0.0) / 1000

    def draw_fault(self) -> FaultKind | None:
        if not self.faults:
            return None
        with self._lock:
            roll = self._random.random()
        for kind in FAULT_KINDS:
            rate = self.faults.get(kind, 0.0)
            if roll < rate:
                return kind
            roll -= rate
        return None


class Stats:
    """Requests, concurrency and documents per company, as served at GET /stats."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.functions: Counter[str] = Counter()
        self.documents: Counter[str] = Counter()
        self.rate_limited: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.in_flight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()

    def enter(self, company: str, limit: int | None) -> bool:
        """Admit a request for a company, or refuse it when the company is at its limit."""
        with self._lock:
            self.requests[company] += 1
            if limit is not None and self.in_flight[company] >= limit:
                self.rate_limited[company] += 1
                return False
            self.in_flight[company] += 1
            self.peak[company] = max(self.peak[company], self.in_flight[company])
            return True

    def leave(self, company: str) -> None:
        with self._lock:
            self.in_flight[company] -= 1

    def completed(self, company: str, functions: int, documents: int) -> None:
        with self._lock:
            self.functions[company] += functions
            self.documents[company] += documents

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            companies = sorted(set(self.requests) | set(self.documents))
            return {
                "companies": {
                    company: {
                        "requests": self.requests[company],
                        "functions": self.functions[company],
                        "documents": self.documents[company],
                        "rate_limited": self.rate_limited[company],
                        "in_flight": self.in_flight[company],
                        "peak_concurrency": self.peak[company],
                    }
                    for company in companies
                },
                "faults": dict(self.faults),
            }
