"""A small bounded memo for the generator's seed-free steps (a prompt's plan, a word's match).

Theme-pack prompts come back again and again with other seeds, and their words more so.
Eviction is by generations as in similarity/cache.py: when the young dict holds `maxsize`
it becomes the old one and the previous old one is dropped whole, so a memo holds at most
twice `maxsize` entries and an eviction costs nothing per entry.
"""

from __future__ import annotations

from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    __slots__ = ("_data", "_old", "_max")

    def __init__(self, maxsize: int) -> None:
        self._data: dict[str, V] = {}
        self._old: dict[str, V] = {}
        self._max = max(1, maxsize)

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
