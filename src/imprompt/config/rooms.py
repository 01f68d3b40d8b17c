"""Room settings: how long seats are held, rooms live and phases last, and how many rooms."""

from __future__ import annotations

from pydantic import Field

from .base import Group


class RoomSettings(Group):
    seat_hold_seconds: float = Field(120, ge=5, le=3600)
    empty_room_ttl_seconds: float = Field(300, ge=10, le=86400)
    finished_room_ttl_seconds: float = Field(1800, ge=10, le=86400)
    generation_timeout_seconds: float = Field(30, ge=1, le=600)
    reveal_seconds: float = Field(8, ge=1, le=60)
    review_seconds: float = Field(20, ge=5, le=120)  # the writer's look at the picture(s), when the room has it
    max_rooms: int = Field(2000, ge=1, le=1_000_000)
