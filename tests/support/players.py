"""Real python-socketio clients playing the game against a server on loopback."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import socketio

if TYPE_CHECKING:
    from .server import Server


class Player:
    """A real socket.io client that remembers the last view and every event it got."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.view: dict | None = None
        self.views: list[dict] = []
        self.events: list[tuple[str, Any]] = []
        self.token: str | None = None
        self.id: str | None = None
        self.code: str | None = None

        @self.sio.on("*")
        async def any_event(event: str, data: Any = None) -> None:
            self.events.append((event, data))
            if event == "room:view":
                self.views.append(data)
                if self.view is None or data["revision"] >= self.view["revision"]:
                    self.view = data

    async def connect(self) -> Player:
        await self.sio.connect(self.url, transports=["websocket"])
        return self

    async def call(self, event: str, data: Any = None, *, raw: bool = False) -> dict:
        if raw:
            return await self.sio.call(event, data, timeout=10)
        return await self.sio.call(event, {} if data is None else data, timeout=10)

    async def ok(self, event: str, data: Any = None) -> dict:
        reply = await self.call(event, data)
        assert reply["ok"], reply
        return reply

    async def create(self, name: str, **extra: Any) -> dict:
        reply = await self.ok("room:create", {"name": name, **extra})
        self._seat(reply)
        return reply

    async def join(self, code: str, name: str, **extra: Any) -> dict:
        reply = await self.ok("room:join", {"code": code, "name": name, **extra})
        self._seat(reply)
        return reply

    def _seat(self, reply: dict) -> None:
        self.code, self.id = reply["code"], reply["playerId"]
        self.token = reply.get("token", self.token)
        if self.view is None or reply["view"]["revision"] >= self.view["revision"]:
            self.view = reply["view"]

    async def wait_for(self, predicate, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.view is not None and predicate(self.view):
                return self.view
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out waiting; last view phase={self.view and self.view['phase']}")

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


async def play_one_turn(
    server: Server,
    prompt: str = "sleepy cat",
    guesses: tuple[str, ...] = ("dog", "sleepy cat"),
    chat: str | None = None,
) -> tuple[Player, Player]:
    """Two players, one turn: prompt, image, guesses (the last one right), then the reveal."""
    host, guest = await Player(server.url).connect(), await Player(server.url).connect()
    await host.create("Host")
    await guest.join(host.code, "Guest")
    if chat:
        await host.ok("chat:send", {"text": chat})
    await host.ok("game:start")
    v = await host.wait_for(lambda v: v["phase"] == "prompting")
    giver, other = (host, guest) if v["turn"]["giverId"] == host.id else (guest, host)
    await giver.ok("prompt:submit", {"text": prompt})
    await other.wait_for(lambda v: v["phase"] == "guessing")
    for text in guesses:
        await other.ok("guess:submit", {"text": text})
    await host.wait_for(lambda v: v["phase"] == "reveal")
    return host, guest
