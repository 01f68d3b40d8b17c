"""The composition root: every object of a running server, built once, in order, in one place.

    services = build_services(settings)    # web/app.create_app does this, then builds the ASGI app
    await services.start()                 # lifespan start (web/app.py)
    await services.stop()                  # lifespan end

Nothing is patched in afterwards: each object gets what it needs when it is built. The
order follows the dependencies:

1. where rooms, deadlines and socket.io messages live (in process, or Redis);
2. operations (metrics, health, alerts, per-IP limits), which everything below reports to;
3. the socket.io server and the emitter the room service reaches sockets through;
4. the image backend and the image jobs that run it;
5. the data layer (analytics, saved rooms, backups);
6. the room service, with its observers (the metrics room tracker, the room saver's
   changes) and summary listeners (analytics);
7. the realtime layer (socket events into commands);
8. the shutdown lifecycle and its drain steps.

Tests build the same objects (`create_app(settings, images=..., score=..., clock=...)`)
and reach them as `app.services`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import socketio
import structlog

from . import PROTOCOL_VERSION, __version__
from .config import Settings
from .data.runtime import DataLayer
from .game.content_filter import ContentFilter
from .game.rules import RulesEnv
from .game.rules.outcome import no_reason
from .game.state import Timing
from .ops.gc_policy import GcPolicy
from .ops.runtime import Operations
from .ops.shutdown import Lifecycle
from .ops.shutdown import wire as wire_shutdown
from .realtime.emitter import SocketEmitter
from .realtime.fanout import FanoutManager
from .realtime.handlers import Realtime
from .realtime.packet import WirePacket
from .realtime.resync import Resync
from .realtime.server import SocketServer
from .rooms.image_jobs import ImageJobs
from .rooms.presence import Presence
from .rooms.scheduler import MemorySchedule, RedisSchedule, Schedule
from .rooms.service import RoomService
from .rooms.store import MemoryStore, RoomStore
from .web.image_backend import ImageBackend

log = structlog.get_logger("imprompt.web")

Score = Callable[[str, str], int]  # (prompt, guess) -> similarity 0..100


@dataclass
class Services:
    settings: Settings
    clock: Callable[[], float]
    redis: Any | None  # redis.asyncio.Redis when REDIS_URL is set
    store: RoomStore
    schedule: Schedule
    ops: Operations
    sio: socketio.AsyncServer
    emitter: SocketEmitter
    images: ImageBackend
    image_jobs: ImageJobs
    data: DataLayer
    rooms: RoomService
    realtime: Realtime
    lifecycle: Lifecycle
    warm_up_similarity: bool = True  # False when a test gives its own score function
    presence: Presence | None = None  # with Redis: this instance's lease and seats
    _ticker: asyncio.Task[None] | None = field(default=None, init=False, repr=False)
    gc: GcPolicy = field(default_factory=GcPolicy, init=False, repr=False)

    async def start(self) -> None:
        """Lifespan start, in order: models warm, saved rooms back before the deadline loop
        runs, then readiness (from here /readyz answers 200)."""
        if self.warm_up_similarity:
            from .similarity import warm_up

            await asyncio.to_thread(warm_up)
        warm_images = getattr(self.images, "warm_up", None)
        if warm_images is not None:
            await asyncio.to_thread(warm_images)
        self.gc.start()  # start-up objects frozen; then young survivors frozen every few seconds
        await self.data.start(self.rooms)  # migrations, saved rooms back, analytics writer
        if self.presence is not None:
            self.presence.start()
        await self._start_fanout()
        poll = 1.0 if self.redis is not None else 5.0
        self._ticker = asyncio.create_task(self.rooms.run_deadlines(poll=poll), name="deadlines")
        await self.ops.startup()
        log.info(
            "started",
            version=__version__,
            protocol=PROTOCOL_VERSION,
            release=self.ops.release,
            rooms_store=type(self.store).__name__,
        )

    async def _start_fanout(self) -> None:
        """python-socketio starts its manager at the first connection; readiness needs the
        fan-out listener before that (realtime/fanout.py), so it starts here."""
        manager = self.sio.manager
        if not isinstance(manager, FanoutManager) or self.sio.manager_initialized:
            return
        self.sio.manager_initialized = True
        manager.initialize()
        deadline = time.monotonic() + 5.0
        while not manager.listening and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        """Lifespan end: readiness off, deadlines and images stopped, rooms saved and analytics
        flushed within what is left of the grace time, then every connection closed."""
        await self.ops.shutdown()
        await self.gc.stop()
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        self.image_jobs.cancel_all()
        await self.realtime.seats.stop()
        if self.presence is not None:
            await self.presence.stop()
        await self.data.stop(max(1.0, self.lifecycle.remaining() - 0.5))
        await self.images.close()
        await self.store.close()


def build_services(
    settings: Settings,
    *,
    images: ImageBackend | None = None,
    score: Score | None = None,
    clock: Callable[[], float] | None = None,
) -> Services:
    """Every object of one server. `images`, `score` and `clock` replace the real ones (tests, bench)."""
    clock = clock or time.time
    rooms_settings, limits = settings.rooms, settings.limits

    # 1. Rooms, deadlines and socket.io messages: in this process, or shared through Redis.
    redis: Any = None
    store: RoomStore
    schedule: Schedule
    manager: FanoutManager | None = None
    redis_url = settings.storage.redis_url
    if redis_url:
        from redis.asyncio import Redis

        from .rooms.redis_store import RedisStore

        redis = Redis.from_url(redis_url)
        store, schedule = RedisStore(redis), RedisSchedule(redis)
        manager = FanoutManager(redis_url)  # its listener's state is part of readiness
    else:
        store, schedule = MemoryStore(), MemorySchedule()

    # 2. Operations: metrics, health, alerts, per-IP limits.
    ops = Operations(settings, store=store, redis=redis)
    if manager is not None:
        ops.health.add_dependency("fanout", manager.check)  # views of other instances arrive

    # 3. The socket.io server, and how the room service reaches its sockets.
    origins = settings.server.cors_origins
    sio = SocketServer(
        async_mode="asgi",
        cors_allowed_origins="*" if origins == ["*"] else origins,
        client_manager=manager,
        max_http_buffer_size=limits.max_socket_message_bytes,
        transports=["websocket", "polling"],
        serializer=WirePacket,
        # A socket's events run one after another in its reader, not as a task each: the
        # order a client sent them in is kept, and a task, its context and its weak
        # reference per event are saved (bench/README.md)
        async_handlers=False,
    )
    emitter = SocketEmitter(sio)

    # 4. Images: the backend (provider chain and cache, unless one is given), metered, run as jobs.
    if images is None:
        from .images.backend import build_backend

        images = build_backend(settings.images, settings.storage, redis)  # IMAGE_STORE: disk or Redis
    metered = ops.instrument_images(images)
    image_jobs = ImageJobs(
        metered.generate,
        images.save,
        timeout=rooms_settings.generation_timeout_seconds,
        offer=getattr(images, "affordable", None),  # the chain's daily budget caps pictures to choose from
    )

    # 5. Data: analytics, saved rooms (without Redis), backups.
    data = DataLayer(settings, store, clock=clock)
    ops.health.add_dependency("database", data.ping, required=False)  # down: games go on, analytics wait
    ops.metrics.registry.register(data.collector())

    # 6. The room service.
    timing = Timing(
        seat_hold=rooms_settings.seat_hold_seconds,
        generation_timeout=rooms_settings.generation_timeout_seconds,
        reveal=rooms_settings.reveal_seconds,
        review=rooms_settings.review_seconds,
        empty_room_ttl=rooms_settings.empty_room_ttl_seconds,
        finished_room_ttl=rooms_settings.finished_room_ttl_seconds,
    )
    # A given scorer (tests, bench) gets no reasons: the real ones would explain other scores.
    explain = _explain() if score is None else no_reason
    env = RulesEnv(
        score=score or _similarity(),
        explain=explain,
        content_filter=ContentFilter(settings.content.extra_words()),
        packs=settings.packs.packs(),  # PROMPT_PACKS_DIR, checked by load_settings
    )
    rooms = RoomService(
        store,
        schedule,
        env,
        emitter,
        image_jobs,
        timing=timing,
        max_rooms=rooms_settings.max_rooms,
        clock=clock,
        observers=[ops.rooms, *data.observers],
        summaries=data.summaries,
    )

    # 7. Socket events into commands; with Redis, the seats held here are leased (presence).
    presence = Presence(redis, rooms.execute, restore=data.restore_rooms) if redis is not None else None
    if presence is not None:
        rooms.restoring = presence.restore_pending
        ops.health.instance = presence.id  # /health names the instance (logs, the fault tests)
    realtime = Realtime(
        sio,
        rooms,
        guess_rate=limits.guess_rate,
        chat_rate=limits.chat_rate,
        event_rate=limits.socket_event_rate,
        ops=ops,
        presence=presence,
    )
    if presence is not None and manager is not None:
        resync = Resync(sio, rooms, presence)
        presence.resettle = resync.resettle  # after Redis lost its data
        presence.rejoin = resync.rejoin  # after this instance was taken for dead
        manager.on_resubscribed.append(resync.resend_views)  # after the fan-out was down
    ops.attach_realtime(realtime, rooms)  # the connection gauge and readiness read them

    # 8. Shutdown: SIGTERM/SIGINT drain (ops/shutdown.py).
    lifecycle = Lifecycle(settings.server.shutdown_grace_seconds)
    lifecycle.on_begin(lambda: setattr(ops, "draining", True))
    wire_shutdown(lifecycle, service=rooms, sio=sio, data=data, rooms_in_process=redis is None)

    return Services(
        settings=settings,
        clock=clock,
        redis=redis,
        store=store,
        schedule=schedule,
        ops=ops,
        sio=sio,
        emitter=emitter,
        images=images,
        image_jobs=image_jobs,
        data=data,
        rooms=rooms,
        realtime=realtime,
        lifecycle=lifecycle,
        warm_up_similarity=score is None,
        presence=presence,
    )


def _similarity() -> Score:
    from .similarity import similarity

    return similarity


def _explain() -> Callable[[str, str], str]:
    from .similarity import explain

    return explain
