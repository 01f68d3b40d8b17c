"""Storage settings: Redis, to share rooms, deadlines, limits and socket.io between instances."""

from __future__ import annotations

from pydantic import field_validator

from .base import Group


class StorageSettings(Group):
    redis_url: str | None = None  # empty: everything lives in this process

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value
