"""Reopening a saved room after a restart (`game.reopen`): every timer moves by the downtime.

The first test is the guard: every time field of the state must be declared a MOMENT
(shifted) or a STAMP (kept), so a new timer field cannot silently stay behind.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from imprompt.game import commands as c
from imprompt.game import reopen
from imprompt.game import state as st
from imprompt.game.rules import next_wakeup, shift_moments
from imprompt.game.state import Phase, RoomState, TimeKind

from .test_rules import Game, started

# Float fields that are lengths of time or amounts, not points in time: nothing to shift.
NOT_TIMES = {
    ("Timing", "seat_hold"),
    ("Timing", "generation_timeout"),
    ("Timing", "reveal"),
    ("Timing", "review"),
    ("Timing", "empty_room_ttl"),
    ("Timing", "finished_room_ttl"),
    ("RoomState", "paused_remaining"),
    ("ImageInfo", "cost_usd"),
    ("ImageInfo", "elapsed"),
    ("Turn", "images_cost_usd"),
}


def _models() -> list[type[BaseModel]]:
    return [v for v in vars(st).values() if isinstance(v, type) and issubclass(v, st.Model) and v is not st.Model]


def _is_float(annotation: Any) -> bool:
    args = typing.get_args(annotation)
    return annotation is float or float in args


def test_every_time_field_is_declared_a_moment_or_a_stamp():
    unclassified = []
    for model in _models():
        for name, info in model.model_fields.items():
            if not _is_float(info.annotation) or (model.__name__, name) in NOT_TIMES:
                continue
            kinds = [m for m in info.metadata if isinstance(m, TimeKind)]
            if len(kinds) != 1:
                unclassified.append(f"{model.__name__}.{name}")
    assert not unclassified, f"declare these Moment or Stamp in game/state.py: {unclassified}"


def _times(value: Any, path: str = "") -> dict[str, tuple[TimeKind | None, float]]:
    """Every float in the state with its path and declared kind."""
    found: dict[str, tuple[TimeKind | None, float]] = {}
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            inner = getattr(value, name)
            kind = next((m for m in info.metadata if isinstance(m, TimeKind)), None)
            if isinstance(inner, float) and not isinstance(inner, bool):
                found[f"{path}.{name}"] = (kind, inner)
            else:
                found |= _times(inner, f"{path}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found |= _times(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            found |= _times(item, f"{path}[{key}]")
    return found


def _busy_room() -> Game:
    """A room with something in every time field: guesses, a solver, a dropped player, an album."""
    g = started(4, spectators=1)
    g.play_turn(guesses={})
    g.to_guessing("zebra quartet")
    a, b, *_ = g.others()
    g.later(3)
    g.guess(a, "cold guess")
    g.later(2)
    g.guess(b, "zebra quartet")
    g.do(c.Chat("ann", "nice"))
    g.later(1)
    g.disconnect("watcher0")
    return g


def test_shift_moves_every_moment_and_keeps_every_stamp():
    g = _busy_room()
    before = _times(g.state)
    assert sum(1 for kind, _ in before.values() if kind is TimeKind.MOMENT) >= 6  # the room really is busy
    after = _times(shift_moments(g.state, 100.0))
    assert after.keys() == before.keys()
    for path, (kind, old) in before.items():
        new = after[path][1]
        if kind is TimeKind.MOMENT:
            assert new == old + 100.0, path
        else:
            assert new == old, path


def test_reopen_holds_every_seat_and_keeps_the_time_left():
    g = _busy_room()
    saved = g.state
    left = saved.deadline - g.now
    now = g.now + 40.0  # 40 s of downtime
    room = reopen(saved, g.now, now)
    assert saved.members["ann"].connected, "reopen must not change its input"
    assert all(not m.connected and m.sid is None for m in room.members.values())
    assert all(m.disconnected_at == now for mid, m in room.members.items() if mid != "watcher0")
    assert room.members["watcher0"].disconnected_at == saved.members["watcher0"].disconnected_at + 40.0
    assert room.phase == Phase.GUESSING and room.deadline == now + left
    assert room.empty_since == now and room.revision == saved.revision
    assert next_wakeup(room) == min(room.deadline, now + room.timing.empty_room_ttl, _next_hint(room))


def _next_hint(room: RoomState) -> float:
    from imprompt.game.rules.deadlines import next_hint_at

    hint = next_hint_at(room)
    return hint if hint is not None else float("inf")


def test_reopen_pauses_the_prompt_giver_like_a_disconnect():
    g = started(3)
    g.later(10)
    by_rules = g.disconnect(g.giver).state
    g2 = started(3)
    g2.later(10)
    room = reopen(g2.state, g2.now, g2.now)
    assert room.paused_remaining == by_rules.paused_remaining and room.deadline is None
    giver = room.members[g2.giver]
    assert (giver.connected, giver.sid, giver.disconnected_at) == (False, None, g2.now)


def test_a_reopened_room_plays_on_through_the_rules():
    g = _busy_room()
    room = reopen(g.state, g.now, g.now + 600.0)
    g.state, g.now = room, g.now + 600.0
    for mid in ("ann", "bob", "cy", "dee"):
        g.resume(mid)
    assert g.phase == Phase.GUESSING and g.state.empty_since is None
    g.expire()
    assert g.phase == Phase.REVEAL
