"""Everything that can change a room, as data.

Adapters (socket handlers, the scheduler, image jobs) build these; `rules.apply`
is the only thing that interprets them. Player inputs arrive already shape-checked
by the protocol layer; the rules still check everything that depends on the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Join:
    member_id: str
    name: str
    token_hash: str
    sid: str | None
    spectator: bool = False
    device_hash: str | None = None  # the browser's own key, hashed: a kicked player stays out


@dataclass(frozen=True)
class WatchScreen:
    """A big screen (a TV) starts watching: no name, no token, no seat in the game."""

    screen_id: str
    sid: str | None


@dataclass(frozen=True)
class Resume:
    token_hash: str
    sid: str | None


@dataclass(frozen=True)
class Disconnect:
    sid: str


@dataclass(frozen=True)
class Leave:
    member_id: str


@dataclass(frozen=True)
class UpdateSettings:
    member_id: str
    changes: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportPack:
    """The host pastes a list or imports a pack file: the room's pack becomes "custom"."""

    member_id: str
    text: str
    name: str | None = None


@dataclass(frozen=True)
class SetReady:
    member_id: str
    ready: bool


@dataclass(frozen=True)
class StartGame:
    member_id: str


@dataclass(frozen=True)
class RequestSuggestions:
    member_id: str


@dataclass(frozen=True)
class SubmitPrompt:
    member_id: str
    text: str


@dataclass(frozen=True)
class Picture:
    """One more picture of the same job, when the writer chooses among several."""

    url: str
    provider: str = "unknown"
    model: str = ""
    cost_usd: float = 0.0
    elapsed: float = 0.0


@dataclass(frozen=True)
class ImageReady:
    turn: int
    attempt: int
    url: str
    provider: str = "unknown"
    model: str = ""
    cost_usd: float = 0.0
    elapsed: float = 0.0
    game: int | None = None  # the image runner always tags results with the game they belong to
    others: tuple[Picture, ...] = ()  # the job's other pictures (GenerateImage.count > 1)
    # False when the generator draws a prompt the same way whatever the seed (the pictogram):
    # a new drawing would be the same picture, so the writer is not offered one
    redraw: bool = True


@dataclass(frozen=True)
class ImageFailed:
    turn: int
    attempt: int
    reason: str
    game: int | None = None


@dataclass(frozen=True)
class PickImage:
    """The writer, reviewing, chooses the picture the guessers get."""

    member_id: str
    index: int


@dataclass(frozen=True)
class RegenerateImage:
    """The writer, reviewing, asks for the turn's one new picture; `reject`: this one gives the answer away."""

    member_id: str
    reject: bool = False


@dataclass(frozen=True)
class SubmitGuess:
    member_id: str
    text: str


@dataclass(frozen=True)
class Chat:
    member_id: str
    text: str


@dataclass(frozen=True)
class Kick:
    member_id: str
    target_id: str


@dataclass(frozen=True)
class VoteKick:
    member_id: str
    target_id: str


@dataclass(frozen=True)
class UnvoteKick:
    """Take back one's own vote to remove a player."""

    member_id: str
    target_id: str


@dataclass(frozen=True)
class NewGame:
    member_id: str


@dataclass(frozen=True)
class StepAlbum:
    """The host shows album picture `index` on the big screens."""

    member_id: str
    index: int


@dataclass(frozen=True)
class Tick:
    """Time has passed: settle every deadline that is due."""


Command = (
    Join
    | WatchScreen
    | Resume
    | Disconnect
    | Leave
    | UpdateSettings
    | ImportPack
    | SetReady
    | StartGame
    | RequestSuggestions
    | SubmitPrompt
    | ImageReady
    | ImageFailed
    | PickImage
    | RegenerateImage
    | SubmitGuess
    | Chat
    | Kick
    | VoteKick
    | UnvoteKick
    | NewGame
    | StepAlbum
    | Tick
)
