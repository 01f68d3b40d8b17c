"""The deadline loop survives a failing schedule (e.g. Redis briefly unreachable)."""

from __future__ import annotations

import asyncio
import time

from imprompt.game import commands as c
from imprompt.game.commands import Disconnect
from imprompt.game.rules import RulesEnv
from imprompt.rooms.scheduler import MemorySchedule
from imprompt.rooms.service import RoomService
from imprompt.rooms.store import MemoryStore


class Silent:
    async def send(self, sid, event, payload):
        return None

    async def send_many(self, sends):
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


class CountingEvent(asyncio.Event):
    def __init__(self) -> None:
        super().__init__()
        self.sets = 0

    def set(self) -> None:
        self.sets += 1
        super().set()


async def test_the_deadline_loop_wakes_only_for_an_earlier_deadline() -> None:
    # A guess keeps its room's deadline: it must not wake the loop (a timer and a task a
    # command). A deadline earlier than the loop's sleep must wake it, and its Tick fire.
    schedule = MemorySchedule()
    service = RoomService(MemoryStore(), schedule, RulesEnv(score=lambda p, g: 0), Silent())
    wake = service._wake = CountingEvent()
    seat, _ = await service.create_room("Ann", "sid-1")
    loop = asyncio.create_task(service.run_deadlines(poll=30.0))
    try:
        for _ in range(100):
            if service._sleep_until:
                break
            await asyncio.sleep(0.01)
        assert service._sleep_until > 0  # asleep: nothing is due, so it waits the whole poll
        await service.join(seat.code, "Bob", "sid-2")
        await service.execute(seat.code, Disconnect("sid-2"))  # Bob's seat is held: a deadline
        assert await schedule.next_time() is not None
        before = wake.sets
        for _ in range(5):
            await service.execute(seat.code, c.SetReady(seat.member_id, True))
            await service.execute(seat.code, c.SetReady(seat.member_id, False))
        assert wake.sets == before  # the seat hold's deadline stayed: nothing woke the loop
        fired: list[str] = []
        real = service._fire_due

        async def counting() -> None:
            fired.append("tick")
            await real()

        service._fire_due = counting  # type: ignore[method-assign]
        await service._schedule(seat.code, time.time() + 0.05)
        assert wake.sets == before + 1
        for _ in range(100):
            if fired:
                break
            await asyncio.sleep(0.01)
        assert fired  # woke within the test, not after the 30 s poll
    finally:
        loop.cancel()


async def test_memory_schedule_ignores_an_unchanged_deadline() -> None:
    schedule = MemorySchedule()
    for _ in range(1000):
        await schedule.set("ABCDEF", 1234.0)
    assert len(schedule._heap) == 1
    await schedule.set("ABCDEF", 1200.0)
    assert await schedule.next_time() == 1200.0
    assert await schedule.claim_due(1300.0) == ["ABCDEF"]
    assert await schedule.next_time() is None
