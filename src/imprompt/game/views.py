"""What one member may see of a room. The server sends views, never raw state.

Secrets until the reveal: the prompt (only its giver sees it), the giver's
suggestions, and every guess text (a guesser sees only their own guesses).
"""

from __future__ import annotations

from typing import Any

from .. import PROTOCOL_VERSION
from .hints import hint_pattern
from .rules import CHAT_TAIL
from .scoring import warmth
from .standings import Standing, standings
from .state import AlbumGuess, ChatLine, GameSettings, Member, Phase, RoomState, Turn

_SHOWS_PROMPT = (Phase.REVEAL, Phase.FINISHED)


def view_for(state: RoomState, member_id: str, now: float) -> dict[str, Any]:
    return RoomViews(state, now).of(member_id)


class RoomViews:
    """Every member's view of one state. What all members see alike (members, settings,
    album, standings, most of the turn) is built once; `of` adds what is one member's
    own. A change reaches five members in a typical room, so this saves most of the
    work of building their views (bench/README.md)."""

    def __init__(self, state: RoomState, now: float) -> None:
        self.state = state
        finished = state.phase == Phase.FINISHED
        self.base: dict[str, Any] = {
            "protocol": PROTOCOL_VERSION,
            "code": state.code,
            "revision": state.revision,
            "serverTime": now,
            "phase": state.phase.value,
            "game": state.game,
            "hostId": state.host_id,
            "you": None,
            "settings": settings_view(state.settings),
            "customPack": state.custom_pack.summary() if state.custom_pack else None,
            "members": [_member(state, m) for m in sorted(state.members.values(), key=lambda m: m.seq)],
            "round": state.round,
            "rounds": state.settings.rounds,
            "deadline": state.deadline,
            "paused": state.paused_remaining is not None,
            "pausedRemaining": state.paused_remaining,
            "turn": None,
            "skippedTurn": _skipped(state),
            "kickVotes": {},
            "yourKickVotes": [],
            "album": _album(state) if finished else [],
            "albumIndex": min(state.album_index, max(0, len(state.album) - 1)) if finished else 0,
            "screens": len(state.screens),
            "standings": standings_view(standings(state)) if finished else None,
            "canStart": state.phase == Phase.LOBBY and len(state.connected_players()) >= 2,
            "closed": state.closed,
        }
        turn = state.turn if state.phase != Phase.LOBBY else None
        self.turn = _shared_turn(state, turn) if turn else None

    def of(self, member_id: str) -> dict[str, Any]:
        state = self.state
        view = dict(self.base)
        view["you"] = _you(state, member_id)
        if self.turn is not None and state.turn is not None:
            view["turn"] = _own_turn(state, state.turn, self.turn, member_id)
        if state.kick_votes:
            # the player voted on does not see a running count against them
            view["kickVotes"] = {t: len(v) for t, v in state.kick_votes.items() if v and t != member_id}
            view["yourKickVotes"] = sorted(t for t, v in state.kick_votes.items() if member_id in v)
        return view


def settings_view(settings: GameSettings) -> dict[str, Any]:
    return {
        "rounds": settings.rounds,
        "promptSeconds": settings.prompt_seconds,
        "guessSeconds": settings.guess_seconds,
        "maxWords": settings.max_words,
        "maxPlayers": settings.max_players,
        "hints": settings.hints,
        "theme": settings.theme,
        "packOnly": settings.pack_only,
        "imageStyle": settings.image_style,
        "imageReview": settings.image_review,
        "imageChoices": settings.image_choices,
    }


def chat_history(state: RoomState, member_id: str) -> list[dict[str, Any]]:
    """The chat tail this member may see: a solved-channel line only reaches its audience."""
    return [chat_view(line) for line in state.chat[-CHAT_TAIL:] if line.to is None or member_id in line.to]


def chat_view(line: ChatLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "playerId": line.member_id,
        "name": line.name,
        "text": line.text,
        "at": line.at,
        "kind": line.kind,
        "event": line.event,
        "channel": line.channel,
    }


def standings_view(table: list[Standing]) -> list[dict[str, Any]]:
    return [
        {"playerId": r.player_id, "name": r.name, "score": r.score, "place": r.place, "left": r.left} for r in table
    ]


def best_guess_view(g: AlbumGuess) -> dict[str, Any]:
    return {
        "playerId": g.player_id,
        "name": g.name,
        "guess": g.guess,
        "similarity": g.similarity,
        "points": g.points,
        "reason": g.reason,
    }


