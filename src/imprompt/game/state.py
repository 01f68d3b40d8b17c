"""A room's state: plain data that round-trips through JSON exactly.

Rules read and return these models; nothing here does I/O or reads the clock.
Times are seconds since the epoch (floats), always passed in by the caller.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from .packs import Pack


class Phase(StrEnum):
    LOBBY = "lobby"
    PROMPTING = "prompting"
    GENERATING = "generating"
    GUESSING = "guessing"
    REVEAL = "reveal"
    FINISHED = "finished"


class TimeKind(StrEnum):
    """What a time field means, so a restart knows which ones to move (see rules/restore.py)."""

    MOMENT = "moment"  # drives a timer or a score: moves forward by the downtime after a restart
    STAMP = "stamp"  # history (when something happened): kept as it was


Moment = Annotated[float, TimeKind.MOMENT]
MaybeMoment = Annotated[float | None, TimeKind.MOMENT]
Stamp = Annotated[float, TimeKind.STAMP]
MaybeStamp = Annotated[float | None, TimeKind.STAMP]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


ImageStyle = Literal["none", "cartoon", "watercolor", "pixel", "photo", "clay"]


class GameSettings(Model):
    """What the host may change in the lobby. Bounds are the product rules."""

    rounds: int = Field(3, ge=1, le=10)
    prompt_seconds: int = Field(45, ge=15, le=120)
    guess_seconds: int = Field(60, ge=20, le=180)
    max_words: int = Field(5, ge=1, le=8)
    max_players: int = Field(8, ge=2, le=12)
    hints: bool = True
    theme: str = "mixed"  # the room's prompt pack: a built-in theme, an operator's pack, or "custom"
    pack_only: bool = False  # the writer picks one of three prompts from the pack instead of typing
    image_style: ImageStyle = "none"  # added to paid providers' requests; the pictogram ignores it
    image_review: bool = False  # the writer sees the picture first and may ask for one new one
    image_choices: int = Field(1, ge=1, le=4)  # more than 1: the writer picks one (implies the review)

    def reviews_images(self) -> bool:
        return self.image_review or self.image_choices > 1


class Timing(Model):
    """Operator settings copied into the room at creation, so the rules stay pure."""

    seat_hold: float = 120.0
    generation_timeout: float = 30.0
    review: float = 20.0  # the writer's look at the picture(s) before guessing starts
    reveal: float = 8.0
    empty_room_ttl: float = 300.0
    finished_room_ttl: float = 1800.0
    max_spectators: int = 20
    max_guesses: int = 10


class Member(Model):
    id: str
    name: str
    token_hash: str
    role: Literal["player", "spectator"]
    seq: int  # join order: the lowest connected seq is "longest present"
    joined_at: Stamp
    sid: str | None = None  # the socket currently holding this seat
    connected: bool = True
    disconnected_at: MaybeMoment = None
    ready: bool = False
    score: int = 0
    joins_next_round: bool = False  # joined mid-game as a player
    device_hash: str | None = None  # the joining browser's key, hashed with the room code


class Screen(Model):
    """A big screen (a TV) watching the room: it sees what a spectator sees, holds no seat
    in the game and counts against no cap. Dropped when its socket goes; it joins again
    (so it has no token to resume with)."""

    id: str
    sid: str | None = None
    joined_at: Stamp


class Guess(Model):
    text: str
    similarity: int
    at: Moment


class GuesserState(Model):
    guesses: list[Guess] = Field(default_factory=list)
    best: int = 0
    best_text: str | None = None
    best_at: MaybeMoment = None
    solved: bool = False
    points: int = 0
    # Why the best guess scored what it did ("kitty ≈ cat"), set once at the reveal: it
    # names prompt words. None before the reveal, without a guess, and in older rooms.
    reason: str | None = None


class ImageInfo(Model):
    url: str
    provider: str = "unknown"
    model: str = ""
    cost_usd: float = 0.0
    elapsed: float = 0.0


class Turn(Model):
    number: int  # 1-based across the game
    round: int
    giver_id: str
    started_at: MaybeMoment = None
    prompt: str | None = None
    auto_prompt: bool = False  # filled in by the timer: the giver earns nothing
    suggestions: list[str] = Field(default_factory=list)
    offered: list[str] = Field(default_factory=list)  # every suggestion shown this turn
    failures: int = 0
    failure_reason: str | None = None
    builtin: bool = False
    image: ImageInfo | None = None
    # The review step (settings.reviews_images): the pictures only the writer sees, while
    # the phase stays generating for everyone else; empty when not reviewing.
    candidates: list[ImageInfo] = Field(default_factory=list)
    regenerated: bool = False  # the one new picture of the turn was asked for
    rejected: bool = False  # ... because the picture gave the answer away
    redraw: bool = True  # a new drawing may differ (ImageReady.redraw)
    images_cost_usd: float = 0.0  # every picture drawn this turn, chosen or not
    guess_started_at: MaybeMoment = None
    guessers: dict[str, GuesserState] = Field(default_factory=dict)
    hints_revealed: int = 0
    giver_points: int = 0
    skipped: bool = False


class AlbumGuess(Model):
    """A guesser's best guess of a turn, as shown at the reveal and kept in the album."""

    # Rooms saved by the first version spelt it playerId.
    player_id: str = Field(validation_alias=AliasChoices("player_id", "playerId"))
    name: str
    guess: str | None
    similarity: int
    points: int
    reason: str | None = None  # why it scored so (GuesserState.reason); older rooms have none


