"""The finished game's album as the big screens show it: the host steps through it."""

from __future__ import annotations

from .. import commands as c
from ..state import RoomState
from . import checks
from .outcome import Rejected


def step(s: RoomState, cmd: c.StepAlbum) -> None:
    checks.require_host(s, cmd.member_id)
    if not 0 <= cmd.index < len(s.album):
        raise Rejected("not_allowed", f"The album has {len(s.album)} pictures.")
    s.album_index = cmd.index
