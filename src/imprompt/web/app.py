"""The ASGI app: Starlette for HTTP, python-socketio for the real-time protocol.

`create_app` wires the adapters around the RoomService; everything it needs can be
injected, so tests run the real app with a test image backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from pathlib import Path
from typing import Any, AsyncIterator

import socketio
import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import PROTOCOL_VERSION, __version__
from ..config import Settings
from ..game.content_filter import ContentFilter
from ..game.rules import RulesEnv
from ..game.state import Timing
from ..game.suggestions import theme_names
from ..data.runtime import DataLayer
from ..ops.runtime import Operations
from ..ops.shutdown import Lifecycle
from ..ops.shutdown import wire as wire_shutdown
from ..realtime.handlers import Realtime
from ..rooms.image_jobs import ImageJobs
from ..rooms.scheduler import MemorySchedule, RedisSchedule
from ..rooms.service import RoomService
from ..rooms.store import MemoryStore
from .image_backend import ImageBackend, default_image_backend
from .middleware import edge, wrap
from .ops_routes import admin_only, ops_routes

log = structlog.get_logger("imprompt.web")

CLIENT_DIST = Path(__file__).resolve().parents[3] / "client" / "dist"


def _score_function():
    from ..similarity import similarity

    return similarity


def create_app(settings: Settings, *, images: ImageBackend | None = None, score=None, clock=None) -> Any:
    redis = None
    redis_url = settings.storage.redis_url
    if redis_url:
        from redis.asyncio import Redis

        from ..rooms.redis_store import RedisStore

        redis = Redis.from_url(redis_url)
        store: Any = RedisStore(redis)
        schedule: Any = RedisSchedule(redis)
        manager = socketio.AsyncRedisManager(redis_url)
    else:
        store, schedule, manager = MemoryStore(), MemorySchedule(), None
    ops = Operations(settings, redis=redis)  # metrics, health, alerts, per-IP limits (ops/)
    store = ops.track_store(store)

    cors = "*" if settings.server.cors_origins == ["*"] else settings.server.cors_origins
    sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=cors, client_manager=manager,
                               max_http_buffer_size=settings.limits.max_socket_message_bytes,
                               transports=["websocket", "polling"])
    rooms = settings.rooms
    timing = Timing(seat_hold=rooms.seat_hold_seconds, generation_timeout=rooms.generation_timeout_seconds,
                    reveal=rooms.reveal_seconds, empty_room_ttl=rooms.empty_room_ttl_seconds,
                    finished_room_ttl=rooms.finished_room_ttl_seconds)
    env = RulesEnv(score=score or _score_function(), content_filter=ContentFilter(settings.content.extra_words()))
    service = RoomService(store, schedule, env, emitter=None, timing=timing, max_rooms=rooms.max_rooms,  # type: ignore[arg-type]
                          clock=clock or time.time)
    limits = settings.limits
    realtime = Realtime(sio, service, guess_rate=limits.guess_rate, chat_rate=limits.chat_rate,
                        event_rate=limits.socket_event_rate, ops=ops)
    service.emitter = realtime
    ops.attach_realtime(realtime, service)
    images = images or default_image_backend(settings.images)
    metered = ops.instrument_images(images)
    service.images = ImageJobs(metered.generate, images.save, timeout=rooms.generation_timeout_seconds)
    data = DataLayer(settings, service, realtime)  # analytics, saved rooms, backups (data/)
    ops.health.add_dependency("database", data.ping, required=False)  # down: games go on, analytics wait
    ops.metrics.registry.register(data.collector())
    lifecycle = Lifecycle(settings.server.shutdown_grace_seconds)  # SIGTERM/SIGINT: ops/shutdown.py
    lifecycle.on_begin(lambda: setattr(ops, "draining", True))
    wire_shutdown(lifecycle, service=service, sio=sio, data=data, rooms_in_process=redis is None)

    async def themes(request: Request) -> Response:
        return JSONResponse({"themes": theme_names()})

    async def index(request: Request) -> Response:
        page = CLIENT_DIST / "index.html"
        if page.is_file():
            return FileResponse(page, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(_FALLBACK_PAGE)

    routes = [
        *ops_routes(ops, images=images, store=store), Route("/api/themes", themes),
        Route("/", index), Route("/r/{code}", index),
        Route("/api/analytics", admin_only(settings.ops.admin_token, data.analytics_endpoint), methods=["GET"]),
        *images.routes(),
    ]
    if (CLIENT_DIST / "assets").is_dir():
        routes.append(Mount("/assets", StaticFiles(directory=CLIENT_DIST / "assets")))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if score is None:
            from ..similarity import warm_up

            await asyncio.to_thread(warm_up)
        if hasattr(images, "warm_up"):
            await asyncio.to_thread(images.warm_up)
        gc.collect()
        gc.freeze()  # start-up objects (models, indexes) never need scanning again
        await data.start()  # migrations, saved rooms back (before the ticker), analytics writer
        ticker = asyncio.create_task(service.run_deadlines(poll=1.0 if redis else 5.0), name="deadlines")
        await ops.startup()  # from here /readyz answers 200
        log.info("started", version=__version__, protocol=PROTOCOL_VERSION, release=ops.release,
                 rooms_store=type(store.inner).__name__)
        try:
            yield
        finally:
            await ops.shutdown()
            ticker.cancel()
            service.images.cancel_all()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            await data.stop(max(1.0, lifecycle.remaining() - 0.5))  # rooms saved, analytics flushed, pool closed
            await images.close()
            await store.close()

    cors_http = Middleware(CORSMiddleware, allow_origins=settings.server.cors_origins, allow_methods=["GET", "HEAD", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
                                           "RateLimit-Reset"])
    http = Starlette(routes=routes, lifespan=lifespan, middleware=[cors_http])
    http.state.service = service
    http.state.realtime = realtime
    http.state.ops = ops
    app: Any = wrap(socketio.ASGIApp(sio, other_asgi_app=http), edge(settings, ops, router=http.router))
    app.service = service  # handy for tests and tools
    app.data = data
    app.lifecycle = lifecycle  # ops/shutdown.serve drives it on SIGTERM/SIGINT
    app.ops = ops  # app.ops.draining = True makes /readyz answer 503 (the shutdown sequence sets it)
    return app


_FALLBACK_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>imprompt</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>imprompt</h1><p>The server is running. The web client has not been built yet
(<code>make setup</code> builds it); the real-time protocol is at <code>/socket.io/</code>
and is described in <code>docs/protocol.md</code>.</p></body></html>"""
