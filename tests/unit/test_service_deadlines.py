"""The deadline loop survives a failing schedule (e.g. Redis briefly unreachable)."""

from __future__ import annotations

import asyncio

from imprompt.game.commands import Disconnect
from imprompt.game.rules import RulesEnv
from imprompt.rooms.scheduler import MemorySchedule
from imprompt.rooms.service import RoomService
from imprompt.rooms.store import MemoryStore


class Silent:
    async def send(self, sid, event, payload):
        return None

    async def to_room(self, code, event, payload):
        return None

    async def detach(self, sid, code):
        return None


class FlakySchedule(MemorySchedule):
    def __init__(self) -> None:
        super().__init__()
        self.failures = 2

    async def claim_due(self, now: float, limit: int = 100) -> list[str]:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("schedule store unreachable")
        return await super().claim_due(now, limit)


async def test_deadline_loop_keeps_running_after_schedule_errors() -> None:
    now = [1000.0]
    schedule = FlakySchedule()
    service = RoomService(MemoryStore(), schedule, RulesEnv(score=lambda p, g: 0), Silent(), clock=lambda: now[0])
    seat, _ = await service.create_room("Ann", "sid-1")
    await service.execute(seat.code, Disconnect("sid-1"))
    loop = asyncio.create_task(service.run_deadlines(poll=0.01))
    try:
        now[0] += 301  # past the empty-room TTL
        for _ in range(200):
            if await service.store.load(seat.code) is None:
                break
            await asyncio.sleep(0.01)
        assert schedule.failures == 0
        assert await service.store.load(seat.code) is None  # the Tick closed the abandoned room
    finally:
        loop.cancel()


class CancelSwallowingSchedule(MemorySchedule):
    """Like redis.asyncio, which often completes a command after its task was cancelled and
    drops the cancel (issue 11's shutdown hang)."""

    def __init__(self) -> None:
        super().__init__()
        self.swallowed = 0

    async def next_time(self) -> float | None:
        try:
            await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            self.swallowed += 1
        return await super().next_time()


async def test_deadline_loop_ends_on_a_cancel_a_store_command_swallowed() -> None:
    schedule = CancelSwallowingSchedule()
    service = RoomService(MemoryStore(), schedule, RulesEnv(score=lambda p, g: 0), Silent())
    loop = asyncio.create_task(service.run_deadlines(poll=0.01))
    await asyncio.sleep(0.02)  # inside next_time
    loop.cancel()
    await asyncio.wait_for(asyncio.shield(loop), timeout=2)  # a shutdown awaits it: it must end
    assert schedule.swallowed == 1
