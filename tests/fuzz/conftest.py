"""The fuzz suite's server: one real server on loopback per module, on an event loop of its
own (hypothesis runs plain functions; each step runs on that loop until it is done)."""

from __future__ import annotations

import pytest

from .harness import Harness
from .profile import LONG, REACHED, TRIED


@pytest.fixture(scope="module")
def harness():
    with Harness.running() as h:
        yield h


def pytest_terminal_summary(terminalreporter) -> None:
    if TRIED:
        mode = "long" if LONG else "bounded"
        lines = ", ".join(f"{name}: {n}" for name, n in sorted(TRIED.items()))
        terminalreporter.write_line(f"fuzz ({mode}): cases tried: {lines}; total {sum(TRIED.values())}")
    if REACHED:
        terminalreporter.write_line(
            "fuzz: steps seen in each phase: " + ", ".join(f"{k} {v}" for k, v in REACHED.items())
        )
