"""Per-client-IP rate limits, with the `limits` library.

Limits keyed by IP address (HTTP /api and /images, socket connections, rooms created)
live in shared storage: process memory by default, Redis when REDIS_URL is set, so
every instance counts against the same budget. Limits keyed by one socket or one
seat (guesses, chat, events per socket) stay in process memory in the realtime layer:
a socket lives on one instance, and a Redis round trip per guess would cost more than
the limit protects.

If the shared storage is unreachable the limits fail open (the request goes through
and a warning is logged): an outage of Redis must not lock every player out.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from ..config import LimitSettings
from .metrics import Metrics

log = structlog.get_logger("imprompt.ops")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: float  # seconds until the window has room again

    @property
    def retry_after(self) -> int:
        """Whole seconds for a Retry-After header (at least 1)."""
        return max(1, math.ceil(self.reset_after))


def limits_uri(redis_url: str) -> str:
    """REDIS_URL in the form the `limits` async storage expects."""
    if redis_url.startswith("unix://"):
        return "async+redis+unix://" + redis_url.removeprefix("unix://")
    return "async+" + redis_url


class RateLimits:
    def __init__(
        self, settings: LimitSettings, metrics: Metrics | None = None, *, redis_url: str | None = None
    ) -> None:
        self.metrics = metrics
        self.items: dict[str, RateLimitItem] = {
            "api": parse(settings.api_rate_limit),
            "images": parse(settings.image_rate_limit),
            "connection": parse(settings.connection_rate),
            "room_create": parse(settings.room_create_rate),
        }
        self.storage: RedisStorage | MemoryStorage
        if redis_url:
            self.storage = RedisStorage(
                limits_uri(redis_url),
                implementation="redispy",
                key_prefix="imprompt:limits",
                socket_timeout=1.0,
                socket_connect_timeout=1.0,
            )
        else:
            self.storage = MemoryStorage()
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.max_connections_per_ip = settings.max_connections_per_ip
        self.open_connections: dict[str, int] = {}  # per IP, this instance
        self._warned = 0.0

    async def hit(self, name: str, key: str, *, stats: bool = False) -> Decision:
        """Count one request for `key` against limit `name`; say whether it may go on."""
        item = self.items[name]
        try:
            allowed = await self.limiter.hit(item, name, key)
            if allowed and not stats:
                return Decision(True, item.amount, -1, 0.0)
            window = await self.limiter.get_window_stats(item, name, key)
        except Exception as exc:  # storage down: fail open
            now = time.monotonic()
            if now - self._warned > 30:
                self._warned = now
                log.warning("rate_limit_storage_unavailable", error=type(exc).__name__)
            return Decision(True, item.amount, -1, 0.0)
        reset_after = max(0.05, window.reset_time - time.time())
        if not allowed and self.metrics is not None:
            self.metrics.limited(name)
        return Decision(allowed, item.amount, max(0, window.remaining), reset_after)

    # ------------------------------------------------------------ socket connections

    async def admit_connection(self, ip: str) -> dict | None:
        """None if `ip` may open one more socket; else the refusal to send with connect_error."""
        if self.open_connections.get(ip, 0) >= self.max_connections_per_ip:
            if self.metrics is not None:
                self.metrics.limited("connections_per_ip")
            return {
                "code": "rate_limited",
                "message": "Too many connections from your network; close some tabs.",
                "retryAfter": 5,
            }
        decision = await self.hit("connection", ip)
        if not decision.allowed:
            return {
                "code": "rate_limited",
                "message": f"Too many connections; try again in {decision.retry_after} s.",
                "retryAfter": decision.retry_after,
            }
        self.open_connections[ip] = self.open_connections.get(ip, 0) + 1
        return None

    def connection_closed(self, ip: str) -> None:
        left = self.open_connections.get(ip, 0) - 1
        if left > 0:
            self.open_connections[ip] = left
        else:
            self.open_connections.pop(ip, None)

    async def close(self) -> None:
        bridge = getattr(self.storage, "bridge", None)
        client = getattr(bridge, "storage", None)
        if client is not None and hasattr(client, "aclose"):
            with contextlib.suppress(Exception):
                await client.aclose()
