"""HTTP rate limits per client IP (ops/ratelimit.py): /api/* (API_RATE_LIMIT) and /images/*
(IMAGE_RATE_LIMIT). Responses carry RateLimit-Limit/-Remaining/-Reset; over the limit the
answer is 429 with Retry-After. Socket events have their own limits (realtime/)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...ops.clientip import ClientIP
from ...ops.ratelimit import RateLimits
from ._asgi import Header, respond_json, with_headers

# Path prefix -> the limit that applies (only /api counts in the limit statistics).
LIMITED = (("/api/", "api"), ("/images/", "images"))


class HttpRateLimit:
    def __init__(self, app: ASGIApp, *, limits: RateLimits, client_ip: ClientIP) -> None:
        self.app = app
        self.limits = limits
        self.client_ip = client_ip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = _limit_for(scope) if scope["type"] == "http" else None
        if name is None:
            await self.app(scope, receive, send)
            return
        decision = await self.limits.hit(name, self.client_ip.from_scope(scope), stats=(name == "api"))
        headers: list[Header] = []
        if decision.remaining >= 0:
            headers += [
                (b"ratelimit-limit", str(decision.limit).encode()),
                (b"ratelimit-remaining", str(decision.remaining).encode()),
                (b"ratelimit-reset", str(decision.retry_after).encode()),
            ]
        if not decision.allowed:
            headers.append((b"retry-after", str(decision.retry_after).encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = with_headers(message, headers)
            await send(message)

        if decision.allowed:
            await self.app(scope, receive, send_with_headers)
            return
        body = (
            b'{"error":{"code":"rate_limited","message":"Too many requests; try again in %d s.","retryAfter":%d}}'
            % (decision.retry_after, decision.retry_after)
        )
        await respond_json(send_with_headers, 429, body)


def _limit_for(scope: Scope) -> str | None:
    path = scope.get("path", "")
    return next((name for prefix, name in LIMITED if path.startswith(prefix)), None)
