"""A short, plain reason for a score, for the reveal and `imprompt score`:
"kitty ≈ cat, skateboard exact". Built from the word alignment in `scoring.Result`."""

from __future__ import annotations

from .normalize import LIGHT_WORDS
from .scoring import Match, Result

MAX_PARTS = 4  # a reason stays one short line


def _part(m: Match) -> str | None:
    p, g = m.prompt_word, m.guess_word
    if g is None:
        return None
    if m.how == "exact":
        return f"{p} exact"
    if m.how == "typo":
        return f"{g} ≈ {p} (spelling)"
    if m.how == "synonym":
        return f"{g} ≈ {p}"
    if m.how == "preposition":
        return f"{g} for {p}"
    if m.how == "broader":
        return f"{g} is broader than {p}"
    if m.how == "narrower":
        return f"{g} is a kind of {p}"
    if m.how == "defined":
        words = ", ".join((g, *m.describing))
        return f"{words} describe {p}" if m.describing else f"{g} describes {p}"
    if m.how == "defines":
        return f"{p} describes {g}"
    if m.how == "opposite":
        return f"{g} is the opposite of {p}"
    if m.how == "part":
        return f"{g}: the words of {p}, not its meaning" if " " in g else f"{g} is only part of {p}"
    if m.how == "reworded":
        return f"{g} = {p}"
    if m.how == "related":
        return f"{g} is related to {p}"
    return None


def reason(result: Result) -> str:
    """Never empty: a score of 0 says that nothing matched."""
    found = [m for m in result.matches if m.guess_word is not None and m.how != "none"]
    if result.similarity == 0 or not found:
        return "nothing matched"
    # content words first; a preposition that is simply right ("in exact") is not news
    shown = [m for m in found if not (m.how == "exact" and m.prompt_word in LIGHT_WORDS)] or found
    parts = [x for x in (_part(m) for m in sorted(shown, key=lambda m: -m.score)) if x]
    flags = (["roles swapped"] if result.swapped else []) + (["a list of words"] if result.list_like else [])
    missing = [m.prompt_word for m in result.matches if m.guess_word is None and m.prompt_word not in LIGHT_WORDS]
    tail = flags + ([f"{', '.join(missing)} missing"] if missing else [])
    parts = parts[: max(1, MAX_PARTS - len(tail))] + tail
    return ", ".join(parts[:MAX_PARTS]) if parts else "nothing matched"
