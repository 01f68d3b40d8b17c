"""Presence on a real Redis, with short leases: a dead instance's seats are released once,
by one live instance, and not by an instance whose own lease has just come back; an
instance taken for dead while it was only stalled hangs up on its sockets."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from imprompt.game import commands as c
from imprompt.game.rules import Rejected, RulesEnv
from imprompt.rooms.presence import Presence
from imprompt.rooms.scheduler import MemorySchedule
from imprompt.rooms.service import RoomService
from imprompt.rooms.store import MemoryStore
from tests.support.urls import REDIS_TEST_URL
from tests.unit.test_service_deadlines import Silent


class Calls:
    def __init__(self, refuse: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.seen: list[tuple[str, str]] = []
        self.refuse = refuse

    async def __call__(self, code: str, command: c.Command) -> object:
        assert isinstance(command, c.Disconnect)
        self.seen.append((code, command.sid))
        if command.sid in self.refuse:
            raise Rejected("unknown_member", "resumed elsewhere")
        return None


async def test_one_live_instance_releases_a_dead_ones_seats() -> None:
    redis = Redis.from_url(REDIS_TEST_URL)
    prefix = f"test-presence-{uuid.uuid4().hex[:8]}:"
    calls_a, calls_b = Calls(), Calls(refuse={"s2"})
    dead = Presence(redis, Calls(), lease=1, beat=0.2, prefix=prefix)
    a = Presence(redis, calls_a, lease=1, beat=0.2, prefix=prefix)
    b = Presence(redis, calls_b, lease=1, beat=0.2, prefix=prefix)
    try:
        await dead.renew()
        await dead.hold("s1", "ROOM1")
        await dead.hold("s2", "ROOM2")  # this socket resumed elsewhere: its Disconnect is refused
        await dead.hold("s3", "ROOM1")
        await dead.drop("s3")  # disconnected cleanly: nothing to release
        for p in (a, b):
            await p.renew()
        assert await a.sweep() == 0 and await b.sweep() == 0, "nobody reaps before a lease of its own"
        await asyncio.sleep(1.3)  # the dead one stops renewing; its lease expires
        for p in (a, b):
            await p.renew()
        released = await asyncio.gather(a.sweep(), b.sweep())
        assert sorted(released) == [0, 2], "exactly one instance reaps"
        assert sorted(calls_a.seen + calls_b.seen) == [("ROOM1", "s1"), ("ROOM2", "s2")]
        assert not await redis.exists(f"{prefix}seats:{dead.id}")
        assert dead.id.encode() not in await redis.smembers(f"{prefix}instances")
        assert await a.sweep() == 0 and await b.sweep() == 0, "released once"
        # the "dead" one was only stalled: renewing, it finds the claim and hangs up on its sockets
        rejoined: list[str] = []

        async def rejoin() -> None:
            rejoined.append(dead.id)

        dead.rejoin = rejoin
        await dead.renew()
        assert rejoined == [dead.id] and not await redis.exists(f"{prefix}reap:{dead.id}")
        await dead.renew()
        assert rejoined == [dead.id], "once"
        # a live instance whose lease lapsed (a Redis outage) is not reaped once it renews
        await asyncio.sleep(1.3)
        await a.renew()
        await a.hold("s9", "ROOM9")
        b._healthy_since = None  # b's beats failed meanwhile
        await b.renew()
        assert await b.sweep() == 0
    finally:
        keys = [k async for k in redis.scan_iter(match=prefix + "*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def test_a_missing_room_is_try_again_until_the_rooms_are_back() -> None:
    """Redis came back empty: until an instance has restored the rooms, a room that is not
    there may only be missing for now, so the service answers server_restarting (the client
    tries again), not room_not_found (the client would give its seat up)."""
    redis = Redis.from_url(REDIS_TEST_URL)
    prefix = f"test-presence-{uuid.uuid4().hex[:8]}:"
    during: list[bool] = []
    a = Presence(redis, Calls(), prefix=prefix)
    b = Presence(redis, Calls(), prefix=prefix)

    async def restore() -> None:
        during.append(await a.restore_pending())

    b.restore = restore
    service = RoomService(MemoryStore(), MemorySchedule(), RulesEnv(score=lambda p, g: 0), Silent())
    service.restoring = a.restore_pending
    try:
        assert not await a.restore_pending(), "an instance that saw no data lost none"
        for p in (a, b):
            await p.check_epoch()
        assert not await a.restore_pending()
        with pytest.raises(Rejected) as missing:
            await service.execute("NOROOM", c.Resume(token_hash="x", sid="s1"))
        assert missing.value.code == "room_not_found"
        for key in [k async for k in redis.scan_iter(match=prefix + "*")]:
            await redis.delete(key)  # Redis restarted empty
        assert await a.restore_pending()
        with pytest.raises(Rejected) as pending:
            await service.execute("NOROOM", c.Resume(token_hash="x", sid="s1"))
        assert pending.value.code == "server_restarting"
        await b.check_epoch()  # b notices first and restores
        assert during == [True] and not await a.restore_pending(), "back once restored"
        await a.check_epoch()
        with pytest.raises(Rejected) as gone:
            await service.execute("NOROOM", c.Resume(token_hash="x", sid="s1"))
        assert gone.value.code == "room_not_found", "a room the snapshots lacked is gone for good"
    finally:
        keys = [k async for k in redis.scan_iter(match=prefix + "*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
