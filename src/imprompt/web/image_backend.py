"""How the server turns a GenerateImage effect into a URL the players can load.

An ImageBackend generates (through the provider chain, or the built-in generator
when the rules ask for it), stores the bytes and serves them over HTTP.
"""

from __future__ import annotations

import hashlib
from typing import Awaitable, Callable, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..config import Settings
from ..images.base import GeneratedImage

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/svg+xml": "svg"}


class ImageBackend(Protocol):
    async def generate(self, prompt: str, seed: int, builtin: bool) -> GeneratedImage: ...

    async def save(self, image: GeneratedImage, prompt: str, seed: int) -> str: ...

    def routes(self) -> list[BaseRoute]: ...

    async def close(self) -> None: ...


class MemoryImageBackend:
    """Keeps images in process memory. For tests and as a stand-in; the production
    backend stores them on disk behind the content-addressed cache."""

    def __init__(self, generate: Callable[[str, int, bool], Awaitable[GeneratedImage]]) -> None:
        self._generate = generate
        self.images: dict[str, tuple[bytes, str]] = {}

    async def generate(self, prompt: str, seed: int, builtin: bool) -> GeneratedImage:
        return await self._generate(prompt, seed, builtin)

    async def save(self, image: GeneratedImage, prompt: str, seed: int) -> str:
        key = hashlib.sha256(image.data).hexdigest()[:32]
        self.images[key] = (image.data, image.media_type)
        return f"/images/{key}.{EXTENSIONS.get(image.media_type, 'bin')}"

    def routes(self) -> list[BaseRoute]:
        async def serve(request: Request) -> Response:
            key = request.path_params["key"]
            found = self.images.get(key)
            if found is None or EXTENSIONS.get(found[1]) != request.path_params["ext"]:
                return Response("not found", status_code=404)
            return Response(found[0], media_type=found[1], headers={
                "Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"})

        return [Route("/images/{key}.{ext}", serve)]

    async def close(self) -> None:
        return None


def default_image_backend(settings: Settings) -> ImageBackend:
    from ..images.backend import build_backend  # the provider chain and the disk cache

    return build_backend(settings)
