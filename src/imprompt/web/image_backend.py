"""How the server turns a GenerateImage effect into a URL the players can load.

An ImageBackend generates (through the provider chain, or the built-in generator
when the rules ask for it), stores the bytes and serves them over HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from starlette.routing import BaseRoute

from ..images.base import GeneratedImage
from ..images.routes import image_routes
from ..images.store import MemoryStore, image_path, write_image


class ImageBackend(Protocol):
    async def generate(self, prompt: str, seed: int, builtin: bool, style: str = "none") -> GeneratedImage: ...

    async def save(self, image: GeneratedImage, prompt: str, seed: int) -> str: ...

    def routes(self) -> list[BaseRoute]: ...

    async def close(self) -> None: ...


class MemoryImageBackend:
    """Keeps images in process memory (the images package's MemoryStore, served by the
    same routes as the disk cache). For tests and as a stand-in."""

    def __init__(self, generate: Callable[..., Awaitable[GeneratedImage]]) -> None:
        self._generate = generate  # (prompt, seed, builtin), and style= when the room has one
        self.store = MemoryStore()

    async def generate(self, prompt: str, seed: int, builtin: bool, style: str = "none") -> GeneratedImage:
        if style == "none":
            return await self._generate(prompt, seed, builtin)
        return await self._generate(prompt, seed, builtin, style=style)

    async def save(self, image: GeneratedImage, prompt: str, seed: int) -> str:
        return image_path(await write_image(self.store, image.data, image.media_type), image.media_type)

    def routes(self) -> list[BaseRoute]:
        return list(image_routes(self.store))

    async def close(self) -> None:
        return None
