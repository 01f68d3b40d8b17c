"""A socket.io client written by hand over a raw websocket (Engine.IO v4 + socket.io v5
text frames), for tests that send frames no client library would."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from tests.support.server import Server


class RawSocket:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.acks: dict[int, Any] = {}
        self.next_id = 100

    async def send(self, frame: str) -> None:
        await self.ws.send_str(frame)

    async def call(self, event: str, payload: Any, timeout: float = 5.0) -> Any:
        """The acknowledgement's arguments (a list)."""
        self.next_id += 1
        await self.send(f"42{self.next_id}" + json.dumps([event, payload]))
        return await self.ack(self.next_id, timeout)

    async def answer(self, event: str, payload: Any, timeout: float = 5.0) -> Any:
        """The acknowledgement's first argument (the `{ok, ...}` answer)."""
        return (await self.call(event, payload, timeout))[0]

    async def ack(self, id: int, timeout: float = 5.0) -> Any:
        async with asyncio.timeout(timeout):
            while id not in self.acks:
                msg = await self.ws.receive_str()
                if msg == "2":  # Engine.IO ping
                    await self.send("3")
                elif msg.startswith("43"):
                    digits = len(msg) - len(msg[2:].lstrip("0123456789"))
                    self.acks[int(msg[2:digits])] = json.loads(msg[digits:])
        return self.acks[id]


@contextlib.asynccontextmanager
async def raw_socket(server: Server) -> AsyncIterator[RawSocket]:
    async with aiohttp.ClientSession() as session:
        url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        async with session.ws_connect(url) as ws:
            assert (await ws.receive_str()).startswith("0")  # Engine.IO open
            await ws.send_str("40")  # socket.io connect, default namespace
            assert (await ws.receive_str()).startswith("40")
            yield RawSocket(ws)
