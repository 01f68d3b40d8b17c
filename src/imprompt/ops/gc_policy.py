"""How the cyclic garbage collector runs in a serving process.

A busy server holds hundreds of thousands of long-lived container objects (a few
hundred per socket: coroutines, tasks, futures, queues of the websocket and Engine.IO
layers). CPython's collector walks all of a generation at once, and every event waits
meanwhile: with the defaults a pass over the older generations took 0.2-0.6 s at 4,000
players, and with one large young generation (threshold 100,000) each young pass took
35 ms (bench/README.md). So:

- young passes stay small (`YOUNG` allocations, a few ms each);
- every `FREEZE_EVERY` seconds the youngest generation is collected and everything
  that survives is frozen (`gc.freeze`): long-lived objects are then never walked
  again, and the older generations stay nearly empty, so their passes stay short too
  (collecting gen 1 as well before freezing cost 5 % of the CPU at 4,000 players);
- every `FULL_EVERY` seconds everything is unfrozen and collected once (one pause of a
  few hundred ms at most), so cyclic garbage among frozen objects (a socket's leftovers
  after it closed) is freed and memory stays flat. Hourly was too rare: a 30-minute soak
  of games starting and ending grew 17 MiB per 10 minutes waiting for it (bench/README.md);
  every 5 minutes, one pause delays well under 1 % of a busy server's commands;
- after each full pass, on glibc, `malloc_trim(0)` hands the C heap's free pages back to
  the system (glibc returns only the top of its heap by itself): ~18 MiB after the
  start-up pass (models and lexicon loading leave them), 1-2 ms a call; it does not
  change the slope under churn (bench/README.md, soak.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import platform
import sys
import time
from collections.abc import Callable

import structlog

log = structlog.get_logger("imprompt.ops")

YOUNG = 20_000  # gen-0 threshold: allocations between young passes
MIDDLE = 10  # young passes between gen-1 passes
OLD = 100  # gen-1 passes between full passes (CPython also waits for 25 % growth)
FREEZE_EVERY = 5.0
FULL_EVERY = 300.0


def load_malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where there is none (musl, macOS, Windows)."""
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this process already runs on
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


MALLOC_TRIM = load_malloc_trim()


class GcPolicy:
    def __init__(
        self,
        *,
        freeze_every: float = FREEZE_EVERY,
        full_every: float = FULL_EVERY,
        trim: Callable[[int], int] | None = MALLOC_TRIM,
    ) -> None:
        self.freeze_every = freeze_every
        self.full_every = full_every
        self.trim = trim
        self.freezes = 0
        self.full_collections = 0
        self.trims = 0
        self.last_trim: tuple[float, bool] | None = None  # (ms, whether memory went back), for bench/soak.py
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        gc.set_threshold(YOUNG, MIDDLE, OLD)
        self.full()  # start-up objects (models, indexes, the lexicon) are never walked again
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="gc-policy")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def freeze_survivors(self) -> None:
        gc.collect(0)
        gc.freeze()
        self.freezes += 1

    def full(self) -> float:
        """Collect everything once, then freeze it again; returns the pause in seconds."""
        started = time.perf_counter()
        gc.unfreeze()
        freed = gc.collect()
        gc.freeze()
        collected = time.perf_counter()
        released = None
        if self.trim is not None:
            released = bool(self.trim(0))  # 1: some memory went back to the system
            self.trims += 1
        pause = time.perf_counter() - started
        self.full_collections += 1
        trim_ms = round((time.perf_counter() - collected) * 1000, 1)
        if released is not None:
            self.last_trim = (trim_ms, released)
        log.info(
            "gc_full_collection",
            freed=freed,
            frozen=gc.get_freeze_count(),
            ms=round(pause * 1000, 1),
            trim_ms=trim_ms,
            trimmed=released,
        )
        return pause

    async def _run(self) -> None:
        next_full = time.monotonic() + self.full_every
        while True:
            await asyncio.sleep(self.freeze_every)
            if time.monotonic() >= next_full:
                self.full()
                next_full = time.monotonic() + self.full_every
            else:
                self.freeze_survivors()
