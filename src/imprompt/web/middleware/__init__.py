"""The HTTP edge: one pure ASGI middleware per concern, around the whole app (socket.io included).

In order, outermost first (see `edge`):

| module | middleware | what |
|---|---|---|
| security.py | `SecurityHeaders` | CSP, nosniff, frame and referrer policies, HSTS in production; no Server header |
| context.py | `RequestContext` | request id, client IP, duration metric, one log line, 500 for an escaped error |
| rate_limit.py | `HttpRateLimit` | per-IP limits on /api and /images (429 with Retry-After) |
| body_limit.py | `BodyLimit` | the request body cap (413) |

Security headers are outermost so every answer carries them, the ones given by the
middleware inside it included (429, 413, 500); the request context sees every answer's
status and time. CORS for HTTP routes stays inside the Starlette app.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.routing import Router
from starlette.types import ASGIApp

from ...config import Settings
from ...ops.runtime import Operations
from .body_limit import BodyLimit
from .context import RequestContext
from .rate_limit import HttpRateLimit
from .security import SecurityHeaders


def edge(settings: Settings, ops: Operations, *, router: Router | None = None) -> list[Middleware]:
    """The middleware list, outermost first (Starlette's convention)."""
    return [
        Middleware(SecurityHeaders, hsts=settings.server.app_env == "production"),
        Middleware(RequestContext, client_ip=ops.client_ip, metrics=ops.metrics, router=router),
        Middleware(HttpRateLimit, limits=ops.limits, client_ip=ops.client_ip),
        Middleware(BodyLimit, max_bytes=settings.limits.max_request_body_bytes),
    ]


def wrap(app: ASGIApp, middleware: Sequence[Middleware]) -> ASGIApp:
    """`app` inside `middleware`, the first entry outermost (as Starlette builds its stack)."""
    for cls, args, kwargs in reversed(middleware):
        app = cls(app, *args, **kwargs)
    return app


__all__ = ["BodyLimit", "HttpRateLimit", "RequestContext", "SecurityHeaders", "edge", "wrap"]
