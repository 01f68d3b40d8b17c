"""Closeness in meaning from word-llama vectors, mapped onto a 0..1 scale.

Raw cosines are not scores: unrelated words sit around 0 +- 0.07, related words
(cat/dog, hot/cold) around 0.15-0.2, and synonyms 0.3-0.8. The mapping below
zeroes the noise and saturates for clear synonyms, below an exact match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .cache import FloatCache
from .embeddings import is_word_start, pooled, word_tokens, word_vector

NOISE = 0.10  # cosines below this are treated as unrelated
FULL = 0.45  # cosines above this count as a full synonym
CURVE = 0.7  # <1 lifts the middle: a weak synonym (angry/furious 0.30) is still a synonym
SYNONYM_CAP = 0.92  # a synonym never scores like the exact word

PHRASE_NOISE = 0.10
PHRASE_FULL = 1.0


def ramp(c: float, low: float, high: float, curve: float = 1.0) -> float:
    if c <= low:
        return 0.0
    return min(1.0, (c - low) / (high - low)) ** curve


_cosines = FloatCache(65536)


def cosine(a: str, b: str) -> float:
    key = a + "\x00" + b
    c = _cosines.get(key)
    if c is None:
        c = float(word_vector(a)[0].dot(word_vector(b)[0]))
        _cosines.put(key, c)
    return c


def new_cosine(a: str, b: str) -> float:
    """`cosine` for a pair not seen yet (a word pair that missed its cache above): computed
    without looking, then remembered for the phrase score."""
    c = float(word_vector(a)[0].dot(word_vector(b)[0]))  # .dot: the same sdot as @, 0.3 µs less
    _cosines.put(a + "\x00" + b, c)
    return c


def meaning(a: str, b: str, c: float | None = None) -> float:
    """Cosine without the word-internal sub-word pieces both words share. Such a piece says
    the words look alike, not that they mean alike: made-up "xelira" shares "ira" with
    "giraffe", "skateboard" shares "board" with "surfboard". A shared leading whole word
    ("horse" in "horseback") is kept: it is meaning. Typos are credited by spelling instead.
    `c` is `cosine(a, b)` when the caller has it."""
    ta, tb = word_tokens(a), word_tokens(b)
    shared = set(ta) & set(tb)
    if shared and ta[0] == tb[0] and is_word_start(ta[0]):
        shared.discard(ta[0])
    if not shared:
        return cosine(a, b) if c is None else c
    ra = [t for t in ta if t not in shared]
    rb = [t for t in tb if t not in shared]
    if not ra or not rb:
        return 0.0
    return float(pooled(ra) @ pooled(rb))


def word_score(c: float) -> float:
    return SYNONYM_CAP * ramp(c, NOISE, FULL, CURVE)


def phrase_vector(words: Iterable[tuple[str, float]]) -> np.ndarray | None:
    """Weighted mean of word vectors; None when nothing was embedded."""
    total = None
    for text, weight in words:
        v, n = word_vector(text)
        if n == 0:
            continue
        total = v * weight if total is None else total + v * weight
    if total is None:
        return None
    norm = float(np.linalg.norm(total))
    return total / norm if norm > 0 else None


def _self_product(words: list[tuple[str, float]]) -> float:
    total = 0.0
    for i, (ta, wa) in enumerate(words):
        total += wa * wa
        for tb, wb in words[i + 1 :]:
            total += 2.0 * wa * wb * cosine(ta, tb)
    return total


_self = FloatCache(16384)  # a prompt's own sum a.a, keyed by its words: the same for every guess


def phrase_similarity(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> float:
    """`phrase_score(phrase_vector(a), phrase_vector(b))`, computed from the cached word
    cosines instead of vectors: cos(sum a, sum b) = sum a.b / sqrt(sum a.a * sum b.b), so a
    warm guess needs no numpy call at all."""
    side, aa = phrase_side(a)
    return phrase_against(side, aa, b)


def phrase_side(a: list[tuple[str, float]]) -> tuple[list[tuple[str, float]], float]:
    """The words of `a` that have a vector, and their sum a.a: what phrase_similarity needs
    of its first side, the same for every guess at one prompt."""
    a = [(t, w) for t, w in a if word_vector(t)[1]]
    if not a:
        return a, 0.0
    key = "\x00".join(f"{t}\x01{w}" for t, w in a)
    aa = _self.get(key)
    if aa is None:
        aa = _self_product(a)
        _self.put(key, aa)
    return a, aa


def phrase_against(a: list[tuple[str, float]], aa: float, b: list[tuple[str, float]]) -> float:
    """phrase_similarity with its first side from `phrase_side`."""
    b = [(t, w) for t, w in b if word_vector(t)[1]]
    if not a or not b:
        return 0.0
    ab = 0.0
    for ta, wa in a:
        for tb, wb in b:
            ab += wa * wb * cosine(ta, tb)
    bb = _self_product(b)
    if aa <= 0 or bb <= 0:
        return 0.0
    return ramp(ab / math.sqrt(aa * bb), PHRASE_NOISE, PHRASE_FULL)


def phrase_score(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return ramp(float(a @ b), PHRASE_NOISE, PHRASE_FULL)


def clear_caches() -> None:
    _cosines.clear()
    _self.clear()
