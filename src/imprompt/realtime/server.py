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

5. A websocket is written to directly and read without a task per message. Upstream
   engine.io gives each websocket a send queue and a writer task (its `poll` another task
   and a timer per wait), wraps every read in a new task under `wait_for`, and keeps one
   sleeping task per socket for its next ping: four tasks per idle socket and two per
   message. `_FramedSocket` writes each packet to the websocket in the sender's own
   coroutine (uvicorn's send only waits when the socket's buffer is full, and its waiters
   resume in order, so packets keep their order), reads in the connection's own task
   (yielding to the loop after each frame, so that a flood cannot hold it), and schedules
   pings as timers. A client that stops answering pings is found by
   engine.io's service task (`check_ping_timeout`, every socket once per ping timeout,
   here in batches once a second instead of a `wait_for` per socket) and its websocket is
   closed with it. Long-polling, and the upgrade from it, are upstream's: packets queue
   until the websocket takes over, then go out in order before any direct write.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import time
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import engineio
import socketio
import structlog
from engineio import async_socket, exceptions
from engineio import packet as eio_packet
from engineio.async_drivers import asgi as engineio_asgi
from socketio import packet

from .wire import error

log = structlog.get_logger("imprompt.realtime")

INVALID_EVENT = ""

BINARY_REFUSED = error(
    "invalid_payload", "Binary attachments are not accepted: every payload is one JSON object. See docs/protocol.md."
)

_ENGINEIO_TYPES = frozenset("0123456")  # open, close, ping, pong, message, upgrade, noop
# what engine.io still reads of a request's environ after its socket connected (asgi make_response)
_ENVIRON_KEPT = ("asgi.scope", "asgi.receive", "asgi.send", "REQUEST_METHOD")


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


class _Rest:
    """The rest of a coroutine whose first step (run by hand) suspended on `waiting`."""

    def __init__(self, coro: Any, waiting: Any) -> None:
        self.coro, self.waiting = coro, waiting

    def __await__(self) -> Generator[Any, None, Any]:
        waiting = self.waiting
        while True:
            try:
                yield waiting
            except BaseException as exc:  # a cancel: the coroutine gets it where it waits
                try:
                    waiting = self.coro.throw(exc)
                except StopIteration as done:
                    return done.value
            else:
                try:
                    waiting = self.coro.send(None)
                except StopIteration as done:
                    return done.value


