"""A real server on loopback (uvicorn + the real app) and real python-socketio clients.

Time is a controllable clock: tests move it forward instead of sleeping through
45-second timers; the server's scheduler sees the same clock."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from typing import Any

import pytest
import socketio
import uvicorn

from imprompt.config import load_settings
from imprompt.images.base import GeneratedImage, ImageError
from imprompt.web.app import create_app
from imprompt.web.image_backend import MemoryImageBackend


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class FakeImages:
    """A scriptable image provider: succeeds by default; can fail or hang on request."""

    def __init__(self) -> None:
        self.plan: list[str] = []  # "ok", "fail", "hang" consumed per call
        self.calls: list[tuple[str, int, bool]] = []

    async def __call__(self, prompt: str, seed: int, builtin: bool) -> GeneratedImage:
        self.calls.append((prompt, seed, builtin))
        step = self.plan.pop(0) if self.plan and not builtin else "ok"
        if step == "fail":
            raise ImageError("The provider refused: test failure.")
        if step == "hang":
            await asyncio.sleep(3600)
        svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><title>{seed}</title></svg>'
        return GeneratedImage(svg.encode(), "image/svg+xml", "builtin" if builtin else "test", "fake")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, app: Any, clock: Clock, images: FakeImages, backend: MemoryImageBackend) -> None:
        self.url, self.app, self.clock, self.images, self.backend = url, app, clock, images, backend

    async def advance(self, seconds: float) -> None:
        """Move time forward and let the scheduler fire what became due."""
        self.clock.advance(seconds)
        self.app.service._wake.set()
        await asyncio.sleep(0.15)


REDIS_TEST_URL = os.environ.get("IMPROMPT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["memory", "redis"])
async def server(request):
    """The same protocol suite runs against the in-memory store and the Redis store."""
    overrides: dict = {}
    if request.param == "redis":
        from redis.asyncio import Redis

        r = Redis.from_url(REDIS_TEST_URL)
        await r.flushdb()
        await r.aclose()
        overrides["redis_url"] = REDIS_TEST_URL
    clock, fake = Clock(), FakeImages()
    async with running_server(overrides, clock, fake) as srv:
        yield srv


@contextlib.asynccontextmanager
async def running_server(overrides: dict, clock: Clock, fake: FakeImages, backend: Any = None, *, score: Any = None):
    """The real app on loopback, configured as `imprompt serve` runs it (no proxy header
    rewriting, no Server header); a developer's .env is ignored."""
    backend = backend or MemoryImageBackend(fake)
    base: dict[str, Any] = dict(app_env="test", log_level="warning", guess_rate="50/second", chat_rate="50/second")
    settings = load_settings(_env_file=None, **{**base, **overrides})
    app = create_app(settings, images=backend, clock=clock, score=score)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                            ws_per_message_deflate=False, proxy_headers=False, server_header=False)
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    for _ in range(200):
        if srv.started:
            break
        await asyncio.sleep(0.05)
    assert srv.started, "server did not start"
    try:
        yield Server(f"http://127.0.0.1:{port}", app, clock, fake, backend)
    finally:
        srv.should_exit = True
        await asyncio.wait_for(task, 10)


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

    async def connect(self) -> "Player":
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


@pytest.fixture
async def players(server):
    made: list[Player] = []

    async def make(n: int = 1) -> list[Player]:
        new = [await Player(server.url).connect() for _ in range(n)]
        made.extend(new)
        return new

    yield make
    for p in made:
        await p.close()
