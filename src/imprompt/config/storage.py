"""Storage settings: Redis, to share rooms, deadlines, limits and socket.io between instances,
and where the images live (IMAGE_STORE)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .base import Group

ImageStoreKind = Literal["disk", "redis"]


class StorageSettings(Group):
    redis_url: str | None = None  # empty: everything lives in this process

    # Where images are kept: "disk" (IMAGE_DIR, this box only) or "redis" (REDIS_URL, every
    # instance). Empty: redis when REDIS_URL is set, else disk.
    image_store: ImageStoreKind | None = None
    image_redis_max_mb: float = Field(256, gt=0, le=1024 * 1024)  # least recently used go first
    image_redis_ttl_days: float = Field(30, gt=0, le=3650)  # unread this long: expires

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("image_store", mode="before")
    @classmethod
    def _store_kind(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            return value or None
        return value

    @model_validator(mode="after")
    def _store_reachable(self) -> StorageSettings:
        if self.image_store == "redis" and self.redis_url is None:
            raise ValueError(
                "IMAGE_STORE=redis keeps the images in Redis, but REDIS_URL is not set: "
                "set REDIS_URL, or IMAGE_STORE=disk for one instance"
            )
        return self

    def image_store_kind(self) -> ImageStoreKind:
        """Where the images go: IMAGE_STORE, or redis when REDIS_URL is set, else disk."""
        if self.image_store is not None:
            return self.image_store
        return "redis" if self.redis_url else "disk"
