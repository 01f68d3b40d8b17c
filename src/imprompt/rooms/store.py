"""Where room states live between commands. One interface, two implementations:
in memory (the embedded default) and Redis (many instances). Both keep the JSON
form, so a room read back is exactly the room written, whichever store holds it.

Ownership, so that a command need not copy the room: `save(state)` hands the state to
the store (the caller may go on reading it, never changes it again); `load` hands it
to the one writer that holds the room's `lock`, which changes it and saves it, or,
when its command is refused, calls `revert` so the store forgets the changed object.
MemoryStore keeps the saved object itself next to its JSON (parsing the room on every
command was a tenth of the server's CPU under load); Redis parses on every load."""

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

    async def revert(self, code: str) -> None:
        """The loaded object was changed by a refused command: the next load reads the last save."""

    async def codes(self) -> set[str]: ...

    async def count(self) -> int: ...

    def lock(self, code: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Serialise commands for one room."""

    async def close(self) -> None: ...


class MemoryStore:
    def __init__(self) -> None:
        self._rooms: dict[str, str | None] = {}  # None: reserved, not yet saved
        self._states: dict[str, RoomState] = {}  # the object last saved (or parsed back), per room
        self._locks: dict[str, asyncio.Lock] = {}

    async def reserve(self, code: str) -> bool:
        if code in self._rooms:
            return False
        self._rooms[code] = None
        return True

    async def load(self, code: str) -> RoomState | None:
        state = self._states.get(code)
        if state is not None:
            return state
        raw = self._rooms.get(code)
        if raw is None:
            return None
        state = self._states[code] = RoomState.model_validate_json(raw)
        return state

    async def save(self, state: RoomState) -> None:
        self._rooms[state.code] = state.model_dump_json()
        self._states[state.code] = state

    async def revert(self, code: str) -> None:
        self._states.pop(code, None)

    async def delete(self, code: str) -> None:
        self._rooms.pop(code, None)
        self._states.pop(code, None)
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
