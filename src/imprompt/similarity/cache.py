"""Bounded caches that the cyclic garbage collector never has to look at.

A dict whose keys are str and whose values are int or float holds no references the
collector could follow, so CPython stops tracking it; `functools.lru_cache` on the
other hand keeps a linked list of cells (and builds a tuple-like key for several
arguments), objects the collector walks on every full pass. Keys here are plain
strings: join several parts with "\\x00". When a cache is full the oldest entry goes.
"""

from __future__ import annotations

from collections.abc import Callable


class FloatCache:
    __slots__ = ("_data", "_max")

    def __init__(self, maxsize: int) -> None:
        self._data: dict[str, float] = {}
        self._max = maxsize

    def get(self, key: str) -> float | None:
        return self._data.get(key)

    def put(self, key: str, value: float) -> None:
        data = self._data
        if len(data) >= self._max:
            del data[next(iter(data))]
        data[key] = value

    def pair(self, a: str, b: str, compute: Callable[[str, str], float]) -> float:
        """compute(a, b), remembered under the key "a\\x00b"."""
        key = a + "\x00" + b
        v = self._data.get(key)
        if v is None:
            v = compute(a, b)
            self.put(key, v)
        return v

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
