"""The real app on loopback, configured the way `imprompt serve` runs it (no uvicorn proxy
header rewriting, no Server header), plus an image backend built on the real provider
chain with scriptable fake providers, so cost books and provider states are real."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import httpx

from imprompt.config import load_settings
from imprompt.images.base import GeneratedImage, ImageError
from imprompt.images.chain import ImageChain
from imprompt.images.store import MemoryStore, cache_key, image_path
from imprompt.web.images_routes import image_routes

from ..protocol.conftest import Clock, FakeImages, Player, Server, running_server

ADMIN = "admin-token-0123456789abcdef"
METRICS = "metrics-token-0123456789abcdef"


class FakeProvider:
    """An image provider that succeeds (at a price) or fails as told."""

    def __init__(self, name: str, price: float = 0.0) -> None:
        self.name = name
        self.model = f"{name}-model"
        self.price = price
        self.fail: Exception | None = None
        self.calls = 0

    async def generate(self, prompt: str, *, seed: int, size: int) -> GeneratedImage:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><title>{seed}</title></svg>'
        return GeneratedImage(svg.encode(), "image/svg+xml", self.name, self.model, cost_usd=self.price)


class ChainTestBackend:
    """What images/backend.py's ChainBackend does, over fake providers and an in-memory store."""

    def __init__(self, providers: list[FakeProvider], prices: dict[str, float]) -> None:
        self.providers = {p.name: p for p in providers}
        self.store = MemoryStore()
        self.chain = ImageChain(providers, prices=prices, store=self.store, retries=0, retry_base=0.0,
                                breaker_failures=100)

    async def generate(self, prompt: str, seed: int, builtin: bool) -> GeneratedImage:
        return await self.chain.generate(prompt, seed=seed, size=256)

    async def save(self, image: GeneratedImage, prompt: str, seed: int) -> str:
        key = image.details.get("key") or cache_key(f"{image.provider}:{image.model}", prompt, seed, 256)
        self.store.put(image.data, image.media_type, key)
        return image_path(key, image.media_type)

    def routes(self) -> list:
        return list(image_routes(self.store))

    def status(self) -> dict:
        return self.chain.status()

    def costs(self) -> dict:
        return self.chain.costs()

    async def close(self) -> None:
        return None


def chain_backend() -> ChainTestBackend:
    return ChainTestBackend([FakeProvider("together", 0.0027), FakeProvider("pictogram")], {"together": 0.0027})


def settings_for(overrides: dict | None = None):
    base: dict[str, Any] = dict(app_env="test", log_level="warning", guess_rate="50/second", chat_rate="50/second")
    base.update(overrides or {})
    return load_settings(_env_file=None, **base)


@contextlib.asynccontextmanager
async def ops_server(overrides: dict | None = None, *, backend: Any = None, clock: Clock | None = None,
                     fake: FakeImages | None = None, score: Any = None):
    async with running_server(overrides or {}, clock or Clock(), fake or FakeImages(), backend, score=score) as srv:
        yield srv


def http(server: Server, **kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.url, timeout=10, **kwargs)


async def play_one_turn(server: Server, prompt: str = "sleepy cat", guesses: tuple[str, ...] = ("dog", "sleepy cat"),
                        chat: str | None = None) -> tuple[Player, Player]:
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


class LogCapture(io.StringIO):
    def lines(self) -> list[str]:
        return [ln for ln in self.getvalue().splitlines() if ln.strip()]


__all__ = ["ADMIN", "METRICS", "ChainTestBackend", "Clock", "FakeImages", "FakeProvider", "ImageError", "LogCapture",
           "Player", "Server", "chain_backend", "http", "ops_server", "play_one_turn", "settings_for"]


@contextlib.contextmanager
def capture_logs(settings: Any):
    """configure_logging as `imprompt serve` does, into a buffer; the defaults come back after."""
    import logging

    import structlog

    from imprompt.ops import logging as ops_logging

    buffer = LogCapture()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    ops_logging.configure_logging(settings, stream=buffer, cache=False)
    try:
        yield buffer
    finally:
        structlog.reset_defaults()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        ops_logging._configured = False
