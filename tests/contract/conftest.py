"""The room store and deadline schedule contracts, run against every implementation.

`backing` is one place rooms live (a process's memory, or a fresh key prefix in the
test Redis database); each `store()` / `schedule()` call opens another handle on it, as
another process would (memory: the same object, since it lives in one process)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from imprompt.rooms.redis_store import RedisStore
from imprompt.rooms.scheduler import MemorySchedule, RedisSchedule, Schedule
from imprompt.rooms.store import MemoryStore, RoomStore
from tests.support.urls import REDIS_TEST_URL


class MemoryBacking:
    kind = "memory"

    def __init__(self) -> None:
        self._store = MemoryStore()
        self._schedule = MemorySchedule()

    def store(self) -> RoomStore:
        return self._store

    def schedule(self) -> Schedule:
        return self._schedule

    async def close(self) -> None:
        await self._store.close()


class RedisBacking:
    kind = "redis"

    def __init__(self) -> None:
        self.prefix = f"imprompt-test-{secrets.token_hex(4)}:"
        self._stores: list[RedisStore] = []
        self._clients: list[Redis] = []

    def store(self) -> RoomStore:
        store = RedisStore(Redis.from_url(REDIS_TEST_URL), prefix=self.prefix, lock_timeout=5.0)
        self._stores.append(store)
        return store

    def schedule(self) -> Schedule:
        client = Redis.from_url(REDIS_TEST_URL)
        self._clients.append(client)
        return RedisSchedule(client, key=f"{self.prefix}deadlines")

    async def close(self) -> None:
        cleaner = Redis.from_url(REDIS_TEST_URL)
        try:
            keys = [key async for key in cleaner.scan_iter(match=f"{self.prefix}*")]
            if keys:
                await cleaner.delete(*keys)
        finally:
            await cleaner.aclose()
        for store in self._stores:
            await store.close()
        for client in self._clients:
            await client.aclose()


@pytest.fixture(params=["memory", "redis"])
async def backing(request: pytest.FixtureRequest) -> AsyncIterator[MemoryBacking | RedisBacking]:
    made = MemoryBacking() if request.param == "memory" else RedisBacking()
    try:
        yield made
    finally:
        await made.close()


@pytest.fixture
def store(backing: MemoryBacking | RedisBacking) -> RoomStore:
    return backing.store()


@pytest.fixture
def schedule(backing: MemoryBacking | RedisBacking) -> Schedule:
    return backing.schedule()
