"""How the RoomService reaches sockets: its `Emitter` protocol (rooms/service.py) over socket.io."""

from __future__ import annotations

from typing import Any

import socketio

from .seats import forget_room


class SocketEmitter:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio

    async def send(self, sid: str, event: str, payload: Any) -> None:
        await self.sio.emit(event, payload, to=sid)

    async def to_room(self, code: str, event: str, payload: Any) -> None:
        await self.sio.emit(event, payload, room=code)

    async def detach(self, sid: str, code: str) -> None:
        """The socket no longer sits in the room (kicked, or its seat resumed elsewhere)."""
        await self.sio.leave_room(sid, code)
        await forget_room(self.sio, sid, code)
