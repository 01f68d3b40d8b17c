"""The data layer inside the running server: one object the composition root builds, starts and stops.

    data = DataLayer(settings, store, clock=clock)     # in services.build_services, before the RoomService
    RoomService(..., observers=data.observers, summaries=data.summaries)   # saved rooms, analytics
    await data.start(rooms)                            # lifespan start: migrate, restore rooms, writers
    ... data.drain() on SIGTERM (see ops/shutdown.py), data.analytics_endpoint(...) for /api/analytics
    await data.stop(budget)                            # lifespan end: save rooms, flush, close pools

If the database cannot be reached at start, the server still starts: games go on,
analytics are queued within their bound, and a background task connects, migrates,
restores saved rooms and starts the writers once the database answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .analytics import Analytics
from .backup import run_backups
from .db import engine_from_settings, redacted
from .migrate import upgrade
from .queries import analytics_report
from .rooms import RoomSaver

if TYPE_CHECKING:
    from ..config import Settings
    from ..rooms.service import RoomObserver, RoomService, SummaryListener
    from ..rooms.store import RoomStore

log = structlog.get_logger("imprompt.data")

RETRY_SECONDS = 15.0


class DataLayer:
    def __init__(self, settings: Settings, store: RoomStore, *, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings.data
        self.redis_url = settings.storage.redis_url  # backups: one instance per period (_backups)
        self.store = store
        self.clock = clock
        self.rooms: RoomService | None = None  # given at start: saved rooms are restored through it
        self.engine = engine_from_settings(settings.data)
        password = self.engine.url.password
        if password:
            with contextlib.suppress(Exception):  # keep the database password out of every log line
                from ..ops.logging import redactor

                redactor.add(password)
        self.ready = False  # migrated and writing
        self.analytics: Analytics | None = None
        if settings.data.analytics_enabled:
            self.analytics = Analytics(
                self.engine,
                store_prompts=settings.data.analytics_store_prompts,
                retention_days=settings.data.analytics_retention_days,
                queue_size=settings.data.analytics_queue_size,
            )
        # With Redis the rooms live outside this process; the snapshots bring them back if
        # Redis loses its data (shared: see data/rooms.py).
        self.saver: RoomSaver | None = RoomSaver(
            self.engine,
            store,
            interval=settings.data.room_save_interval_seconds,
            clock=clock,
            shared=bool(settings.storage.redis_url),
        )
        self._tasks: list[asyncio.Task] = []

    @property
    def observers(self) -> list[RoomObserver]:
        """For the RoomService: the saver learns which rooms changed."""
        return [self.saver.changes] if self.saver is not None else []

    @property
    def summaries(self) -> list[SummaryListener]:
        """For the RoomService: every turn and game summary goes to analytics."""
        listeners: list[SummaryListener] = [self.analytics.on_effect] if self.analytics is not None else []
        if self.saver is not None and self.saver.shared:
            listeners.append(self.saver.on_summary)  # with Redis, a scored turn is saved at once
        return listeners

    # ------------------------------------------------------------ lifespan

    async def start(self, rooms: RoomService) -> None:
        self.rooms = rooms
        try:
            await asyncio.wait_for(self._connect(), timeout=20)
        except Exception as exc:
            log.error(
                "database_unavailable",
                url=redacted(self.settings.database_url),
                error=f"{type(exc).__name__}: {str(exc)[:200]}",
                retry_seconds=RETRY_SECONDS,
            )
            self._tasks.append(asyncio.create_task(self._connect_later(), name="database-connect"))

    async def restore_rooms(self) -> int:
        """Redis lost its data (rooms/presence.py): the rooms back from the last snapshots."""
        if self.saver is None or self.rooms is None:
            return 0
        return await self.saver.restore(self.rooms)

    async def _connect(self) -> None:
        if self.settings.db_migrate_on_start:
            revision = await upgrade(self.engine)
            log.info("database_ready", url=redacted(self.settings.database_url), revision=revision)
        if self.saver is not None and self.rooms is not None:
            await self.saver.restore(self.rooms)
            self.saver.start()
        if self.analytics is not None:
            self.analytics.start()
        if self.settings.backup_interval_hours:
            self._tasks.append(asyncio.create_task(self._backups(), name="backups"))
        self.ready = True

    async def _backups(self) -> None:
        """BACKUP_INTERVAL_HOURS: with Redis, one instance of all those sharing it takes each
        period's backup (a lock in Redis, data/backup.run_backups); alone, this one does."""
        redis: Any = None
        if self.redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(self.redis_url)
        try:
            await run_backups(
                self.engine,
                self.settings.backup_dir,
                every_hours=self.settings.backup_interval_hours or 24.0,
                keep=self.settings.backup_keep,
                redis=redis,
            )
        finally:
            if redis is not None:
                await redis.aclose()

    async def _connect_later(self) -> None:
        while True:
            await asyncio.sleep(RETRY_SECONDS)
            try:
                await asyncio.wait_for(self._connect(), timeout=20)
                log.info("database_connected_late")
                return
            except Exception as exc:
                log.warning("database_still_unavailable", error=f"{type(exc).__name__}: {str(exc)[:200]}")

    async def drain(self) -> None:
        """At SIGTERM, while clients are still connected: save every live room now."""
        if self.saver is not None and self.ready:
            saved = await self.saver.save_all()
            log.info("rooms_saved", rooms=saved, reason="shutdown")

    async def stop(self, budget: float = 5.0) -> None:
        """Lifespan end: final save of the rooms, analytics flushed, pools closed, within `budget`."""
        deadline = time.monotonic() + max(0.5, budget)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.saver is not None:
            await self.saver.stop()
            if self.ready:
                try:
                    saved = await asyncio.wait_for(self.saver.save_all(), max(0.2, deadline - time.monotonic()))
                    log.info("rooms_saved", rooms=saved, reason="exit")
                except Exception as exc:
                    log.error("rooms_not_saved", error=f"{type(exc).__name__}: {str(exc)[:200]}")
        if self.analytics is not None:
            left = await self.analytics.stop(timeout=max(0.1, deadline - time.monotonic()) if self.ready else 0)
            if left or self.analytics.dropped:
                log.warning("analytics_lost", unwritten=left, dropped=self.analytics.dropped)
        await self.engine.dispose()

    # ------------------------------------------------------------ HTTP

    async def ping(self) -> None:
        """Health check for the database (raises when it does not answer)."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def live(self, connections: int | None = None) -> dict:
        store = self.store
        codes = await store.codes()
        players = 0
        for i, code in enumerate(list(codes)[:10_000]):
            if i % 100 == 99:
                await asyncio.sleep(0)  # let game events through on a busy server
            state = await store.load(code)
            if state is not None:
                players += sum(1 for m in state.members.values() if m.connected and m.role == "player")
        return {"rooms": len(codes), "players": players, "connections": connections}

    def analytics_endpoint(self, connections: Callable[[], int | None]) -> Callable[[Request], Awaitable[Response]]:
        """GET /api/analytics[?days=30], with `connections` (the open sockets) in its "now" block.
        Mount it behind the admin check (web/ops_routes.admin_only)."""

        async def endpoint(request: Request) -> Response:
            try:
                days = int(request.query_params.get("days", "30"))
            except ValueError:
                return JSONResponse(
                    {"error": {"code": "bad_request", "message": "days must be a whole number"}}, status_code=400
                )
            today = datetime.fromtimestamp(self.clock(), UTC).date()
            body: dict[str, Any] = {"now": await self.live(connections())}
            try:
                body.update(await analytics_report(self.engine, today=today, days=days))
                body["database"] = "ok"
            except Exception as exc:
                body["database"] = f"unavailable: {type(exc).__name__}"
            body["writer"] = self.analytics.stats() if self.analytics else {"enabled": False}
            return JSONResponse(body, headers={"Cache-Control": "no-store"})

        return endpoint

    def collector(self) -> AnalyticsCollector:
        """Prometheus collector: analytics queue, drops, failed writes; saved rooms."""
        return AnalyticsCollector(self)


class AnalyticsCollector:
    def __init__(self, data: DataLayer) -> None:
        self.data = data

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        a = self.data.analytics
        if a is not None:
            stats = a.stats()
            yield GaugeMetricFamily(
                "imprompt_analytics_queued", "Analytics events waiting to be written.", value=stats["queued"]
            )
            yield CounterMetricFamily(
                "imprompt_analytics_dropped", "Analytics events dropped (queue full).", value=stats["dropped"]
            )
            yield CounterMetricFamily("imprompt_analytics_written", "Analytics events written.", value=stats["written"])
            yield CounterMetricFamily(
                "imprompt_analytics_write_failures",
                "Failed analytics writes (database unreachable).",
                value=stats["failedWrites"],
            )
        saver = self.data.saver
        if saver is not None and saver.last_saved_at is not None:
            yield GaugeMetricFamily(
                "imprompt_rooms_saved_timestamp_seconds",
                "When the live rooms were last saved to the database.",
                value=saver.last_saved_at,
            )
