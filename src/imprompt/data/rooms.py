"""Live rooms that survive a restart (single-instance mode, rooms in process memory).

- `RoomChanges` is told by the RoomService (as one of its observers) which rooms changed.
- `RoomSaver` writes the changed rooms to the `saved_rooms` table every few seconds and
  once more at shutdown, each time in one transaction: a process killed mid-save leaves
  the previous save intact (SQLite WAL / PostgreSQL commit), never half a room.
- At start, `RoomSaver.restore` loads them back through `game.reopen` (times move
  forward by the downtime, everybody is marked disconnected at once, so seats are held
  and players resume with their tokens) and `RoomService.restore` (saved, scheduled,
  and an image that was being drawn is asked for again).

With Redis (`shared=True`) the rooms live outside the process, and the snapshots are
what brings them back when Redis loses its data (rooms/presence.py). Each instance saves
the rooms its own commands changed (a set add per command, one batch every interval, and
at once after a turn or a game ends, so a scored turn is never played again from an
older snapshot); a newer revision is never replaced by an older one, a room missing from
Redis is deleted only when this instance saw it end (missing may mean Redis lost it), and
there is no adopting (the instances share the rooms already).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import structlog
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ..game import reopen
from ..game.state import RoomState
from ..rooms.store import RoomStore
from .models import saved_rooms

if TYPE_CHECKING:
    from ..rooms.service import RoomService

log = structlog.get_logger("imprompt.rooms.saved")

REVISION_JUMP = 10_000  # far more commands than one room runs between two snapshots


# ---------------------------------------------------------------- dirty tracking


class RoomChanges:
    """A RoomService observer: which rooms were saved or deleted since `take_dirty`."""

    def __init__(self) -> None:
        self._dirty: set[str] = set()
        self._ended: set[str] = set()  # deleted by a command since `take_dirty` (not only missing)
        self.deleted: set[str] = set()  # rooms that ended here while adopting (never adopted back)
        self.track_deletes = False

    def room_saved(self, state: RoomState) -> None:
        self._dirty.add(state.code)
        self._ended.discard(state.code)

    def room_deleted(self, code: str) -> None:
        self._dirty.add(code)
        self._ended.add(code)
        if self.track_deletes:
            self.deleted.add(code)

    def take_dirty(self) -> set[str]:
        dirty, self._dirty = self._dirty, set()
        return dirty

    def take_ended(self) -> set[str]:
        ended, self._ended = self._ended, set()
        return ended

    def mark_dirty(self, codes: set[str], ended: set[str] | None = None) -> None:
        self._dirty |= codes
        self._ended |= ended or set()


async def _raw(store: RoomStore, code: str) -> str | None:
    """The room's JSON, without parsing it when the store can hand it over (MemoryStore.dump)."""
    dump = getattr(store, "dump", None)
    if dump is not None:
        return await dump(code)
    state = await store.load(code)
    return None if state is None else state.model_dump_json()


# ---------------------------------------------------------------- saving and restoring


