"""Bounded caches that the cyclic garbage collector never has to look at.

A dict whose keys are str and whose values are int or float holds no references the
collector could follow, so CPython stops tracking it; `functools.lru_cache` on the
other hand keeps a linked list of cells (and builds a tuple-like key for several
arguments), objects the collector walks on every full pass. Keys here are plain
strings: join several parts with "\\x00".

Eviction is by generations, not one entry at a time: new entries go into the young
dict; when it holds `maxsize` it becomes the old one (the previous old one is dropped
whole) and a hit in the old dict moves the entry back into the young one. So a cache
holds up to twice `maxsize`, and never fewer than a cache that evicted one at a time
would (a young dict of half the size lost 12 % of the speed in a one-minute run). Deleting a dict's
first key over and over (`del d[next(iter(d))]`) is not O(1) in CPython: the deleted
slots stay at the front until the next resize and every `next(iter(d))` walks them; at
65,536 entries that cost ~12 µs per eviction and was the largest single cost of a
cold guess (bench/README.md, issue 10).
"""

from __future__ import annotations

from collections.abc import Callable

from ..generations import Generations


class FloatCache(Generations[float]):
    __slots__ = ()

    def pair(self, a: str, b: str, compute: Callable[[str, str], float]) -> float:
        """compute(a, b), remembered under the key "a\\x00b"."""
        key = a + "\x00" + b
        v = self.get(key)
        if v is None:
            v = compute(a, b)
            self.put(key, v)
        return v


_NO_ROW: dict[str, float] = {}  # an old generation's missing row; never written to


class RowCache:
    """A FloatCache keyed by two strings, as one dict per first key ("row"): a caller that
    looks up many second keys under one first key (a prompt word against each word of a
    guess) fetches the row once and then does one plain dict lookup per cell, with no key
    strings joined. Rows are str -> float dicts, untracked by the collector; only the outer
    dicts are tracked.

    The same generations as FloatCache, cell by cell: `put` counts each cell; when the
    young generation was given `maxsize` cells, it becomes the old one, and the caller
    copies a cell found only in the old row into the young row."""

    __slots__ = ("_rows", "_old", "_added", "_max")

    def __init__(self, maxsize: int) -> None:
        self._rows: dict[str, dict[str, float]] = {}
        self._old: dict[str, dict[str, float]] = {}
        self._added = 0
        self._max = max(1, maxsize)

    def rows(self, key: str) -> tuple[dict[str, float], dict[str, float]]:
        """(young row, old row) of a first key: look in the young one first; write only
        through `put`, into the young one."""
        young = self._rows.get(key)
        if young is None:
            young = self._rows[key] = {}
        return young, self._old.get(key, _NO_ROW)

    def put(self, row: dict[str, float], key: str, value: float) -> None:
        row[key] = value
        self._added += 1
        if self._added >= self._max:
            self._old = self._rows
            self._rows = {}
            self._added = 0

    def clear(self) -> None:
        self._rows.clear()
        self._old.clear()
        self._added = 0

    def __len__(self) -> int:
        return sum(len(r) for r in self._rows.values()) + sum(len(r) for r in self._old.values())
