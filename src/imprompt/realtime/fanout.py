"""python-socketio's Redis fan-out, with a listener that comes back at once and says so.

Upstream's listener (`AsyncRedisManager._redis_listen_with_retries`) waits 1, 2, 4, 8 ...
seconds between reconnects: after a 17 s Redis outage, 15 s more of other instances'
views and chat were lost. Here it retries every quarter second, `listening` tells
readiness whether the listener is subscribed, and after a gap each `on_resubscribed`
callback runs (each instance re-sends the current views to its own sockets: views carry
revisions, so the clients converge on the latest one)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import socketio
import structlog

log = structlog.get_logger("imprompt.realtime")

RETRY_SECONDS = 0.25


class FanoutDown(ConnectionError):
    """The fan-out listener is not subscribed: other instances' messages do not arrive."""


class FanoutManager(socketio.AsyncRedisManager):
    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.listening = False
        self.gaps = 0  # how many times the listener came back after losing Redis
        self.on_resubscribed: list[Callable[[], Awaitable[object]]] = []
        self._tasks: set[asyncio.Task[object]] = set()

    async def check(self) -> None:
        """A readiness dependency: raises while the listener is down."""
        if not self.listening:
            raise FanoutDown("the socket.io fan-out listener is not subscribed")

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        had_gap = False
        while True:
            try:
                self._redis_connect()
                await self.pubsub.subscribe(self.channel)
                self.listening = True
                if had_gap:
                    had_gap = False
                    self.gaps += 1
                    log.info("fanout_resubscribed")
                    self._resubscribed()
                async for message in self.pubsub.listen():
                    yield message
                raise ConnectionError("the subscription ended")  # unsubscribed: a gap all the same
            except Exception as exc:
                if self.listening or not had_gap:
                    log.warning("fanout_lost", error=f"{type(exc).__name__}: {str(exc)[:200]}")
                self.listening = False
                had_gap = True
                await asyncio.sleep(RETRY_SECONDS)

    def _resubscribed(self) -> None:
        for callback in self.on_resubscribed:
            task: asyncio.Task[object] = asyncio.create_task(self._run(callback), name="fanout-resync")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(callback: Callable[[], Awaitable[object]]) -> None:
        try:
            await callback()
        except Exception:
            log.exception("fanout_resync_failed")
