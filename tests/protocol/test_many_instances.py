"""Two server processes' worth of app on one Redis: players on different instances share a room."""

from __future__ import annotations

from redis.asyncio import Redis

from imprompt.web.image_backend import MemoryImageBackend
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.server import running_server
from tests.support.urls import REDIS_TEST_URL


async def test_a_room_spans_two_instances() -> None:
    r = Redis.from_url(REDIS_TEST_URL)
    await r.flushdb()
    await r.aclose()
    clock, fake = Clock(), FakeImages()
    shared_images = MemoryImageBackend(fake)  # many instances need a shared image store
    overrides = {"redis_url": REDIS_TEST_URL}
    async with (
        running_server(overrides, clock, fake, shared_images) as a,
        running_server(overrides, clock, fake, shared_images) as b,
    ):
        host = await Player(a.url).connect()
        guest = await Player(b.url).connect()
        third = await Player(b.url).connect()
        try:
            await host.create("Host")
            await guest.join(host.code, "Guest")
            await third.join(host.code, "Third")
            await host.wait_for(lambda v: len(v["members"]) == 3)  # views cross instances
            await host.ok("chat:send", {"text": "hi from A"})
            await host.ok("game:start")
            v = await guest.wait_for(lambda v: v["phase"] == "prompting")
            giver = {p.id: p for p in (host, guest, third)}[v["turn"]["giverId"]]
            await giver.ok("prompt:submit", {"text": "purple whale"})
            for p in (host, guest, third):
                await p.wait_for(lambda v: v["phase"] == "guessing")
            for p in (host, guest, third):
                if p is not giver:
                    await p.ok("guess:submit", {"text": "purple whale"})
            for p in (host, guest, third):
                await p.wait_for(lambda v: v["phase"] == "reveal")
            # one deadline fires once, whichever instance claims it
            a.clock.advance(9)
            a.app.services.rooms._wake.set()
            b.app.services.rooms._wake.set()
            v = await third.wait_for(lambda v: v["phase"] == "prompting" and v["turn"]["number"] == 2)
            assert v["turn"]["number"] == 2
            assert any(e == "chat:message" for e, _ in guest.events)
        finally:
            for p in (host, guest, third):
                await p.close()
