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


async def test_send_many_in_one_process_writes_each_in_order_without_a_task() -> None:
    sio = SocketServer(async_mode="asgi", serializer=WirePacket, async_handlers=False)
    sockets, readers, sids = [], [], []
    for i in range(3):
        sock = _FramedSocket(sio.eio, f"e{i}")
        sio.eio.sockets[f"e{i}"] = sock
        ws = SlowWebSocket()
        readers.append(asyncio.ensure_future(sock._websocket_handler(ws)))
        sockets.append(ws)
    await asyncio.sleep(0)
    for i in range(3):
        sids.append(await sio.manager.connect(f"e{i}", "/"))
    emitter = SocketEmitter(sio)
    tasks = len(asyncio.all_tasks())
    await emitter.send_many([(sid, "room:view", {"to": i}) for i, sid in enumerate(sids)] + [("gone", "room:view", {})])
    assert len(asyncio.all_tasks()) == tasks
    for i, ws in enumerate(sockets):
        assert json.loads(ws.frames[-1][2:]) == ["room:view", {"to": i}]
    for ws in sockets:
        ws.incoming.put_nowait(None)
    await asyncio.wait_for(asyncio.gather(*readers), 2)
