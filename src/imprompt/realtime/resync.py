"""Bringing this instance's sockets up to date after Redis trouble (many instances).

- `resend_views`: the fan-out listener was down (realtime/fanout.py), so views other
  instances sent meanwhile never arrived: each seat held here gets the current view.
- `resettle`: Redis lost its data and the rooms came back from the database snapshots
  with everyone disconnected (rooms/presence.py). A socket whose room is back is hung up
  on (the client reconnects and resumes with its token, as after a restart); a socket
  whose room is truly gone is told `room:closed` with reason `lost`.
- `rejoin`: another instance took this one for dead and released its seats: every seated
  socket is hung up on, and its client reconnects and resumes.

Both only reach this instance's sockets (`ignore_queue`): every instance does its own."""

from __future__ import annotations

import contextlib
from collections import defaultdict

import socketio
import structlog

from ..game.rules import Rejected
from ..rooms.presence import Presence
from ..rooms.service import RoomService
from .seats import forget_room

log = structlog.get_logger("imprompt.realtime")


class Resync:
    def __init__(self, sio: socketio.AsyncServer, service: RoomService, presence: Presence) -> None:
        self.sio = sio
        self.service = service
        self.presence = presence

    async def _held(self) -> dict[str, list[tuple[str, str]]]:
        """code -> [(sid, member id)] of the seats this instance's sockets hold, by their sessions."""
        held: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for sid in list(self.presence.seats):
            with contextlib.suppress(KeyError):
                session = await self.sio.get_session(sid)
                if session.get("code"):
                    held[session["code"]].append((sid, session["member"]))
        return held

    async def resend_views(self) -> int:
        sent = 0
        for code, seats in (await self._held()).items():
            for sid, member in seats:
                try:
                    view = await self.service.view(code, member)
                except Rejected:
                    break  # the room is gone: resettle (or the next command) tells them
                await self.sio.emit("room:view", view, to=sid, ignore_queue=True)
                sent += 1
        log.info("views_resent", sockets=sent)
        return sent

    async def resettle(self) -> None:
        back, lost = 0, 0
        for code, seats in (await self._held()).items():
            exists = await self.service.store.load(code) is not None
            for sid, _member in seats:
                if exists:
                    back += 1
                    await self.sio.disconnect(sid, ignore_queue=True)
                else:
                    lost += 1
                    await self.sio.emit("room:closed", {"reason": "lost"}, to=sid, ignore_queue=True)
                    await self.sio.leave_room(sid, code)
                    await forget_room(self.sio, sid, code)
                    await self.presence.drop(sid)
        log.warning("sockets_resettled", resumed=back, closed=lost)

    async def rejoin(self) -> None:
        held = await self._held()
        for seats in held.values():
            for sid, _member in seats:
                await self.sio.disconnect(sid, ignore_queue=True)
        log.warning("sockets_rejoined", sockets=sum(len(s) for s in held.values()))
