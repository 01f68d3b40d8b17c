"""The socket.io fan-out after a gap: an instance cut off from Redis misses the views other
instances send; once it is back its listener resubscribes, readiness passes again, and it
sends its own sockets the current view, so they end on the latest revision."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from imprompt.web.image_backend import MemoryImageBackend
from tests.cluster.support import RedisProcess
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.proxy import TcpProxy
from tests.support.server import http, running_server


async def readiness(client: httpx.AsyncClient, status: int, within: float = 5.0) -> dict:
    """/readyz's body once it answers `status` (the checks are cached for a second)."""
    deadline = time.monotonic() + within
    while True:
        reply = await client.get("/readyz")
        if reply.status_code == status or time.monotonic() > deadline:
            return dict(reply.json())
        await asyncio.sleep(0.1)


async def test_views_missed_while_cut_off_are_sent_again(tmp_path: Path) -> None:
    redis = RedisProcess(tmp_path / "redis")
    redis.start()
    proxy = TcpProxy("127.0.0.1", redis.port)
    await proxy.start()
    clock, fake = Clock(), FakeImages()
    images = MemoryImageBackend(fake)
    try:
        async with (
            running_server({"redis_url": redis.url}, clock, fake, images) as a,
            running_server({"redis_url": f"redis://127.0.0.1:{proxy.port}/0"}, clock, fake, images) as b,
            http(b) as b_http,
        ):
            host, guest = await Player(a.url).connect(), await Player(b.url).connect()
            try:
                await host.create("Host")
                await guest.join(host.code or "", "Guest")
                await guest.wait_for(lambda v: len(v["members"]) == 2)
                manager = b.app.services.sio.manager
                await proxy.cut()  # b loses Redis: its listener and its commands
                assert await readiness(b_http, 503) == {"status": "dependency_down", "down": ["redis", "fanout"]}
                await host.ok("room:settings", {"rounds": 2})  # a's view change, published while b is deaf
                await asyncio.sleep(0.5)
                assert (guest.view or {})["revision"] < (host.view or {})["revision"], "the view was missed"
                await proxy.start()
                back = time.monotonic()
                await guest.wait_for(lambda v: v["revision"] == (host.view or {})["revision"], 3)
                print(f"\nfan-out gap: the missed view arrived {time.monotonic() - back:.2f} s after Redis was back")
                assert (guest.view or {})["settings"]["rounds"] == 2
                assert manager.gaps >= 1 and manager.listening
                assert await readiness(b_http, 200) == {"status": "ready"}
            finally:
                await host.close()
                await guest.close()
    finally:
        await proxy.close()
        redis.stop()
