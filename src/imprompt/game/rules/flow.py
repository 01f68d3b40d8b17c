"""The game's flow between turns: who writes next, the next round, the end of the game."""

from __future__ import annotations

from typing import Literal

from .. import effects as fx
from ..standings import standings
from ..state import Phase, RoomState, SkippedTurn, Turn
from .outcome import Outcome


def begin_turn(s: RoomState, now: float) -> None:
    number = s.turn.number + 1 if s.turn else 1
    s.turn = Turn(number=number, round=s.round, giver_id=s.order[s.turn_index], started_at=now)
    enter_prompting(s, now, s.settings.prompt_seconds)


def enter_prompting(s: RoomState, now: float, seconds: float) -> None:
    """Prompting starts, or starts paused while its giver is away."""
    s.phase = Phase.PROMPTING
    giver = s.members.get(s.turn.giver_id) if s.turn else None
    if giver is not None and not giver.connected:
        s.deadline, s.paused_remaining = None, float(seconds)
    else:
        s.deadline, s.paused_remaining = now + seconds, None


def skip_turn(
    s: RoomState, turn: Turn, reason: Literal["giver_left", "no_image"], giver_name: str, now: float, out: Outcome
) -> None:
    """The turn ends without a picture; the next one starts and says why this one was skipped."""
    turn.skipped = True
    s.last_skipped = SkippedTurn(turn=turn.number, giver_id=turn.giver_id, giver_name=giver_name, reason=reason)
    advance(s, now, out)


def promote_joiners(s: RoomState) -> list[str]:
    """Members who joined mid-game as players become players; returns them in join order."""
    promoted = []
    for m in sorted(s.members.values(), key=lambda m: m.seq):
        if m.joins_next_round:
            m.role, m.joins_next_round = "player", False
            promoted.append(m.id)
    return promoted


def advance(s: RoomState, now: float, out: Outcome) -> None:
    """Move to the next prompt giver, the next round, or the end of the game."""
    s.kick_votes = {k: v for k, v in s.kick_votes.items() if k in s.members}
    s.turn_index += 1
    while True:
        while s.turn_index < len(s.order) and s.order[s.turn_index] not in s.members:
            s.turn_index += 1
        if s.turn_index < len(s.order):
            break
        if s.round >= s.settings.rounds:
            finish(s, now, out)
            return
        s.round += 1
        s.turn_index = 0
        s.order += promote_joiners(s)
        s.order = [mid for mid in s.order if mid in s.members and s.members[mid].role == "player"]
        if not s.order:
            finish(s, now, out)
            return
    begin_turn(s, now)


def finish(s: RoomState, now: float, out: Outcome) -> None:
    s.phase = Phase.FINISHED
    s.deadline = now + s.timing.finished_room_ttl
    s.paused_remaining = None
    promote_joiners(s)
    out.effects.append(
        fx.GameEnded(
            fx.GameSummary(
                code=s.code,
                game=s.game,
                rounds=s.settings.rounds,
                turns=len(s.album),
                players=len(s.players()),
                standings=standings(s),
                started_at=s.game_started_at,
                ended_at=now,
            )
        )
    )
