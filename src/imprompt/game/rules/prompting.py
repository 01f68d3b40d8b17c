"""Prompting and drawing: the giver's prompt, suggestions, and the image job's results."""

from __future__ import annotations

from .. import effects as fx
from ..content_filter import ContentFilter
from ..packs import CUSTOM, MAX_PROMPT_CHARS, prompt_problem
from ..replies import PromptAccepted, Suggestions
from ..state import GuesserState, ImageInfo, Phase, RoomState, Turn
from ..suggestions import DEFAULT_THEME, THEMES, suggest
from . import checks
from .flow import enter_prompting, skip_turn
from .outcome import NOBODY, Audience, Outcome, Rejected, RulesEnv

__all__ = ["MAX_PROMPT_CHARS", "check_prompt", "pack_prompts"]


def stale() -> Rejected:
    return Rejected("stale", "This image belongs to a turn or attempt that is over.")


def pack_prompts(s: RoomState) -> list[str]:
    """The prompts of the room's pack (`settings.theme`): a built-in theme, the host's own
    pack, or the copy of an operator's pack kept in the room. A pack the room no longer
    has (an old saved room) falls back to the mixed built-in themes."""
    theme = s.settings.theme
    if theme == CUSTOM and s.custom_pack is not None:
        return s.custom_pack.prompts
    if s.operator_pack is not None and s.operator_pack.id == theme:
        return s.operator_pack.prompts
    return THEMES.get(theme) or THEMES[DEFAULT_THEME]


def _draw(s: RoomState, turn: Turn, count: int) -> list[str]:
    return suggest(
        pack_prompts(s),
        checks.rng(s),
        count,
        exclude=turn.offered,
        max_words=s.settings.max_words,
        used=[e.prompt for e in s.album],
    )


def request_suggestions(s: RoomState, member_id: str, out: Outcome) -> None:
    """Three prompts from the room's pack. In pack-only mode they are the writer's three
    choices for the turn: asking again gives the same three."""
    turn = checks.require_giver(s, member_id)
    if s.settings.pack_only and turn.suggestions:
        out.reply = Suggestions(list(turn.suggestions))
        out.audience = NOBODY  # nothing changed
        return
    picks = _draw(s, turn, 3)
    turn.suggestions = picks
    turn.offered = [*turn.offered, *(p for p in picks if p not in turn.offered)]
    out.reply = Suggestions(picks)
    out.audience = Audience.only(member_id)


def submit_prompt(s: RoomState, member_id: str, text: str, now: float, env: RulesEnv, out: Outcome) -> None:
    turn = checks.require_giver(s, member_id)
    prompt = check_prompt(text, s.settings.max_words, env.content_filter)
    if s.settings.pack_only and prompt not in turn.suggestions:
        raise Rejected("pack_only", "In this room the prompt is one of the three from the pack: pick one of them.")
    start_generation(s, turn, prompt, now, out, auto=False)
    out.reply = PromptAccepted(prompt)


def check_prompt(text: str, max_words: int, content_filter: ContentFilter) -> str:
    prompt, code, message = prompt_problem(text, max_words, content_filter)
    if code:
        raise Rejected(code, message)
    return prompt


def auto_prompt(s: RoomState, now: float, out: Outcome) -> None:
    """The prompt time ran out: a suggestion is drawn instead, and the giver earns nothing."""
    turn = checks.current_turn(s)
    pick = turn.suggestions[0] if turn.suggestions else _draw(s, turn, 1)[0]
    start_generation(s, turn, pick, now, out, auto=True)


def start_generation(s: RoomState, turn: Turn, prompt: str, now: float, out: Outcome, *, auto: bool) -> None:
    turn.prompt = prompt
    turn.auto_prompt = auto
    turn.builtin = turn.failures >= 2
    s.phase = Phase.GENERATING
    s.paused_remaining = None
    s.deadline = now + s.timing.generation_timeout
    out.effects.append(_job(s, turn, prompt))


def pending_image(s: RoomState) -> fx.GenerateImage | None:
    """The image job a room in the generating phase waits for (to restart it after a restart)."""
    turn = s.turn
    if s.phase != Phase.GENERATING or turn is None or not turn.prompt or turn.candidates:
        return None
    return _job(s, turn, turn.prompt)


def attempt(turn: Turn) -> int:
    """The job the turn waits for: failures and the one regeneration each start a new one,
    so the number only grows and a late result of an earlier job is stale."""
    return turn.failures + int(turn.regenerated)


