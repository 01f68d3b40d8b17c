"""The built-in, offline image provider: prompt -> OpenMoji scene as SVG."""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from pathlib import Path

from imprompt.generations import Generations
from imprompt.images.base import GeneratedImage
from imprompt.images.pictogram.catalogue import Catalogue, Embed
from imprompt.images.pictogram.compose import Layout, compose_fresh, seed_free_layout
from imprompt.images.pictogram.match import Matcher
from imprompt.images.pictogram.plan import Plan
from imprompt.images.pictogram.planner import make_plan
from imprompt.images.store import normalise_prompt

MODEL = "openmoji-17"
PLANS = 2048  # per generation: the theme packs hold ~700 prompts


@dataclass(frozen=True)
class Drawing:
    svg: str
    concepts: list[dict]
    abstract: bool
    report: dict  # what the picture shows: pictograms (with boxes), scenes, weather, relations, props


def _key(prompt: str) -> str:
    # What the plan and the random choices depend on: tokens() lowercases and splits on any space.
    return normalise_prompt(prompt)


def _rng(prompt: str, seed: int) -> random.Random:
    return _keyed_rng(_key(prompt), seed)


def _keyed_rng(key: str, seed: int) -> random.Random:
    # hashlib, not hash(): the same (prompt, seed) must give the same picture in every process.
    digest = hashlib.sha256(f"{key}\x00{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _copy_concepts(concepts: list[dict]) -> list[dict]:
    """The caller's own copy: the cached plan's list must not change under a later picture."""
    return [{k: list(v) if type(v) is list else v for k, v in entry.items()} for entry in concepts]


class PictogramProvider:
    name = "pictogram"
    model = MODEL

    def __init__(self, embed: Embed | None = None, cache_dir: Path | None = None) -> None:
        self.catalogue = Catalogue(embed=embed, cache_dir=cache_dir)
        self.matcher = Matcher(self.catalogue)
        # make_plan reads no seed and compose changes neither the plan nor a layout: one of each
        # per prompt (the layout only when it is seed-free).
        self._plans: Generations[tuple[Plan, Layout | None]] = Generations(PLANS)

    def clear_caches(self) -> None:
        self._plans.clear()
        self.matcher.clear_cache()

    def warm_up(self) -> None:
        """Load the embedding model and the index now rather than on the first turn."""
        self.catalogue.vectors  # noqa: B018 - builds or loads the index
        self.draw("dog zebroid", seed=0)  # "zebroid" goes through the embedding path

    def draw(self, prompt: str, *, seed: int = 0, size: int = 1024) -> Drawing:
        key = _key(prompt)
        planned = self._plans.get(key)
        if planned is None:
            plan = make_plan(prompt, self.matcher)
            planned = (plan, seed_free_layout(plan, self.catalogue))
            self._plans.put(key, planned)
        plan, laid = planned
        svg, report = compose_fresh(plan, self.catalogue, lambda: _keyed_rng(key, seed), size, laid)
        concepts = report["concepts"] = _copy_concepts(plan.concepts)
        return Drawing(svg, concepts, abstract=report["abstract"], report=report)

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
