"""Rate limits on sockets, all in one class: connections per client IP, events per socket
(a socket that keeps going far past the limit is disconnected), guesses and chat per seat,
rooms created per client IP. A refusal is `rate_limited` with `retryAfter` in seconds.

Per socket and per seat the windows are in process memory (a socket lives on one
instance): `window.Windows`, a moving window in the event loop. It replaced `limits`'
MemoryStorage, whose expiry thread cost a third of the server's CPU under load (see
bench/README.md); the rate strings ("2 per 5 seconds") are still read by `limits.parse`,
as in the settings and the HTTP limits. A socket's and its seat's windows are forgotten
when it disconnects.
Per client IP the limits are `ops.limits` (ops/ratelimit.py), shared through Redis when
it is configured.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from limits import parse

from ..rooms.service import Seat
from .window import Windows
from .wire import error

log = structlog.get_logger("imprompt.realtime")

PER_SEAT = ("guess", "chat")
PER_IP = ("room_create",)


class SocketLimits:
    def __init__(
        self,
        *,
        guess_rate: str,
        chat_rate: str,
        event_rate: str,
        ops: Any = None,
        disconnect: Callable[[str], Coroutine[Any, Any, Any]],
    ) -> None:
        event = parse(event_rate)
        self.windows: dict[str, Windows] = {
            "guess": Windows(parse(guess_rate)),
            "chat": Windows(parse(chat_rate)),
            "event": Windows(event),
            # a socket refused this often is flooding: it is disconnected
            "flood": Windows(parse(f"{event.amount * 2} per {event.get_expiry()} seconds")),
        }
        self.ops = ops
        self.metrics = ops.metrics if ops is not None else None
        self._disconnect = disconnect
        self._ips: dict[str, str] = {}  # sid -> client IP
        self._seats: dict[str, set[str]] = {}  # sid -> the seats whose windows it hit (left or kicked since, too)
        self._cut: set[str] = set()  # sids being disconnected for flooding

    # ------------------------------------------------------------ connections

    async def connect(self, sid: str, scope: dict[str, Any]) -> dict[str, Any] | None:
        """None when this client IP may open one more socket, else the refusal for connect_error."""
        if self.ops is None:
            return None
        ip = self.ops.client_ip.from_scope(scope)
        refused: dict[str, Any] | None = await self.ops.limits.admit_connection(ip)
        if refused is None:
            self._ips[sid] = ip
        return refused

    def disconnected(self, sid: str, seat: Seat | None) -> None:
        """Forget the socket's (and its seat's) windows; the windows are a few seconds,
        shorter than a reconnect takes anyway."""
        self._cut.discard(sid)
        ip = self._ips.pop(sid, None)
        if ip is not None and self.ops is not None:
            self.ops.limits.connection_closed(ip)
        for kind in ("event", "flood"):
            self.windows[kind].clear(sid)
        keys = self._seats.pop(sid, set())
        if seat is not None:
            keys.add(_seat_key(seat))
        for key in keys:  # a seat given up before the disconnect too: its windows would stay forever
            for kind in PER_SEAT:
                self.windows[kind].clear(key)

    # ------------------------------------------------------------ events

    def admit(self, sid: str) -> dict[str, Any] | None:
        """The per-socket event limit, before anything else; a flooding socket is cut off."""
        if sid in self._cut:
            self._refused("socket_event")
            return error("rate_limited", "Slow down.", retryAfter=1)
        refused = self._hit("event", sid)
        if refused is None:
            return None
        self._refused("socket_event")
        if self.windows["flood"].hit(sid) is not None:
            self._cut.add(sid)
            log.warning("socket_flood_disconnected", sid=sid, client_ip=self._ips.get(sid))
            self._refused("flood_disconnect")
            task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(self._disconnect(sid))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return refused

    async def check(self, limit: str, sid: str, seat: Seat | None) -> dict[str, Any] | None:
        """An event's own limit: per seat (guess, chat) or per client IP (room_create)."""
        if limit in PER_SEAT:
            if seat is None:
                return None
            key = _seat_key(seat)
            self._seats.setdefault(sid, set()).add(key)
            refused = self._hit(limit, key)
            if refused is not None:
                self._refused(limit)
            return refused
        if self.ops is None:
            return None
        decision = await self.ops.limits.hit(limit, self._ips.get(sid, "unknown"))  # counts its own metric
        if decision.allowed:
            return None
        wait = decision.retry_after
        return error("rate_limited", f"Too many new rooms from your network; try again in {wait} s.", retryAfter=wait)

    # ------------------------------------------------------------ steps

    def _hit(self, kind: str, key: str) -> dict[str, Any] | None:
        wait = self.windows[kind].hit(key)
        if wait is None:
            return None
        wait = max(0.05, round(wait, 2))
        return error("rate_limited", f"Slow down: try again in {wait:g} s.", retryAfter=wait)

    def _refused(self, limit: str) -> None:
        if self.metrics is not None:
            self.metrics.limited(limit)


def _seat_key(seat: Seat) -> str:
    return f"{seat.code}:{seat.member_id}"
