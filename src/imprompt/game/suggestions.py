"""Prompt suggestions for a prompt giver who cannot think of one."""

from __future__ import annotations

import json
import random
from collections.abc import Collection
from importlib import resources

DEFAULT_THEME = "mixed"


def _load_themes() -> dict[str, list[str]]:
    raw = resources.files(__package__).joinpath("data/themes.json").read_text("utf-8")
    themes: dict[str, list[str]] = {name: list(items) for name, items in json.loads(raw).items()}
    # "mixed" is every other theme together, so it never goes stale.
    mixed = dict.fromkeys(p for items in themes.values() for p in items)
    return {DEFAULT_THEME: list(mixed), **themes}


THEMES: dict[str, list[str]] = _load_themes()


def theme_names() -> list[str]:
    """Theme names, the default first."""
    return list(THEMES)


def suggest(
    theme: str, rng: random.Random, count: int = 3, exclude: Collection[str] = ()
) -> list[str]:
    """`count` distinct prompts from `theme`, avoiding `exclude` while enough remain."""
    pool = THEMES[theme]  # KeyError for an unknown theme, on purpose.
    excluded = set(exclude)
    fresh = [p for p in pool if p not in excluded]
    if len(fresh) < count:
        fresh = pool
    return rng.sample(fresh, min(count, len(fresh)))