class _FramedSocket(async_socket.AsyncSocket):
    """engine.io's socket, dropping a long-polling POST whose payload does not decode
    (`x`, `9`, bad UTF-8) instead of logging an error traceback for it (as upstream, the
    packets of that payload after the bad one are not received); and over a websocket,
    written to directly, read without a task per message, pinged by a timer (point 5)."""

    last_ping: float | None  # engine.io's own attributes (base_socket.BaseSocket), typed for mypy
    connected: bool
    upgrading: bool
    upgraded: bool
    _ws: Any = None  # the websocket once it carries the packets (class defaults: the class is swapped in)
    _ws_ended = False  # its reader has ended: packets sent now are dropped, as upstream's writer had exited
    _backlog: deque[Any] | None = None  # while a write waits for a full buffer: what comes after it, in order
    _drainer: asyncio.Task[None] | None = None
    _ping_timer: asyncio.TimerHandle | None = None

    async def handle_post_request(self, environ: Any) -> None:
        try:
            await super().handle_post_request(environ)
        except exceptions.EngineIOError:
            raise  # too long, closed: upstream ends the session
        except Exception:  # socket.io's handlers catch their own errors: this is the payload
            self.server.frames.drop("engineio_payload", self.sid)

    async def send(self, pkt: Any) -> None:
        if self._ws is None:
            if not self._ws_ended:
                await super().send(pkt)  # long-polling, or the websocket not yet upgraded: the queue
            return
        if await self.check_ping_timeout():
            self._write(pkt)

    def _write(self, pkt: Any) -> None:
        """Write a packet (None: close the websocket) now; never wait for a slow client.
        uvicorn's send returns at once unless the socket's buffer is full: then a task
        finishes that write and the ones queued behind it, and the sender goes on (a client
        that reads nothing must not hold up the room's other players)."""
        if self._backlog is not None:
            self._backlog.append(pkt)
            return
        ws = self._ws
        coro = ws.close() if pkt is None else ws.send(pkt.encode())
        try:
            waiting = coro.send(None)
        except StopIteration:
            return
        except Exception:  # closed under us (as upstream's writer, stop writing): the reader ends the socket
            self._ws, self._ws_ended = None, True
            return
        self._backlog = deque()
        self._drainer = asyncio.ensure_future(self._drain(ws, _Rest(coro, waiting)))

    async def _drain(self, ws: Any, waiting: _Rest) -> None:
        try:
            await waiting
            while self._backlog:
                pkt = self._backlog.popleft()
                if pkt is None:
                    await ws.close()
                    break
                await ws.send(pkt.encode())
        except Exception:
            self._ws, self._ws_ended = None, True
        finally:
            self._backlog = self._drainer = None

    def schedule_ping(self) -> None:
        if self.last_ping:  # as upstream: once the previous ping was answered
            self.last_ping = None
            self._ping_timer = asyncio.get_running_loop().call_later(self.server.ping_interval, self._ping_due)

    def _ping_due(self) -> None:
        self._ping_timer = None
        if self.closing or self.closed:
            return
        self.last_ping = time.time()
        ping = eio_packet.Packet(eio_packet.PING)
        if self._ws is not None:
            self._write(ping)
        elif not self._ws_ended:
            self.queue.put_nowait(ping)  # what upstream's `send` does, for a polling client

    async def close(self, wait: bool = True, abort: bool = False, reason: Any = None) -> None:
        await super().close(wait=wait, abort=abort, reason=reason)
        if self._ping_timer is not None:
            self._ping_timer.cancel()
            self._ping_timer = None
        if self._ws is not None:  # closed by the server (a ping timeout, a disconnect): end the connection too
            self._write(None)  # after what is still waiting to be written
            self._ws, self._ws_ended = None, True

    async def _websocket_handler(self, ws: Any) -> None:
        limit = self.server.max_http_buffer_size
        if self.connected:  # an upgrade from long-polling: upstream's handshake
            self.upgrading = True  # packets sent meanwhile wait in the queue
            probe = await ws.wait()
            if not probe or eio_packet.Packet(encoded_packet=probe).packet_type != eio_packet.PING:
                self.upgrading = False
                return
            await ws.send(eio_packet.Packet(eio_packet.PONG, data="probe").encode())
            await self.queue.put(eio_packet.Packet(eio_packet.NOOP))  # ends the pending poll
            upgrade = await ws.wait()
            if not upgrade or eio_packet.Packet(encoded_packet=upgrade).packet_type != eio_packet.UPGRADE:
                self.upgraded = self.upgrading = False
                return
            self.upgraded, self.upgrading = True, False
        else:
            self.connected = self.upgraded = True
        # what was queued (the open packet, sends during an upgrade) goes first, in order
        while not self.queue.empty():
            pkt = self.queue.get_nowait()
            self.queue.task_done()
            if pkt is not None and pkt.packet_type != eio_packet.NOOP:
                try:
                    await ws.send(pkt.encode())
                except Exception:
                    self._ws_ended = True
                    break
        else:
            self._ws = ws
        while self._ws is not None:
            try:
                data = await ws.wait()  # _FramedWebSocket.wait: None once the connection closed
            except Exception:
                break
            if data is None or len(data) > limit:
                break
            try:
                await self.receive(eio_packet.Packet(encoded_packet=data))
            except exceptions.UnknownPacketError:  # pragma: no cover
                pass
            except exceptions.SocketIsClosedError:  # pragma: no cover
                break
            except Exception:  # pragma: no cover - as upstream: log it and go on reading
                self.server.logger.exception("Unknown receive error")
            # uvicorn hands over frames already read without waiting: yield once per frame, so
            # a flooding socket cannot hold the loop (upstream's task per read did that too)
            await asyncio.sleep(0)
        if self._ws is not None:
            self._write(None)
        self._ws, self._ws_ended = None, True
        await self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)


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

    async def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "connect":  # engine.io builds its own socket class: ours is set before it is used
            socket = self.sockets.get(args[0])
            if type(socket) is async_socket.AsyncSocket:
                socket.__class__ = _FramedSocket
        return await super()._trigger_event(event, *args, **kwargs)

    async def _service_task(self) -> None:  # pragma: no cover - runs for the server's life
        """Upstream's check of every socket once per ping timeout, in batches once a second
        (upstream waited with a `wait_for`, a task, between any two sockets)."""
        self.service_task_event = self.create_event()
        event = self.service_task_event
        while not event.is_set():
            sockets = list(self.sockets.values())
            batch = max(1, math.ceil(len(sockets) / max(1.0, self.ping_timeout)))
            for start in range(0, max(1, len(sockets)), batch):
                for s in sockets[start : start + batch]:
                    if s.closed:
                        self.sockets.pop(s.sid, None)
                    elif not s.closing:
                        try:
                            await s.check_ping_timeout()
                        except Exception:  # one socket's close must not stop the others' checks
                            self.logger.exception("service task error")
                try:
                    await asyncio.wait_for(event.wait(), timeout=1.0)
                    return
                except TimeoutError:
                    continue

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

    async def _handle_connect(self, eio_sid: str, namespace: str | None, data: Any) -> None:
        await super()._handle_connect(eio_sid, namespace, data)
        environ = self.environ.get(eio_sid)
        if environ is not None and len(environ) > len(_ENVIRON_KEPT):
            # The connect handler has read what it needs (handlers.connect: the scope). The
            # environ lives as long as the connection (engine.io's request frames hold it):
            # its headers, query and per-request payload class are ~KiB per idle socket.
            kept = {key: environ[key] for key in _ENVIRON_KEPT if key in environ}
            _release(environ)  # its request body is read (a websocket has none): see _release
            environ.clear()
            environ.update(kept)

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None, data: Any) -> None:
        name = data[0] if isinstance(data, list) and data else None
        if not isinstance(name, str) or name in self.reserved_events:
            data = [INVALID_EVENT, *(data[1:] if isinstance(data, list) else [])]
        await super()._handle_event(eio_sid, namespace, id, data)
