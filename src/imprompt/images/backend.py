"""The production image backend: the provider chain, the disk cache, and the routes serving it.

The web app sees it through `web/image_backend.ImageBackend`; nothing here imports the web app.
"""

from __future__ import annotations

import httpx
from starlette.routing import BaseRoute

from imprompt.config.images import ImageSettings
from imprompt.images.base import GeneratedImage
from imprompt.images.registry import build_chain, builtin_provider
from imprompt.images.routes import image_routes
from imprompt.images.store import DirectoryStore, ImageStore, cache_key, image_path


class ChainBackend:
    def __init__(self, settings: ImageSettings, store: ImageStore, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.store = store
        self.http = http
        self.chain = build_chain(settings, http, store)

    async def generate(self, prompt: str, seed: int, builtin: bool) -> GeneratedImage:
        if builtin:
            return await builtin_provider().generate(prompt, seed=seed, size=self.settings.image_size)
        return await self.chain.generate(prompt, seed=seed, size=self.settings.image_size)

    async def save(self, image: GeneratedImage, prompt: str, seed: int) -> str:
        key = image.details.get("key") or cache_key(
            f"{image.provider}:{image.model}", prompt, seed, self.settings.image_size
        )
        self.store.put(image.data, image.media_type, key)
        return image_path(key, image.media_type)

    def warm_up(self) -> None:
        """Build the pictogram index now, so the first turn does not wait for it."""
        builtin_provider().warm_up()

    def routes(self) -> list[BaseRoute]:
        return list(image_routes(self.store))

    def status(self) -> dict:
        return self.chain.status()

    def costs(self) -> dict:
        return self.chain.costs()

    async def close(self) -> None:
        await self.http.aclose()


def build_backend(image_settings: ImageSettings) -> ChainBackend:
    store = DirectoryStore(image_settings.image_dir, int(image_settings.image_cache_max_mb * 1024 * 1024))
    http = httpx.AsyncClient(
        follow_redirects=True,
        headers={"User-Agent": "imprompt"},
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
    )
    return ChainBackend(image_settings, store, http)
