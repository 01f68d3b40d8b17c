"""What a command answers to the one who sent it, as typed data.

The realtime layer turns these into the camelCase acknowledgement payloads of
docs/protocol.md; nothing here knows about the wire.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seated:
    """Join and Resume: the seat the caller now holds."""

    member_id: str


@dataclass(frozen=True)
class PackImported:
    """A pack the host imported: what members see of it (never its prompts)."""

    id: str
    name: str
    language: str
    size: int


@dataclass(frozen=True)
class Suggestions:
    suggestions: list[str]


@dataclass(frozen=True)
class PromptAccepted:
    prompt: str  # as cleaned by the rules


@dataclass(frozen=True)
class GuessResult:
    similarity: int
    warmth: str
    solved: bool
    best: int
    guesses_left: int


@dataclass(frozen=True)
class ChatSent:
    id: int


@dataclass(frozen=True)
class VoteCount:
    votes: int
    needed: int
    kicked: bool | None = None  # True once the vote carried


Reply = Seated | PackImported | Suggestions | PromptAccepted | GuessResult | ChatSent | VoteCount
