"""python-socketio's AsyncServer with the frames a client library never sends made harmless.

1. Every event frame is answered. Upstream `AsyncServer._handle_event` takes `data[0]` as
   the event name and looks it up in a dict. A frame whose name is not a string
   (`42[123,{}]`, `[null]`, `[{"a":1}]`, `[["x"]]`, `[true]`), or that has no name at all
   (`42[]`, `42`), then fails inside the library: no acknowledgement, and a "Task
   exception was never retrieved" traceback. A client can also name a reserved event
   (`42["disconnect"]`), which upstream hands to the server's own `connect`/`disconnect`
   handler as if the connection had changed. `SocketServer` dispatches all of those as
   the event named `INVALID_EVENT` (the empty string), with the frame's other arguments,
   so they reach the catch-all handler like any other frame: the dispatcher answers
   `invalid_event` (docs/protocol.md), after the per-socket flood limit.

2. No binary attachments: the protocol is JSON only. Upstream keeps a binary packet
   (`45…`/`46…`) and takes the socket's *next* messages as its attachments, whatever they
   are; a placeholder without its attachment (`451-["guess:submit",{"_placeholder":…}]`)
   or a binary ack with none (`46`) leaves the socket swallowing every later frame.
   Here a binary event is answered at once (`invalid_payload`, when it asks for an
   acknowledgement) and a binary ack is dropped; nothing waits for an attachment, and a
   binary message (an attachment, or any binary frame) is dropped.

3. A frame that does not decode is dropped, not raised: at the socket.io layer
   (`42[`, `44`, `49`, an id too long) upstream raised it into engine.io, which logged an
   error traceback per frame; at the Engine.IO layer (an empty text frame, `x`, `9`)
   the websocket handler crashed (a traceback from uvicorn, the connection closed) or
   logged one; over long-polling a POST that does not decode logged one. Dropped frames
   are reported by `DroppedFrames`: one warning line per interval, with how many were
   dropped and why, never the frame's content.

4. Every frame dropped or refused here counts against the socket's event limit, as an
   event does (`frame_limit`, set to the dispatcher's first step): a socket flooding
   binary or malformed frames is refused, then cut off, like one flooding events.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from typing import Any

import engineio
import socketio
import structlog
from engineio import async_socket, exceptions
from engineio.async_drivers import asgi as engineio_asgi
from socketio import packet

from .wire import error

log = structlog.get_logger("imprompt.realtime")

INVALID_EVENT = ""

BINARY_REFUSED = error(
    "invalid_payload", "Binary attachments are not accepted: every payload is one JSON object. See docs/protocol.md."
)

_ENGINEIO_TYPES = frozenset("0123456")  # open, close, ping, pong, message, upgrade, noop


class DroppedFrames:
    """Counts the frames dropped as malformed; logs one warning per `interval` seconds at
    most, with the count since the last line (by reason) and one socket that sent one."""

    def __init__(self, interval: float = 60.0) -> None:
        self.interval = interval
        self.total = 0
        self._pending: dict[str, int] = {}
        self._last: float | None = None

    def drop(self, reason: str, sid: str | None) -> None:
        self.total += 1
        self._pending[reason] = self._pending.get(reason, 0) + 1
        now = time.monotonic()
        if self._last is not None and now - self._last < self.interval:
            return
        self._last = now
        pending, self._pending = self._pending, {}
        log.warning(
            "malformed_frames_dropped",
            dropped=sum(pending.values()),
            reasons=pending,
            sid=sid,
            interval_seconds=self.interval,
        )


class _FramedWebSocket(engineio_asgi.WebSocket):
    """engine.io's ASGI websocket, skipping text frames that are not Engine.IO packets
    (engine.io would raise on them in its reader, outside its own error handling), and
    ending the reader without an exception when the connection closes (see `wait`)."""

    def __init__(self, handler: Any, server: Any) -> None:
        super().__init__(handler, server)
        self.frames: DroppedFrames = server.frames

    async def wait(self) -> Any:
        while True:
            try:
                data = await super().wait()
            except OSError:
                # The connection closed. Upstream raises here, and engine.io's reader keeps the
                # exception in its task while the traceback holds the reader's frame: a cycle
                # that kept every closed connection (its protocol, scope, buffers) until a full
                # collection, hourly under ops/gc_policy.py (bench/README.md, soak.py). None ends
                # the reader the same way, and the connection is freed at once.
                return None
            if isinstance(data, str) and (not data or data[0] not in _ENGINEIO_TYPES):
                self.frames.drop("engineio_packet", None)
                continue
            return data


class _FramedSocket(async_socket.AsyncSocket):
    """engine.io's socket, dropping a long-polling POST whose payload does not decode
    (`x`, `9`, bad UTF-8) instead of logging an error traceback for it. As upstream, the
    packets of that payload after the bad one are not received."""

    async def handle_post_request(self, environ: Any) -> None:
        try:
            await super().handle_post_request(environ)
        except exceptions.EngineIOError:
            raise  # too long, closed: upstream ends the session
        except Exception:  # socket.io's handlers catch their own errors: this is the payload
            self.server.frames.drop("engineio_payload", self.sid)


# The request's environ, in a box: tasks started during the request copy the context, and
# must not keep the environ (and the connection) alive through it once the box is emptied.
_ENVIRON: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar("engineio_environ", default=None)


def _release(environ: dict[str, Any] | None) -> None:
    """engine.io's ASGI `translate_request` defines a class per request whose `read` closes
    over the request's `receive` (the connection's protocol, buffers, scope). A class is
    always in a reference cycle, so only a full collection frees it, and the GC policy
    (ops/gc_policy.py) freezes it within seconds: every closed connection stayed in memory
    until the hourly full pass (bench/README.md, soak.py). Emptying the closure once the
    request is over leaves only the small class to the collector."""
    payload = (environ or {}).get("wsgi.input")
    read = getattr(type(payload), "read", None)
    for cell in getattr(read, "__closure__", None) or ():
        cell.cell_contents = None


class _EngineServer(engineio.AsyncServer):
    _async: dict[str, Any]  # the async mode's drivers (engine.io's base server sets it)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.frames = DroppedFrames()
        drivers = dict(self._async)  # a copy: the module's dict is shared
        if drivers.get("websocket") is engineio_asgi.WebSocket:
            drivers["websocket"] = _FramedWebSocket
        translate = drivers.get("translate_request")
        if translate is engineio_asgi.translate_request:

            async def remembered(*args: Any, **kwargs: Any) -> Any:
                environ = await translate(*args, **kwargs)
                box = _ENVIRON.get()
                if box is not None:
                    box.append(environ)
                return environ

            drivers["translate_request"] = remembered
        self._async = drivers

    async def handle_request(self, *args: Any, **kwargs: Any) -> Any:
        box: list[dict[str, Any]] = []
        token = _ENVIRON.set(box)
        try:
            return await super().handle_request(*args, **kwargs)
        finally:
            for environ in box:  # the request is over (a websocket: it has closed)
                _release(environ)
            box.clear()
            _ENVIRON.reset(token)

    def _get_socket(self, sid: str) -> Any:
        socket = super()._get_socket(sid)
        if type(socket) is async_socket.AsyncSocket:  # engine.io builds its own class; ours only adds a method
            socket.__class__ = _FramedSocket
        return socket


class SocketServer(socketio.AsyncServer):
    # sid -> None, or the refusal when the socket is over its event limit (limits.SocketLimits.admit)
    frame_limit: Callable[[str], dict[str, Any] | None] | None = None

    @property
    def frames(self) -> DroppedFrames:
        frames: DroppedFrames = self.eio.frames
        return frames

    def _engineio_server_class(self) -> type:
        return _EngineServer

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        if not isinstance(data, str):
            self._drop("binary_message", eio_sid)  # no attachment is ever expected
            return
        try:
            pkt = self.packet_class(encoded_packet=data)
        except Exception:  # ValueError, JSONDecodeError, and whatever else a parser raises
            self._drop("undecodable", eio_sid)
            return
        kind = pkt.packet_type
        if kind == packet.EVENT:
            await self._handle_event(eio_sid, pkt.namespace, pkt.id, pkt.data)
        elif kind == packet.CONNECT:
            await self._handle_connect(eio_sid, pkt.namespace, pkt.data)
        elif kind == packet.DISCONNECT:
            await self._handle_disconnect(eio_sid, pkt.namespace, self.reason.CLIENT_DISCONNECT)
        elif kind == packet.ACK:
            await self._handle_ack(eio_sid, pkt.namespace, pkt.id, pkt.data)
        elif kind == packet.BINARY_EVENT and pkt.id is not None and self._sid(eio_sid, pkt.namespace) is not None:
            refused = self._drop("binary_event", eio_sid, pkt.namespace)
            answer = refused or BINARY_REFUSED
            ack = self.packet_class(packet.ACK, namespace=pkt.namespace, data=[answer], id=pkt.id)
            await self._send_packet(eio_sid, ack)
        else:  # a binary event without an id, a binary ack, CONNECT_ERROR, an unknown type
            kind_name = "binary_event" if kind == packet.BINARY_EVENT else "unexpected_packet"
            self._drop(kind_name, eio_sid, pkt.namespace)

    def _sid(self, eio_sid: str, namespace: str | None) -> str | None:
        sid: str | None = self.manager.sid_from_eio_sid(eio_sid, namespace or "/")
        return sid

    def _drop(self, reason: str, eio_sid: str, namespace: str | None = None) -> dict[str, Any] | None:
        """Count a dropped frame (the log line) and against its socket's event limit; the refusal, if over it.
        A frame from a socket not yet connected to the namespace has no event limit to count against."""
        self.frames.drop(reason, eio_sid)
        sid = self._sid(eio_sid, namespace)
        if sid is None or self.frame_limit is None:
            return None
        return self.frame_limit(sid)

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None, data: Any) -> None:
        name = data[0] if isinstance(data, list) and data else None
        if not isinstance(name, str) or name in self.reserved_events:
            data = [INVALID_EVENT, *(data[1:] if isinstance(data, list) else [])]
        await super()._handle_event(eio_sid, namespace, id, data)
