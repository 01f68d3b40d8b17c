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


SKIPPABLE = frozenset({"a", "an", "the"})


def fit_words(prompt: str, max_words: int) -> str:
    """Shorten a prompt to `max_words` words, dropping articles first."""
    words = prompt.split()
    if len(words) <= max_words:
        return prompt
    words = [w for w in words if w.lower() not in SKIPPABLE] or words
    return " ".join(words[:max_words])


def suggest(
    theme: str,
    rng: random.Random,
    count: int = 3,
    exclude: Collection[str] = (),
    max_words: int | None = None,
    used: Collection[str] = (),
) -> list[str]:
    """`count` distinct prompts from `theme`, avoiding `exclude` while enough remain, and
    `used` (prompts already played this game, any case) unless the theme runs out.

    With `max_words`, every suggestion fits the room's word limit: entries that fit are
    preferred, and longer ones are shortened only when too few fit."""
    pool = THEMES[theme]  # KeyError for an unknown theme, on purpose.
    if max_words is not None:
        fitting = [p for p in pool if len(p.split()) <= max_words]
        shortened = list(dict.fromkeys(fit_words(p, max_words) for p in pool if p not in fitting))
        pool = fitting if len(fitting) >= count else fitting + [p for p in shortened if p not in fitting]
    played = {p.casefold() for p in used}
    unplayed = [p for p in pool if p.casefold() not in played]
    excluded = set(exclude)
    fresh = [p for p in unplayed if p not in excluded]
    if len(fresh) < count:
        fresh = unplayed if len(unplayed) >= count else pool
    return rng.sample(fresh, min(count, len(fresh)))
