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


class FloatCache:
    __slots__ = ("_data", "_old", "_max")

    def __init__(self, maxsize: int) -> None:
        self._data: dict[str, float] = {}
        self._old: dict[str, float] = {}
        self._max = max(1, maxsize)  # each generation holds at most this many

    def get(self, key: str) -> float | None:
        v = self._data.get(key)
        if v is None:
            v = self._old.get(key)
            if v is not None:
                self.put(key, v)
        return v

    def put(self, key: str, value: float) -> None:
        if len(self._data) >= self._max:
            self._old = self._data
            self._data = {}
        self._data[key] = value

    def pair(self, a: str, b: str, compute: Callable[[str, str], float]) -> float:
        """compute(a, b), remembered under the key "a\\x00b"."""
        key = a + "\x00" + b
        v = self.get(key)
        if v is None:
            v = compute(a, b)
            self.put(key, v)
        return v

    def clear(self) -> None:
        self._data.clear()
        self._old.clear()

    def __len__(self) -> int:
        return len(self._data) + len(self._old)
