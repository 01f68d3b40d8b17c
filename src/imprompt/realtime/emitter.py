"""How the RoomService reaches sockets: its `Emitter` protocol (rooms/service.py) over socket.io."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

from .seats import forget_room


class SocketEmitter:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio

    async def send(self, sid: str, event: str, payload: Any) -> None:
        sio = self.sio
        manager = sio.manager
        if type(manager) is not socketio.AsyncManager:  # Redis: the socket may be another instance's
            await sio.emit(event, payload, to=sid)
            return
        # One process: straight to the socket. Upstream's emit starts a task per recipient
        # and waits for them (asyncio.wait), for the one packet a view or a notice is.
        eio_sid = manager.eio_sid_from_sid(sid, "/")
        if eio_sid is None:  # gone, as upstream's emit to a room nobody is in
            return
        encoded = sio.packet_class(packet.EVENT, namespace="/", data=[event, payload]).encode()
        await sio.eio.send_packet(eio_sid, eio_packet.Packet(eio_packet.MESSAGE, encoded))

    async def send_many(self, sends: Sequence[tuple[str, str, Any]]) -> None:
        if type(self.sio.manager) is not socketio.AsyncManager:  # Redis: each send waits on a publish
            await asyncio.gather(*(self.send(*s) for s in sends))
            return
        # In one process a send returns without waiting (realtime/server.py writes in the
        # caller's coroutine), so a task per send would only add cost: 65-77 us for a
        # room of five against 2 us awaiting them in turn (bench/README.md).
        for sid, event, payload in sends:
            await self.send(sid, event, payload)

    async def to_room(self, code: str, event: str, payload: Any) -> None:
        await self.sio.emit(event, payload, room=code)

    async def detach(self, sid: str, code: str) -> None:
        """The socket no longer sits in the room (kicked, or its seat resumed elsewhere)."""
        await self.sio.leave_room(sid, code)
        await forget_room(self.sio, sid, code)
