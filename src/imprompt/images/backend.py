"""The production image backend: the provider chain, the image store, and the routes serving it.

The store is a directory (IMAGE_DIR, one box) or Redis (IMAGE_STORE=redis, every instance;
images/shared.py), chosen by `StorageSettings.image_store_kind()`.

The web app sees it through `web/image_backend.ImageBackend`; nothing here imports the web app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from starlette.routing import BaseRoute

from imprompt.config.images import ImageSettings
from imprompt.config.storage import StorageSettings
from imprompt.images.base import GeneratedImage
from imprompt.images.budget import affordable
from imprompt.images.registry import build_chain, builtin_provider
from imprompt.images.routes import image_routes
from imprompt.images.store import AnyImageStore, DirectoryStore, cache_key, image_path, write_image


class ChainBackend:
    def __init__(self, settings: ImageSettings, store: AnyImageStore, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.store = store
        self.http = http
        self.chain = build_chain(settings, http, store)

    async def generate(self, prompt: str, seed: int, builtin: bool, style: str = "none") -> GeneratedImage:
        if builtin:  # the pictogram generator draws no styles
            return await builtin_provider().generate(prompt, seed=seed, size=self.settings.image_size)
        return await self.chain.generate(prompt, seed=seed, size=self.settings.image_size, style=style)

    def affordable(self, wanted: int) -> int:
        """How many pictures of one job the daily budget pays for (images/budget.py)."""
        return affordable(self.chain, wanted)

    async def save(self, image: GeneratedImage, prompt: str, seed: int) -> str:
        key = image.details.get("key") or cache_key(
            f"{image.provider}:{image.model}", prompt, seed, self.settings.image_size
        )
        await write_image(self.store, image.data, image.media_type, key)
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


def build_store(image_settings: ImageSettings, storage: StorageSettings | None, redis: Any = None) -> AnyImageStore:
    """IMAGE_STORE=redis: the shared store on `redis` (the server's client); else IMAGE_DIR."""
    if storage is not None and storage.image_store_kind() == "redis":
        if redis is None:
            from redis.asyncio import Redis

            redis = Redis.from_url(storage.redis_url or "")
        from imprompt.images.shared import RedisImageStore, UpgradedStore

        shared = RedisImageStore(
            redis,
            max_bytes=int(storage.image_redis_max_mb * 1024 * 1024),
            ttl_seconds=storage.image_redis_ttl_days * 86400,
        )
        if _has_images(image_settings.image_dir):  # pictures kept on disk before the switch
            return UpgradedStore(shared, _directory(image_settings))
        return shared
    return _directory(image_settings)


def _directory(image_settings: ImageSettings) -> DirectoryStore:
    return DirectoryStore(image_settings.image_dir, int(image_settings.image_cache_max_mb * 1024 * 1024))


def _has_images(directory: str) -> bool:
    path = Path(directory)
    return path.is_dir() and any(p.is_file() for p in path.iterdir())


def build_backend(
    image_settings: ImageSettings, storage: StorageSettings | None = None, redis: Any = None
) -> ChainBackend:
    store = build_store(image_settings, storage, redis)
    http = httpx.AsyncClient(
        follow_redirects=True,
        headers={"User-Agent": "imprompt"},
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
    )
    return ChainBackend(image_settings, store, http)
