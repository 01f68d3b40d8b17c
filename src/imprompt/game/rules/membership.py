"""Who is in the room: joining, resuming a seat, dropping, leaving, being removed."""

from __future__ import annotations

from .. import commands as c
from .. import effects as fx
from ..names import clean_name, name_key
from ..replies import Seated
from ..state import Departed, Member, Phase, RoomState, Screen
from . import checks
from .flow import finish, skip_turn
from .guessing import all_solved, reveal
from .moderation import announce
from .outcome import Outcome, Rejected

_SETUP = (Phase.LOBBY, Phase.FINISHED)
MAX_SCREENS = 4  # big screens per room: a bound on what a room holds, not a player cap


def join(s: RoomState, cmd: c.Join, now: float, out: Outcome) -> None:
    try:
        name = clean_name(cmd.name)
    except ValueError as exc:
        raise Rejected("name_invalid", str(exc)) from None
    if cmd.device_hash is not None and cmd.device_hash in s.banned:
        raise Rejected("kicked", "You were removed from this room.")
    if any(name_key(m.name) == name_key(name) for m in s.members.values()):
        raise Rejected("name_taken", f"Someone in this room is already called {name}.")
    in_game = s.phase not in _SETUP
    players = len(s.players()) + sum(1 for m in s.members.values() if m.joins_next_round)
    spectators = sum(1 for m in s.members.values() if m.role == "spectator" and not m.joins_next_round)
    wants_player = not cmd.spectator
    if wants_player and players >= s.settings.max_players:
        raise Rejected(
            "room_full", f"This room is full ({s.settings.max_players} players). You can join as a spectator."
        )
    if not wants_player and spectators >= s.timing.max_spectators:
        raise Rejected("room_full", "This room has no more room for spectators.")
    member = Member(
        id=cmd.member_id,
        name=name,
        token_hash=cmd.token_hash,
        sid=cmd.sid,
        seq=s.next_seq,
        joined_at=now,
        role="player" if wants_player and not in_game else "spectator",
        joins_next_round=wants_player and in_game,
        device_hash=cmd.device_hash,
    )
    s.next_seq += 1
    s.members[member.id] = member
    s.empty_since = None
    if s.host_id is None:
        s.host_id = member.id
    else:
        announce(s, now, out, "joined", member, f"{name} joined" if wants_player else f"{name} is watching")
    out.reply = Seated(member.id)


def watch_screen(s: RoomState, cmd: c.WatchScreen, now: float, out: Outcome) -> None:
    """A big screen joins. It is kept apart from the members, so no cap, host choice,
    vote or "anyone here" counts it, and every command from it is refused (checks.member)."""
    if len(s.screens) >= MAX_SCREENS:
        raise Rejected("room_full", f"This room already shows on {MAX_SCREENS} screens.")
    s.screens[cmd.screen_id] = Screen(id=cmd.screen_id, sid=cmd.sid, joined_at=now)
    out.reply = Seated(cmd.screen_id)


def resume(s: RoomState, cmd: c.Resume, now: float, out: Outcome) -> None:
    if cmd.token_hash in s.banned:
        raise Rejected("kicked", "You were removed from this room.")
    member = s.member_by_token(cmd.token_hash)
    if member is None:
        raise Rejected("token_invalid", "That seat is no longer held. Join the room again.")
    if member.sid and member.sid != cmd.sid:
        out.effects.append(
            fx.NotifyMember(
                member.id, member.sid, "room:replaced", {"message": "You opened this room somewhere else."}, detach=True
            )
        )
    member.sid = cmd.sid
    member.connected = True
    member.disconnected_at = None
    s.empty_since = None
    if s.phase == Phase.PROMPTING and s.turn and s.turn.giver_id == member.id and s.paused_remaining is not None:
        s.deadline = now + s.paused_remaining
        s.paused_remaining = None
    out.reply = Seated(member.id)


