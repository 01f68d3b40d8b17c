"""Operations, wired: one object per app holding metrics, limits, health and alerts.

The composition root (services.py) builds it first; `ops.rooms` is one of the
RoomService's observers, `instrument_images` meters the image backend, the realtime
layer gets it for its limits and metrics, web/ mounts its routes and middleware, and
the lifespan calls `startup()` / `shutdown()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from typing import Any

from .. import PROTOCOL_VERSION, __version__
from ..config import OpsSettings, Settings
from .alerts import AlertEvaluator, AlertState, Sample, Webhook, rules_from
from .clientip import ClientIP
from .health import Health, watch_loop_lag
from .logging import adopt_server_loggers, redactor, secrets_of
from .metrics import ImageCollector, ImageMeter, Metrics, RoomCollector, RoomTracker
from .ratelimit import RateLimits

# Where a platform puts the deployed commit when RELEASE_ID is not set.
RELEASE_ENV_FALLBACKS = ("RAILWAY_GIT_COMMIT_SHA", "SOURCE_VERSION", "GIT_COMMIT", "COMMIT_SHA")


def release_of(settings: OpsSettings) -> str | None:
    if settings.release_id:
        return settings.release_id
    return next((os.environ[n] for n in RELEASE_ENV_FALLBACKS if os.environ.get(n)), None)


class Operations:
    def __init__(
        self, settings: Settings, *, store: Any = None, redis: Any = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.settings = settings
        self.version = __version__
        self.release = release_of(settings.ops)
        self.metrics = Metrics(version=self.version, release=self.release)
        self.client_ip = ClientIP(settings.ops.trusted_proxies)
        self.limits = RateLimits(settings.limits, self.metrics, redis_url=settings.storage.redis_url)
        self.rooms = RoomTracker()  # a RoomService observer: rooms and players by phase
        self.metrics.registry.register(RoomCollector(self.rooms))
        self.health = Health(
            version=self.version,
            release=self.release,
            protocol=PROTOCOL_VERSION,
            memory_warn_percent=settings.alerts.alert_memory_percent,
        )
        self.metrics.memory_limit.set(self.health.limit)
        if store is not None:
            self.health.rooms = store.count
        self.health.players = lambda: self.rooms.totals()[1]
        # Dependencies: the analytics database is not part of the server yet.
        self.health.add_dependency("database", None)
        if redis is not None:
            self.health.add_dependency("redis", redis.ping)
        self.images: ImageMeter | None = None
        self.webhook = None
        alerts = settings.alerts
        if alerts.alert_webhook_url is not None:
            self.webhook = Webhook(
                alerts.alert_webhook_url.get_secret_value(),
                extra={
                    "service": "imprompt",
                    "environment": settings.server.app_env,
                    "version": self.version,
                    "release": self.release,
                },
            )
        self.alerts = AlertEvaluator(
            rules_from(alerts),
            self.sample,
            min_events=alerts.alert_min_events,
            clock=clock,
            notify=self.webhook,
            on_change=self._alert_changed,
        )
        for state in self.alerts.states.values():
            self.metrics.alerts_firing.labels(state.rule.name, state.rule.severity).set(0)
        self.clock = clock
        self._tasks: list[asyncio.Task] = []
        redactor.add(*secrets_of(settings))

    # ------------------------------------------------------------ wiring

    def instrument_images(self, backend: Any) -> ImageMeter:
        self.images = ImageMeter(backend, self.metrics)
        self.metrics.registry.register(ImageCollector(self.images))
        if hasattr(backend, "status"):
            self.health.providers = backend.status
        return self.images

    def attach_realtime(self, realtime: Any, service: Any) -> None:
        self.metrics.socket_connections.set_function(lambda: realtime.connections)
        self.health.connections = lambda: realtime.connections
        self.health.accepting = lambda: service.accepting

    @property
    def draining(self) -> bool:
        return self.health.is_draining

    @draining.setter
    def draining(self, value: bool) -> None:
        """The shutdown sequence sets this: readiness answers 503 from then on."""
        self.health.draining = value

    @property
    def started(self) -> bool:
        return self.health.started

    def _alert_changed(self, state: AlertState) -> None:
        self.metrics.alerts_firing.labels(state.rule.name, state.rule.severity).set(1 if state.state == "firing" else 0)

    # ------------------------------------------------------------ measurements

    async def sample(self) -> Sample:
        status = await self.health.status()
        self.metrics.health_status.set({"pass": 0, "warn": 1, "fail": 2}[status])
        ai_requests, ai_failures = self.images.totals() if self.images else (0.0, 0.0)
        m = self.metrics
        return Sample(
            at=self.clock(),
            requests=m.requests,
            errors=m.errors,
            latency=tuple(m.latency_counts),
            ai_requests=ai_requests,
            ai_failures=ai_failures,
            memory_percent=self.health.memory()["percent"],
            health=status,
        )

    async def refresh(self, codes: Callable[[], Any] | None = None) -> None:
        """Before a scrape: bring the gauges that are read rather than pushed up to date."""
        if codes is not None:
            with contextlib.suppress(Exception):
                await self.rooms.reconcile(codes)
        status = await self.health.status()
        self.metrics.health_status.set({"pass": 0, "warn": 1, "fail": 2}[status])

    # ------------------------------------------------------------ lifecycle

    async def startup(self) -> None:
        adopt_server_loggers()  # uvicorn configures its loggers after ours; take them back
        self._tasks.append(
            asyncio.create_task(watch_loop_lag(self.health, self.metrics.loop_lag.set), name="ops:loop-lag")
        )
        with contextlib.suppress(Exception):
            await self.alerts.evaluate()  # the first reading: the start of every window
        self._tasks.append(
            asyncio.create_task(self.alerts.run(self.settings.alerts.alert_evaluation_seconds), name="ops:alerts")
        )
        self.health.started = True

    async def shutdown(self) -> None:
        self.health.started = False
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        await self.alerts.drain(2.0)
        if self.webhook is not None:
            await self.webhook.close()
        await self.limits.close()
