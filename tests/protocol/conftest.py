"""A real server on loopback (uvicorn + the real app) and real python-socketio clients.

Time is a controllable clock: tests move it forward instead of sleeping through
45-second timers; the server's scheduler sees the same clock. The helpers live in
`tests/support/`; this file holds the suite's fixtures."""

from __future__ import annotations

import pytest

from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.server import running_server
from tests.support.urls import REDIS_TEST_URL


@pytest.fixture(params=["memory", "redis"])
async def server(request):
    """The same protocol suite runs against the in-memory store and the Redis store."""
    overrides: dict = {}
    if request.param == "redis":
        from redis.asyncio import Redis

        r = Redis.from_url(REDIS_TEST_URL)
        await r.flushdb()
        await r.aclose()
        overrides["redis_url"] = REDIS_TEST_URL
    clock, fake = Clock(), FakeImages()
    async with running_server(overrides, clock, fake) as srv:
        yield srv


@pytest.fixture
async def players(server):
    made: list[Player] = []

    async def make(n: int = 1) -> list[Player]:
        new = [await Player(server.url).connect() for _ in range(n)]
        made.extend(new)
        return new

    yield make
    for p in made:
        await p.close()
