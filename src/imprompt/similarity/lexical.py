"""Spelling closeness between two words: typos and other forms of the same word."""

from __future__ import annotations

from rapidfuzz.distance import OSA

from .cache import FloatCache

TYPO_CAP = 0.97  # a misspelt word is never quite the word
FORM_SCORE = 0.9
TYPO_COST = 0.35  # per edit, relative to word length: elefant/elephant (2 of 8) ~ 0.91
FIRST_LETTER = 0.6


def _allowed_edits(length: int) -> int:
    # Short words change meaning with one letter (cat/car/hat), so they get no typo credit.
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


_typos = FloatCache(65536)


def typo_score(a: str, b: str) -> float:
    """1.0 for equal words, ~0.9 for a near miss, 0 when the spelling is too far off."""
    return _typos.pair(a, b, _typo_score)


def _typo_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    shortest, longest = sorted((len(a), len(b)))
    allowed = _allowed_edits(shortest)
    if allowed == 0:
        # A short word only gets typo credit for two swapped letters (cta -> cat).
        swapped = shortest == longest and OSA.distance(a, b) == 1 and sorted(a) == sorted(b)
        return 1.0 - TYPO_COST / longest if swapped else 0.0
    if longest - shortest > allowed:
        return 0.0
    # OSA counts a swapped pair of letters ("pengiun") as one edit, like a person would.
    edits = OSA.distance(a, b, score_cutoff=allowed)
    if edits > allowed:
        return 0.0
    score = min(TYPO_CAP, 1.0 - TYPO_COST * edits / longest)
    if shortest <= 5 and len(a) == len(b) and a[0] != b[0] and a[:2] != b[1::-1]:
        # People rarely mistype the first letter; in a short word it is likely another word (bear/pear).
        score *= FIRST_LETTER
    return score


def new_typo_score(a: str, b: str) -> float:
    """`typo_score` for a pair not seen yet: without the cache."""
    return _typo_score(a, b)


def form_score(a: str, b: str) -> float:
    """Same stem with a different ending: bath/bathing, roof/rooftop, sleep/sleeping."""
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3:
        return FORM_SCORE
    return 0.0


def clear_caches() -> None:
    _typos.clear()
