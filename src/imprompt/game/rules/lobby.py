"""Before and between games: settings, ready flags, starting a game, a new game."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .. import commands as c
from ..packs import CUSTOM, PackError, parse_pack
from ..replies import PackImported
from ..state import GameSettings, Phase, RoomState
from ..suggestions import THEMES
from . import checks
from .flow import begin_turn, promote_joiners
from .outcome import Outcome, Rejected, RulesEnv


def update_settings(s: RoomState, cmd: c.UpdateSettings, now: float, env: RulesEnv, out: Outcome) -> None:
    checks.require_host(s, cmd.member_id)
    merged: dict[str, Any] = {**s.settings.model_dump(), **cmd.changes}
    try:
        settings = GameSettings(**merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "settings"
        raise Rejected("invalid_settings", f"{where}: {err['msg']}") from None
    operator_pack = s.operator_pack
    if "theme" in cmd.changes:
        if settings.theme in THEMES:
            operator_pack = None
        elif settings.theme == CUSTOM:
            if s.custom_pack is None:
                raise Rejected("invalid_settings", "theme: this room has no pack of its own yet; paste or import one")
            operator_pack = None
        elif settings.theme in env.packs:
            operator_pack = env.packs[settings.theme]  # a copy in the room: it plays on if the folder changes
        else:
            known = sorted({*THEMES, *env.packs, *([CUSTOM] if s.custom_pack else [])})
            raise Rejected("invalid_settings", f"theme: unknown pack {settings.theme!r}; choose one of {known}")
    if settings.max_players < len(s.players()):
        raise Rejected("invalid_settings", f"max_players: {len(s.players())} players are already here")
    s.settings = settings
    s.operator_pack = operator_pack


def import_pack(s: RoomState, cmd: c.ImportPack, now: float, env: RulesEnv, out: Outcome) -> None:
    """The host's own pack (a pasted list or a pack file), checked as typed prompts are;
    it becomes the room's pack. A bad pack changes nothing: its problems name their lines."""
    checks.require_host(s, cmd.member_id)
    try:
        pack = parse_pack(
            cmd.text, pack_id=CUSTOM, name=cmd.name, max_words=s.settings.max_words, content_filter=env.content_filter
        )
    except PackError as exc:
        raise Rejected("pack_invalid", str(exc)) from None
    s.custom_pack = pack
    s.operator_pack = None
    s.settings = s.settings.model_copy(update={"theme": CUSTOM})
    out.reply = PackImported(pack.id, pack.name, pack.language, len(pack.prompts))


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
    s.album_index = 0
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