class AlbumEntry(Model):
    turn: int
    round: int
    giver_id: str
    giver_name: str
    prompt: str
    image: ImageInfo | None
    best_guesses: list[AlbumGuess]
    giver_points: int


class SkippedTurn(Model):
    """A turn that ended without a picture, shown during the turn after it."""

    turn: int
    giver_id: str
    giver_name: str
    reason: Literal["giver_left", "no_image"]


class Departed(Model):
    """A player who left during or after a game: kept on the podium, greyed out."""

    id: str
    name: str
    score: int
    seq: int


class ChatLine(Model):
    id: int
    member_id: str  # the writer; for a system line, the member it is about
    name: str
    text: str
    at: Stamp
    # Defaults keep rooms saved before these fields loadable.
    kind: Literal["player", "system"] = "player"  # system: written by the rules (joins, "got it"...)
    event: str | None = None  # a system line's moment: joined, left, host, solved, close
    channel: Literal["all", "solved"] = "all"  # solved: the giver and solvers, while others still guess
    to: list[str] | None = None  # the members who may see it; None: everyone


class RoomState(Model):
    code: str
    seed: int
    created_at: Stamp
    updated_at: Stamp
    revision: int = 0
    game: int = 0  # games played in this room; a new game resets scores
    game_started_at: MaybeStamp = None
    phase: Phase = Phase.LOBBY
    settings: GameSettings = Field(default_factory=GameSettings)
    timing: Timing = Field(default_factory=Timing)
    members: dict[str, Member] = Field(default_factory=dict)
    host_id: str | None = None
    next_seq: int = 0
    order: list[str] = Field(default_factory=list)  # prompt givers of the current round
    round: int = 0
    turn_index: int = 0
    turn: Turn | None = None
    deadline: MaybeMoment = None  # when the current phase ends
    paused_remaining: float | None = None  # prompting paused: seconds left
    album: list[AlbumEntry] = Field(default_factory=list)
    album_index: int = 0  # the picture the host shows on the big screens (finished)
    screens: dict[str, Screen] = Field(default_factory=dict)  # not members: see Screen
    last_skipped: SkippedTurn | None = None
    departed: list[Departed] = Field(default_factory=list)  # this game's players who left
    kick_votes: dict[str, list[str]] = Field(default_factory=dict)
    banned: list[str] = Field(default_factory=list)  # token hashes of kicked players
    chat: list[ChatLine] = Field(default_factory=list)
    chat_seq: int = 0
    empty_since: MaybeMoment = None
    closed: bool = False
    rng_draws: int = 0  # advances so each random choice gets a fresh, reproducible seed
    # Prompt packs (docs/packs.md); None in rooms saved before packs existed.
    custom_pack: Pack | None = None  # pasted or imported by the host: the pack "custom"
    operator_pack: Pack | None = None  # a copy of the operator's pack `settings.theme` names

    def players(self) -> list[Member]:
        return [m for m in self.members.values() if m.role == "player"]

    def connected_players(self) -> list[Member]:
        return [m for m in self.players() if m.connected]

    def member_by_sid(self, sid: str) -> Member | None:
        return next((m for m in self.members.values() if m.sid == sid), None)

    def member_by_token(self, token_hash: str) -> Member | None:
        return next((m for m in self.members.values() if m.token_hash == token_hash), None)
