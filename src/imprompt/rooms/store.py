"""Where room states live between commands. One interface, two implementations:
in memory (the embedded default) and Redis (many instances). Both store the JSON
form, so a room read back is exactly the room written, whichever store holds it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Protocol

from ..game.state import RoomState


class RoomStore(Protocol):
    async def reserve(self, code: str) -> bool:
        """Claim a new code; False if it is taken."""

    async def load(self, code: str) -> RoomState | None: ...

    async def save(self, state: RoomState) -> None: ...

    async def delete(self, code: str) -> None: ...

    async def codes(self) -> set[str]: ...

    async def count(self) -> int: ...

    def lock(self, code: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Serialise commands for one room."""

    async def close(self) -> None: ...


class MemoryStore:
    def __init__(self) -> None:
        self._rooms: dict[str, str | None] = {}  # None: reserved, not yet saved
        self._locks: dict[str, asyncio.Lock] = {}

    async def reserve(self, code: str) -> bool:
        if code in self._rooms:
            return False
        self._rooms[code] = None
        return True

    async def load(self, code: str) -> RoomState | None:
        raw = self._rooms.get(code)
        return None if raw is None else RoomState.model_validate_json(raw)

    async def save(self, state: RoomState) -> None:
        self._rooms[state.code] = state.model_dump_json()

    async def delete(self, code: str) -> None:
        self._rooms.pop(code, None)
        self._locks.pop(code, None)

    async def dump(self, code: str) -> str | None:
        """The room's JSON as stored, for copying it elsewhere without parsing it."""
        return self._rooms.get(code) or None

    async def codes(self) -> set[str]:
        return set(self._rooms)

    async def count(self) -> int:
        return len(self._rooms)

    @contextlib.asynccontextmanager
    async def lock(self, code: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(code, asyncio.Lock())
        async with lock:
            yield

    async def close(self) -> None:
        return None
