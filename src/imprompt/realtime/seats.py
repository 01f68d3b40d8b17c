"""Which seat each socket holds: at most one.

A socket's seat lives in its socket.io session (`code`, `member`, and `key`, a hash of
the seat's token that tells a resume of the very seat held apart from another seat).
Taking a seat while holding one first disconnects the earlier seat, exactly as a dropped
connection would (it is held for the seat-hold time and can be resumed with its token),
even when both are in the same room; resuming the seat already held changes nothing.

Events that change the seat (create, join, resume, leave) and the disconnect run one at a
time per socket, so two joins sent together cannot both keep a seat, and a join still in
flight when the socket drops does not leave a seat marked connected behind it.

A disconnect that cannot reach the store (Redis down) is tried again in the background
until it goes through; with Redis, `presence` (rooms/presence.py) records each seat this
instance's sockets hold, so the seats of an instance that dies are released elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import socketio
import structlog

from ..game import commands as c
from ..game.rules import Rejected
from ..rooms.presence import Presence
from ..rooms.service import RoomService, Seat

log = structlog.get_logger("imprompt.realtime")

RETRY_FIRST, RETRY_MAX = 0.25, 2.0  # seconds between tries of a disconnect the store refused


def seat_key(code: str, token: str) -> str:
    return hashlib.sha256(f"{code}:{token}".encode()).hexdigest()


async def forget_room(sio: socketio.AsyncServer, sid: str, code: str) -> None:
    """The room removed this socket's seat (kicked, resumed elsewhere): the socket holds none."""
    try:
        async with sio.session(sid) as session:
            if session.get("code") == code:
                session.clear()
    except KeyError:
        pass  # the socket is already gone


class _Slot:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.closed = False


class Gone(Exception):
    """The socket disconnected while its seat was changing."""


class Seats:
    def __init__(self, sio: socketio.AsyncServer, service: RoomService, presence: Presence | None = None) -> None:
        self.sio = sio
        self.service = service
        self.presence = presence
        self._slots: dict[str, _Slot] = {}
        self._retries: set[asyncio.Task[None]] = set()

    async def of(self, sid: str) -> Seat | None:
        """The seat this socket holds, if any."""
        try:
            session = await self.sio.get_session(sid)
        except KeyError:
            return None
        if not session.get("code"):
            return None
        return Seat(session["code"], session["member"], None)

    async def enter(self, sid: str, take: Callable[[], Awaitable[Seat]], *, key: str | None = None) -> Seat:
        """Seat the socket with `take()` (create, join or resume). `key` names the seat a
        resume asks for; when the socket holds that very seat it is not let go first."""
        async with self._changing(sid) as slot:
            session = await self._session(sid)
            held = self._held(session)
            if held is not None and not (key is not None and session.get("key") == key):
                await self._release(sid, held)
            seat = await take()
            if slot.closed or not self.sio.manager.is_connected(sid, "/"):
                await self._disconnect(sid, seat)  # the socket dropped meanwhile: nobody sits there
                raise Gone
            await self.sio.save_session(
                sid,
                {
                    "code": seat.code,
                    "member": seat.member_id,
                    "key": key if key is not None else seat_key(seat.code, seat.token or ""),
                },
            )
            await self.sio.enter_room(sid, seat.code)
            if self.presence is not None:
                await self.presence.hold(sid, seat.code)
        return seat

    async def leave(self, sid: str, leave: Callable[[Seat], Awaitable[object]]) -> None:
        """Give the seat up for good (`leave` runs the Leave command)."""
        async with self._changing(sid):
            held = await self.of(sid)
            if held is None:
                raise Rejected("not_in_room", "Join or create a room first.")
            await leave(held)
            await self.sio.leave_room(sid, held.code)
            await self.sio.save_session(sid, {})

    async def disconnected(self, sid: str) -> Seat | None:
        """The socket is gone: its seat (if any) is marked disconnected; returns it."""
        slot = self._slots.pop(sid, None) or _Slot()
        slot.closed = True  # a seat change waiting for the lock sees it and gives up
        async with slot.lock:
            held = await self.of(sid)
            if held is not None:
                await self._release(sid, held)
            return held

    # ------------------------------------------------------------ steps

    @contextlib.asynccontextmanager
    async def _changing(self, sid: str) -> AsyncIterator[_Slot]:
        slot = self._slots.setdefault(sid, _Slot())
        async with slot.lock:
            if slot.closed:
                raise Gone
            yield slot

    async def _session(self, sid: str) -> dict[str, Any]:
        try:
            session: dict[str, Any] = await self.sio.get_session(sid)
        except KeyError:
            raise Gone from None
        return session

    @staticmethod
    def _held(session: dict[str, Any]) -> Seat | None:
        return Seat(session["code"], session["member"], None) if session.get("code") else None

    async def _release(self, sid: str, seat: Seat) -> None:
        await self.sio.leave_room(sid, seat.code)
        with contextlib.suppress(KeyError):
            await self.sio.save_session(sid, {})
        await self._disconnect(sid, seat)

    async def _disconnect(self, sid: str, seat: Seat) -> None:
        try:
            await self._disconnect_once(sid, seat)
        except Exception as exc:  # the store is unreachable: never lose the disconnect
            log.warning("disconnect_retrying", room=seat.code, error=f"{type(exc).__name__}: {str(exc)[:200]}")
            task = asyncio.create_task(self._retry(sid, seat), name="disconnect-retry")
            self._retries.add(task)
            task.add_done_callback(self._retries.discard)

    async def _disconnect_once(self, sid: str, seat: Seat) -> None:
        with contextlib.suppress(Rejected):  # the seat or the room is gone already
            await self.service.execute(seat.code, c.Disconnect(sid))
        if self.presence is not None:
            await self.presence.drop(sid)

    async def _retry(self, sid: str, seat: Seat) -> None:
        delay = RETRY_FIRST
        while True:
            await asyncio.sleep(delay)
            try:
                await self._disconnect_once(sid, seat)
            except Exception:
                delay = min(RETRY_MAX, delay * 2)
                continue
            log.info("disconnect_recovered", room=seat.code)
            return

    async def stop(self) -> None:
        """Shutdown: retries still waiting are left to the presence reaper of another instance."""
        for task in list(self._retries):
            task.cancel()
        for task in list(self._retries):
            with contextlib.suppress(asyncio.CancelledError):
                await task
