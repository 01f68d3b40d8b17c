"""Images in Redis, so every instance serves every picture (IMAGE_STORE=redis).

Several instances behind a load balancer cannot each keep images on their own disk: a
picture drawn on one would answer 404 on the others. Redis is already required once there
is more than one instance (rooms, deadlines and socket.io messages live there), so the
images go there too: no new service to run, back up or give credentials to.

Still content-addressed (the key names the content for good, first write wins), and bounded
two ways, both in one Lua script per write so that several instances writing at once agree:

- by size: the least recently used images go first once the total passes IMAGE_REDIS_MAX_MB;
- by time: an image nobody loaded for IMAGE_REDIS_TTL_DAYS expires (every read renews it).
  The default, 30 days, is far longer than any game (a room lives at most 7 days in Redis),
  so a picture never disappears from under the game that shows it.

Keys, beside the rooms in the same Redis database:

    imprompt:image:<key>    hash {m: media type, d: bytes}, expiring
    imprompt:images:used    sorted set, key -> last use (ms)
    imprompt:images:size    hash, key -> bytes
    imprompt:images:bytes   the total of imprompt:images:size
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from redis.exceptions import RedisError

from .store import EXTENSIONS, KEY, ImageStore, StoreUnavailable

NAMESPACE = "imprompt:"

# KEYS: used, sizes, total. ARGV: key, media type, data, now (ms), ttl (ms), cap (bytes), prefix.
_PUT = """
local key, now, ttl, cap, prefix = ARGV[1], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local function forget(name)
  local size = tonumber(redis.call('HGET', KEYS[2], name) or '0')
  redis.call('HDEL', KEYS[2], name)
  redis.call('ZREM', KEYS[1], name)
  redis.call('DEL', prefix .. name)
  return redis.call('DECRBY', KEYS[3], size)
end
-- images unused for longer than the TTL have expired: take them out of the accounts
for _, name in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl, 'LIMIT', 0, 100)) do
  forget(name)
end
local item = prefix .. key
if redis.call('EXISTS', item) == 1 then
  redis.call('PEXPIRE', item, ttl)
  redis.call('ZADD', KEYS[1], now, key)
  return 0
end
if redis.call('HEXISTS', KEYS[2], key) == 1 then forget(key) end
redis.call('HSET', item, 'm', ARGV[2], 'd', ARGV[3])
redis.call('PEXPIRE', item, ttl)
redis.call('HSET', KEYS[2], key, string.len(ARGV[3]))
redis.call('ZADD', KEYS[1], now, key)
local total = redis.call('INCRBY', KEYS[3], string.len(ARGV[3]))
while total > cap and redis.call('ZCARD', KEYS[1]) > 1 do
  total = forget(redis.call('ZRANGE', KEYS[1], 0, 0)[1])
end
return 1
"""

# KEYS: used. ARGV: key, now (ms), ttl (ms), prefix. Returns {media type, data} or nil.
_GET = """
local item = ARGV[4] .. ARGV[1]
local found = redis.call('HMGET', item, 'm', 'd')
if not found[1] then return nil end
redis.call('PEXPIRE', item, tonumber(ARGV[3]))
redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[2]), ARGV[1])
return found
"""


class RedisImageStore:
    """The ImageStore interface, awaited (`await store.put(...)`, `await store.get(key)`)."""

    asynchronous = True

    def __init__(self, redis: Any, *, max_bytes: int, ttl_seconds: float, namespace: str = NAMESPACE) -> None:
        self.redis = redis  # redis.asyncio.Redis, bytes responses (no decode_responses)
        self.prefix = f"{namespace}image:"
        self.accounts = [f"{namespace}images:used", f"{namespace}images:size", f"{namespace}images:bytes"]
        self.max_bytes = max_bytes
        self.ttl_ms = int(ttl_seconds * 1000)
        self._put = redis.register_script(_PUT)
        self._get = redis.register_script(_GET)

    async def put(self, data: bytes, media_type: str, key: str | None = None) -> str:
        if media_type not in EXTENSIONS:
            raise ValueError(f"unsupported media type {media_type!r}")
        key = key or hashlib.sha256(data).hexdigest()[:32]
        if not KEY.match(key):
            raise ValueError("key must be 32 lower-case hex digits")
        now = int(time.time() * 1000)
        try:
            await self._put(
                keys=self.accounts,
                args=[key, media_type, data, now, self.ttl_ms, self.max_bytes, self.prefix],
            )
        except RedisError as exc:
            raise StoreUnavailable(type(exc).__name__) from exc
        return key

    async def get(self, key: str) -> tuple[bytes, str] | None:
        if not KEY.match(key):
            return None
        try:
            found = await self._get(
                keys=self.accounts[:1], args=[key, int(time.time() * 1000), self.ttl_ms, self.prefix]
            )
        except RedisError as exc:
            raise StoreUnavailable(type(exc).__name__) from exc
        if not found or found[0] is None or found[1] is None:
            return None
        media_type = found[0].decode() if isinstance(found[0], bytes) else str(found[0])
        return bytes(found[1]), media_type

    async def total_bytes(self) -> int:
        return int(await self.redis.get(self.accounts[2]) or 0)


class UpgradedStore:
    """The Redis store, reading through to the images this instance kept on disk before
    (IMAGE_DIR): after switching to IMAGE_STORE=redis, the pictures of games already under
    way still load, and each one found on disk is copied into Redis for every instance."""

    asynchronous = True

    def __init__(self, shared: RedisImageStore, disk: ImageStore) -> None:
        self.shared = shared
        self.disk = disk

    async def put(self, data: bytes, media_type: str, key: str | None = None) -> str:
        return await self.shared.put(data, media_type, key)

    async def get(self, key: str) -> tuple[bytes, str] | None:
        found = await self.shared.get(key)
        if found is not None:
            return found
        old = self.disk.get(key)
        if old is not None:
            await self.shared.put(old[0], old[1], key)
        return old