class RoomSaver:
    # After a start, rooms another instance saves later are adopted (see `adopt_newer`).
    ADOPT_WINDOW = 600.0
    ADOPT_POLL = 1.0

    def __init__(
        self,
        engine: AsyncEngine,
        store: RoomStore,
        *,
        interval: float = 5.0,
        clock: Callable[[], float] = time.time,
        shared: bool = False,
    ) -> None:
        self.engine = engine
        self.store = store
        self.shared = shared  # Redis: other instances save the same rooms (see the module's doc)
        self._urgent = asyncio.Event()
        self.changes = RoomChanges()  # give it to the RoomService as an observer
        self.interval = interval
        self.clock = clock
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self.saves = 0
        self.last_saved_at: float | None = None
        self._service: RoomService | None = None
        self._restored: dict[str, int] = {}  # code -> revision as restored or adopted here
        self._adopt_since = 0.0  # saved_at of the newest row seen
        self._adopt_until = 0.0  # time.monotonic() when adopting stops

    async def save_changed(self) -> int:
        """Write every room that changed since the last save, in one transaction."""
        async with self._lock:
            dirty = self.changes.take_dirty()
            ended = self.changes.take_ended()
            if not dirty:
                return 0
            try:
                now = self.clock()
                rows, gone = [], []
                for i, code in enumerate(sorted(dirty)):
                    raw = await _raw(self.store, code)
                    if raw:
                        revision = _revision(raw)
                        rows.append({"code": code, "revision": revision, "saved_at": now, "state": raw})
                    elif not self.shared or code in ended:
                        gone.append(code)
                    if i % 200 == 199:
                        await asyncio.sleep(0)  # let game events through between large batches
                async with self.engine.begin() as conn:
                    if gone:
                        await conn.execute(delete(saved_rooms).where(saved_rooms.c.code.in_(gone)))
                    if rows:
                        await conn.execute(_replace_statement(conn, newer_only=self.shared), rows)
            except BaseException:
                self.changes.mark_dirty(dirty, ended)  # try again next time
                raise
            self.saves += 1
            self.last_saved_at = now
            return len(dirty)

    async def save_all(self) -> int:
        """Save every live room (at shutdown), whether or not it changed. Shared (Redis):
        only those this instance changed; the others are the running instances' to save."""
        if not self.shared:
            self.changes.mark_dirty(await self.store.codes())
        return await self.save_changed()

    async def on_summary(self, effect: object) -> None:
        """A RoomService summary listener: a turn or a game ended, save without waiting."""
        self._urgent.set()

    def start(self) -> None:
        if self._task is None and self.interval > 0:
            self._task = asyncio.create_task(self._run(), name="room-saver")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        failing = False
        next_save = time.monotonic() + self.interval
        while True:
            adopting = self._service is not None and time.monotonic() < self._adopt_until
            if not adopting and self.changes.track_deletes:
                self.changes.track_deletes = False  # the window is over: forget, so memory stays flat
                self.changes.deleted.clear()
                self._restored.clear()
            wait = max(0.0, next_save - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._urgent.wait(), min(wait, self.ADOPT_POLL) if adopting else wait)
            if self._urgent.is_set():
                self._urgent.clear()
                next_save = time.monotonic()
            try:
                if adopting:
                    await self.adopt_newer()
                if time.monotonic() < next_save:
                    continue
                next_save = time.monotonic() + self.interval
                await self.save_changed()
                if failing:
                    log.info("room_save_recovered")
                failing = False
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not failing:
                    log.warning("room_save_failed", error=f"{type(exc).__name__}: {str(exc)[:200]}")
                failing = True

    async def load(self) -> list[tuple[str, float, str]]:
        async with self.engine.connect() as conn:
            result = await conn.execute(select(saved_rooms.c.code, saved_rooms.c.saved_at, saved_rooms.c.state))
            return [(r.code, r.saved_at, r.state) for r in result]

    async def restore(self, service: RoomService) -> int:
        """Put the saved rooms back into the service's store; returns how many."""
        restored, dropped, ended, downtime = 0, set(), set(), 0.0
        now = service.clock()
        for code, saved_at, raw in await self.load():
            try:
                state = RoomState.model_validate_json(raw)
            except ValidationError as exc:
                log.error("saved_room_unreadable", room=code, error=str(exc)[:300])
                dropped.add(code)
                continue
            downtime = max(downtime, now - saved_at)
            self._adopt_since = max(self._adopt_since, saved_at)
            state = reopen(state, saved_at, now)
            if state.closed:
                dropped.add(code)
                ended.add(code)
                continue
            if not await self.store.reserve(code):
                dropped.add(code)  # live in Redis already: saved again from there
                continue
            if self.shared:  # clients saw revisions the snapshot lacks: never look older than them
                state.revision += REVISION_JUMP
            await self._put(service, state)
            restored += 1
        self.changes.mark_dirty(dropped, ended)  # absent from the store: their rows get deleted
        self._service = service
        if not self.shared:
            self._adopt_until = time.monotonic() + self.ADOPT_WINDOW
            self.changes.track_deletes = True
        if restored or dropped:
            log.info("rooms_restored", rooms=restored, dropped=len(dropped), downtime_seconds=round(downtime, 1))
        return restored

    async def _put(self, service: RoomService, state: RoomState) -> None:
        await service.restore(state)
        if not self.shared:
            self._restored[state.code] = state.revision

    async def adopt_newer(self) -> int:
        """During a deploy the new instance starts (and restores) while the old one still
        serves; the old one saves its rooms once more when it gets SIGTERM. Take those
        newer copies, for rooms nobody has touched here yet (and rooms opened there in
        the meantime), so the players who move over resume where they really were."""
        service = self._service
        if service is None:
            return 0
        # Most new rows are this instance's own saves: read codes and revisions first, and
        # the rooms' JSON only for those that may be newer than the copy here.
        async with self.engine.connect() as conn:
            heads = (
                await conn.execute(
                    select(saved_rooms.c.code, saved_rooms.c.revision, saved_rooms.c.saved_at).where(
                        saved_rooms.c.saved_at > self._adopt_since
                    )
                )
            ).all()
            wanted = []
            for head in heads:
                self._adopt_since = max(self._adopt_since, head.saved_at)
                if head.code in self.changes.deleted:
                    continue
                local = await self.store.load(head.code)
                if local is None or (
                    local.revision == self._restored.get(head.code) and head.revision > local.revision
                ):
                    wanted.append(head.code)
            rows: Sequence[Any] = []
            if wanted:
                rows = (
                    await conn.execute(
                        select(
                            saved_rooms.c.code, saved_rooms.c.revision, saved_rooms.c.saved_at, saved_rooms.c.state
                        ).where(saved_rooms.c.code.in_(wanted))
                    )
                ).all()
        adopted = 0
        for row in rows:
            try:
                saved = RoomState.model_validate_json(row.state)
            except ValidationError:
                continue
            async with self.store.lock(row.code):
                local = await self.store.load(row.code)
                if local is None:
                    if not await self.store.reserve(row.code):
                        continue
                elif local.revision != self._restored.get(row.code) or row.revision <= local.revision:
                    continue  # played here since, or not newer
                await self._put(service, reopen(saved, row.saved_at, service.clock()))
            adopted += 1
        if adopted:
            log.info("rooms_adopted", rooms=adopted)
        return adopted


def _revision(raw: str) -> int:
    # The revision is near the start of the JSON; a full parse is not needed for it.
    key = '"revision":'
    at = raw.find(key)
    if at < 0:
        return 0
    digits = ""
    for ch in raw[at + len(key) : at + len(key) + 20].lstrip():
        if not ch.isdigit():
            break
        digits += ch
    return int(digits or 0)


def _replace_statement(conn: Any, *, newer_only: bool = False):
    """INSERT ... ON CONFLICT (code) DO UPDATE: the saved room replaced (executemany);
    `newer_only`: unless the row holds a newer revision (another instance saved it)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert: Any = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(saved_rooms)
    return stmt.on_conflict_do_update(
        index_elements=["code"],
        set_={"revision": stmt.excluded.revision, "saved_at": stmt.excluded.saved_at, "state": stmt.excluded.state},
        where=saved_rooms.c.revision <= stmt.excluded.revision if newer_only else None,
    )
