"""A plan: which pictograms to draw, how many, how big, what colour, on what scene (compose.py draws it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from imprompt.images.pictogram.catalogue import Pictogram


@dataclass
class Thing:
    word: str
    pictogram: Pictogram
    score: float
    count: int = 1
    scale: float = 1.0
    colour: str | None = None
    role: str = "object"  # "object": a thing the prompt names; "prop": drawn for a modifier or action
    owner: int | None = None  # a prop belongs to this thing
    attach: str | None = None  # how a prop sits on its owner (see compose.py)
    other: int | None = None  # "between" props: the second thing


@dataclass
class Plan:
    things: list[Thing] = field(default_factory=list)
    scenes: list[str] = field(default_factory=list)
    background: str | None = None  # a colour word not attached to any object
    weather: str | None = None  # rain, storm or snow: drawn over everything
    relations: list[tuple[int, str, int]] = field(default_factory=list)  # b == -1: the sky
    shapes: list[tuple[str, int, str]] = field(default_factory=list)  # (name, owner, word)
    concepts: list[dict] = field(default_factory=list)

    @property
    def scene(self) -> str | None:
        return self.scenes[0] if self.scenes else None

    @property
    def objects(self) -> list[int]:
        return [i for i, t in enumerate(self.things) if t.role == "object"]