def _job(s: RoomState, turn: Turn, prompt: str) -> fx.GenerateImage:
    seed = checks.image_seed(s, turn) + (1009 if turn.regenerated else 0)  # a new picture, not the same one
    return fx.GenerateImage(
        turn=turn.number,
        attempt=attempt(turn),
        prompt=prompt,
        seed=seed % (2**31),
        builtin=turn.builtin,
        game=s.game,
        count=s.settings.image_choices if s.settings.reviews_images() else 1,
        style=s.settings.image_style,
    )


def image_ready(
    s: RoomState, images: list[ImageInfo], job: tuple[int, int, int | None], now: float, *, redraw: bool = True
) -> None:
    """The job's pictures: straight to the guessers, or first to the writer's review."""
    turn = _current_job(s, *job)
    if turn.candidates:
        raise stale()  # the same job reported twice
    turn.images_cost_usd += sum(i.cost_usd for i in images)
    turn.failure_reason = None
    if s.settings.reviews_images():
        turn.candidates = images[: s.settings.image_choices]
        turn.redraw = redraw
        s.deadline = now + s.timing.review
        return
    start_guessing(s, turn, images[0], now)


def start_guessing(s: RoomState, turn: Turn, image: ImageInfo, now: float) -> None:
    turn.image = image
    turn.candidates = []
    turn.guess_started_at = now
    turn.guessers = {m.id: GuesserState() for m in s.players() if m.id != turn.giver_id}
    s.phase = Phase.GUESSING
    s.deadline = now + s.settings.guess_seconds


def _reviewing(s: RoomState, member_id: str) -> Turn:
    turn = checks.require_giver(s, member_id)
    if not turn.candidates:
        raise Rejected("not_reviewing", "There is no picture to look at yet: it is still being drawn.")
    return turn


def pick_image(s: RoomState, member_id: str, index: int, now: float) -> None:
    turn = _reviewing(s, member_id)
    if not 0 <= index < len(turn.candidates):
        raise Rejected("invalid_choice", f"Choose one of the {len(turn.candidates)} pictures.")
    start_guessing(s, turn, turn.candidates[index], now)


def regenerate_image(s: RoomState, member_id: str, reject: bool, now: float, out: Outcome) -> None:
    """The turn's one new picture (or set of pictures), asked for by the writer; a picture
    rejected for giving the answer away counts as that one."""
    turn = _reviewing(s, member_id)
    if turn.regenerated:
        raise Rejected("already_regenerated", "You can ask for a new picture only once a turn.")
    if not turn.redraw:
        raise Rejected("not_allowed", "The built-in generator would draw this prompt the same way again.")
    turn.regenerated = True
    turn.rejected = reject
    turn.candidates = []
    s.deadline = now + s.timing.generation_timeout
    out.effects.append(_job(s, turn, turn.prompt or ""))  # everyone's deadline moves; the others still see "drawing…"


def image_failed(s: RoomState, reason: str, job: tuple[int, int, int | None], now: float, out: Outcome) -> None:
    generation_failed(s, _current_job(s, *job), reason, now, out)


def generation_timed_out(s: RoomState, now: float, out: Outcome) -> None:
    turn = checks.current_turn(s)
    if turn.candidates:  # the review's time is up: the first picture is used
        start_guessing(s, turn, turn.candidates[0], now)
        return
    generation_failed(s, turn, "The image took too long to draw.", now, out)


def generation_failed(s: RoomState, turn: Turn, reason: str, now: float, out: Outcome) -> None:
    """First failure: the prompt goes back to its giver; second: the offline generator; third: skip."""
    turn.failures += 1
    turn.failure_reason = reason
    if turn.failures == 1:
        enter_prompting(s, now, s.settings.prompt_seconds)  # with the full prompt time again
        out.effects.append(
            fx.NotifyMember(
                turn.giver_id, checks.sid_of(s, turn.giver_id), "image:failed", {"reason": reason, "turn": turn.number}
            )
        )
    elif turn.failures == 2:
        start_generation(s, turn, turn.prompt or "", now, out, auto=turn.auto_prompt)
    else:
        giver = s.members.get(turn.giver_id)
        skip_turn(s, turn, "no_image", giver.name if giver else "?", now, out)


def _current_job(s: RoomState, turn_number: int, job: int, game: int | None) -> Turn:
    """An image result counts only for the job the room waits for now (same game, turn and attempt)."""
    turn = s.turn
    if (game is not None and game != s.game) or turn is None or turn.number != turn_number or attempt(turn) != job:
        raise stale()
    return turn
