"""Small ASGI helpers shared by the middleware: answer with JSON, add response headers."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import Message, Send

Header = tuple[bytes, bytes]


async def respond_json(send: Send, status: int, body: bytes) -> None:
    """A complete JSON response, sent by a middleware instead of the app."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def with_headers(message: Message, headers: Iterable[Header], *, drop: bytes | None = None) -> Message:
    """`message` (an http.response.start) with `headers` added, except those the app set
    itself (the app's own, e.g. an SVG's stricter CSP, win); `drop` removes one header."""
    own = list(message.get("headers") or [])
    present = {name.lower() for name, _ in own}
    out = [(n, v) for n, v in own if drop is None or n.lower() != drop]
    out += [(name, value) for name, value in headers if name not in present]
    return {**message, "headers": out}
