"""realtime/server.py's engine.io socket over a websocket (point 5 of its docstring):
written directly, in order, never waiting for a slow client; no task per socket."""

from __future__ import annotations

import asyncio

from engineio import packet

from imprompt.realtime.server import _EngineServer, _FramedSocket


class SlowWebSocket:
    """uvicorn's websocket as engine.io sees it: `send` waits while the buffer is full."""

    def __init__(self) -> None:
        self.incoming: asyncio.Queue[str | None] = asyncio.Queue()
        self.writable = asyncio.Event()
        self.writable.set()
        self.frames: list[str] = []
        self.closed = False

    async def wait(self) -> str | None:
        return await self.incoming.get()

    async def send(self, data: str) -> None:
        await self.writable.wait()
        self.frames.append(data)

    async def close(self) -> None:
        await self.writable.wait()
        self.closed = True
        self.incoming.put_nowait(None)  # as uvicorn: the reader then gets the disconnect


def message(text: str) -> packet.Packet:
    return packet.Packet(packet.MESSAGE, data=text)


async def connected(ws: SlowWebSocket) -> tuple[_FramedSocket, asyncio.Task]:
    server = _EngineServer(async_mode="asgi", async_handlers=False)
    sock = _FramedSocket(server, "sid")
    await sock.send(packet.Packet(packet.OPEN, {"sid": "sid"}))  # queued: no websocket yet
    task = asyncio.ensure_future(sock._websocket_handler(ws))
    for _ in range(3):
        await asyncio.sleep(0)
    return sock, task


async def test_queued_packets_go_first_then_writes_are_direct_and_need_no_task() -> None:
    ws = SlowWebSocket()
    tasks = len(asyncio.all_tasks())
    sock, task = await connected(ws)
    assert ws.frames[0].startswith("0{")  # the open packet, queued before the websocket
    assert len(asyncio.all_tasks()) == tasks + 1  # the connection's own task, nothing else
    await sock.send(message("a"))
    assert ws.frames[-1] == "4a"  # written before send returned: no writer task in between
    ws.incoming.put_nowait(None)  # the client went away
    await asyncio.wait_for(task, 2)
    assert sock.closed and ws.closed


async def test_a_client_with_a_full_buffer_holds_nobody_up_and_keeps_the_order() -> None:
    ws = SlowWebSocket()
    sock, task = await connected(ws)
    ws.writable.clear()  # the client reads nothing: its buffer is full
    for i in range(5):
        await asyncio.wait_for(sock.send(message(str(i))), 0.5)  # returns at once all the same
    await sock.close(wait=False)  # server side: the CLOSE packet, then the websocket closed after it
    assert ws.frames == [ws.frames[0]] and not ws.closed
    ws.writable.set()  # the client reads again
    for _ in range(20):
        await asyncio.sleep(0)
    assert ws.frames[1:] == ["40", "41", "42", "43", "44", "1"] and ws.closed
    await asyncio.wait_for(task, 2)


async def test_pings_are_timers_and_an_unanswered_one_closes_the_websocket() -> None:
    ws = SlowWebSocket()
    sock, task = await connected(ws)
    sock.server.ping_interval, sock.server.ping_timeout = 0.05, 0.05
    sock.schedule_ping()
    assert sock._ping_timer is not None
    await asyncio.sleep(0.1)
    assert ws.frames[-1] == "2"  # the ping, written by the timer's callback
    await asyncio.sleep(0.1)  # no pong
    assert await sock.check_ping_timeout() is False  # what engine.io's service task calls
    await asyncio.wait_for(task, 2)  # closing the websocket ended the reader
    assert sock.closed and ws.closed
