"""`apply(state, command, now, env) -> Outcome`: the one way a room changes.

Pure: no I/O, no clock, no sleeping. Every command is declared once in `COMMANDS`:
its handler, the phases it is allowed in (checked here, before the handler) and
whether it must come from a seated member. A refused command returns the state
untouched with a `Rejected`; everything else returns a new state plus effects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import commands as c
from ..state import GameSettings, ImageInfo, Phase, RoomState, Timing
from . import album, checks, guessing, lobby, membership, moderation, prompting
from .deadlines import next_wakeup, settle
from .outcome import EVERYONE, NOBODY, Outcome, Rejected, RulesEnv

Handler = Callable[[RoomState, Any, float, RulesEnv, Outcome], None]

ANY_PHASE = frozenset(Phase)
BETWEEN_GAMES = frozenset({Phase.LOBBY, Phase.FINISHED})


@dataclass(frozen=True)
class Rule:
    handler: Handler
    phases: frozenset[Phase] = ANY_PHASE
    by_member: bool = True  # `command.member_id` must hold a seat in the room
    # outside `phases`: None is "wrong_phase" naming the phases; an image result is simply stale
    out_of_phase: Callable[[], Rejected] | None = None


def _tick(s: RoomState, cmd: c.Tick, now: float, env: RulesEnv, out: Outcome) -> None:
    out.audience = NOBODY  # deadlines are settled for every command; a Tick only brings the time


def _image_ready(s: RoomState, cmd: c.ImageReady, now: float, env: RulesEnv, out: Outcome) -> None:
    first = c.Picture(cmd.url, cmd.provider, cmd.model, cmd.cost_usd, cmd.elapsed)
    images = [
        ImageInfo(url=p.url, provider=p.provider, model=p.model, cost_usd=p.cost_usd, elapsed=p.elapsed)
        for p in (first, *cmd.others)
    ]
    prompting.image_ready(s, images, (cmd.turn, cmd.attempt, cmd.game), now, redraw=cmd.redraw)


COMMANDS: dict[type, Rule] = {
    # membership
    c.Join: Rule(lambda s, cmd, now, env, out: membership.join(s, cmd, now, out), by_member=False),
    c.WatchScreen: Rule(lambda s, cmd, now, env, out: membership.watch_screen(s, cmd, now, out), by_member=False),
    c.Resume: Rule(lambda s, cmd, now, env, out: membership.resume(s, cmd, now, out), by_member=False),
    c.Disconnect: Rule(lambda s, cmd, now, env, out: membership.disconnect(s, cmd, now, out), by_member=False),
    # a screen may leave too: membership.leave checks the sender
    c.Leave: Rule(lambda s, cmd, now, env, out: membership.leave(s, cmd, now, out), by_member=False),
    # lobby
    c.UpdateSettings: Rule(lambda s, cmd, now, env, out: lobby.update_settings(s, cmd, now, env, out), BETWEEN_GAMES),
    c.ImportPack: Rule(lambda s, cmd, now, env, out: lobby.import_pack(s, cmd, now, env, out), BETWEEN_GAMES),
    c.SetReady: Rule(lambda s, cmd, now, env, out: lobby.set_ready(s, cmd, now, out), BETWEEN_GAMES),
    c.StartGame: Rule(lambda s, cmd, now, env, out: lobby.start_game(s, cmd, now, out), frozenset({Phase.LOBBY})),
    c.NewGame: Rule(lambda s, cmd, now, env, out: lobby.new_game(s, cmd, now, out), frozenset({Phase.FINISHED})),
    # a turn
    c.RequestSuggestions: Rule(
        lambda s, cmd, now, env, out: prompting.request_suggestions(s, cmd.member_id, out), frozenset({Phase.PROMPTING})
    ),
    c.SubmitPrompt: Rule(
        lambda s, cmd, now, env, out: prompting.submit_prompt(s, cmd.member_id, cmd.text, now, env, out),
        frozenset({Phase.PROMPTING}),
    ),
    c.ImageReady: Rule(_image_ready, frozenset({Phase.GENERATING}), by_member=False, out_of_phase=prompting.stale),
    c.ImageFailed: Rule(
        lambda s, cmd, now, env, out: prompting.image_failed(
            s, cmd.reason, (cmd.turn, cmd.attempt, cmd.game), now, out
        ),
        frozenset({Phase.GENERATING}),
        by_member=False,
        out_of_phase=prompting.stale,
    ),
    c.PickImage: Rule(
        lambda s, cmd, now, env, out: prompting.pick_image(s, cmd.member_id, cmd.index, now),
        frozenset({Phase.GENERATING}),
    ),
    c.RegenerateImage: Rule(
        lambda s, cmd, now, env, out: prompting.regenerate_image(s, cmd.member_id, cmd.reject, now, out),
        frozenset({Phase.GENERATING}),
    ),
    c.SubmitGuess: Rule(
        lambda s, cmd, now, env, out: guessing.submit_guess(s, cmd.member_id, cmd.text, now, env, out),
        frozenset({Phase.GUESSING}),
    ),
    # chat and moderation
    c.Chat: Rule(moderation.chat),
    c.Kick: Rule(lambda s, cmd, now, env, out: moderation.kick(s, cmd, now, out)),
    c.VoteKick: Rule(lambda s, cmd, now, env, out: moderation.vote_kick(s, cmd, now, out)),
    c.UnvoteKick: Rule(lambda s, cmd, now, env, out: moderation.unvote_kick(s, cmd, now, out)),
    # the finished game's album on the big screens
    c.StepAlbum: Rule(lambda s, cmd, now, env, out: album.step(s, cmd), frozenset({Phase.FINISHED})),
    # time
    c.Tick: Rule(_tick, by_member=False),
}


def new_room(
    code: str, seed: int, now: float, *, timing: Timing | None = None, settings: GameSettings | None = None
) -> RoomState:
    return RoomState(
        code=code,
        seed=seed,
        created_at=now,
        updated_at=now,
        timing=timing or Timing(),
        settings=settings or GameSettings(),
    )


def apply(state: RoomState, command: c.Command, now: float, env: RulesEnv, *, owned: bool = False) -> Outcome:
    """The new state and its effects, or the untouched state with a `Rejected`.

    `owned=True` is the caller's promise that nobody else changes `state` meanwhile (the
    room service: the store hands it the room under the room's lock). The rules then
    change `state` itself instead of a deep copy, which cost more than all the rest of a
    guess. A refused command still leaves `state` exactly as it was: every check comes
    before the first change (tests/unit/test_owned_refusals.py), and when a deadline is
    due, the settle that runs before the checks works on a copy (not for a Tick, which
    is never refused).
    """
    if state.closed:
        return Outcome(state, error=Rejected("room_closed", "This room has closed."))
    rule = COMMANDS[type(command)]
    # when owned, a copy is rare: a command (a Tick is never refused) that meets a deadline
    # that passed before the deadline loop's Tick came
    due = owned and not isinstance(command, c.Tick) and (wake := next_wakeup(state)) is not None and wake <= now
    work = state if owned and not due else state.model_copy(deep=True)
    out = Outcome(work, env=env)
    try:
        settle(work, now, out)  # a deadline that already passed wins over a late command
        if work.closed and not isinstance(command, c.Tick):
            # The room ended before this command arrived; the scheduler's Tick closes it.
            raise Rejected("room_closed", "This room has closed.")
        _admit(work, command, rule)
        rule.handler(work, command, now, env, out)
        settle(work, now, out)
        if work.phase == Phase.FINISHED and not work.closed and not isinstance(command, c.Tick):
            work.deadline = now + work.timing.finished_room_ttl  # closes after inactivity, not after the game
    except Rejected as exc:
        return Outcome(state, error=exc)
    if out.settled:
        out.audience = EVERYONE
    if out.audience.anyone:
        work.revision += 1
    work.updated_at = now
    return out


def _admit(s: RoomState, command: c.Command, rule: Rule) -> None:
    """The checks every command of a kind shares: a seated sender, an allowed phase."""
    if rule.by_member:
        checks.member(s, command.member_id)  # type: ignore[union-attr]
    if s.phase not in rule.phases:
        if rule.out_of_phase is not None:
            raise rule.out_of_phase()
        raise Rejected("wrong_phase", checks.phase_error(rule.phases, s.phase))
