"""A saved room made live again after a restart.

Every time field of the state is declared a MOMENT (a timer or a score depends on it)
or a STAMP (history) in `game/state.py`; the moments move forward by the downtime, so
timers and time-based points stay as they were when the room was saved.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..state import RoomState, TimeKind
from .membership import mark_disconnected


def reopen(state: RoomState, saved_at: float, now: float) -> RoomState:
    """A copy of a room saved at `saved_at`, live again at `now`.

    Its moments are shifted by the downtime; then every member who was connected is
    marked disconnected at `now`, with the same bookkeeping as a disconnect (the seat
    is held, a prompt giver's timer pauses, the empty room starts its TTL), but for
    everyone at once, so nobody's disconnection ends a turn early."""
    s = shift_moments(state, max(0.0, now - saved_at))
    for m in sorted(s.members.values(), key=lambda m: m.seq):
        if m.connected:
            mark_disconnected(s, m, now)
    s.screens = {}  # their sockets are gone: a big screen joins again when it reconnects
    if s.empty_since is None:
        s.empty_since = now
    return s


def shift_moments(state: RoomState, delta: float) -> RoomState:
    """A copy of `state` with every MOMENT field moved `delta` seconds later."""
    s = state.model_copy(deep=True)
    if delta:
        _shift(s, delta)
    return s


def _shift(model: BaseModel, delta: float) -> None:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if TimeKind.MOMENT in info.metadata:
            if value is not None:
                setattr(model, name, value + delta)
        else:
            _shift_inside(value, delta)


def _shift_inside(value: Any, delta: float) -> None:
    if isinstance(value, BaseModel):
        _shift(value, delta)
    elif isinstance(value, list):
        for item in value:
            _shift_inside(item, delta)
    elif isinstance(value, dict):
        for item in value.values():
            _shift_inside(item, delta)
