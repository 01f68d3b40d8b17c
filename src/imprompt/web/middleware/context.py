"""Request context and logging: request id, client IP, duration metric, one log line.

For every HTTP request:
- a request id (the caller's X-Request-ID when it is sane, else a new one), kept in the
  scope (`imprompt.request_id`), bound to every log line written while the request runs,
  and returned in the response's X-Request-ID;
- the client's IP address (ops/clientip.py: proxy headers only from TRUSTED_PROXIES),
  kept in the scope (`imprompt.client_ip`) for the limits and the log;
- the request-duration histogram by route template, method and status, and one log line
  (probes, socket.io polls, images and assets at debug level unless they fail);
- an exception that escapes the app is logged, and answered 500 if nothing was sent yet.

Websocket handshakes only get their client IP resolved (socket.io's connect handler
applies the per-IP connection limits); their messages never pass through here.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.routing import Match, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...ops.clientip import ClientIP
from ...ops.metrics import PROBE_ROUTES, Metrics
from ._asgi import respond_json, with_headers

log = structlog.get_logger("imprompt.http")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_QUIET_PREFIXES = ("/socket.io", "/images", "/assets")
_INTERNAL = b'{"error":{"code":"internal","message":"Internal error."}}'


class RequestContext:
    def __init__(self, app: ASGIApp, *, client_ip: ClientIP, metrics: Metrics, router: Router | None = None) -> None:
        self.app = app
        self.client_ip = client_ip
        self.metrics = metrics
        self.router = router  # the Starlette router, to name the route of answers given outside it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            self.client_ip.from_scope(scope)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope["imprompt.request_id"] = request_id
        ip = self.client_ip.from_scope(scope)
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = with_headers(message, [(b"x-request-id", request_id.encode())])
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("http_request_failed", method=scope.get("method"), path=scope.get("path"))
            if status == 0:
                await respond_json(send_with_id, 500, _INTERNAL)
            status = status or 500
        finally:
            elapsed = time.perf_counter() - started
            route = self._route_label(scope)
            method = scope.get("method", "GET")
            self.metrics.http(route, method, status or 500, elapsed)
            quiet = route in PROBE_ROUTES or route.startswith(_QUIET_PREFIXES)
            emit = log.warning if status >= 500 else (log.debug if quiet and status < 400 else log.info)
            emit("http_request", method=method, route=route, status=status, ms=round(elapsed * 1000, 2), client_ip=ip)
            structlog.contextvars.reset_contextvars(**tokens)

    def _route_label(self, scope: Scope) -> str:
        """The route template (`/r/{code}`), never the raw path, so metrics stay bounded."""
        route = scope.get("route")
        if route is None:
            if scope.get("path", "").startswith("/socket.io"):
                return "/socket.io/"
            if self.router is not None:  # answered before the router ran (429, 413)
                for candidate in self.router.routes:
                    match, _ = candidate.matches({**scope, "type": "http"})
                    if match == Match.FULL:
                        route = candidate
                        break
        template = getattr(route, "path", None)
        if template is None:
            return "unmatched"
        if isinstance(route, Mount):
            return template.rstrip("/") + "/{path}"
        return template


def _request_id(scope: Scope) -> str:
    given: str | None = None
    for name, value in scope.get("headers") or ():
        if name == b"x-request-id":  # the last one counts; an odd one is replaced
            text = value.decode("latin-1")
            given = text if _REQUEST_ID.match(text) else None
    return given or uuid.uuid4().hex
