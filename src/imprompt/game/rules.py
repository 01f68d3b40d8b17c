"""The game rules: `apply(state, command, now, env) -> Outcome`.

Pure: no I/O, no clock, no sleeping. A player's mistake is returned as a
`Rejection` (the caller turns it into an error acknowledgement) and leaves the
state untouched; everything else returns a new state plus effects to carry out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

from pydantic import ValidationError

from . import commands as c
from . import effects as fx
from .content_filter import DEFAULT_FILTER, ContentFilter
from .names import clean_name, clean_text, name_key
from .scoring import SOLVED_AT, giver_points, guesser_points, warmth
from .state import AlbumEntry, ChatLine, GameSettings, GuesserState, Guess, ImageInfo, Member, Phase, RoomState, Timing, Turn
from .suggestions import THEMES, suggest

MAX_PROMPT_CHARS = 80
MAX_GUESS_CHARS = 80
MAX_CHAT_CHARS = 200
CHAT_TAIL = 30
HINT_STEPS = (0.5, 0.75)  # fractions of the guess time at which one more letter shows
MAX_SETTLE_STEPS = 64


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RulesEnv:
    """Pure helpers the rules need but do not own: the scorer and the content filter."""

    score: Callable[[str, str], int]
    content_filter: ContentFilter = DEFAULT_FILTER


@dataclass
class Outcome:
    state: RoomState
    effects: list = field(default_factory=list)
    reply: dict = field(default_factory=dict)
    error: Rejected | None = None
    # whose view changed: None means everybody's, a set means only those members
    audience: set[str] | None = None
    settled: bool = False  # a deadline fired: everybody's view changed

    @property
    def ok(self) -> bool:
        return self.error is None


def new_room(code: str, seed: int, now: float, *, timing: Timing | None = None,
             settings: GameSettings | None = None) -> RoomState:
    return RoomState(code=code, seed=seed, created_at=now, updated_at=now,
                     timing=timing or Timing(), settings=settings or GameSettings())


def apply(state: RoomState, command: c.Command, now: float, env: RulesEnv) -> Outcome:
    if state.closed:
        return Outcome(state, error=Rejected("room_closed", "This room has closed."))
    work = state.model_copy(deep=True)
    out = Outcome(work)
    try:
        handler = _HANDLERS[type(command)]
        _settle(work, now, out)  # a deadline that already passed wins over a late command
        if work.closed and not isinstance(command, c.Tick):
            # The room ended before this command arrived; the scheduler's Tick closes it.
            raise Rejected("room_closed", "This room has closed.")
        handler(work, command, now, env, out)
        _settle(work, now, out)
        if work.phase == Phase.FINISHED and not work.closed and not isinstance(command, c.Tick):
            work.deadline = now + work.timing.finished_room_ttl  # closes after inactivity, not after the game
    except Rejected as exc:
        return Outcome(state, error=exc)
    if out.settled:
        out.audience = None
    if out.audience is None or out.audience:
        work.revision += 1
    work.updated_at = now
    return out


def next_wakeup(state: RoomState) -> float | None:
    """The earliest time at which a Tick would change this room."""
    if state.closed:
        return None
    times: list[float] = []
    if state.deadline is not None:
        times.append(state.deadline)
    if state.phase == Phase.GUESSING and state.settings.hints and state.turn and state.turn.guess_started_at:
        step = state.turn.hints_revealed
        if step < len(HINT_STEPS):
            times.append(state.turn.guess_started_at + HINT_STEPS[step] * state.settings.guess_seconds)
    if any(m.connected for m in state.members.values()):  # seats wait while the room is empty
        for m in state.members.values():
            if not m.connected and m.disconnected_at is not None:
                times.append(m.disconnected_at + state.timing.seat_hold)
    if state.empty_since is not None:
        times.append(state.empty_since + state.timing.empty_room_ttl)
    return min(times) if times else None


# ---------------------------------------------------------------- membership

def _join(s: RoomState, cmd: c.Join, now: float, env: RulesEnv, out: Outcome) -> None:
    try:
        name = clean_name(cmd.name)
    except ValueError as exc:
        raise Rejected("name_invalid", str(exc)) from None
    if any(name_key(m.name) == name_key(name) for m in s.members.values()):
        raise Rejected("name_taken", f"Someone in this room is already called {name}.")
    in_game = s.phase not in (Phase.LOBBY, Phase.FINISHED)
    players = len(s.players()) + sum(1 for m in s.members.values() if m.joins_next_round)
    spectators = sum(1 for m in s.members.values() if m.role == "spectator" and not m.joins_next_round)
    wants_player = not cmd.spectator
    if wants_player and players >= s.settings.max_players:
        raise Rejected("room_full", f"This room is full ({s.settings.max_players} players). You can join as a spectator.")
    if not wants_player and spectators >= s.timing.max_spectators:
        raise Rejected("room_full", "This room has no more room for spectators.")
    member = Member(
        id=cmd.member_id, name=name, token_hash=cmd.token_hash, sid=cmd.sid, seq=s.next_seq, joined_at=now,
        role="player" if wants_player and not in_game else "spectator",
        joins_next_round=wants_player and in_game,
    )
    s.next_seq += 1
    s.members[member.id] = member
    s.empty_since = None
    if s.host_id is None:
        s.host_id = member.id
    out.reply = {"memberId": member.id}


def _resume(s: RoomState, cmd: c.Resume, now: float, env: RulesEnv, out: Outcome) -> None:
    if cmd.token_hash in s.banned:
        raise Rejected("kicked", "You were removed from this room.")
    member = s.member_by_token(cmd.token_hash)
    if member is None:
        raise Rejected("token_invalid", "That seat is no longer held. Join the room again.")
    if member.sid and member.sid != cmd.sid:
        out.effects.append(fx.NotifyMember(member.id, member.sid, "room:replaced",
                                           {"message": "You opened this room somewhere else."}, detach=True))
    member.sid = cmd.sid
    member.connected = True
    member.disconnected_at = None
    s.empty_since = None
    if s.phase == Phase.PROMPTING and s.turn and s.turn.giver_id == member.id and s.paused_remaining is not None:
        s.deadline = now + s.paused_remaining
        s.paused_remaining = None
    out.reply = {"memberId": member.id}


def _disconnect(s: RoomState, cmd: c.Disconnect, now: float, env: RulesEnv, out: Outcome) -> None:
    member = s.member_by_sid(cmd.sid)
    if member is None:
        raise Rejected("unknown_member", "That connection holds no seat here.")
    member.sid = None
    member.connected = False
    member.disconnected_at = now
    if s.phase == Phase.PROMPTING and s.turn and s.turn.giver_id == member.id and s.deadline is not None:
        s.paused_remaining = max(0.0, s.deadline - now)
        s.deadline = None
    if s.phase == Phase.GUESSING and member.id in s.turn.guessers and _all_solved(s):
        _reveal(s, now, out)  # the guessing ends once every connected guesser has solved it
    if not any(m.connected for m in s.members.values()):
        s.empty_since = now


def _leave(s: RoomState, cmd: c.Leave, now: float, env: RulesEnv, out: Outcome) -> None:
    _member(s, cmd.member_id)
    _remove(s, cmd.member_id, now, out)


def _remove(s: RoomState, member_id: str, now: float, out: Outcome) -> None:
    """Take a member out of the room, keeping the game consistent."""
    member = s.members.pop(member_id)
    s.kick_votes.pop(member_id, None)
    for voters in s.kick_votes.values():
        if member_id in voters:
            voters.remove(member_id)
    if s.host_id == member_id:
        _assign_host(s)
    if not s.members:
        s.closed = True
        out.effects.append(fx.CloseRoom("empty"))
        return
    if not any(m.connected for m in s.members.values()) and s.empty_since is None:
        s.empty_since = now
    if member.role == "player" and _recount_kick_votes(s, now, out):
        return  # a departure lowered the majority: that kick has been carried out (and this check re-run)
    if member.role != "player" or s.phase in (Phase.LOBBY, Phase.FINISHED):
        return
    if len(s.players()) < 2:
        _finish(s, now, out)
        return
    turn = s.turn
    if turn is None:
        return
    if turn.giver_id == member_id and s.phase in (Phase.PROMPTING, Phase.GENERATING):
        turn.skipped = True
        _advance(s, now, out)
    elif member_id in turn.guessers and s.phase == Phase.GUESSING:
        del turn.guessers[member_id]
        if _all_solved(s):
            _reveal(s, now, out)


def _assign_host(s: RoomState) -> None:
    ranked = sorted(s.members.values(), key=lambda m: (not m.connected, m.role != "player", m.seq))
    s.host_id = ranked[0].id if ranked else None


# ---------------------------------------------------------------- lobby

def _update_settings(s: RoomState, cmd: c.UpdateSettings, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_host(s, cmd.member_id)
    _require_phase(s, Phase.LOBBY, Phase.FINISHED)
    merged = {**s.settings.model_dump(), **cmd.changes}
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


def _set_ready(s: RoomState, cmd: c.SetReady, now: float, env: RulesEnv, out: Outcome) -> None:
    member = _member(s, cmd.member_id)
    _require_phase(s, Phase.LOBBY, Phase.FINISHED)
    if member.role != "player":
        raise Rejected("not_a_player", "Spectators do not need to be ready.")
    member.ready = cmd.ready


def _start(s: RoomState, cmd: c.StartGame, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_host(s, cmd.member_id)
    _require_phase(s, Phase.LOBBY)
    players = [m for m in s.players() if m.connected]
    if len(players) < 2:
        raise Rejected("not_enough_players", "At least 2 players are needed to start.")
    s.game += 1
    s.game_started_at = now
    rng = _rng(s)
    order = [m.id for m in sorted(s.players(), key=lambda m: m.seq)]
    rng.shuffle(order)
    s.order = order
    s.round = 1
    s.turn_index = 0
    s.album = []
    s.turn = None
    s.kick_votes = {}
    for m in s.members.values():
        m.score = 0
    _begin_turn(s, now, out)


def _new_game(s: RoomState, cmd: c.NewGame, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_host(s, cmd.member_id)
    _require_phase(s, Phase.FINISHED)
    s.phase = Phase.LOBBY
    s.deadline = None
    s.turn = None
    s.round = 0
    s.order = []
    for m in s.members.values():
        m.ready = False
        if m.joins_next_round:
            m.role, m.joins_next_round = "player", False


# ---------------------------------------------------------------- a turn

def _begin_turn(s: RoomState, now: float, out: Outcome) -> None:
    giver_id = s.order[s.turn_index]
    number = s.turn.number + 1 if s.turn else 1
    s.turn = Turn(number=number, round=s.round, giver_id=giver_id, started_at=now)
    _enter_prompting(s, now, s.settings.prompt_seconds)


def _enter_prompting(s: RoomState, now: float, seconds: float) -> None:
    s.phase = Phase.PROMPTING
    giver = s.members.get(s.turn.giver_id) if s.turn else None
    if giver is not None and not giver.connected:
        s.deadline, s.paused_remaining = None, float(seconds)
    else:
        s.deadline, s.paused_remaining = now + seconds, None


def _suggestions(s: RoomState, cmd: c.RequestSuggestions, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_giver(s, cmd.member_id)
    turn = s.turn
    picks = suggest(s.settings.theme, _rng(s), 3, exclude=turn.offered, max_words=s.settings.max_words)
    turn.suggestions = picks
    turn.offered = [*turn.offered, *(p for p in picks if p not in turn.offered)]
    out.reply = {"suggestions": picks}
    out.audience = {cmd.member_id}


def _submit_prompt(s: RoomState, cmd: c.SubmitPrompt, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_giver(s, cmd.member_id)
    prompt = check_prompt(cmd.text, s.settings.max_words, env.content_filter)
    _start_generation(s, prompt, now, out, auto=False)
    out.reply = {"prompt": prompt}


def check_prompt(text: str, max_words: int, content_filter: ContentFilter) -> str:
    try:
        prompt = clean_text(text, MAX_PROMPT_CHARS)
    except ValueError:
        raise Rejected("prompt_invalid", f"A prompt needs 1–{MAX_PROMPT_CHARS} characters.") from None
    words = prompt.split()
    if len(words) > max_words:
        raise Rejected("prompt_invalid", f"Use at most {max_words} words (you used {len(words)}).")
    if not any(ch.isalpha() for ch in prompt):
        raise Rejected("prompt_invalid", "A prompt needs at least one word.")
    if content_filter.check(prompt):
        raise Rejected("prompt_blocked", "That prompt is not allowed here. Try another one.")
    return prompt


def _start_generation(s: RoomState, prompt: str, now: float, out: Outcome, *, auto: bool) -> None:
    turn = s.turn
    turn.prompt = prompt
    turn.auto_prompt = auto
    turn.builtin = turn.failures >= 2
    s.phase = Phase.GENERATING
    s.paused_remaining = None
    s.deadline = now + s.timing.generation_timeout
    out.effects.append(fx.GenerateImage(turn=turn.number, attempt=turn.failures, prompt=prompt,
                                        seed=_image_seed(s), builtin=turn.builtin, game=s.game))


def _image_ready(s: RoomState, cmd: c.ImageReady, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_current_job(s, cmd.turn, cmd.attempt, cmd.game)
    turn = s.turn
    turn.image = ImageInfo(url=cmd.url, provider=cmd.provider, model=cmd.model, cost_usd=cmd.cost_usd, elapsed=cmd.elapsed)
    turn.failure_reason = None
    turn.guess_started_at = now
    turn.guessers = {m.id: GuesserState() for m in s.players() if m.id != turn.giver_id}
    s.phase = Phase.GUESSING
    s.deadline = now + s.settings.guess_seconds


def _image_failed(s: RoomState, cmd: c.ImageFailed, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_current_job(s, cmd.turn, cmd.attempt, cmd.game)
    _generation_failed(s, cmd.reason, now, out)


def _generation_failed(s: RoomState, reason: str, now: float, out: Outcome) -> None:
    turn = s.turn
    turn.failures += 1
    turn.failure_reason = reason
    if turn.failures == 1:
        # Give the prompt back with the full prompt time again.
        _enter_prompting(s, now, s.settings.prompt_seconds)
        out.effects.append(fx.NotifyMember(turn.giver_id, _sid(s, turn.giver_id), "image:failed",
                                           {"reason": reason, "turn": turn.number}))
    elif turn.failures == 2:
        _start_generation(s, turn.prompt or "", now, out, auto=turn.auto_prompt)
    else:
        turn.skipped = True
        _advance(s, now, out)


def _guess(s: RoomState, cmd: c.SubmitGuess, now: float, env: RulesEnv, out: Outcome) -> None:
    member = _member(s, cmd.member_id)
    _require_phase(s, Phase.GUESSING)
    turn = s.turn
    if member.id == turn.giver_id:
        raise Rejected("not_allowed", "You wrote this prompt: you cannot guess it.")
    me = turn.guessers.get(member.id)
    if me is None:
        raise Rejected("not_a_player", "You are watching this turn; you can guess from the next round.")
    if me.solved:
        raise Rejected("already_solved", "You already got it!")
    if len(me.guesses) >= s.timing.max_guesses:
        raise Rejected("guess_limit", f"You have used all {s.timing.max_guesses} guesses for this turn.")
    try:
        text = clean_text(cmd.text, MAX_GUESS_CHARS)
    except ValueError:
        raise Rejected("guess_invalid", f"A guess needs 1–{MAX_GUESS_CHARS} characters.") from None
    score = max(0, min(100, int(env.score(turn.prompt or "", text))))
    me.guesses.append(Guess(text=text, similarity=score, at=now))
    if score > me.best:
        me.best, me.best_text, me.best_at = score, text, now
    me.solved = score >= SOLVED_AT
    out.reply = {"similarity": score, "warmth": warmth(score), "solved": me.solved, "best": me.best,
                 "guessesLeft": s.timing.max_guesses - len(me.guesses)}
    if me.solved:
        if _all_solved(s):
            _reveal(s, now, out)
    else:
        out.audience = {member.id}


def _all_solved(s: RoomState) -> bool:
    active = [g for mid, g in s.turn.guessers.items() if s.members.get(mid) and s.members[mid].connected]
    return bool(active) and all(g.solved for g in active)


def _reveal(s: RoomState, now: float, out: Outcome) -> None:
    turn = s.turn
    start = turn.guess_started_at or now
    results = []
    for mid, g in turn.guessers.items():
        g.points = guesser_points(g.best, (g.best_at or now) - start, s.settings.guess_seconds) if g.best_at else 0
        member = s.members.get(mid)
        if member:
            member.score += g.points
        results.append({"playerId": mid, "name": member.name if member else "?", "guess": g.best_text,
                        "similarity": g.best, "points": g.points})
    turn.giver_points = 0 if turn.auto_prompt else giver_points([g.best for g in turn.guessers.values()])
    giver = s.members.get(turn.giver_id)
    if giver:
        giver.score += turn.giver_points
    s.album.append(AlbumEntry(turn=turn.number, round=turn.round, giver_id=turn.giver_id,
                              giver_name=giver.name if giver else "?", prompt=turn.prompt or "",
                              image=turn.image, best_guesses=results, giver_points=turn.giver_points))
    s.phase = Phase.REVEAL
    s.deadline = now + s.timing.reveal
    out.effects.append(fx.TurnEnded({
        "code": s.code, "game": s.game, "turn": turn.number, "round": turn.round,
        "provider": turn.image.provider if turn.image else None,
        "generationSeconds": turn.image.elapsed if turn.image else None,
        "costUsd": turn.image.cost_usd if turn.image else 0.0,
        "guesses": sum(len(g.guesses) for g in turn.guessers.values()),
        "bestSimilarity": max((g.best for g in turn.guessers.values()), default=0),
        "solved": sum(1 for g in turn.guessers.values() if g.solved),
        "guessers": len(turn.guessers),
        "startedAt": turn.started_at, "endedAt": now,
    }))


def _advance(s: RoomState, now: float, out: Outcome) -> None:
    """Move to the next prompt giver, the next round, or the end of the game."""
    s.kick_votes = {k: v for k, v in s.kick_votes.items() if k in s.members}
    s.turn_index += 1
    while True:
        while s.turn_index < len(s.order) and s.order[s.turn_index] not in s.members:
            s.turn_index += 1
        if s.turn_index < len(s.order):
            break
        if s.round >= s.settings.rounds:
            _finish(s, now, out)
            return
        s.round += 1
        s.turn_index = 0
        for m in sorted(s.members.values(), key=lambda m: m.seq):
            if m.joins_next_round:
                m.role, m.joins_next_round = "player", False
                s.order.append(m.id)
        s.order = [mid for mid in s.order if mid in s.members and s.members[mid].role == "player"]
        if not s.order:
            _finish(s, now, out)
            return
    _begin_turn(s, now, out)


def _finish(s: RoomState, now: float, out: Outcome) -> None:
    s.phase = Phase.FINISHED
    s.deadline = now + s.timing.finished_room_ttl
    s.paused_remaining = None
    for m in s.members.values():
        if m.joins_next_round:
            m.role, m.joins_next_round = "player", False
    out.effects.append(fx.GameEnded({
        "code": s.code, "game": s.game, "rounds": s.settings.rounds, "turns": len(s.album),
        "players": len(s.players()), "standings": standings(s),
        "startedAt": s.game_started_at, "endedAt": now,
    }))


def standings(s: RoomState) -> list[dict]:
    ranked = sorted(s.players(), key=lambda m: (-m.score, m.seq))
    out, place, last = [], 0, None
    for i, m in enumerate(ranked):
        if m.score != last:
            place, last = i + 1, m.score
        out.append({"playerId": m.id, "name": m.name, "score": m.score, "place": place})
    return out


# ---------------------------------------------------------------- chat and kicks

def _chat(s: RoomState, cmd: c.Chat, now: float, env: RulesEnv, out: Outcome) -> None:
    member = _member(s, cmd.member_id)
    try:
        text = clean_text(cmd.text, MAX_CHAT_CHARS)
    except ValueError:
        raise Rejected("chat_invalid", f"A message needs 1–{MAX_CHAT_CHARS} characters.") from None
    if env.content_filter.check(text):
        raise Rejected("chat_blocked", "That message is not allowed here.")
    s.chat_seq += 1
    line = ChatLine(id=s.chat_seq, member_id=member.id, name=member.name, text=text, at=now)
    s.chat = [*s.chat[-(CHAT_TAIL - 1):], line]
    out.effects.append(fx.SendChat(chat_view(line)))
    out.reply = {"id": line.id}
    out.audience = set()


def chat_view(line: ChatLine) -> dict:
    return {"id": line.id, "playerId": line.member_id, "name": line.name, "text": line.text, "at": line.at}


def _kick(s: RoomState, cmd: c.Kick, now: float, env: RulesEnv, out: Outcome) -> None:
    _require_host(s, cmd.member_id)
    _kick_target(s, cmd.member_id, cmd.target_id)
    _expel(s, cmd.target_id, now, out, "The host removed you from the room.")


def _vote_kick(s: RoomState, cmd: c.VoteKick, now: float, env: RulesEnv, out: Outcome) -> None:
    voter = _member(s, cmd.member_id)
    if voter.role != "player":
        raise Rejected("not_a_player", "Only players can vote.")
    _kick_target(s, cmd.member_id, cmd.target_id)
    players = s.players()
    if len(players) < 3:
        raise Rejected("not_enough_players", "Vote kicks need at least 3 players; ask the host.")
    voters = s.kick_votes.setdefault(cmd.target_id, [])
    if cmd.member_id in voters:
        raise Rejected("already_voted", "You already voted to remove this player.")
    voters.append(cmd.member_id)
    needed = _votes_needed(s, cmd.target_id)
    out.reply = {"votes": len(voters), "needed": needed}
    if len(voters) >= needed:
        _expel(s, cmd.target_id, now, out, "The other players voted to remove you.")
        out.reply["kicked"] = True


def _votes_needed(s: RoomState, target_id: str) -> int:
    eligible = sum(1 for m in s.players() if m.id != target_id)
    return eligible // 2 + 1


def _recount_kick_votes(s: RoomState, now: float, out: Outcome) -> bool:
    """After a player left, a standing vote may now be a majority. True if someone was kicked."""
    if len(s.players()) < 3:
        return False
    for target, voters in list(s.kick_votes.items()):
        if target in s.members and voters and len(voters) >= _votes_needed(s, target):
            _expel(s, target, now, out, "The other players voted to remove you.")
            return True
    return False


def _kick_target(s: RoomState, actor_id: str, target_id: str) -> None:
    if target_id not in s.members:
        raise Rejected("unknown_member", "That player is not in this room.")
    if target_id == actor_id:
        raise Rejected("not_allowed", "You cannot remove yourself; leave the room instead.")


def _expel(s: RoomState, target_id: str, now: float, out: Outcome, message: str) -> None:
    target = s.members[target_id]
    s.banned.append(target.token_hash)
    out.effects.append(fx.NotifyMember(target.id, target.sid, "room:kicked", {"message": message}, detach=True))
    _remove(s, target_id, now, out)


# ---------------------------------------------------------------- time

def _tick(s: RoomState, cmd: c.Tick, now: float, env: RulesEnv, out: Outcome) -> None:
    """Deadlines are settled for every command in `_settle`; a Tick only brings time."""
    out.audience = set()


def _settle(s: RoomState, now: float, out: Outcome) -> None:
    for _ in range(MAX_SETTLE_STEPS):
        if s.closed or not _settle_step(s, now, out):
            return


def _settle_step(s: RoomState, now: float, out: Outcome) -> bool:
    """Carry out the earliest due deadline. Returns False when nothing was due."""
    anyone_here = any(m.connected for m in s.members.values())
    for m in sorted(s.members.values(), key=lambda m: m.seq):
        # While nobody is connected (a shared outage, a restart) every seat waits for the
        # empty-room TTL, so a group that comes back within it finds its game intact.
        if anyone_here and not m.connected and m.disconnected_at is not None \
                and now >= m.disconnected_at + s.timing.seat_hold:
            _remove(s, m.id, now, out)
            _touch_all(out)
            return True
    if s.empty_since is not None and now >= s.empty_since + s.timing.empty_room_ttl:
        s.closed = True
        out.effects.append(fx.CloseRoom("abandoned"))
        _touch_all(out)
        return True
    if s.phase == Phase.GUESSING and s.settings.hints and s.turn.hints_revealed < len(HINT_STEPS):
        due = s.turn.guess_started_at + HINT_STEPS[s.turn.hints_revealed] * s.settings.guess_seconds
        if now >= due and (s.deadline is None or now < s.deadline):
            s.turn.hints_revealed += 1
            _touch_all(out)
            return True
    if s.deadline is None or now < s.deadline:
        return False
    _touch_all(out)
    if s.phase == Phase.PROMPTING:
        turn = s.turn
        pick = turn.suggestions[0] if turn.suggestions else suggest(
            s.settings.theme, _rng(s), 1, exclude=turn.offered, max_words=s.settings.max_words)[0]
        _start_generation(s, pick, now, out, auto=True)
    elif s.phase == Phase.GENERATING:
        _generation_failed(s, "The image took too long to draw.", now, out)
    elif s.phase == Phase.GUESSING:
        _reveal(s, now, out)
    elif s.phase == Phase.REVEAL:
        _advance(s, now, out)
    elif s.phase == Phase.FINISHED:
        s.closed = True
        out.effects.append(fx.CloseRoom("finished"))
    return True


def _touch_all(out: Outcome) -> None:
    out.settled = True


# ---------------------------------------------------------------- checks

def _member(s: RoomState, member_id: str) -> Member:
    member = s.members.get(member_id)
    if member is None:
        raise Rejected("unknown_member", "You are not in this room.")
    return member


def _require_host(s: RoomState, member_id: str) -> None:
    _member(s, member_id)
    if s.host_id != member_id:
        raise Rejected("not_host", "Only the host can do that.")


def _require_phase(s: RoomState, *phases: Phase) -> None:
    if s.phase not in phases:
        wanted = " or ".join(p.value for p in phases)
        raise Rejected("wrong_phase", f"That can only be done during {wanted} (now: {s.phase.value}).")


def _require_giver(s: RoomState, member_id: str) -> None:
    _member(s, member_id)
    _require_phase(s, Phase.PROMPTING)
    if s.turn.giver_id != member_id:
        raise Rejected("not_your_turn", "It is not your turn to write the prompt.")


def _require_current_job(s: RoomState, turn: int, attempt: int, game: int | None) -> None:
    other_game = game is not None and game != s.game
    if other_game or s.phase != Phase.GENERATING or s.turn is None or s.turn.number != turn or s.turn.failures != attempt:
        raise Rejected("stale", "This image belongs to a turn or attempt that is over.")


def _sid(s: RoomState, member_id: str) -> str | None:
    m = s.members.get(member_id)
    return m.sid if m else None


def _rng(s: RoomState) -> random.Random:
    s.rng_draws += 1
    return random.Random(s.seed * 1_000_003 + s.rng_draws)


def _image_seed(s: RoomState) -> int:
    return (s.seed * 7919 + s.turn.number * 101 + s.turn.failures) % (2**31)


def pending_image(s: RoomState) -> fx.GenerateImage | None:
    """The image job a room in the generating phase waits for (to restart it after a restart)."""
    turn = s.turn
    if s.phase != Phase.GENERATING or turn is None or not turn.prompt:
        return None
    return fx.GenerateImage(turn=turn.number, attempt=turn.failures, prompt=turn.prompt, seed=_image_seed(s),
                            builtin=turn.builtin, game=s.game)


_HANDLERS: dict[type, Callable] = {
    c.Join: _join, c.Resume: _resume, c.Disconnect: _disconnect, c.Leave: _leave,
    c.UpdateSettings: _update_settings, c.SetReady: _set_ready, c.StartGame: _start, c.NewGame: _new_game,
    c.RequestSuggestions: _suggestions, c.SubmitPrompt: _submit_prompt, c.ImageReady: _image_ready,
    c.ImageFailed: _image_failed, c.SubmitGuess: _guess, c.Chat: _chat, c.Kick: _kick, c.VoteKick: _vote_kick,
    c.Tick: _tick,
}
