"""Per-provider bookkeeping for the chain: circuit breaker, latency, and daily costs."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


class CircuitBreaker:
    """Closed -> open after `threshold` failures in a row -> one trial after `cooldown` seconds."""

    def __init__(self, threshold: int, cooldown: float, clock: Callable[[], float]) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.cooldown else "open"

    def allow(self) -> bool:
        state = self.state
        if state == "closed":
            return True
        if state == "half-open" and not self._trial:
            self._trial = True  # one request tests the water; the rest still skip
            return True
        return False

    def success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self._trial = False

    def failure(self) -> None:
        self.failures += 1
        if self._trial or self.failures >= self.threshold:
            self.opened_at = self.clock()
        self._trial = False


def utc_day() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


@dataclass
class DayCounters:
    requests: int = 0  # provider calls, retries included
    successes: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # by error kind
    images: int = 0
    usd: float = 0.0
    cache_hits: int = 0

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "successes": self.successes,
            "failures": dict(self.failures),
            "images": self.images,
            "usd": round(self.usd, 6),
            "cache_hits": self.cache_hits,
        }


class CostBook:
    """Counters per provider per UTC day; keeps the last `keep_days` days."""

    def __init__(self, today: Callable[[], str] = utc_day, keep_days: int = 7) -> None:
        self.today = today
        self.keep_days = keep_days
        self.days: dict[str, dict[str, DayCounters]] = {}

    def counters(self, provider: str) -> DayCounters:
        day = self.today()
        if day not in self.days:
            self.days[day] = {}
            for old in sorted(self.days)[: -self.keep_days]:
                del self.days[old]
        return self.days[day].setdefault(provider, DayCounters())

    def spent_today(self) -> float:
        return sum(c.usd for c in self.days.get(self.today(), {}).values())

    def as_dict(self) -> dict:
        return {day: {name: c.as_dict() for name, c in providers.items()} for day, providers in self.days.items()}


@dataclass
class ProviderHealth:
    breaker: CircuitBreaker
    latencies: deque = field(default_factory=lambda: deque(maxlen=20))
    last_error: str | None = None
    recent_failures: deque = field(default_factory=lambda: deque(maxlen=10))  # True = failed

    def status(self) -> dict:
        state = self.breaker.state
        if state == "open":
            label = "open"
        elif state == "half-open" or any(self.recent_failures):
            label = "degraded"
        else:
            label = "healthy"
        ordered = sorted(self.latencies)
        return {
            "state": label,
            "breaker": state,
            "last_error": self.last_error,
            "latency_ms_p50": round(ordered[len(ordered) // 2] * 1000, 1) if ordered else None,
            "latency_ms_last": round(self.latencies[-1] * 1000, 1) if self.latencies else None,
        }
