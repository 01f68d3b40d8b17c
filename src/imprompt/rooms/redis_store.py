"""Rooms in Redis, for many instances behind a load balancer.

Each room is one JSON string; a lock per room (Redis' own lock, with a timeout so a
dead process cannot hold a room forever) serialises commands across processes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from redis.asyncio import Redis

from ..game.state import RoomState

PREFIX = "imprompt:"
ROOM_TTL_SECONDS = 7 * 24 * 3600  # a safety net: rules close rooms long before this


class RedisStore:
    def __init__(self, redis: Redis, *, lock_timeout: float = 10.0, prefix: str = PREFIX) -> None:
        self.redis = redis
        self.lock_timeout = lock_timeout
        self.prefix = prefix

    def _key(self, code: str) -> str:
        return f"{self.prefix}room:{code}"

    async def reserve(self, code: str) -> bool:
        ok = await self.redis.set(self._key(code), "", nx=True, ex=ROOM_TTL_SECONDS)
        if ok:
            await self.redis.sadd(f"{self.prefix}rooms", code)
        return bool(ok)

    async def load(self, code: str) -> RoomState | None:
        raw = await self.redis.get(self._key(code))
        if not raw:
            return None
        return RoomState.model_validate_json(raw)

    async def dump(self, code: str) -> str | None:
        """The room's JSON as stored, for the database snapshots (no parse)."""
        raw = await self.redis.get(self._key(code))
        if not raw:
            return None
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    async def save(self, state: RoomState) -> None:
        await self.redis.set(self._key(state.code), state.model_dump_json(), ex=ROOM_TTL_SECONDS)

    async def revert(self, code: str) -> None:
        return None  # every load parses the stored JSON: nothing is kept to forget

    async def delete(self, code: str) -> None:
        await self.redis.delete(self._key(code))
        await self.redis.srem(f"{self.prefix}rooms", code)

    async def codes(self) -> set[str]:
        members = await self.redis.smembers(f"{self.prefix}rooms")
        return {m.decode() if isinstance(m, bytes) else m for m in members}

    async def count(self) -> int:
        return int(await self.redis.scard(f"{self.prefix}rooms"))

    @contextlib.asynccontextmanager
    async def lock(self, code: str) -> AsyncIterator[None]:
        lock = self.redis.lock(
            f"{self.prefix}lock:{code}", timeout=self.lock_timeout, blocking_timeout=self.lock_timeout
        )
        async with lock:
            yield

    async def close(self) -> None:
        await self.redis.aclose()
