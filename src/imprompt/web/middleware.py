"""The HTTP edge, as one pure ASGI middleware around the whole app (socket.io included).

For every HTTP request, in order:
- a request id (the caller's X-Request-ID when it is sane, else a new one), bound to
  every log line written while the request runs and returned in the response;
- the client's IP address (ops/clientip.py: proxy headers only from TRUSTED_PROXIES);
- rate limits: /api/* and /images/* per client IP (429 with Retry-After);
- a cap on the request body (413);
- security headers on the response (CSP, nosniff, frame-ancestors, referrer and
  permissions policies, HSTS in production), and no Server header;
- the request-duration histogram by route template, method and status, and one log line.

Websocket handshakes only get their client IP resolved here (socket.io's connect
handler applies the per-IP connection limits); their messages never pass through.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any, Awaitable, Callable

import structlog
from starlette.routing import Match, Mount

from ..ops.metrics import PROBE_ROUTES
from ..ops.runtime import Operations

log = structlog.get_logger("imprompt.http")

Scope = dict
Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(:[0-9]{1,5})?$")
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "font-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'")
_STATIC_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                            b"accelerometer=(), gyroscope=(), magnetometer=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")


class OpsMiddleware:
    def __init__(self, app: Any, ops: Operations, *, router: Any = None) -> None:
        self.app = app
        self.ops = ops
        self.router = router  # the Starlette router, to name the route of answers given here
        settings = ops.settings
        self.max_body = settings.limits.max_request_body_bytes
        self.static_headers = list(_STATIC_HEADERS) + ([_HSTS] if settings.server.app_env == "production" else [])

    def __getattr__(self, name: str) -> Any:  # anything else is the wrapped app's
        if name == "app":
            raise AttributeError(name)
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
            return
        if kind == "websocket":
            self.ops.client_ip.from_scope(scope)
        await self.app(scope, receive, send)

    # ------------------------------------------------------------ http

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        request_id = host = None
        length: str | None = None
        chunked = False
        for name, value in scope.get("headers") or ():
            if name == b"x-request-id":
                text = value.decode("latin-1")
                request_id = text if _REQUEST_ID.match(text) else None
            elif name == b"host":
                host = value.decode("latin-1")
            elif name == b"content-length":
                length = value.decode("latin-1")
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        request_id = request_id or uuid.uuid4().hex
        scope["imprompt.request_id"] = request_id
        ip = self.ops.client_ip.from_scope(scope)
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 0
        extra: list[tuple[bytes, bytes]] = []
        security = self._security_headers(host, request_id)

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": _merge(message.get("headers") or [], security, extra)}
            await send(message)

        try:
            refusal = await self._limit(scope["path"], ip, extra)
            if refusal is None:
                refusal, receive = await self._body(length, chunked, receive)
            if refusal is not None:
                await _respond(send_wrapper, *refusal)
            else:
                await self.app(scope, receive, send_wrapper)
        except Exception:
            log.exception("http_request_failed", method=scope.get("method"), path=scope.get("path"))
            if status == 0:
                await _respond(send_wrapper, 500, b'{"error":{"code":"internal","message":"Internal error."}}')
            status = status or 500
        finally:
            elapsed = time.perf_counter() - started
            route = self._route_label(scope)
            method = scope.get("method", "GET")
            self.ops.metrics.http(route, method, status or 500, elapsed)
            quiet = route in PROBE_ROUTES or route.startswith(("/socket.io", "/images", "/assets"))
            emit = log.warning if status >= 500 else (log.debug if quiet and status < 400 else log.info)
            emit("http_request", method=method, route=route, status=status, ms=round(elapsed * 1000, 2),
                 client_ip=ip)
            structlog.contextvars.reset_contextvars(**tokens)

    def _security_headers(self, host: str | None, request_id: str) -> list[tuple[bytes, bytes]]:
        connect = "connect-src 'self'"
        if host and _HOST.match(host):
            connect += f" ws://{host} wss://{host}"  # same-origin websockets, spelt out for older browsers
        csp = f"{_CSP}; {connect}".encode()
        return [(b"content-security-policy", csp), *self.static_headers, (b"x-request-id", request_id.encode())]

    async def _limit(self, path: str, ip: str, extra: list[tuple[bytes, bytes]]) -> tuple | None:
        if path.startswith("/api/"):
            name = "api"
        elif path.startswith("/images/"):
            name = "images"
        else:
            return None
        decision = await self.ops.limits.hit(name, ip, stats=(name == "api"))
        if decision.remaining >= 0:
            extra += [(b"ratelimit-limit", str(decision.limit).encode()),
                      (b"ratelimit-remaining", str(decision.remaining).encode()),
                      (b"ratelimit-reset", str(decision.retry_after).encode())]
        if decision.allowed:
            return None
        extra.append((b"retry-after", str(decision.retry_after).encode()))
        body = (b'{"error":{"code":"rate_limited","message":"Too many requests; try again in %d s.","retryAfter":%d}}'
                % (decision.retry_after, decision.retry_after))
        return 429, body

    async def _body(self, length: str | None, chunked: bool, receive: Receive) -> tuple[tuple | None, Receive]:
        too_large = (413, b'{"error":{"code":"too_large","message":"The request body is too large."}}')
        if length is not None:
            try:
                if int(length) > self.max_body:
                    return too_large, receive
            except ValueError:
                return (400, b'{"error":{"code":"bad_request","message":"Bad Content-Length."}}'), receive
            return None, receive
        if not chunked:
            return None, receive
        # No declared length: read at most the cap before the app sees anything.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_body:
                return too_large, receive
            if not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        return None, replay

    def _route_label(self, scope: Scope) -> str:
        route = scope.get("route")
        path = scope.get("path", "")
        if route is None:
            if path.startswith("/socket.io"):
                return "/socket.io/"
            if self.router is not None:
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


def _merge(headers: list, security: list[tuple[bytes, bytes]], extra: list[tuple[bytes, bytes]]) -> list:
    present = {name.lower() for name, _ in headers}
    out = [(n, v) for n, v in headers if n.lower() != b"server"]
    for name, value in (*security, *extra):
        if name not in present:  # the app's own (e.g. an SVG's stricter CSP) wins
            out.append((name, value))
    return out


async def _respond(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
