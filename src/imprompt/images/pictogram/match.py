"""Words -> pictograms.

Words are matched in tiers: an exact name or keyword (score 1.0), the head word of a
longer name (0.85), then by meaning with the embedding model. A match by meaning below
THRESHOLD is left out: an unrelated pictogram would mislead the guessers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from imprompt.generations import Generations
from imprompt.images.pictogram.catalogue import KEYWORD, NAME, Catalogue
from imprompt.images.pictogram.words.forms import singular
from imprompt.images.pictogram.words.modifiers import COLOURS
from imprompt.images.pictogram.words.nouns import NO_PICTOGRAM
from imprompt.images.pictogram.words.places import SCENES, WEATHER

THRESHOLD = 0.6  # cosine; calibrated on everyday words vs. nonsense (see docs/images.md)
SUBWORD_THRESHOLD = 0.75  # words the model splits into pieces match on fragments: be stricter
HEAD_SCORE = 0.85
WORDS = 4096  # per generation; a word's match depends on nothing else (an unknown one costs an embedding)


@dataclass(frozen=True)
class Match:
    index: int
    score: float
    via: str


class Matcher:
    def __init__(self, catalogue: Catalogue, is_word: Callable[[str], bool] | None = None) -> None:
        self.cat = catalogue
        self._is_word_fn = is_word
        self._words: Generations[tuple[Match | None, bool, float]] = Generations(WORDS)
        self._known: frozenset[str] | None = None

    def clear_cache(self) -> None:
        self._words.clear()

    def _is_word(self, word: str) -> bool:
        if self._is_word_fn is None:
            from imprompt.similarity.embeddings import is_vocab_word

            self._is_word_fn = is_vocab_word
        return self._is_word_fn(word)

    def exact(self, phrase: str) -> Match | None:
        owners = self.cat.exact.get(phrase)
        if not owners:
            return None
        term = owners[0]
        kind = self.cat.term_kind[term]
        via = "keyword" if kind == KEYWORD else "name" if kind == NAME else "alias"
        return Match(self.cat.term_owner[term], 1.0, via)

    def prefix(self, phrase: str) -> Match | None:
        """A name's first words ("magnifying glass" for "magnifying glass tilted left")."""
        owners = self.cat.prefixes.get(phrase)
        return Match(owners[0], HEAD_SCORE, "head") if owners else None

    def word(self, word: str) -> tuple[Match | None, bool, float]:
        """Best match for one content word: (match or None, plural?, best score seen)."""
        found = self._words.get(word)
        if found is None:
            found = self._word(word)
            self._words.put(word, found)
        return found

    def _word(self, word: str) -> tuple[Match | None, bool, float]:
        base, plural = singular(word, self.cat.exact)
        for candidate in dict.fromkeys((word, base)):
            hit = self.exact(candidate)
            if hit:
                return hit, plural, 1.0
        for plural_name in _plural_forms(base):  # "pancake": the name is "pancakes"
            hit = self.exact(plural_name)
            if hit and self.cat.pictograms[hit.index].name == plural_name:
                return hit, plural, 1.0
        heads = self.cat.heads.get(base)
        if heads:
            return Match(heads[0], HEAD_SCORE, "head"), plural, HEAD_SCORE
        query = np.asarray(self.cat.embed([base]), dtype=np.float32)[0]
        scores = np.where(self.cat.flag_terms, -1.0, self.cat.vectors @ query)
        best = int(np.argmax(scores))
        score = float(scores[best])
        if score < (THRESHOLD if self._is_word(base) else SUBWORD_THRESHOLD):
            return self.compound(base), plural, score
        return Match(self.cat.term_owner[best], score, "meaning"), plural, score

    def compound(self, word: str) -> Match | None:
        """A word made of two: "starfish" is a fish, "doghouse" a house (the last part names it)."""
        if word.endswith("ing"):
            return None  # "sinking" is no sin and a king
        known = self._known
        if known is None:  # the union was most of a compound's cost, built anew for each word
            known = self._known = frozenset(self.cat.exact.keys() | SCENES.keys() | WEATHER.keys() | COLOURS.keys())
        for cut in range(3, len(word) - 3):
            head, tail = word[:cut], singular(word[cut:], self.cat.exact)[0]
            hit = self.exact(tail)
            if hit and head in known and tail not in NO_PICTOGRAM:  # both parts whole words ("carpet": no pet)
                return Match(hit.index, HEAD_SCORE, "compound")
        return None


def _plural_forms(word: str) -> list[str]:
    forms = [word + "s", word + "es"]
    if word.endswith("y") and len(word) > 2:
        forms.append(word[:-1] + "ies")
    return forms
