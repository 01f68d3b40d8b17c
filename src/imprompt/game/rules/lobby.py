"""Before and between games: settings, ready flags, starting a game, a new game."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .. import commands as c
from ..state import GameSettings, Phase, RoomState
from ..suggestions import THEMES
from . import checks
from .flow import begin_turn, promote_joiners
from .outcome import Outcome, Rejected


def update_settings(s: RoomState, cmd: c.UpdateSettings, now: float, out: Outcome) -> None:
    checks.require_host(s, cmd.member_id)
    merged: dict[str, Any] = {**s.settings.model_dump(), **cmd.changes}
    try:
        settings = GameSettings(**merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "settings"
        raise Rejected("invalid_settings", f"{where}: {err['msg']}") from None
    if settings.theme not in THEMES:
        raise Rejected("invalid_settings", f"theme: unknown theme {settings.theme!r}; choose one of {sorted(THEMES)}")
    if settings.max_players < len(s.players()):
        raise Rejected("invalid_settings", f"max_players: {len(s.players())} players are already here")
    s.settings = settings


def set_ready(s: RoomState, cmd: c.SetReady, now: float, out: Outcome) -> None:
    member = checks.member(s, cmd.member_id)
    if member.role != "player":
        raise Rejected("not_a_player", "Spectators do not need to be ready.")
    member.ready = cmd.ready
    if s.phase == Phase.LOBBY and everyone_ready(s):
        begin_game(s, now)  # the host need not press Start once every player here is ready


def everyone_ready(s: RoomState) -> bool:
    """At least 2 players are here and every one of them is ready."""
    here = s.connected_players()
    return len(here) >= 2 and all(m.ready for m in here)


def start_game(s: RoomState, cmd: c.StartGame, now: float, out: Outcome) -> None:
    checks.require_host(s, cmd.member_id)
    if len(s.connected_players()) < 2:
        raise Rejected("not_enough_players", "At least 2 players are needed to start.")
    begin_game(s, now)


def begin_game(s: RoomState, now: float) -> None:
    s.game += 1
    s.game_started_at = now
    order = [m.id for m in sorted(s.players(), key=lambda m: m.seq)]
    checks.rng(s).shuffle(order)
    s.order = order
    s.round = 1
    s.turn_index = 0
    s.album = []
    s.departed = []
    s.last_skipped = None
    s.turn = None
    s.kick_votes = {}
    for m in s.members.values():
        m.score = 0
        m.ready = False  # ready means ready for the next game
    begin_turn(s, now)


def new_game(s: RoomState, cmd: c.NewGame, now: float, out: Outcome) -> None:
    checks.require_host(s, cmd.member_id)
    s.phase = Phase.LOBBY
    s.deadline = None
    s.turn = None
    s.round = 0
    s.order = []
    s.departed = []
    s.last_skipped = None
    for m in s.members.values():
        m.score = 0  # the lobby shows a fresh start, not the last game's scores
        # `ready` stays: on the finished screen it means "I play again"
    promote_joiners(s)
