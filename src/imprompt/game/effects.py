"""What the rules ask the outside world to do, as data. The service carries them out
after the new state is saved."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GenerateImage:
    turn: int
    attempt: int
    prompt: str
    seed: int
    builtin: bool = False  # after repeated failures: use the offline generator
    game: int = 0  # turn numbers restart each game, so results are matched on (game, turn, attempt)


@dataclass(frozen=True)
class SendChat:
    line: dict  # the chat line as the protocol shows it


@dataclass(frozen=True)
class NotifyMember:
    """A private event for one member's socket (kicked, seat replaced...)."""

    member_id: str
    sid: str | None
    event: str
    payload: dict = field(default_factory=dict)
    detach: bool = False  # the socket leaves the room afterwards


@dataclass(frozen=True)
class TurnEnded:
    summary: dict


@dataclass(frozen=True)
class GameEnded:
    summary: dict


@dataclass(frozen=True)
class CloseRoom:
    reason: str


Effect = GenerateImage | SendChat | NotifyMember | TurnEnded | GameEnded | CloseRoom
