"""One dispatcher for every client→server event, in plain steps:

1. admit: the per-socket event limit (a flooding socket is cut off);
2. parse: the event must be in the table, and carry exactly one JSON object that its schema accepts;
3. find the seat: the socket's seat from its session, if the event needs one;
4. run: the event's own rate limit, then its command (or service call);
5. answer: `{ok: true, ...}`, or `{ok: false, error: {code, message}}` (see docs/protocol.md).

Each step either passes or raises `Refused` with the error answer; a rule's refusal
(`Rejected`) and a bug (`internal`, logged with its traceback) are answered the same way.
Redis out of reach (many instances) is no bug: `server_busy`, try again, and one warning
line per `STORE_DOWN_LOG_SECONDS` with how many events it refused, never a traceback each.
While the server drains (ops/shutdown.py detaches the sockets from their rooms before
saving them), every `not_in_room`, whichever step found it, is answered
`server_restarting`; "your seat is held" only to a socket that held one at the drain.
Every event is counted in the metrics (by name; `unknown` for names not in the table)
and logged at debug level with the socket id, the event and the room bound to the log
context.
"""

from __future__ import annotations

import time
from typing import Any

import structlog
from pydantic import BaseModel, ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..game.rules import Rejected
from ..rooms.service import RoomService, Seat
from .events import Call, Event
from .limits import SocketLimits
from .seats import Gone, Seats
from .server import INVALID_EVENT
from .wire import error, to_wire

log = structlog.get_logger("imprompt.realtime")

RESTARTING = error(
    "server_restarting",
    "The server is restarting. Your seat is held: reconnect and resume in a moment.",
    retryAfter=2,
)
RESTARTING_UNSEATED = error("server_restarting", "The server is restarting: try again in a moment.", retryAfter=2)
DETACHED = "detached"  # the session key ops/shutdown.py leaves on a socket whose seat it detached


class Refused(Exception):
    def __init__(self, outcome: str, answer: dict[str, Any]) -> None:
        super().__init__(outcome)
        self.outcome = outcome  # the metrics label: invalid, rejected, rate_limited
        self.answer = answer


def readable(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"]) or "payload"
        parts.append(f"{where}: {err['msg']}")
    return "Invalid request — " + "; ".join(parts)


STORE_DOWN_LOG_SECONDS = 5.0
STORE_DOWN = "The game server cannot reach its store for a moment. Please try again."


class Dispatcher:
    def __init__(
        self, events: dict[str, Event], *, service: RoomService, seats: Seats, limits: SocketLimits, metrics: Any = None
    ) -> None:
        self.events = events
        self.service = service
        self.seats = seats
        self.limits = limits
        self.metrics = metrics
        self._store_down = 0  # events refused since the last store_unreachable line
        self._store_down_logged = -STORE_DOWN_LOG_SECONDS

    async def handle(self, name: str, sid: str, *args: Any) -> dict[str, Any]:
        """The catch-all socket.io handler: (event name, sid, *arguments) -> the acknowledgement."""
        answer = await self._answer(name, sid, args)
        if answer.get("error", {}).get("code") == "not_in_room" and not self.service.accepting:
            # draining: the seat was detached to be saved (or the socket is closing), not lost
            return await self._restarting(sid)
        return answer

    async def _restarting(self, sid: str) -> dict[str, Any]:
        try:
            session = await self.seats.sio.get_session(sid)
        except KeyError:  # the socket is gone meanwhile: it held a seat only if it said so before
            session = {}
        return RESTARTING if session.get(DETACHED) or session.get("code") else RESTARTING_UNSEATED

    async def _answer(self, name: str, sid: str, args: tuple[Any, ...]) -> dict[str, Any]:
        event = self.events.get(name)
        label = name if event is not None else "unknown"
        started = time.perf_counter()
        outcome = "ok"
        bound = structlog.contextvars.bind_contextvars(sid=sid, socket_event=label)
        try:
            self.admit(sid)
            payload = self.parse(name, event, args)
            if event is None:  # parse() refuses unknown events; this keeps the type checker sure
                raise RuntimeError("parse passed an unknown event")
            seat = await self.find_seat(sid, event)
            return {"ok": True, **await self.run(event, sid, seat, payload)}
        except Refused as refused:
            outcome = refused.outcome
            return refused.answer
        except Rejected as exc:
            outcome = "rejected"
            return error(exc.code, exc.message)
        except Gone:
            outcome = "rejected"
            return error("not_in_room", "This connection is closing.")
        except (RedisConnectionError, RedisTimeoutError) as exc:
            outcome = "error"
            self._store_unreachable(exc)
            return error("server_busy", STORE_DOWN)
        except Exception:
            outcome = "error"
            log.exception("event_failed", sid=sid, socket_event=label)
            return error("internal", "Something went wrong on our side. Please try again.")
        finally:
            if self.metrics is not None:
                self.metrics.event(label, outcome, time.perf_counter() - started)
            log.debug("socket_event", outcome=outcome, ms=round((time.perf_counter() - started) * 1000, 2))
            structlog.contextvars.reset_contextvars(**bound)
            structlog.contextvars.unbind_contextvars("room")

    # ------------------------------------------------------------ steps

    def admit(self, sid: str) -> None:
        refused = self.limits.admit(sid)
        if refused is not None:
            raise Refused("rate_limited", refused)

    def parse(self, name: str, event: Event | None, args: tuple[Any, ...]) -> BaseModel:
        if event is None:
            if name == INVALID_EVENT:
                raise Refused(
                    "invalid",
                    error("invalid_event", 'An event name is a string, like "room:join". See docs/protocol.md.'),
                )
            raise Refused("rejected", error("unknown_event", f"Unknown event {name[:40]!r}. See docs/protocol.md."))
        if len(args) != 1:
            raise Refused(
                "invalid",
                error("invalid_payload", "Send one payload object per event ({} when there is nothing to send)."),
            )
        data = args[0]
        if not isinstance(data, dict):
            raise Refused(
                "invalid",
                error("invalid_payload", "The payload must be a JSON object ({} when there is nothing to send)."),
            )
        try:
            return event.schema.model_validate(data)
        except ValidationError as exc:
            raise Refused("invalid", error("invalid_payload", readable(exc))) from None

    async def find_seat(self, sid: str, event: Event) -> Seat | None:
        seat = await self.seats.of(sid)
        if seat is not None:
            structlog.contextvars.bind_contextvars(room=seat.code)
        elif event.seated:
            raise Refused("rejected", error("not_in_room", "Join or create a room first."))
        return seat

    async def run(self, event: Event, sid: str, seat: Seat | None, payload: BaseModel) -> dict[str, Any]:
        if event.limit is not None:
            refused = await self.limits.check(event.limit, sid, seat)
            if refused is not None:
                raise Refused("rate_limited", refused)
        if event.command is not None:
            if seat is None:
                raise RuntimeError("a command event is declared without seated=True")
            outcome = await self.service.execute(seat.code, event.command(seat.member_id, payload))
            return to_wire(outcome.reply)
        if event.call is None:
            raise RuntimeError("an event has neither a command nor a call")
        return await event.call(Call(self.service, self.seats, sid, seat), payload)

    def _store_unreachable(self, exc: Exception) -> None:
        self._store_down += 1
        now = time.monotonic()
        if now - self._store_down_logged < STORE_DOWN_LOG_SECONDS:
            return
        log.warning("store_unreachable", refused=self._store_down, error=type(exc).__name__)
        self._store_down, self._store_down_logged = 0, now
