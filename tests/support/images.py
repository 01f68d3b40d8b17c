"""Image generation for tests: a scriptable provider function for the memory backend, and
a backend built on the real provider chain over fake providers, so cost books and
provider states are real."""

from __future__ import annotations

import asyncio

from imprompt.images.base import GeneratedImage, ImageError
from imprompt.images.chain import ImageChain
from imprompt.images.routes import image_routes
from imprompt.images.store import MemoryStore, cache_key, image_path


class FakeImages:
    """A scriptable image provider: succeeds by default; can fail or hang on request."""

    def __init__(self) -> None:
        self.plan: list[str] = []  # "ok", "fail", "hang" consumed per call
        self.calls: list[tuple[str, int, bool]] = []
        self.styles: list[str] = []  # the room's image style of each call

    async def __call__(self, prompt: str, seed: int, builtin: bool, style: str = "none") -> GeneratedImage:
        self.calls.append((prompt, seed, builtin))
        self.styles.append(style)
        step = self.plan.pop(0) if self.plan and not builtin else "ok"
        if step == "fail":
            raise ImageError("The provider refused: test failure.")
        if step == "hang":
            await asyncio.sleep(3600)
        svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><title>{seed}</title></svg>'
        return GeneratedImage(svg.encode(), "image/svg+xml", "builtin" if builtin else "test", "fake")


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
        self.chain = ImageChain(
            providers, prices=prices, store=self.store, retries=0, retry_base=0.0, breaker_failures=100
        )

    async def generate(self, prompt: str, seed: int, builtin: bool, style: str = "none") -> GeneratedImage:
        return await self.chain.generate(prompt, seed=seed, size=256, style=style)

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
