"""When each room next needs a Tick. A heap in one process, a sorted set in Redis.

`claim_due` hands each due room to exactly one caller, so with many processes a
deadline fires once."""

from __future__ import annotations

import heapq
from typing import Protocol

from redis.asyncio import Redis


class Schedule(Protocol):
    async def set(self, code: str, when: float | None) -> None: ...

    async def claim_due(self, now: float, limit: int = 100) -> list[str]: ...

    async def next_time(self) -> float | None: ...


class MemorySchedule:
    def __init__(self) -> None:
        self._when: dict[str, float] = {}
        self._heap: list[tuple[float, str]] = []

    async def set(self, code: str, when: float | None) -> None:
        if when is None:
            self._when.pop(code, None)
            return
        if self._when.get(code) == when:  # most commands keep their room's deadline
            return
        self._when[code] = when
        heapq.heappush(self._heap, (when, code))
        if len(self._heap) > 4 * len(self._when) + 64:  # drop stale entries now and then
            self._heap = [(t, c) for c, t in self._when.items()]
            heapq.heapify(self._heap)

    async def claim_due(self, now: float, limit: int = 100) -> list[str]:
        due: list[str] = []
        while self._heap and self._heap[0][0] <= now and len(due) < limit:
            when, code = heapq.heappop(self._heap)
            if self._when.get(code) == when:
                del self._when[code]
                due.append(code)
        return due

    async def next_time(self) -> float | None:
        while self._heap and self._when.get(self._heap[0][1]) != self._heap[0][0]:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None


class RedisSchedule:
    def __init__(self, redis: Redis, *, key: str = "imprompt:deadlines") -> None:
        self.redis = redis
        self.key = key

    async def set(self, code: str, when: float | None) -> None:
        if when is None:
            await self.redis.zrem(self.key, code)
        else:
            await self.redis.zadd(self.key, {code: when})

    async def claim_due(self, now: float, limit: int = 100) -> list[str]:
        candidates = await self.redis.zrangebyscore(self.key, "-inf", now, start=0, num=limit)
        claimed: list[str] = []
        for raw in candidates:
            code = raw.decode() if isinstance(raw, bytes) else str(raw)
            if await self.redis.zrem(self.key, code):  # only one process wins the removal
                claimed.append(code)
        return claimed

    async def next_time(self) -> float | None:
        first = await self.redis.zrange(self.key, 0, 0, withscores=True)
        return float(first[0][1]) if first else None
