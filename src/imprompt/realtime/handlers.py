"""Binds the socket.io server to the RoomService.

The connection's life (connect: the per-IP connection limit; disconnect: the seat is
marked disconnected, the socket's limits forgotten) is here; every other event goes to
the one dispatcher (dispatch.py), which runs the declared event table (events.py).
"""

from __future__ import annotations

from typing import Any

import socketio

from ..rooms.presence import Presence
from ..rooms.service import RoomService
from .dispatch import Dispatcher
from .events import EVENTS
from .limits import SocketLimits
from .seats import Seats
from .server import SocketServer


class Realtime:
    def __init__(
        self,
        sio: SocketServer,
        service: RoomService,
        *,
        guess_rate: str = "2/second",
        chat_rate: str = "2/second",
        event_rate: str = "20/second",
        ops: Any = None,
        presence: Presence | None = None,
    ) -> None:
        self.sio = sio  # a SocketServer answers frames whose event name is not a string (server.py)
        self.service = service
        self.ops = ops
        self.seats = Seats(self.sio, service, presence)  # presence: with Redis, see rooms/presence.py
        self.limits = SocketLimits(
            guess_rate=guess_rate, chat_rate=chat_rate, event_rate=event_rate, ops=ops, disconnect=self.sio.disconnect
        )
        self.dispatch = Dispatcher(
            EVENTS,
            service=service,
            seats=self.seats,
            limits=self.limits,
            metrics=ops.metrics if ops is not None else None,
        )
        self.sio.frame_limit = self.limits.admit  # dropped frames count against the event limit too
        self.connections = 0
        self.sio.on("connect", self.connect)
        self.sio.on("disconnect", self.disconnect)
        self.sio.on("*", self.dispatch.handle)  # a coroutine function: python-socketio awaits it

    # ------------------------------------------------------------ the connection

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        refused = await self.limits.connect(sid, environ.get("asgi.scope") or {})
        if refused:
            # the client's connect_error gets {message, data: {code, message, retryAfter}}
            raise socketio.exceptions.ConnectionRefusedError(refused["message"], refused)
        self.connections += 1
        await self.sio.save_session(sid, {})

    async def disconnect(self, sid: str, *reason: Any) -> None:
        self.connections -= 1
        seat = await self.seats.disconnected(sid)
        self.limits.disconnected(sid, seat)
