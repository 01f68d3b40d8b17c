"""What `apply` hands back: the new state, the effects, the reply, who must see it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import effects as fx
from ..content_filter import DEFAULT_FILTER, ContentFilter
from ..packs import Pack
from ..replies import Reply
from ..state import RoomState


class Rejected(Exception):
    """A command the rules refuse: the caller turns it into an error acknowledgement."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def no_reason(prompt: str, guess: str) -> str:
    """The explainer of tests that do not care why a guess scored: no reason is shown."""
    return ""


@dataclass(frozen=True)
class RulesEnv:
    """Pure helpers the rules need but do not own: the scorer, the explainer of a score
    (prompt, guess) -> a short reason for the reveal, and the content filter."""

    score: Callable[[str, str], int]
    explain: Callable[[str, str], str] = no_reason
    content_filter: ContentFilter = DEFAULT_FILTER
    # the operator's prompt packs (PROMPT_PACKS_DIR, read once at start), by id
    packs: Mapping[str, Pack] = field(default_factory=dict)


@dataclass(frozen=True)
class Audience:
    """Whose view of the room changed: everybody, or only some members (maybe none)."""

    everyone: bool
    members: frozenset[str] = frozenset()

    @classmethod
    def only(cls, *member_ids: str) -> Audience:
        return cls(False, frozenset(member_ids))

    def includes(self, member_id: str) -> bool:
        return self.everyone or member_id in self.members

    @property
    def anyone(self) -> bool:
        return self.everyone or bool(self.members)


EVERYONE = Audience(True)
NOBODY = Audience(False)


@dataclass
class Outcome:
    state: RoomState
    effects: list[fx.Effect] = field(default_factory=list)
    reply: Reply | None = None
    error: Rejected | None = None
    audience: Audience = EVERYONE
    settled: bool = False  # a deadline fired: everybody's view changed
    # The env of the command being applied (`apply` sets it), for what a deadline does
    # without one of its own: the reveal explains each best guess with `env.explain`.
    env: RulesEnv | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
