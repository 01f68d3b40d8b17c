"""A moving-window rate limit kept in the event loop: `Windows(rate).hit(key)`.

The per-socket and per-seat limits are hit on every event, so they must cost next to
nothing. `limits`' MemoryStorage starts a timer thread that sweeps every key after
hits; at a few thousand events a second that thread took a third of the server's CPU
and fought the event loop for the GIL (bench/README.md). Here each key holds the times
of its recent hits in an `array` of doubles (one small object, no float objects):
trimmed on each hit, forgotten with `clear` when the socket goes.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable

from limits import RateLimitItem


class Windows:
    """At most `rate.amount` hits per key in any `rate.get_expiry()` seconds."""

    __slots__ = ("amount", "period", "clock", "_hits")

    def __init__(self, rate: RateLimitItem, clock: Callable[[], float] = time.monotonic) -> None:
        self.amount = rate.amount
        self.period = float(rate.get_expiry())
        self.clock = clock
        self._hits: dict[str, array[float]] = {}

    def hit(self, key: str) -> float | None:
        """Count a hit: None when it is allowed, else the seconds until one would be."""
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            self._hits[key] = array("d", (now,))
            return None
        start = now - self.period
        old = 0
        for t in hits:  # oldest first; a window holds at most `amount` times
            if t > start:
                break
            old += 1
        if old:
            del hits[:old]
        if len(hits) < self.amount:
            hits.append(now)
            return None
        return hits[0] + self.period - now

    def clear(self, key: str) -> None:
        self._hits.pop(key, None)

    def __len__(self) -> int:
        return len(self._hits)
