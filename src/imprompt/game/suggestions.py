"""Prompt suggestions for a prompt giver who cannot think of one.

The built-in themes are prompt packs (`data/packs/<theme>.json`, the format of
docs/packs.md), read and checked like any other pack when this module loads."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from importlib import resources

from .content_filter import DEFAULT_FILTER
from .packs import Pack, parse_pack

DEFAULT_THEME = "mixed"
_BUILTIN_ORDER = ("animals", "food", "fantasy", "places", "jobs", "sports", "silly", "space")


def _load_builtin_packs() -> dict[str, Pack]:
    folder = resources.files(__package__).joinpath("data/packs")
    read = {name: folder.joinpath(f"{name}.json").read_text("utf-8") for name in _BUILTIN_ORDER}
    return {name: parse_pack(text, pack_id=name, content_filter=DEFAULT_FILTER) for name, text in read.items()}


BUILTIN_PACKS: dict[str, Pack] = _load_builtin_packs()


def _load_themes() -> dict[str, list[str]]:
    themes = {name: list(pack.prompts) for name, pack in BUILTIN_PACKS.items()}
    # "mixed" is every other theme together, so it never goes stale.
    mixed = dict.fromkeys(p for items in themes.values() for p in items)
    return {DEFAULT_THEME: list(mixed), **themes}


THEMES: dict[str, list[str]] = _load_themes()
BUILTIN_PACKS = {DEFAULT_THEME: Pack(id=DEFAULT_THEME, name="Mixed", prompts=THEMES[DEFAULT_THEME]), **BUILTIN_PACKS}


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
    theme: str | Sequence[str],
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
    # a theme's name, or a pack's prompts; KeyError for an unknown theme, on purpose.
    pool = THEMES[theme] if isinstance(theme, str) else list(theme)
    if max_words is not None:
        fitting = [p for p in pool if len(p.split()) <= max_words]
        shortened = list(dict.fromkeys(fit_words(p, max_words) for p in pool if p not in fitting))
        pool = fitting if len(fitting) >= count else fitting + [p for p in shortened if p not in fitting]
    played = {p.casefold() for p in used}
    unplayed = [p for p in pool if p.casefold() not in played]
    excluded = set(exclude)
    fresh = [p for p in unplayed if p not in excluded]
    # Fresh prompts first; only when too few remain, the ones shown this turn, then the
    # ones played this game (a small pack runs out: its unplayed prompts still come first).
    picks: list[str] = []
    for tier in (fresh, [p for p in unplayed if p in excluded], [p for p in pool if p.casefold() in played]):
        picks += rng.sample(tier, min(count - len(picks), len(tier)))
        if len(picks) >= count:
            break
    return picks
