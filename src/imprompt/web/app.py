"""The ASGI app: Starlette for HTTP, python-socketio for the real-time protocol.

`create_app` builds every object of the server once (services.build_services), then
the web around them: the HTTP routes, the lifespan that starts and stops the services,
and the HTTP edge middleware (web/middleware/) around socket.io and Starlette together.
Everything can be injected, so tests run the real app with a test image backend, and
reach what it was built from as `app.services`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import socketio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import Settings
from ..game.suggestions import theme_names
from ..services import Score, Services, build_services
from .assets import asset_route
from .image_backend import ImageBackend
from .middleware import edge, wrap
from .openapi import openapi_endpoint
from .ops_routes import admin_only, ops_routes

CLIENT_DIST = Path(__file__).resolve().parents[3] / "client" / "dist"


class App:
    """The ASGI app `imprompt serve` runs, with the services it was built from."""

    def __init__(self, asgi: ASGIApp, services: Services) -> None:
        self.asgi = asgi
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.asgi(scope, receive, send)


def create_app(
    settings: Settings,
    *,
    images: ImageBackend | None = None,
    score: Score | None = None,
    clock: Callable[[], float] | None = None,
) -> App:
    services = build_services(settings, images=images, score=score, clock=clock)
    return App(asgi_app(services), services)


def asgi_app(services: Services) -> ASGIApp:
    """The web around the services: routes, lifespan, CORS, and the HTTP edge around it all."""
    settings = services.settings

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.start()
        try:
            yield
        finally:
            await services.stop()

    cors = Middleware(
        CORSMiddleware,
        allow_origins=settings.server.cors_origins,
        allow_methods=["GET", "HEAD", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
    )
    http = Starlette(routes=routes(services), lifespan=lifespan, middleware=[cors])
    return wrap(socketio.ASGIApp(services.sio, other_asgi_app=http), edge(settings, services.ops, router=http.router))


def routes(services: Services) -> list[BaseRoute]:
    ops, data, realtime = services.ops, services.data, services.realtime

    # the built-in themes, then the operator's packs (PROMPT_PACKS_DIR), as packs:list orders them
    theme_ids = [*theme_names(), *services.rooms.env.packs]

    async def themes(request: Request) -> Response:
        return JSONResponse({"themes": theme_ids})

    async def index(request: Request) -> Response:
        page = CLIENT_DIST / "index.html"
        if page.is_file():
            return FileResponse(page, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(_FALLBACK_PAGE)

    analytics = data.analytics_endpoint(connections=lambda: realtime.connections)
    found: list[BaseRoute] = [
        *ops_routes(ops, images=services.images, store=services.store),
        Route("/api/themes", themes),
        Route("/api/openapi.json", openapi_endpoint, methods=["GET"]),
        Route("/", index),
        Route("/r/{code}", index),
        Route("/r/{code}/tv", index),  # the room's big-screen view
        Route("/api/analytics", admin_only(services.settings.ops.admin_token, analytics), methods=["GET"]),
        *services.images.routes(),
    ]
    if (CLIENT_DIST / "assets").is_dir():
        found.append(asset_route(CLIENT_DIST / "assets"))
    return found


_FALLBACK_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>imprompt</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>imprompt</h1><p>The server is running. The web client has not been built yet
(<code>make setup</code> builds it); the real-time protocol is at <code>/socket.io/</code>
and is described in <code>docs/protocol.md</code>.</p></body></html>"""
