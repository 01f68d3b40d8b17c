"""socket.io event handlers.

Each event: validate the payload (pydantic), find the caller's seat (socket.io
session), apply rate limits, turn it into a command for the RoomService, and answer
through the acknowledgement: {ok: true, ...} or {ok: false, error: {code, message}}.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

import socketio
import structlog
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, ValidationError

from ..game import commands as c
from ..game.codes import normalize_code
from ..game.rules import Rejected
from ..rooms.service import RoomService, Seat
from . import schemas as s

log = structlog.get_logger("imprompt.realtime")

Handler = Callable[[str, Any, Seat | None], Awaitable[dict]]


def error(code: str, message: str, **extra: Any) -> dict:
    return {"ok": False, "error": {"code": code, "message": message, **extra}}


def _readable(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"]) or "payload"
        parts.append(f"{where}: {err['msg']}")
    return "Invalid request — " + "; ".join(parts)


class Realtime:
    """Binds the socket.io server to the RoomService; also the service's Emitter."""

    def __init__(self, sio: socketio.AsyncServer, service: RoomService, *, guess_rate: str = "2/second",
                 chat_rate: str = "2/second", event_rate: str = "20/second", ops: Any = None) -> None:
        self.sio = sio
        self.service = service
        # Per socket and per seat: in process memory (a socket lives on one instance).
        # Per client IP (connections, rooms created): ops.limits, shared through Redis when set.
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        event = parse(event_rate)
        self.limits = {"guess": parse(guess_rate), "chat": parse(chat_rate), "event": event,
                       # a socket refused this often is flooding: it is disconnected
                       "flood": parse(f"{event.amount * 2} per {event.get_expiry()} seconds")}
        self.ops = ops
        self.metrics = ops.metrics if ops is not None else None
        self.connections = 0
        self._ips: dict[str, str] = {}  # sid -> client IP
        self._cut: set[str] = set()  # sids being disconnected for flooding
        self._register()

    # ------------------------------------------------------------ Emitter

    async def send(self, sid: str, event: str, payload: Any) -> None:
        await self.sio.emit(event, payload, to=sid)

    async def to_room(self, code: str, event: str, payload: Any) -> None:
        await self.sio.emit(event, payload, room=code)

    async def detach(self, sid: str, code: str) -> None:
        await self.sio.leave_room(sid, code)
        try:
            async with self.sio.session(sid) as session:
                if session.get("code") == code:
                    session.clear()
        except KeyError:
            pass  # the socket is already gone

    # ------------------------------------------------------------ plumbing

    async def _seat(self, sid: str) -> Seat | None:
        try:
            session = await self.sio.get_session(sid)
        except KeyError:
            return None
        if not session.get("code"):
            return None
        return Seat(session["code"], session["member"], None)

    async def _bind(self, sid: str, seat: Seat) -> None:
        old = await self._seat(sid)
        if old and old.code != seat.code:
            await self._release(sid, old)
        await self.sio.save_session(sid, {"code": seat.code, "member": seat.member_id})
        await self.sio.enter_room(sid, seat.code)

    async def _release(self, sid: str, seat: Seat) -> None:
        await self.sio.leave_room(sid, seat.code)
        try:
            await self.service.execute(seat.code, c.Disconnect(sid))
        except Rejected:
            pass

    def _limited(self, kind: str, key: str) -> dict | None:
        item = self.limits[kind]
        if self.limiter.hit(item, kind, key):
            return None
        reset = self.limiter.get_window_stats(item, kind, key).reset_time
        wait = max(0.05, round(reset - time.time(), 2))
        return error("rate_limited", f"Slow down: try again in {wait:g} s.", retryAfter=wait)

    def _forget_limits(self, sid: str, seat: Seat | None) -> None:
        # The in-memory limiter keeps a key per socket and seat forever unless told;
        # the windows are a few seconds, shorter than a reconnect takes anyway.
        for kind in ("event", "flood"):
            if kind in self.limits:
                self.limiter.clear(self.limits[kind], kind, sid)
        if seat is not None:
            for kind in ("guess", "chat"):
                self.limiter.clear(self.limits[kind], kind, f"{seat.code}:{seat.member_id}")

    def _flooded(self, sid: str) -> dict | None:
        """The per-socket event limit; a socket that keeps going past it is disconnected."""
        if sid in self._cut:
            return error("rate_limited", "Slow down.", retryAfter=1)
        refused = self._limited("event", sid)
        if refused is None:
            return None
        if not self.limiter.hit(self.limits["flood"], "flood", sid):
            self._cut.add(sid)
            log.warning("socket_flood_disconnected", sid=sid, client_ip=self._ips.get(sid))
            if self.metrics is not None:
                self.metrics.limited("flood_disconnect")
            task = asyncio.get_running_loop().create_task(self.sio.disconnect(sid))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return refused

    def _count(self, event: str, outcome: str, started: float) -> None:
        if self.metrics is not None:
            self.metrics.event(event, outcome, time.perf_counter() - started)

    def on(self, event: str, model: type[BaseModel], *, seated: bool = True, limit: str | None = None,
           ip_limit: str | None = None):
        def register(fn: Handler) -> Handler:
            async def handler(sid: str, *args: Any) -> dict:
                started = time.perf_counter()
                outcome = "ok"
                bound = structlog.contextvars.bind_contextvars(sid=sid, socket_event=event)
                try:
                    refused = self._flooded(sid)
                    if refused:
                        outcome = "rate_limited"
                        if self.metrics is not None:
                            self.metrics.limited("socket_event")
                        return refused
                    if len(args) > 1:
                        outcome = "invalid"
                        return error("invalid_payload", "Send one payload object per event.")
                    data = args[0] if args else None
                    try:
                        payload = model.model_validate({} if data is None else data)
                    except ValidationError as exc:
                        outcome = "invalid"
                        return error("invalid_payload", _readable(exc))
                    seat = await self._seat(sid)
                    if seat is not None:
                        structlog.contextvars.bind_contextvars(room=seat.code)
                    if seated and seat is None:
                        outcome = "rejected"
                        return error("not_in_room", "Join or create a room first.")
                    if limit and seat:
                        refused = self._limited(limit, f"{seat.code}:{seat.member_id}")
                        if refused:
                            outcome = "rate_limited"
                            if self.metrics is not None:
                                self.metrics.limited(limit)
                            return refused
                    if ip_limit and self.ops is not None:
                        decision = await self.ops.limits.hit(ip_limit, self._ips.get(sid, "unknown"))
                        if not decision.allowed:
                            outcome = "rate_limited"
                            wait = decision.retry_after
                            return error("rate_limited", f"Too many new rooms from your network; try again in "
                                         f"{wait} s.", retryAfter=wait)
                    result = await fn(sid, payload, seat)
                    return {"ok": True, **result}
                except Rejected as exc:
                    outcome = "rejected"
                    return error(exc.code, exc.message)
                except Exception:
                    outcome = "error"
                    log.exception("event_failed", sid=sid, socket_event=event)
                    return error("internal", "Something went wrong on our side. Please try again.")
                finally:
                    self._count(event, outcome, started)
                    log.debug("socket_event", outcome=outcome, ms=round((time.perf_counter() - started) * 1000, 2))
                    structlog.contextvars.reset_contextvars(**bound)
                    structlog.contextvars.unbind_contextvars("room")
            self.sio.on(event, handler)
            return fn
        return register

    # ------------------------------------------------------------ events

    def _register(self) -> None:
        sio, svc = self.sio, self.service

        @sio.event
        async def connect(sid: str, environ: dict, auth: Any = None) -> None:
            if self.ops is not None:
                ip = self.ops.client_ip.from_scope(environ.get("asgi.scope") or {})
                refused = await self.ops.limits.admit_connection(ip)
                if refused:
                    # the client's connect_error gets {message, data: {code, message, retryAfter}}
                    raise socketio.exceptions.ConnectionRefusedError(refused["message"], refused)
                self._ips[sid] = ip
            self.connections += 1
            await sio.save_session(sid, {})

        @sio.event
        async def disconnect(sid: str, *reason: Any) -> None:
            self.connections -= 1
            self._cut.discard(sid)
            ip = self._ips.pop(sid, None)
            if ip is not None and self.ops is not None:
                self.ops.limits.connection_closed(ip)
            seat = await self._seat(sid)
            self._forget_limits(sid, seat)
            if seat:
                await self._release(sid, seat)

        @sio.on("*")
        async def unknown(event: str, sid: str, *args: Any) -> dict:
            started = time.perf_counter()
            refused = self._flooded(sid)
            self._count("unknown", "rate_limited" if refused else "rejected", started)
            return refused or error("unknown_event", f"Unknown event {event[:40]!r}. See docs/protocol.md.")

        async def joined(sid: str, seat: Seat, outcome) -> dict:
            await self._bind(sid, seat)
            result = {"code": seat.code, "playerId": seat.member_id, "view": await svc.view(seat.code, seat.member_id),
                      "chat": await svc.chat_history(seat.code)}
            if seat.token:
                result["token"] = seat.token
            return result

        def code_of(raw: str) -> str:
            code = normalize_code(raw)
            if code is None:
                raise Rejected("bad_code", "Room codes are 6 letters and digits, like K7QX2M.")
            return code

        @self.on("room:create", s.CreateRoom, seated=False, ip_limit="room_create")
        async def create(sid: str, p: s.CreateRoom, seat: Seat | None) -> dict:
            changes = p.settings.changes() if p.settings else None
            new_seat, outcome = await svc.create_room(p.name, sid, spectator=p.spectator, settings=changes)
            return await joined(sid, new_seat, outcome)

        @self.on("room:join", s.JoinRoom, seated=False)
        async def join(sid: str, p: s.JoinRoom, seat: Seat | None) -> dict:
            new_seat, outcome = await svc.join(code_of(p.code), p.name, sid, spectator=p.spectator)
            return await joined(sid, new_seat, outcome)

        @self.on("room:resume", s.ResumeRoom, seated=False)
        async def resume(sid: str, p: s.ResumeRoom, seat: Seat | None) -> dict:
            new_seat, outcome = await svc.resume(code_of(p.code), p.token, sid)
            return await joined(sid, new_seat, outcome)

        @self.on("room:leave", s.Empty)
        async def leave(sid: str, p: s.Empty, seat: Seat) -> dict:
            await svc.execute(seat.code, c.Leave(seat.member_id))
            await sio.leave_room(sid, seat.code)
            await sio.save_session(sid, {})
            return {}

        @self.on("room:sync", s.Empty)
        async def sync(sid: str, p: s.Empty, seat: Seat) -> dict:
            return {"view": await svc.view(seat.code, seat.member_id), "chat": await svc.chat_history(seat.code)}

        @self.on("room:settings", s.SettingsPatch)
        async def settings(sid: str, p: s.SettingsPatch, seat: Seat) -> dict:
            await svc.execute(seat.code, c.UpdateSettings(seat.member_id, p.changes()))
            return {}

        @self.on("player:ready", s.Ready)
        async def ready(sid: str, p: s.Ready, seat: Seat) -> dict:
            await svc.execute(seat.code, c.SetReady(seat.member_id, p.ready))
            return {}

        @self.on("game:start", s.Empty)
        async def start(sid: str, p: s.Empty, seat: Seat) -> dict:
            await svc.execute(seat.code, c.StartGame(seat.member_id))
            return {}

        @self.on("game:new", s.Empty)
        async def new_game(sid: str, p: s.Empty, seat: Seat) -> dict:
            await svc.execute(seat.code, c.NewGame(seat.member_id))
            return {}

        @self.on("prompt:suggest", s.Empty)
        async def suggest(sid: str, p: s.Empty, seat: Seat) -> dict:
            outcome = await svc.execute(seat.code, c.RequestSuggestions(seat.member_id))
            return outcome.reply

        @self.on("prompt:submit", s.TextBody)
        async def prompt(sid: str, p: s.TextBody, seat: Seat) -> dict:
            outcome = await svc.execute(seat.code, c.SubmitPrompt(seat.member_id, p.text))
            return outcome.reply

        @self.on("guess:submit", s.TextBody, limit="guess")
        async def guess(sid: str, p: s.TextBody, seat: Seat) -> dict:
            outcome = await svc.execute(seat.code, c.SubmitGuess(seat.member_id, p.text))
            return outcome.reply

        @self.on("chat:send", s.TextBody, limit="chat")
        async def chat(sid: str, p: s.TextBody, seat: Seat) -> dict:
            outcome = await svc.execute(seat.code, c.Chat(seat.member_id, p.text))
            return outcome.reply

        @self.on("player:kick", s.Target)
        async def kick(sid: str, p: s.Target, seat: Seat) -> dict:
            await svc.execute(seat.code, c.Kick(seat.member_id, p.player_id))
            return {}

        @self.on("player:votekick", s.Target)
        async def votekick(sid: str, p: s.Target, seat: Seat) -> dict:
            outcome = await svc.execute(seat.code, c.VoteKick(seat.member_id, p.player_id))
            return outcome.reply
