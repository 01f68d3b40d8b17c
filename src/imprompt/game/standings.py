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
    left: bool = False  # left the room during or after the game: shown greyed out


def standings(state: RoomState) -> list[Standing]:
    """Everyone who played this game, those who left included."""
    rows = [(m.score, m.seq, m.id, m.name, False) for m in state.players()]
    rows += [(d.score, d.seq, d.id, d.name, True) for d in state.departed if d.id not in state.members]
    rows.sort(key=lambda r: (-r[0], r[1]))
    out: list[Standing] = []
    place, last = 0, None
    for i, (score, _, member_id, name, left) in enumerate(rows):
        if score != last:
            place, last = i + 1, score
        out.append(Standing(member_id, name, score, place, left))
    return out
