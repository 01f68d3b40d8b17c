"""Which instances are alive, and which seats their sockets hold (many instances on one Redis).

Each instance renews a lease (`imprompt:instance:<id>`, a key with a TTL) every `beat`
seconds and keeps the seats its sockets hold in a hash (`imprompt:seats:<id>`: socket id
-> room code). An instance killed without a shutdown (SIGKILL, a lost box) stops renewing;
once its lease has expired a live instance claims it (`SET ... NX`: exactly one does) and
marks each of its seats disconnected through the rules (`Disconnect`), as if each socket
had dropped: the seat is held, a prompt giver's timer pauses, an empty lobby expires.

An instance reaps only after its own lease has been renewed without a gap for a whole
TTL: after a Redis outage every lease may have expired, and the live instances must get
the time to renew theirs before anyone is taken for dead. An instance that was taken for
dead all the same (its loop stalled longer than the lease) finds the claim on itself when
it renews, and hangs up on its sockets (`rejoin`): their seats were released, the clients
reconnect and resume.

The same loop notices Redis losing its data (restarted empty): the `epoch` key it set is
gone. One instance (a claim again) brings the rooms back from the database snapshots
(`restore`); then every instance settles its own sockets (`resettle`) and writes its
seats hash again.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from redis.asyncio import Redis

from ..game import commands as c
from ..game.rules import Rejected
from .redis_store import PREFIX

log = structlog.get_logger("imprompt.presence")

Execute = Callable[[str, c.Command], Awaitable[object]]
Step = Callable[[], Awaitable[object]]

LEASE_SECONDS = 5.0  # a dead instance's seats are released within this + one sweep
BEAT_SECONDS = 1.5
CLAIM_SECONDS = 30.0  # a reaper or restorer that dies mid-way lets another take over after this


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


class Presence:
    def __init__(
        self,
        redis: Redis,
        execute: Execute,
        *,
        lease: float = LEASE_SECONDS,
        beat: float = BEAT_SECONDS,
        prefix: str = PREFIX,
        restore: Step | None = None,
        resettle: Step | None = None,
        rejoin: Step | None = None,
    ) -> None:
        self.redis = redis
        self.execute = execute
        self.lease = lease
        self.beat = beat
        self.prefix = prefix
        self.restore = restore  # rooms back from the database after Redis lost them
        self.resettle = resettle  # this instance's sockets, after that
        self.rejoin = rejoin  # this instance's sockets, after it was reaped while alive
        self.id = uuid.uuid4().hex[:16]
        self.seats: dict[str, str] = {}  # sid -> room code, the sockets of this instance
        self.epoch: str | None = None
        self.reaped = 0
        self._synced = False  # the seats hash in Redis matches `seats`
        self._healthy_since: float | None = None  # time.monotonic() of the first beat after a gap
        self._task: asyncio.Task[None] | None = None

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    # ------------------------------------------------------------ this instance's seats

    async def hold(self, sid: str, code: str) -> None:
        self.seats[sid] = code
        try:
            await self.redis.hset(self._key("seats", self.id), sid, code)
        except Exception:  # Redis down: the next beat writes the whole hash
            self._synced = False

    async def drop(self, sid: str) -> None:
        """The socket's disconnect went through the rules: nothing is left to release."""
        if self.seats.pop(sid, None) is None:
            return
        try:
            await self.redis.hdel(self._key("seats", self.id), sid)
        except Exception:  # a stale entry is harmless: its Disconnect is refused (unknown sid)
            self._synced = False

    # ------------------------------------------------------------ the loop

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="presence")

    async def stop(self) -> None:
        """A clean stop gives the lease up. Seats whose disconnect has not gone through yet
        stay in the hash: another instance reaps them at once (the lease is gone)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.redis.delete(self._key("instance", self.id))
            if not self.seats:
                await self.redis.delete(self._key("seats", self.id))
                await self.redis.srem(self._key("instances"), self.id)

    async def run(self) -> None:
        me = asyncio.current_task()
        failing = False
        while me is None or not me.cancelling():
            try:
                await self.renew()
                await self.check_epoch()
                await self.sweep()
                if failing:
                    log.info("presence_recovered")
                failing = False
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._healthy_since = None
                if not failing:
                    log.warning("presence_failed", error=f"{type(exc).__name__}: {str(exc)[:200]}")
                failing = True
            await asyncio.sleep(self.beat if not failing else min(self.beat, 0.5))

    async def renew(self) -> None:
        seats_key, claim_key = self._key("seats", self.id), self._key("reap", self.id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(claim_key)
            pipe.set(self._key("instance", self.id), "1", ex=max(1, round(self.lease)))
            pipe.sadd(self._key("instances"), self.id)
            if not self._synced:
                pipe.delete(seats_key)
                if self.seats:
                    pipe.hset(seats_key, mapping=dict[Any, Any](self.seats))
            claimed, *_ = await pipe.execute()
        self._synced = True
        if self._healthy_since is None:
            self._healthy_since = time.monotonic()
        if claimed is not None:  # taken for dead: the rooms no longer seat our sockets
            log.warning("instance_was_reaped", instance=self.id)
            await self.redis.delete(claim_key)
            self._synced = False
            if self.rejoin is not None:
                await self.rejoin()

    # ------------------------------------------------------------ dead instances

    async def sweep(self) -> int:
        """Release the seats of every instance whose lease has expired; returns how many."""
        if self._healthy_since is None or time.monotonic() - self._healthy_since < self.lease + self.beat:
            return 0
        released = 0
        for other in {_text(m) or "" for m in await self.redis.smembers(self._key("instances"))}:
            if other == self.id or await self.redis.exists(self._key("instance", other)):
                continue
            if not await self.redis.set(self._key("reap", other), self.id, nx=True, ex=round(CLAIM_SECONDS)):
                continue  # another instance is on it
            released += await self._reap(other)
        return released

    async def _reap(self, other: str) -> int:
        seats_key = self._key("seats", other)
        held = await self.redis.hgetall(seats_key)
        for raw_sid, raw_code in held.items():
            sid, code = _text(raw_sid) or "", _text(raw_code) or ""
            with contextlib.suppress(Rejected):  # resumed elsewhere already, or the room is gone
                await self.execute(code, c.Disconnect(sid))
            await self.redis.hdel(seats_key, raw_sid)  # done: a reaper after a failure skips it
        await self.redis.delete(seats_key)
        await self.redis.srem(self._key("instances"), other)
        self.reaped += len(held)
        log.warning("instance_lost", instance=other, seats_released=len(held))
        return len(held)

    # ------------------------------------------------------------ Redis data loss

    async def restore_pending(self) -> bool:
        """Redis lost its data and the rooms are not back yet (until the next beat notices,
        and while one instance restores them): a missing room may only be missing for now."""
        if self.epoch is None:
            return False  # this instance never saw the data: nothing can have been lost to it
        epoch = _text(await self.redis.get(self._key("epoch")))
        return epoch is None or epoch != _text(await self.redis.get(self._key("epoch", "restored")))

    async def check_epoch(self) -> None:
        epoch_key, restored_key = self._key("epoch"), self._key("epoch", "restored")
        fresh = uuid.uuid4().hex
        if await self.redis.set(epoch_key, fresh, nx=True):
            if self.epoch is None:  # the first instance on an empty Redis: nothing was lost
                await self.redis.set(restored_key, fresh)
            else:
                log.warning("redis_data_lost")
        epoch = _text(await self.redis.get(epoch_key))
        if self.epoch is None:
            self.epoch = epoch
            return
        if epoch == self.epoch:
            return
        restored = _text(await self.redis.get(restored_key))
        if restored != epoch:
            if not await self.redis.set(self._key("epoch", "restoring"), self.id, nx=True, ex=round(CLAIM_SECONDS)):
                return  # another instance restores; settle on a later beat
            if self.restore is not None:
                await self.restore()
            await self.redis.set(restored_key, epoch or "")
            await self.redis.delete(self._key("epoch", "restoring"))
        self._synced = False  # the seats hash went with the data
        if self.resettle is not None:
            await self.resettle()
        self.epoch = epoch
