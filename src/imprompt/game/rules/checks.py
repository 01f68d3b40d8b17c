"""Lookups and requirements shared by the command handlers, plus the room's seeded randomness."""

from __future__ import annotations

import random

from ..state import Member, Phase, RoomState, Turn
from .outcome import Rejected


def member(s: RoomState, member_id: str) -> Member:
    found = s.members.get(member_id)
    if found is None and member_id in s.screens:
        raise Rejected("not_a_player", "A big screen only shows the game: play from a phone.")
    if found is None:
        raise Rejected("unknown_member", "You are not in this room.")
    return found


def require_host(s: RoomState, member_id: str) -> None:
    if s.host_id != member_id:
        raise Rejected("not_host", "Only the host can do that.")


def current_turn(s: RoomState) -> Turn:
    """The turn being played. Every phase but the lobby has one; asking in the lobby is a rules bug."""
    if s.turn is None:
        raise Rejected("wrong_phase", f"There is no turn being played (now: {s.phase.value}).")
    return s.turn


def require_giver(s: RoomState, member_id: str) -> Turn:
    turn = current_turn(s)
    if turn.giver_id != member_id:
        raise Rejected("not_your_turn", "It is not your turn to write the prompt.")
    return turn


def phase_error(phases: frozenset[Phase], now: Phase) -> str:
    wanted = " or ".join(p.value for p in Phase if p in phases)
    return f"That can only be done during {wanted} (now: {now.value})."


def sid_of(s: RoomState, member_id: str) -> str | None:
    m = s.members.get(member_id)
    return m.sid if m else None


def rng(s: RoomState) -> random.Random:
    """A fresh, reproducible random source for each draw."""
    s.rng_draws += 1
    return random.Random(s.seed * 1_000_003 + s.rng_draws)


def image_seed(s: RoomState, turn: Turn) -> int:
    return (s.seed * 7919 + turn.number * 101 + turn.failures) % (2**31)
