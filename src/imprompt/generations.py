"""A bounded dict that forgets by generations: similarity/cache.py's caches and the
pictogram generator's memos (why generations, and why plain keys: similarity/cache.py).

New entries go into the young dict; when it holds `maxsize` it becomes the old one (the
previous old one is dropped whole), and a hit in the old dict moves the entry back into
the young one. So it holds at most twice `maxsize` entries and an eviction costs nothing
per entry.
"""

from __future__ import annotations

from typing import Generic, TypeVar

V = TypeVar("V")


class Generations(Generic[V]):
    __slots__ = ("_data", "_old", "_max")

    def __init__(self, maxsize: int) -> None:
        self._data: dict[str, V] = {}
        self._old: dict[str, V] = {}
        self._max = max(1, maxsize)  # each generation holds at most this many

    def get(self, key: str) -> V | None:
        v = self._data.get(key)
        if v is None:
            v = self._old.get(key)
            if v is not None:
                self.put(key, v)
        return v

    def put(self, key: str, value: V) -> None:
        if len(self._data) >= self._max:
            self._old = self._data
            self._data = {}
        self._data[key] = value

    def clear(self) -> None:
        self._data.clear()
        self._old.clear()

    def __len__(self) -> int:
        return len(self._data) + len(self._old)
