"""A closed connection is freed at once, by reference counting: nothing of it waits for a
full garbage collection, which the GC policy (ops/gc_policy.py) runs only hourly while
it freezes young survivors every few seconds: before, every closed websocket (its
protocol, scope and buffers, ~20 KiB) stayed until then (bench/README.md, soak.py)."""

from __future__ import annotations

import asyncio
import gc

from tests.support.players import Player
from tests.support.server import ops_server


def alive(name: str) -> int:
    return sum(1 for o in gc.get_objects() if type(o).__qualname__ == name)


async def test_closed_websockets_leave_nothing_for_the_collector() -> None:
    async with ops_server() as server:
        await server.app.services.gc.stop()  # no freezing nor collecting while we count
        gc.unfreeze()
        gc.collect()
        gc.disable()
        try:
            for i in range(4):
                p = await Player(server.url).connect()
                await p.create(f"P{i}")
                await p.ok("room:leave")
                await p.close()
            await asyncio.sleep(0.5)
            protocols = alive("WebSocketsSansIOProtocol")
            errors = sum(1 for o in gc.get_objects() if type(o) is OSError)
            payloads = alive("AwaitablePayload")
        finally:
            gc.enable()
    assert protocols == 0, f"{protocols} closed websockets wait for the collector"
    assert errors == 0, f"{errors} OSErrors (a closed websocket's, with its traceback) wait for the collector"
    assert payloads == 0, payloads
