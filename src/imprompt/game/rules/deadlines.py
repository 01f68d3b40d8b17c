"""Time passing: what each phase does when its deadline passes, seat holds, hints.

`settle` runs before and after every command, so a deadline that already passed
wins over a late command; a Tick command only brings the time.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import effects as fx
from ..state import Phase, RoomState
from . import checks
from .flow import advance
from .guessing import reveal
from .membership import remove
from .outcome import Outcome
from .prompting import auto_prompt, generation_timed_out

HINT_STEPS = (0.5, 0.75)  # fractions of the guess time at which one more letter shows
MAX_SETTLE_STEPS = 64


def _close_finished(s: RoomState, now: float, out: Outcome) -> None:
    s.closed = True
    out.effects.append(fx.CloseRoom("finished"))


# What each phase does when `state.deadline` passes. The lobby has no deadline.
ON_DEADLINE: dict[Phase, Callable[[RoomState, float, Outcome], None]] = {
    Phase.PROMPTING: auto_prompt,  # a suggestion is drawn instead
    Phase.GENERATING: generation_timed_out,  # counts as a failed image
    Phase.GUESSING: reveal,
    Phase.REVEAL: advance,  # the next turn, round or the end of the game
    Phase.FINISHED: _close_finished,  # after `finished_room_ttl` without activity
}


def settle(s: RoomState, now: float, out: Outcome) -> None:
    for _ in range(MAX_SETTLE_STEPS):
        if s.closed or not _settle_step(s, now, out):
            return


def _settle_step(s: RoomState, now: float, out: Outcome) -> bool:
    """Carry out the earliest due deadline. Returns False when nothing was due."""
    # While nobody is connected (a shared outage, a restart) every seat waits for the
    # empty-room TTL, so a group that comes back within it finds its game intact.
    if any(m.connected for m in s.members.values()):
        hold = s.timing.seat_hold
        gone = [
            m
            for m in s.members.values()
            if not m.connected and m.disconnected_at is not None and now >= m.disconnected_at + hold
        ]
        if gone:  # the earliest seat first; sorting only here, as this runs 2-3 times a command
            remove(s, min(gone, key=lambda m: m.seq).id, now, out)
            out.settled = True
            return True
    if s.empty_since is not None and now >= s.empty_since + s.timing.empty_room_ttl:
        s.closed = True
        out.effects.append(fx.CloseRoom("abandoned"))
        out.settled = True
        return True
    due = next_hint_at(s)
    if due is not None and now >= due and (s.deadline is None or now < s.deadline):
        checks.current_turn(s).hints_revealed += 1
        out.settled = True
        return True
    if s.deadline is None or now < s.deadline:
        return False
    out.settled = True
    ON_DEADLINE[s.phase](s, now, out)
    return True


def next_hint_at(s: RoomState) -> float | None:
    """When the next hint letter shows, if one is still to come this turn."""
    turn = s.turn
    if s.phase != Phase.GUESSING or not s.settings.hints or turn is None or turn.guess_started_at is None:
        return None
    if turn.hints_revealed >= len(HINT_STEPS):
        return None
    return turn.guess_started_at + HINT_STEPS[turn.hints_revealed] * s.settings.guess_seconds


def next_wakeup(s: RoomState) -> float | None:
    """The earliest time at which a Tick would change this room."""
    if s.closed:
        return None
    times: list[float] = []
    if s.deadline is not None:
        times.append(s.deadline)
    hint = next_hint_at(s)
    if hint is not None:
        times.append(hint)
    if any(m.connected for m in s.members.values()):  # seats wait while the room is empty
        times += [
            m.disconnected_at + s.timing.seat_hold
            for m in s.members.values()
            if not m.connected and m.disconnected_at is not None
        ]
    if s.empty_since is not None:
        times.append(s.empty_since + s.timing.empty_room_ttl)
    return min(times) if times else None
