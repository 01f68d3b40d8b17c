"""SocketEmitter.send in one process writes straight to the socket (realtime/emitter.py)."""

from __future__ import annotations

import asyncio
import json

from imprompt.realtime.emitter import SocketEmitter
from imprompt.realtime.packet import WirePacket
from imprompt.realtime.server import SocketServer, _FramedSocket

from .test_engineio_socket import SlowWebSocket


async def test_a_view_is_written_before_send_returns_and_a_gone_socket_gets_nothing() -> None:
    sio = SocketServer(async_mode="asgi", serializer=WirePacket, async_handlers=False)
    sock = _FramedSocket(sio.eio, "e1")
    sio.eio.sockets["e1"] = sock
    ws = SlowWebSocket()
    reader = asyncio.ensure_future(sock._websocket_handler(ws))
    await asyncio.sleep(0)
    sid = await sio.manager.connect("e1", "/")
    emitter = SocketEmitter(sio)
    tasks = len(asyncio.all_tasks())
    await emitter.send(sid, "room:view", {"revision": 3, "text": "é"})
    assert len(asyncio.all_tasks()) == tasks  # no task per recipient
    assert ws.frames[-1].startswith("42")
    assert json.loads(ws.frames[-1][2:]) == ["room:view", {"revision": 3, "text": "é"}]
    await sio.manager.disconnect(sid, "/")
    written = len(ws.frames)
    await emitter.send(sid, "room:view", {"revision": 4})
    await emitter.send("nobody", "room:view", {"revision": 4})
    assert len(ws.frames) == written
    ws.incoming.put_nowait(None)
    await asyncio.wait_for(reader, 2)
