"""The real app on loopback (uvicorn + the real app), configured the way `imprompt serve`
runs it (no uvicorn proxy header rewriting, no Server header); a developer's .env is
ignored. Time is a controllable clock the server's scheduler also sees."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
import uvicorn

from imprompt.config import load_settings
from imprompt.web.app import create_app
from imprompt.web.image_backend import MemoryImageBackend

from .clock import Clock
from .images import FakeImages
from .ports import free_port

ADMIN = "admin-token-0123456789abcdef"
METRICS = "metrics-token-0123456789abcdef"


class Server:
    def __init__(self, url: str, app: Any, clock: Clock, images: FakeImages, backend: MemoryImageBackend) -> None:
        self.url, self.app, self.clock, self.images, self.backend = url, app, clock, images, backend

    async def advance(self, seconds: float) -> None:
        """Move time forward and let the scheduler fire what became due."""
        self.clock.advance(seconds)
        self.app.services.rooms._wake.set()
        await asyncio.sleep(0.15)


@contextlib.asynccontextmanager
async def running_server(overrides: dict, clock: Clock, fake: FakeImages, backend: Any = None, *, score: Any = None):
    """The real app on loopback, configured as `imprompt serve` runs it (no proxy header
    rewriting, no Server header); a developer's .env is ignored."""
    backend = backend or MemoryImageBackend(fake)
    base: dict[str, Any] = dict(app_env="test", log_level="warning", guess_rate="50/second", chat_rate="50/second")
    settings = load_settings(_env_file=None, **{**base, **overrides})
    app = create_app(settings, images=backend, clock=clock, score=score)
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        ws_per_message_deflate=False,
        proxy_headers=False,
        server_header=False,
    )
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


def settings_for(overrides: dict | None = None):
    base: dict[str, Any] = dict(app_env="test", log_level="warning", guess_rate="50/second", chat_rate="50/second")
    base.update(overrides or {})
    return load_settings(_env_file=None, **base)


@contextlib.asynccontextmanager
async def ops_server(
    overrides: dict | None = None,
    *,
    backend: Any = None,
    clock: Clock | None = None,
    fake: FakeImages | None = None,
    score: Any = None,
):
    async with running_server(overrides or {}, clock or Clock(), fake or FakeImages(), backend, score=score) as srv:
        yield srv


def http(server: Server, **kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.url, timeout=10, **kwargs)
