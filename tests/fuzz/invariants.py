"""The room invariants the fuzz tests check after every step, in one function.

`check_room(state, now, memory)` raises AssertionError naming what broke: one prompt
giver per turn (the one the order names, a player, never a guesser, nobody twice in a
round), scores never down within a game (and 0 in the lobby), every deadline after the
start of its phase, every seat held by at most one socket, and no member's view showing
the prompt (or another's guesses) before the reveal. `memory` carries what a check must
remember between steps (the last scores, each round's givers); one per room."""

from __future__ import annotations

from dataclasses import dataclass, field

from imprompt.game.state import Phase, RoomState
from tests.unit.test_views import leaks

TURN_PHASES = (Phase.PROMPTING, Phase.GENERATING, Phase.GUESSING, Phase.REVEAL)


@dataclass
class Memory:
    scores: dict[tuple[int, str], int] = field(default_factory=dict)  # (game, member) -> last score
    givers: dict[tuple[int, int], dict[int, str]] = field(default_factory=dict)  # (game, round) -> turn -> giver


def check_room(state: RoomState, now: float, memory: Memory) -> None:
    if state.closed:
        return
    _one_giver(state, memory)
    _scores(state, memory)
    _deadlines(state, now)
    _seats(state)
    # The fuzzer's guesses are any text: one like "G" or "lobby" is found inside public strings
    # (a name, the phase) by the substring search of `leaks`. Those are no leak.
    public = [*(m.name for m in state.members.values()), *(p.value for p in Phase), state.settings.theme]
    for mid in state.members:
        leaked = [x for x in leaks(state, mid, now) if len(x.strip()) >= 4 and not any(x in p for p in public)]
        assert not leaked, f"{mid} can see {leaked} during {state.phase.value}"


def _one_giver(s: RoomState, memory: Memory) -> None:
    if s.phase not in TURN_PHASES:
        return
    turn = s.turn
    assert turn is not None, f"{s.phase.value} without a turn"
    assert s.order[s.turn_index] == turn.giver_id, "the turn's giver is not the one the order names"
    assert turn.giver_id not in turn.guessers, "the prompt giver is also a guesser"
    giver = s.members.get(turn.giver_id)
    if s.phase in (Phase.PROMPTING, Phase.GENERATING):
        assert giver is not None, "nobody gives the prompt"
    assert giver is None or giver.role == "player", "a spectator gives the prompt"
    turns = memory.givers.setdefault((s.game, s.round), {})
    turns[turn.number] = turn.giver_id
    given = list(turns.values())
    assert len(given) == len(set(given)), f"someone gave twice in round {s.round}: {turns}"


def _scores(s: RoomState, memory: Memory) -> None:
    if s.phase == Phase.LOBBY:
        assert all(m.score == 0 for m in s.members.values()), "the lobby shows old scores"
        return
    for m in s.members.values():
        key = (s.game, m.id)
        assert m.score >= memory.scores.get(key, 0), f"{m.id}'s score went down"
        memory.scores[key] = m.score


def _deadlines(s: RoomState, now: float) -> None:
    if s.deadline is None:
        assert s.phase != Phase.GUESSING and s.phase != Phase.REVEAL, f"{s.phase.value} has no deadline"
        return
    assert s.phase != Phase.LOBBY, "a lobby with a deadline"
    starts = [t for t in (s.game_started_at, s.turn and s.turn.started_at) if t is not None]
    assert all(s.deadline > t for t in starts), f"the {s.phase.value} deadline is before its phase began"
    if s.phase == Phase.GUESSING and s.turn is not None and s.turn.guess_started_at is not None:
        assert s.deadline == s.turn.guess_started_at + s.settings.guess_seconds, "the guessing deadline moved"


def _seats(s: RoomState) -> None:
    sids = [m.sid for m in s.members.values() if m.sid]
    assert len(sids) == len(set(sids)), "one socket holds two seats"
    assert all(m.connected == (m.sid is not None) for m in s.members.values()), "connected without a socket"


def check_sockets(sessions: dict[str, tuple[str, str]], rooms: dict[str, RoomState]) -> None:
    """`sessions`: each connected socket's seat (sid -> (code, member)). No seat is held by
    two sockets, and the room agrees which socket holds each seat."""
    holders: dict[tuple[str, str], str] = {}
    for sid, seat in sessions.items():
        assert seat not in holders, f"two sockets hold {seat}: {holders[seat]} and {sid}"
        holders[seat] = sid
        state = rooms.get(seat[0])
        if state is None or state.closed:
            continue
        member = state.members.get(seat[1])
        assert member is not None, f"socket {sid} holds {seat}, which the room does not have"
        assert member.sid == sid, f"socket {sid} holds {seat}, but the room says {member.sid}"