def disconnect(s: RoomState, cmd: c.Disconnect, now: float, out: Outcome) -> None:
    screen = next((x for x in s.screens.values() if x.sid == cmd.sid), None)
    if screen is not None:  # a screen holds nothing worth keeping: it joins again on reconnect
        del s.screens[screen.id]
        return
    member = s.member_by_sid(cmd.sid)
    if member is None:
        raise Rejected("unknown_member", "That connection holds no seat here.")
    mark_disconnected(s, member, now)  # a dropped guesser stays pending: see guessing.all_solved


def mark_disconnected(s: RoomState, member: Member, now: float) -> None:
    """The seat is held for `seat_hold`; a prompt giver's timer pauses; an empty room starts its TTL."""
    member.sid = None
    member.connected = False
    member.disconnected_at = now
    if s.phase == Phase.PROMPTING and s.turn and s.turn.giver_id == member.id and s.deadline is not None:
        s.paused_remaining = max(0.0, s.deadline - now)
        s.deadline = None
    if not any(m.connected for m in s.members.values()):
        s.empty_since = now


def leave(s: RoomState, cmd: c.Leave, now: float, out: Outcome) -> None:
    if s.screens.pop(cmd.member_id, None) is not None:
        return
    checks.member(s, cmd.member_id)
    remove(s, cmd.member_id, now, out)


def remove(s: RoomState, member_id: str, now: float, out: Outcome) -> None:
    """Take a member out of the room, keeping the game consistent."""
    member = s.members.pop(member_id)
    if member.role == "player" and s.phase != Phase.LOBBY:  # stays on this game's podium, greyed out
        s.departed.append(Departed(id=member.id, name=member.name, score=member.score, seq=member.seq))
    s.kick_votes.pop(member_id, None)
    for voters in s.kick_votes.values():
        if member_id in voters:
            voters.remove(member_id)
    was_host = s.host_id == member_id
    if was_host:
        _assign_host(s)
    if not s.members:
        s.closed = True
        out.effects.append(fx.CloseRoom("empty"))
        return
    announce(s, now, out, "left", member, f"{member.name} left")
    if was_host and s.host_id in s.members:
        announce(s, now, out, "host", s.members[s.host_id], f"{s.members[s.host_id].name} is now the host")
    if not any(m.connected for m in s.members.values()) and s.empty_since is None:
        s.empty_since = now
    if member.role == "player" and _recount_kick_votes(s, now, out):
        return  # a departure lowered the majority: that kick has been carried out (and this check re-run)
    if member.role != "player" or s.phase in _SETUP:
        return
    if len(s.players()) < 2:
        finish(s, now, out)
        return
    turn = checks.current_turn(s)
    if turn.giver_id == member_id and s.phase in (Phase.PROMPTING, Phase.GENERATING):
        skip_turn(s, turn, "giver_left", member.name, now, out)
    elif member_id in turn.guessers and s.phase == Phase.GUESSING:
        del turn.guessers[member_id]
        if all_solved(s, turn):
            reveal(s, now, out)


def expel(s: RoomState, target_id: str, now: float, out: Outcome, message: str) -> None:
    """Remove a member for good: their token is banned from this room."""
    target = s.members[target_id]
    s.banned.append(target.token_hash)
    if target.device_hash is not None:
        s.banned.append(target.device_hash)  # a new name from the same browser is refused too
    out.effects.append(fx.NotifyMember(target.id, target.sid, "room:kicked", {"message": message}, detach=True))
    remove(s, target_id, now, out)


def votes_needed(s: RoomState, target_id: str) -> int:
    eligible = sum(1 for m in s.players() if m.id != target_id)
    return eligible // 2 + 1


def _recount_kick_votes(s: RoomState, now: float, out: Outcome) -> bool:
    """After a player left, a standing vote may now be a majority. True if someone was kicked."""
    if len(s.players()) < 3:
        return False
    for target, voters in list(s.kick_votes.items()):
        if target in s.members and voters and len(voters) >= votes_needed(s, target):
            expel(s, target, now, out, "The other players voted to remove you.")
            return True
    return False


def _assign_host(s: RoomState) -> None:
    ranked = sorted(s.members.values(), key=lambda m: (not m.connected, m.role != "player", m.seq))
    s.host_id = ranked[0].id if ranked else None
