"""Operator endpoints: /livez, /readyz, /health, /metrics, and the admin API.

Admin endpoints (/api/costs, /api/alerts, later /api/analytics) need
`Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. Without an
ADMIN_TOKEN configured they do not exist (404), so an unconfigured server shows
nothing. /metrics is open unless METRICS_TOKEN is set.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..ops.metrics import CONTENT_TYPE
from ..ops.runtime import Operations
from ..rooms.store import RoomStore

Endpoint = Callable[[Request], Awaitable[Response]]
NO_STORE = {"Cache-Control": "no-store"}


def bearer_ok(request: Request, secret: SecretStr) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    # Digests first, so the comparison takes the same time whatever the given token's length;
    # compare_digest then takes the same time however much of it matches.
    given_digest = hashlib.sha256(given.strip().encode()).digest()
    expected_digest = hashlib.sha256(secret.get_secret_value().encode()).digest()
    return hmac.compare_digest(given_digest, expected_digest) and scheme.lower() == "bearer"


def _unauthorized() -> Response:
    return JSONResponse(
        {"error": {"code": "unauthorized", "message": "A valid bearer token is required."}},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="imprompt"', **NO_STORE},
    )


def admin_only(token: SecretStr | None, endpoint: Endpoint) -> Endpoint:
    """Wrap an endpoint so only a caller with the admin token reaches it (404 when no token is set)."""

    async def guarded(request: Request) -> Response:
        if token is None:
            return JSONResponse({"error": {"code": "not_found", "message": "Not found."}}, status_code=404)
        if not bearer_ok(request, token):
            return _unauthorized()
        response = await endpoint(request)
        response.headers.update(NO_STORE)
        return response

    return guarded


def ops_routes(ops: Operations, *, images: Any = None, store: RoomStore | None = None) -> list[Route]:
    settings = ops.settings

    async def livez(request: Request) -> Response:
        return JSONResponse({"status": "pass"}, headers=NO_STORE)

    async def readyz(request: Request) -> Response:
        ready, body = await ops.health.readiness()
        return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)

    async def health(request: Request) -> Response:
        body, status = await ops.health.report()
        return JSONResponse(body, status_code=status, headers=NO_STORE)

    async def metrics(request: Request) -> Response:
        if settings.ops.metrics_token is not None and not bearer_ok(request, settings.ops.metrics_token):
            return _unauthorized()
        await ops.refresh(store.codes if store is not None else None)
        return PlainTextResponse(ops.metrics.render(), media_type=CONTENT_TYPE, headers=NO_STORE)

    async def costs(request: Request) -> Response:
        get = getattr(images, "costs", None)
        return JSONResponse(get() if get else {"providers": {}, "note": "this image backend keeps no cost books"})

    async def alerts(request: Request) -> Response:
        return JSONResponse(ops.alerts.snapshot())

    return [
        Route("/livez", livez, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/health", health, methods=["GET", "HEAD"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/api/costs", admin_only(settings.ops.admin_token, costs), methods=["GET"]),
        Route("/api/alerts", admin_only(settings.ops.admin_token, alerts), methods=["GET"]),
    ]


__all__ = ["admin_only", "bearer_ok", "ops_routes"]
