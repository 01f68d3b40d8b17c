"""The in-loop moving window behind the per-socket and per-seat limits."""

from __future__ import annotations

from limits import parse

from imprompt.realtime.window import Windows


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_allows_amount_per_period_then_says_how_long_to_wait() -> None:
    clock = Clock()
    w = Windows(parse("2 per 5 seconds"), clock)
    assert w.hit("a") is None
    clock.t += 1
    assert w.hit("a") is None
    clock.t += 1
    assert w.hit("a") == 3.0  # the first hit leaves the window at 105
    assert w.hit("b") is None  # keys are independent
    clock.t = 105.0
    assert w.hit("a") is None  # the window moved past the first hit
    assert w.hit("a") == 1.0  # 101 + 5 - 105


def test_refused_hits_are_not_counted() -> None:
    clock = Clock()
    w = Windows(parse("1 per second"), clock)
    assert w.hit("a") is None
    for _ in range(50):
        clock.t += 0.01
        assert w.hit("a") is not None
    clock.t = 101.0
    assert w.hit("a") is None


def test_clear_forgets_a_key() -> None:
    clock = Clock()
    w = Windows(parse("1 per minute"), clock)
    w.hit("a")
    assert w.hit("a") is not None
    w.clear("a")
    w.clear("never-seen")
    assert len(w) == 0 and w.hit("a") is None
