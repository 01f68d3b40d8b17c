"""Where room states live between commands. One interface, two implementations:
in memory (the embedded default) and Redis (many instances). Both keep the JSON
form, so a room read back is exactly the room written, whichever store holds it.

Ownership, so that a command need not copy the room: `save(state)` hands the state to
the store (the caller may go on reading it, never changes it again); `load` hands it
to the one writer that holds the room's `lock`, which changes it and saves it, or,
when its command is refused, calls `revert`. MemoryStore keeps the saved object itself
(parsing the room on every command was a tenth of the server's CPU under load) and
writes its JSON only when something reads it (`dump`: the room saver's 5 s tick), not
on every save (7 % of the server's samples). That is exact because a refused command
changes nothing (rules/apply.py, tests/unit/test_owned_refusals.py). A command that
fails with an exception (a bug in the rules) may have changed the room half-way: the
room goes back to its last written JSON, at most one saver interval old. Redis parses
on every load and writes on every save."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Protocol

import structlog

from ..game.rules import Rejected
from ..game.state import RoomState

log = structlog.get_logger("imprompt.rooms")


class RoomStore(Protocol):
    async def reserve(self, code: str) -> bool:
        """Claim a new code; False if it is taken."""

    async def load(self, code: str) -> RoomState | None: ...

    async def save(self, state: RoomState) -> None: ...

    async def delete(self, code: str) -> None: ...

    async def revert(self, code: str) -> None:
        """The writer's command was refused or failed: the next load reads the last save."""

    async def codes(self) -> set[str]: ...

    async def count(self) -> int: ...

    def lock(self, code: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Serialise commands for one room."""

    async def close(self) -> None: ...


class MemoryStore:
    def __init__(self) -> None:
        self._rooms: dict[str, str | None] = {}  # the last written JSON; None: reserved, not yet saved
        self._states: dict[str, RoomState] = {}  # the object last saved (or parsed back), per room
        self._stale: set[str] = set()  # rooms saved since their JSON was written
        self._held: dict[str, bool] = {}  # rooms whose lock is held -> whether the writer reverted
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
        code = state.code
        self._states[code] = state
        if code in self._held and self._rooms.get(code):
            self._stale.add(code)  # the writer's save: the JSON is written when it is read
        else:  # a first save, or one outside the room's lock (a restore, a tool): written now
            self._rooms[code] = state.model_dump_json()
            self._stale.discard(code)

    async def revert(self, code: str) -> None:
        if code not in self._stale:
            self._states.pop(code, None)  # the JSON is the last save: parse it back
        elif code in self._held:
            self._held[code] = True  # the object is the last save unless the command failed: see lock()
        else:
            self._roll_back(code)  # outside the lock nobody vouches for the object

    def _roll_back(self, code: str) -> None:
        """A failed command may have changed the room half-way: back to its last JSON."""
        broken = self._states.pop(code, None)
        self._stale.discard(code)
        raw = self._rooms.get(code)
        if broken is None or not raw:
            return
        state = RoomState.model_validate_json(raw)
        written = state.revision
        state.revision = max(written, broken.revision) + 1  # clients take views newer than theirs only
        self._states[code] = state
        self._rooms[code] = state.model_dump_json()
        log.error("room_rolled_back", room=code, written_revision=written, lost_revisions=broken.revision - written)

    async def delete(self, code: str) -> None:
        self._rooms.pop(code, None)
        self._states.pop(code, None)
        self._stale.discard(code)
        self._locks.pop(code, None)

    async def dump(self, code: str) -> str | None:
        """The room's JSON, written now if it was saved since (the room saver's tick)."""
        if code in self._stale:
            self._stale.discard(code)
            self._rooms[code] = self._states[code].model_dump_json()
        return self._rooms.get(code) or None

    async def codes(self) -> set[str]:
        return set(self._rooms)

    async def count(self) -> int:
        return len(self._rooms)

    @contextlib.asynccontextmanager
    async def lock(self, code: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(code, asyncio.Lock())
        async with lock:
            self._held[code] = False
            try:
                yield
            except Rejected:
                raise  # refused: the rules changed nothing
            except BaseException:
                if self._held.get(code) and code in self._stale:
                    self._roll_back(code)
                raise
            finally:
                self._held.pop(code, None)

    async def close(self) -> None:
        return None
