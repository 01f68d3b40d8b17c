"""Guessing: a guess is scored here, and the reveal hands out the points."""

from __future__ import annotations

from .. import effects as fx
from ..names import clean_text
from ..replies import GuessResult
from ..scoring import SOLVED_AT, giver_points, guesser_points, warmth
from ..state import AlbumEntry, AlbumGuess, Guess, Phase, RoomState, Turn
from . import checks
from .moderation import announce
from .outcome import NOBODY, Outcome, Rejected, RulesEnv, no_reason

MAX_GUESS_CHARS = 80


def submit_guess(s: RoomState, member_id: str, raw: str, now: float, env: RulesEnv, out: Outcome) -> None:
    turn = checks.current_turn(s)
    if member_id == turn.giver_id:
        raise Rejected("not_allowed", "You wrote this prompt: you cannot guess it.")
    me = turn.guessers.get(member_id)
    if me is None:
        raise Rejected("not_a_player", "You are watching this turn; you can guess from the next round.")
    if me.solved:
        raise Rejected("already_solved", "You already got it!")
    if len(me.guesses) >= s.timing.max_guesses:
        raise Rejected("guess_limit", f"You have used all {s.timing.max_guesses} guesses for this turn.")
    try:
        text = clean_text(raw, MAX_GUESS_CHARS)
    except ValueError:
        raise Rejected("guess_invalid", f"A guess needs 1–{MAX_GUESS_CHARS} characters.") from None
    score = max(0, min(100, int(env.score(turn.prompt or "", text))))
    me.guesses.append(Guess(text=text, similarity=score, at=now))
    was = warmth(me.best)
    if score > me.best:
        me.best, me.best_text, me.best_at = score, text, now
    me.solved = score >= SOLVED_AT
    out.reply = GuessResult(
        similarity=score,
        warmth=warmth(score),
        solved=me.solved,
        best=me.best,
        guesses_left=s.timing.max_guesses - len(me.guesses),
    )
    who = s.members[member_id]
    if me.solved:  # a solver is locked, so their points are final now: added at once (the reveal skips them)
        me.points = guesser_points(me.best, now - (turn.guess_started_at or now), s.settings.guess_seconds)
        who.score += me.points
        announce(s, now, out, "solved", who, f"{who.name} got it! +{me.points}")
    elif warmth(score) == "hot" != was:  # once per guesser and turn: their best just reached the hot band
        announce(s, now, out, "close", who, f"{who.name} is very close…")
    if not me.solved:
        # Only the guesser's own feedback changed, and the acknowledgement carries it: no
        # view is pushed (clients add the acknowledged guess to their list; the next view
        # shows it too). Most guesses are wrong, so this is most of the traffic saved.
        out.audience = NOBODY
        if not out.settled:  # settled: apply counts this revision (everyone sees the deadline's change)
            s.revision += 1  # still a change: a saved copy of the room must read as newer (data/rooms.py)
    elif all_solved(s, turn):
        reveal(s, now, out)


def all_solved(s: RoomState, turn: Turn) -> bool:
    """Every guesser still in the room has solved it (the guessing ends early).

    A guesser who dropped counts until they come back, their seat hold passes (they are
    removed) or the timer ends: a reload must never end the others' turn early."""
    active = [g for mid, g in turn.guessers.items() if mid in s.members]
    return bool(active) and all(g.solved for g in active)


def reveal(s: RoomState, now: float, out: Outcome) -> None:
    turn = checks.current_turn(s)
    start = turn.guess_started_at or now
    # Each best guess is explained here, once per turn (the explainer costs up to about a
    # millisecond): views and the album only read the stored reason.
    explain = out.env.explain if out.env else no_reason
    results = []
    for mid, g in turn.guessers.items():
        awarded = g.points if g.solved else 0  # a solver's points were added when they solved
        g.points = guesser_points(g.best, (g.best_at or now) - start, s.settings.guess_seconds) if g.best_at else 0
        g.reason = (explain(turn.prompt or "", g.best_text) or None) if g.best_text else None
        member = s.members.get(mid)
        if member:
            member.score += g.points - awarded
        results.append(
            AlbumGuess(
                player_id=mid,
                name=member.name if member else "?",
                guess=g.best_text,
                similarity=g.best,
                points=g.points,
                reason=g.reason,
            )
        )
    giver = s.members.get(turn.giver_id)
    # What the giver really receives: nothing for a prompt the timer chose, nor once they left.
    earned = giver is not None and not turn.auto_prompt
    turn.giver_points = giver_points([g.best for g in turn.guessers.values()]) if earned else 0
    if giver:
        giver.score += turn.giver_points
    s.album.append(
        AlbumEntry(
            turn=turn.number,
            round=turn.round,
            giver_id=turn.giver_id,
            giver_name=giver.name if giver else "?",
            prompt=turn.prompt or "",
            image=turn.image,
            best_guesses=results,
            giver_points=turn.giver_points,
        )
    )
    s.phase = Phase.REVEAL
    s.deadline = now + s.timing.reveal
    out.effects.append(fx.TurnEnded(_summary(s, turn, now)))


def _summary(s: RoomState, turn: Turn, now: float) -> fx.TurnSummary:
    scores = [g.similarity for gs in turn.guessers.values() for g in gs.guesses]
    image = turn.image
    return fx.TurnSummary(
        code=s.code,
        game=s.game,
        turn=turn.number,
        round=turn.round,
        provider=image.provider if image else None,
        generation_seconds=image.elapsed if image else None,
        cost_usd=turn.images_cost_usd or (image.cost_usd if image else 0.0),  # every picture drawn
        guesses=len(scores),
        best_similarity=max((g.best for g in turn.guessers.values()), default=0),
        average_similarity=round(sum(scores) / len(scores), 1) if scores else None,
        solved=sum(1 for g in turn.guessers.values() if g.solved),
        guessers=len(turn.guessers),
        prompt=turn.prompt or "",
        started_at=turn.started_at,
        ended_at=now,
    )
