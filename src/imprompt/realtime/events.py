"""Every client→server socket event, declared in one table (docs/protocol.md lists the same).

Each entry says: the payload schema (schemas.py), whether the socket must hold a seat,
which rate limit applies besides the per-socket event limit (limits.py), and how the
payload becomes work: a `command` for the seat's room (answered with the rules' reply),
or a `call` for what is not one command (taking or giving up a seat, reading the room).
The dispatcher (dispatch.py) runs every entry through the same steps.

Adding an event: a schema, an entry here, the rule (game/), a line in docs/protocol.md.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..game import commands as c
from ..game.codes import normalize_code
from ..game.rules import Rejected
from ..game.suggestions import BUILTIN_PACKS
from ..rooms.service import RoomService, Seat
from . import schemas as s
from .seats import Seats, seat_key


@dataclass(frozen=True)
class Call:
    """What a `call` gets: the service, the sockets' seats, who sent the event."""

    service: RoomService
    seats: Seats
    sid: str
    seat: Seat | None


@dataclass(frozen=True)
class Event:
    schema: type[s.Payload]
    # (member id, payload) -> the command for the seat's room; the answer is the rules' reply
    command: Callable[[str, Any], c.Command] | None = None
    # or a service call: (call, payload) -> the success answer's fields
    call: Callable[[Call, Any], Awaitable[dict[str, Any]]] | None = None
    seated: bool = True
    limit: str | None = None  # "guess", "chat" (per seat) or "room_create" (per client IP)


# ---------------------------------------------------------------- calls


def _code(raw: str) -> str:
    code = normalize_code(raw)
    if code is None:
        raise Rejected("bad_code", "Room codes are 6 letters and digits, like K7QX2M.")
    return code


async def _joined(call: Call, seat: Seat) -> dict[str, Any]:
    answer = {
        "code": seat.code,
        "playerId": seat.member_id,
        "view": await call.service.view(seat.code, seat.member_id),
        "chat": await call.service.chat_history(seat.code, seat.member_id),
    }
    if seat.token:
        answer["token"] = seat.token
    return answer


async def create_room(call: Call, p: s.CreateRoom) -> dict[str, Any]:
    changes = p.settings.changes() if p.settings else None

    async def take() -> Seat:
        seat, _ = await call.service.create_room(p.name, call.sid, spectator=p.spectator, settings=changes)
        return seat

    return await _joined(call, await call.seats.enter(call.sid, take))


async def join_room(call: Call, p: s.JoinRoom) -> dict[str, Any]:
    code = _code(p.code)

    async def take() -> Seat:
        seat, _ = await call.service.join(code, p.name, call.sid, spectator=p.spectator, device=p.device)
        return seat

    return await _joined(call, await call.seats.enter(call.sid, take))


async def watch_screen(call: Call, p: s.WatchScreen) -> dict[str, Any]:
    code = _code(p.code)

    async def take() -> Seat:
        seat, _ = await call.service.watch_screen(code, call.sid)
        return seat

    return await _joined(call, await call.seats.enter(call.sid, take))


async def resume_room(call: Call, p: s.ResumeRoom) -> dict[str, Any]:
    code = _code(p.code)

    async def take() -> Seat:
        seat, _ = await call.service.resume(code, p.token, call.sid)
        return seat

    return await _joined(call, await call.seats.enter(call.sid, take, key=seat_key(code, p.token)))


async def leave_room(call: Call, p: s.Empty) -> dict[str, Any]:
    await call.seats.leave(call.sid, lambda seat: call.service.execute(seat.code, c.Leave(seat.member_id)))
    return {}


async def list_packs(call: Call, p: s.Empty) -> dict[str, Any]:
    """The packs a host can choose: the built-in themes, then the operator's (PROMPT_PACKS_DIR).
    A room's own pack ("custom") is in its view (`customPack`)."""
    packs = [*BUILTIN_PACKS.values(), *call.service.env.packs.values()]
    return {"packs": [p.summary() for p in packs]}


async def sync_room(call: Call, p: s.Empty) -> dict[str, Any]:
    if call.seat is None:
        raise RuntimeError("room:sync is declared seated")
    return {
        "view": await call.service.view(call.seat.code, call.seat.member_id),
        "chat": await call.service.chat_history(call.seat.code, call.seat.member_id),
    }


# ---------------------------------------------------------------- the table

EVENTS: dict[str, Event] = {
    "room:create": Event(s.CreateRoom, call=create_room, seated=False, limit="room_create"),
    "room:join": Event(s.JoinRoom, call=join_room, seated=False),
    "room:resume": Event(s.ResumeRoom, call=resume_room, seated=False),
    "room:screen": Event(s.WatchScreen, call=watch_screen, seated=False),
    "room:leave": Event(s.Empty, call=leave_room),
    "room:sync": Event(s.Empty, call=sync_room),
    "room:settings": Event(s.SettingsPatch, command=lambda me, p: c.UpdateSettings(me, p.changes())),
    # checking a pack costs ~17 ms for 200 prompts: it shares the chat's per-seat rate limit
    "pack:import": Event(s.ImportPack, command=lambda me, p: c.ImportPack(me, p.text, p.name), limit="chat"),
    "packs:list": Event(s.Empty, call=list_packs, seated=False),
    "player:ready": Event(s.Ready, command=lambda me, p: c.SetReady(me, p.ready)),
    "game:start": Event(s.Empty, command=lambda me, p: c.StartGame(me)),
    "game:new": Event(s.Empty, command=lambda me, p: c.NewGame(me)),
    "prompt:suggest": Event(s.Empty, command=lambda me, p: c.RequestSuggestions(me)),
    "prompt:submit": Event(s.TextBody, command=lambda me, p: c.SubmitPrompt(me, p.text)),
    "image:pick": Event(s.PickImage, command=lambda me, p: c.PickImage(me, p.index)),
    "image:regenerate": Event(s.Regenerate, command=lambda me, p: c.RegenerateImage(me, p.reject)),
    "guess:submit": Event(s.TextBody, command=lambda me, p: c.SubmitGuess(me, p.text), limit="guess"),
    "chat:send": Event(s.TextBody, command=lambda me, p: c.Chat(me, p.text), limit="chat"),
    "player:kick": Event(s.Target, command=lambda me, p: c.Kick(me, p.player_id)),
    "player:votekick": Event(s.Target, command=lambda me, p: c.VoteKick(me, p.player_id)),
    "album:step": Event(s.AlbumStep, command=lambda me, p: c.StepAlbum(me, p.index)),
    "player:unvotekick": Event(s.Target, command=lambda me, p: c.UnvoteKick(me, p.player_id)),
}
