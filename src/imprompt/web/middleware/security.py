"""Security headers on every HTTP response: CSP, nosniff, frame-ancestors, referrer and
permissions policies, HSTS in production, and no Server header.

The Content-Security-Policy allows websockets to the request's own host (spelt out for
older browsers). A header the app set itself (e.g. an SVG's stricter CSP) is kept.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import Header, with_headers

_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(:[0-9]{1,5})?$")
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
)
_STATIC: list[Header] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (
        b"permissions-policy",
        b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        b"accelerometer=(), gyroscope=(), magnetometer=()",
    ),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_HSTS: Header = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.static = [*_STATIC, _HSTS] if hsts else list(_STATIC)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(b"content-security-policy", _csp(scope)), *self.static]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = with_headers(message, headers, drop=b"server")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _csp(scope: Scope) -> bytes:
    connect = "connect-src 'self'"
    for name, value in scope.get("headers") or ():
        if name == b"host":
            host = value.decode("latin-1")
            if _HOST.match(host):
                connect += f" ws://{host} wss://{host}"
            break
    return f"{_CSP}; {connect}".encode()
