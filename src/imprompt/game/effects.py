"""What the rules ask the outside world to do, as data. The service carries them out
after the new state is saved."""

from __future__ import annotations

from dataclasses import dataclass, field

from .standings import Standing
from .state import ChatLine


@dataclass(frozen=True)
class GenerateImage:
    turn: int
    attempt: int
    prompt: str
    seed: int
    builtin: bool = False  # after repeated failures: use the offline generator
    game: int = 0  # turn numbers restart each game, so results are matched on (game, turn, attempt)
    count: int = 1  # pictures wanted (the writer picks one); the runner may draw fewer to stay in budget
    style: str = "none"  # GameSettings.image_style


@dataclass(frozen=True)
class SendChat:
    line: ChatLine

    @property
    def to(self) -> frozenset[str] | None:
        """The member ids this line may reach (None: the whole room)."""
        return None if self.line.to is None else frozenset(self.line.to)


@dataclass(frozen=True)
class NotifyMember:
    """A private event for one member's socket (kicked, seat replaced...)."""

    member_id: str
    sid: str | None
    event: str
    payload: dict[str, object] = field(default_factory=dict)
    detach: bool = False  # the socket leaves the room afterwards


@dataclass(frozen=True)
class TurnSummary:
    code: str
    game: int
    turn: int
    round: int
    provider: str | None
    generation_seconds: float | None
    cost_usd: float
    guesses: int
    best_similarity: int
    average_similarity: float | None
    solved: int
    guessers: int
    prompt: str  # analytics keep it only when the operator asks (ANALYTICS_STORE_PROMPTS)
    started_at: float | None
    ended_at: float


@dataclass(frozen=True)
class GameSummary:
    code: str
    game: int
    rounds: int
    turns: int
    players: int
    standings: list[Standing]
    started_at: float | None
    ended_at: float


@dataclass(frozen=True)
class TurnEnded:
    summary: TurnSummary


@dataclass(frozen=True)
class GameEnded:
    summary: GameSummary


@dataclass(frozen=True)
class CloseRoom:
    reason: str


Effect = GenerateImage | SendChat | NotifyMember | TurnEnded | GameEnded | CloseRoom
