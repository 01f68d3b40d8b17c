"""The built-in, offline image provider: prompt -> OpenMoji scene as SVG."""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from pathlib import Path

from imprompt.images.base import GeneratedImage
from imprompt.images.pictogram.catalogue import Catalogue, Embed
from imprompt.images.pictogram.compose import compose
from imprompt.images.pictogram.match import Matcher
from imprompt.images.pictogram.planner import make_plan

MODEL = "openmoji-17"


@dataclass(frozen=True)
class Drawing:
    svg: str
    concepts: list[dict]
    abstract: bool
    report: dict  # what the picture shows: pictograms (with boxes), scenes, weather, relations, props


def _rng(prompt: str, seed: int) -> random.Random:
    # hashlib, not hash(): the same (prompt, seed) must give the same picture in every process.
    digest = hashlib.sha256(f"{' '.join(prompt.lower().split())}\x00{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class PictogramProvider:
    name = "pictogram"
    model = MODEL

    def __init__(self, embed: Embed | None = None, cache_dir: Path | None = None) -> None:
        self.catalogue = Catalogue(embed=embed, cache_dir=cache_dir)
        self.matcher = Matcher(self.catalogue)

    def warm_up(self) -> None:
        """Load the embedding model and the index now rather than on the first turn."""
        self.catalogue.vectors  # noqa: B018 - builds or loads the index
        self.draw("dog zebroid", seed=0)  # "zebroid" goes through the embedding path

    def draw(self, prompt: str, *, seed: int = 0, size: int = 1024) -> Drawing:
        plan = make_plan(prompt, self.matcher)
        svg, report = compose(plan, self.catalogue, _rng(prompt, seed), size)
        report["concepts"] = plan.concepts
        return Drawing(svg, plan.concepts, abstract=report["abstract"], report=report)

    async def generate(self, prompt: str, *, seed: int, size: int = 1024) -> GeneratedImage:
        start = time.perf_counter()
        drawing = self.draw(prompt, seed=seed, size=size)
        details = {
            "concepts": drawing.concepts,
            "abstract": drawing.abstract,
            "pictograms": [p["name"] for p in drawing.report["pictograms"]],
            "scenes": drawing.report["scenes"],
            "relations": drawing.report["relations"],
        }
        return GeneratedImage(
            data=drawing.svg.encode(),
            media_type="image/svg+xml",
            provider=self.name,
            model=self.model,
            cost_usd=0.0,
            elapsed=time.perf_counter() - start,
            details=details,
        )