def _you(state: RoomState, member_id: str) -> dict[str, Any] | None:
    m = state.members.get(member_id)
    if m is None and member_id in state.screens:
        # a big screen: everything else in its view is a spectator's (no turn of its own, no votes)
        return {"id": member_id, "name": "", "role": "screen", "isHost": False, "score": 0, "joinsNextRound": False}
    if m is None:
        return None
    return {
        "id": m.id,
        "name": m.name,
        "role": m.role,
        "isHost": state.host_id == m.id,
        "score": m.score,
        "joinsNextRound": m.joins_next_round,
    }


def _member(state: RoomState, m: Member) -> dict[str, Any]:
    # everything a member's own view (`_you`) shows, and presence
    return {**(_you(state, m.id) or {}), "connected": m.connected, "ready": m.ready}


def _shared_turn(state: RoomState, turn: Turn) -> dict[str, Any]:
    """The turn as every member who is neither its giver nor a guesser with guesses sees it."""
    revealed = state.phase in _SHOWS_PROMPT
    view: dict[str, Any] = {
        "number": turn.number,
        "round": turn.round,
        "giverId": turn.giver_id,
        "prompt": turn.prompt if revealed else None,
        "autoPrompt": turn.auto_prompt if revealed else None,
        "failures": turn.failures,
        "builtin": turn.builtin,
        "imageUrl": turn.image.url
        if turn.image and state.phase in (Phase.GUESSING, Phase.REVEAL, Phase.FINISHED)
        else None,
        "imageProvider": turn.image.provider if turn.image and revealed else None,
        "guessStartedAt": turn.guess_started_at,
        "solvedIds": [mid for mid, g in turn.guessers.items() if g.solved],
        "guesserIds": list(turn.guessers),
        "skipped": turn.skipped,
        "failureReason": "The image could not be drawn; the prompt giver is trying again."
        if turn.failure_reason
        else None,
    }
    if state.settings.hints and turn.prompt and state.phase == Phase.GUESSING:
        view["hint"] = hint_pattern(turn.prompt, turn.hints_revealed, state.seed + turn.number)
    if revealed:
        view["results"] = [
            {
                "playerId": mid,
                "name": state.members[mid].name if mid in state.members else "?",
                "guess": g.best_text,
                "similarity": g.best,
                "points": g.points,
                "reason": g.reason,  # set at the reveal; results exist only once the prompt is shown
            }
            for mid, g in turn.guessers.items()
        ]
        view["giverPoints"] = turn.giver_points
    return view


def _own_turn(state: RoomState, turn: Turn, shared: dict[str, Any], member_id: str) -> dict[str, Any]:
    """The shared turn, with what only this member sees: the giver's prompt and
    suggestions (and no hint), a guesser's own guesses."""
    mine = turn.guessers.get(member_id)
    if turn.giver_id != member_id and mine is None:
        return shared
    view = dict(shared)
    if turn.giver_id == member_id:
        view["prompt"] = turn.prompt
        view["autoPrompt"] = turn.auto_prompt
        view["suggestions"] = list(turn.suggestions)
        view["failureReason"] = turn.failure_reason
        view.pop("hint", None)
        if turn.candidates:  # the review step: only the writer sees the pictures
            view["review"] = {
                "imageUrls": [i.url for i in turn.candidates],
                "canRegenerate": not turn.regenerated and turn.redraw,
            }
    if mine is not None:
        view["yours"] = {
            "guesses": [
                {"text": g.text, "similarity": g.similarity, "warmth": warmth(g.similarity)} for g in mine.guesses
            ],
            "best": mine.best,
            "solved": mine.solved,
            "guessesLeft": state.timing.max_guesses - len(mine.guesses),
        }
    return view


def _skipped(state: RoomState) -> dict[str, Any] | None:
    """The turn just skipped (its giver left, or no picture could be drawn), during the next turn."""
    skipped, turn = state.last_skipped, state.turn
    if skipped is None or state.phase == Phase.LOBBY:
        return None
    if state.phase != Phase.FINISHED and (turn is None or turn.number != skipped.turn + 1):
        return None
    if state.phase == Phase.FINISHED and state.album and state.album[-1].turn > skipped.turn:
        return None
    return {
        "turn": skipped.turn,
        "giverId": skipped.giver_id,
        "giverName": skipped.giver_name,
        "reason": skipped.reason,
    }


def _album(state: RoomState) -> list[dict[str, Any]]:
    return [
        {
            "turn": e.turn,
            "round": e.round,
            "giverId": e.giver_id,
            "giverName": e.giver_name,
            "prompt": e.prompt,
            "imageUrl": e.image.url if e.image else None,
            "bestGuesses": [best_guess_view(g) for g in e.best_guesses],
            "giverPoints": e.giver_points,
        }
        for e in state.album
    ]
