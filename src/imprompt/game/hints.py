"""Letter hints for guessers: "_ _ _ _ _" with letters revealed over time."""

from __future__ import annotations

import random

HIDDEN = "_"
_AROUND = "!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~'-“”‘’«»¡¿…"


def hint_letter_count(prompt: str) -> int:
    """Number of letters a guesser has to find (what hints hide)."""
    return sum(1 for ch in prompt if ch.isalpha())


def _reveal_order(words: list[str], seed: int) -> list[tuple[int, int]]:
    """Every letter position, in the order hints reveal them.

    Positions that would complete a word come last, so a word is only given
    away when nothing else is left. Taking a prefix of this order makes each
    hint a superset of the previous one.
    """
    positions = [(w, i) for w, word in enumerate(words) for i, ch in enumerate(word) if ch.isalpha()]
    random.Random(seed).shuffle(positions)
    room = {w: max(hint_letter_count(word) - 1, 0) for w, word in enumerate(words)}
    first: list[tuple[int, int]] = []
    last: list[tuple[int, int]] = []
    for w, i in positions:
        if room[w] > 0:
            room[w] -= 1
            first.append((w, i))
        else:
            last.append((w, i))
    return first + last


def hint_words(prompt: str) -> list[str]:
    """The words a hint shows: punctuation around a word is not part of it ("hill!!" is
    "hill"), inner hyphens and apostrophes are ("rock-n-roll", "dog's"), and a word
    without a letter or digit ("&", "!!") is not shown at all."""
    words = []
    for raw in prompt.split():
        word = raw.strip(_AROUND)
        if any(ch.isalnum() for ch in word):
            words.append(word)
    return words


def hint_pattern(prompt: str, revealed: int, seed: int) -> list[str]:
    """One masked string per word, with `revealed` letters shown in total.

    Never shows every letter: at most letter count - 1 are revealed.
    """
    words = hint_words(prompt)
    total = hint_letter_count(prompt)
    shown = max(0, min(revealed, total - 1))
    masks = [[HIDDEN if ch.isalpha() else ch for ch in word] for word in words]
    for w, i in _reveal_order(words, seed)[:shown]:
        masks[w][i] = words[w][i]
    return ["".join(m) for m in masks]
