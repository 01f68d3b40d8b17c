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
    return {
        "protocol": PROTOCOL_VERSION,
        "code": state.code,
        "revision": state.revision,
        "serverTime": now,
        "phase": state.phase.value,
        "game": state.game,
        "hostId": state.host_id,
        "you": _you(state, member_id),
        "settings": settings_view(state.settings),
        "members": [_member(state, m) for m in sorted(state.members.values(), key=lambda m: m.seq)],
        "round": state.round,
        "rounds": state.settings.rounds,
        "deadline": state.deadline,
        "paused": state.paused_remaining is not None,
        "pausedRemaining": state.paused_remaining,
        "turn": _turn(state, state.turn, member_id) if state.turn and state.phase != Phase.LOBBY else None,
        "skippedTurn": _skipped(state),
        # the player voted on does not see a running count against them
        "kickVotes": {t: len(voters) for t, voters in state.kick_votes.items() if voters and t != member_id},
        "yourKickVotes": sorted(t for t, voters in state.kick_votes.items() if member_id in voters),
        "album": _album(state) if state.phase == Phase.FINISHED else [],
        "standings": standings_view(standings(state)) if state.phase == Phase.FINISHED else None,
        "canStart": state.phase == Phase.LOBBY and len(state.connected_players()) >= 2,
        "closed": state.closed,
    }


def settings_view(settings: GameSettings) -> dict[str, Any]:
    return {
        "rounds": settings.rounds,
        "promptSeconds": settings.prompt_seconds,
        "guessSeconds": settings.guess_seconds,
        "maxWords": settings.max_words,
        "maxPlayers": settings.max_players,
        "hints": settings.hints,
        "theme": settings.theme,
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
    return {"playerId": g.player_id, "name": g.name, "guess": g.guess, "similarity": g.similarity, "points": g.points}


def _you(state: RoomState, member_id: str) -> dict[str, Any] | None:
    m = state.members.get(member_id)
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


def _turn(state: RoomState, turn: Turn, member_id: str) -> dict[str, Any]:
    is_giver = turn.giver_id == member_id
    revealed = state.phase in _SHOWS_PROMPT
    view: dict[str, Any] = {
        "number": turn.number,
        "round": turn.round,
        "giverId": turn.giver_id,
        "prompt": turn.prompt if (is_giver or revealed) else None,
        "autoPrompt": turn.auto_prompt if (is_giver or revealed) else None,
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
    }
    if is_giver:
        view["suggestions"] = list(turn.suggestions)
        view["failureReason"] = turn.failure_reason
    else:
        view["failureReason"] = (
            "The image could not be drawn; the prompt giver is trying again." if turn.failure_reason else None
        )
    if state.settings.hints and turn.prompt and state.phase == Phase.GUESSING and not is_giver:
        view["hint"] = hint_pattern(turn.prompt, turn.hints_revealed, state.seed + turn.number)
    mine = turn.guessers.get(member_id)
    if mine is not None:
        view["yours"] = {
            "guesses": [
                {"text": g.text, "similarity": g.similarity, "warmth": warmth(g.similarity)} for g in mine.guesses
            ],
            "best": mine.best,
            "solved": mine.solved,
            "guessesLeft": state.timing.max_guesses - len(mine.guesses),
        }
    if revealed:
        view["results"] = [
            {
                "playerId": mid,
                "name": state.members[mid].name if mid in state.members else "?",
                "guess": g.best_text,
                "similarity": g.best,
                "points": g.points,
            }
            for mid, g in turn.guessers.items()
        ]
        view["giverPoints"] = turn.giver_points
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
