"""A cap on the HTTP request body (MAX_REQUEST_BODY_BYTES): 413 beyond it, 400 for a bad
Content-Length. A chunked body (no declared length) is read up to the cap before the app
sees any of it."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import respond_json

_TOO_LARGE = b'{"error":{"code":"too_large","message":"The request body is too large."}}'
_BAD_LENGTH = b'{"error":{"code":"bad_request","message":"Bad Content-Length."}}'


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length, chunked = _declared(scope)
        if length is not None:
            try:
                too_large = int(length) > self.max_bytes
            except ValueError:
                await respond_json(send, 400, _BAD_LENGTH)
                return
            if too_large:
                await respond_json(send, 413, _TOO_LARGE)
                return
        elif chunked:
            replay = await self._read_capped(receive)
            if replay is None:
                await respond_json(send, 413, _TOO_LARGE)
                return
            receive = replay
        await self.app(scope, receive, send)

    async def _read_capped(self, receive: Receive) -> Receive | None:
        """Read the body up to the cap; None when it is larger, else a receive that replays it."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return None
            if not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        return replay


def _declared(scope: Scope) -> tuple[str | None, bool]:
    """(Content-Length, chunked?) from the request headers."""
    length: str | None = None
    chunked = False
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            length = value.decode("latin-1")
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    return length, chunked
