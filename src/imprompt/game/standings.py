"""Who is ahead: players by score, ties sharing a place (1, 2, 2, 4)."""

from __future__ import annotations

from dataclasses import dataclass

from .state import RoomState


@dataclass(frozen=True)
class Standing:
    player_id: str
    name: str
    score: int
    place: int


def standings(state: RoomState) -> list[Standing]:
    ranked = sorted(state.players(), key=lambda m: (-m.score, m.seq))
    out: list[Standing] = []
    place, last = 0, None
    for i, m in enumerate(ranked):
        if m.score != last:
            place, last = i + 1, m.score
        out.append(Standing(m.id, m.name, m.score, place))
    return out
