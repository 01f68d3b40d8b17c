"""Prompt -> plan: which pictograms to draw, how many, how big, what colour, on what scene.

Words are matched in tiers: an exact name or keyword (score 1.0), the head word of a
longer name (0.85), then by meaning with the embedding model. A match by meaning below
THRESHOLD is left out: an unrelated pictogram would mislead the guessers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from imprompt.images.pictogram import words as W
from imprompt.images.pictogram.catalogue import KEYWORD, NAME, Catalogue, Pictogram

THRESHOLD = 0.6  # cosine; calibrated on everyday words vs. nonsense (see docs/images.md)
SUBWORD_THRESHOLD = 0.75  # words the model splits into pieces match on fragments: be stricter
HEAD_SCORE = 0.85
MAX_THINGS = 4


@dataclass
class Thing:
    word: str
    pictogram: Pictogram
    score: float
    count: int = 1
    scale: float = 1.0
    colour: str | None = None


@dataclass
class Plan:
    things: list[Thing] = field(default_factory=list)
    scene: str | None = None
    background: str | None = None  # a colour word not attached to any object
    relations: list[tuple[int, str, int]] = field(default_factory=list)
    concepts: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    index: int
    score: float
    via: str


def tokens(prompt: str) -> list[str]:
    text = prompt.lower().replace("’", "'")
    found = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)
    return [t[:-2] if t.endswith("'s") else t for t in found]


class Matcher:
    def __init__(self, catalogue: Catalogue, is_word: Callable[[str], bool] | None = None) -> None:
        self.cat = catalogue
        self._is_word_fn = is_word

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

    def word(self, word: str) -> tuple[Match | None, bool, float]:
        """Best match for one content word: (match or None, plural?, best score seen)."""
        base, plural = W.singular(word, self.cat.exact)
        for candidate in dict.fromkeys((word, base)):
            hit = self.exact(candidate)
            if hit:
                return hit, plural, 1.0
        heads = self.cat.heads.get(base)
        if heads:
            return Match(heads[0], HEAD_SCORE, "head"), plural, HEAD_SCORE
        query = np.asarray(self.cat.embed([base]), dtype=np.float32)[0]
        scores = self.cat.vectors @ query
        best = int(np.argmax(scores))
        score = float(scores[best])
        if score < (THRESHOLD if self._is_word(base) else SUBWORD_THRESHOLD):
            return None, plural, score
        return Match(self.cat.term_owner[best], score, "meaning"), plural, score


def make_plan(prompt: str, matcher: Matcher) -> Plan:
    plan = Plan()
    words = tokens(prompt)
    count: int | None = None
    scale = 1.0
    colour: str | None = None
    relation: str | None = None
    i = 0
    while i < len(words):
        word = words[i]
        # Multi-word names first ("ice cream", "hot dog", "fire engine").
        phrase_hit = None
        modifier = word in W.COLOURS or word in W.SIZES or word in W.COUNTS
        for n in (3, 2):
            # "red car" is an alias of "automobile": read the colour as a colour instead.
            if i + n <= len(words) and not modifier:
                phrase = " ".join(words[i : i + n])
                base, plural = W.singular(words[i + n - 1], matcher.cat.exact)
                for candidate in (phrase, " ".join(words[i : i + n - 1] + [base])):
                    hit = matcher.exact(candidate)
                    if hit:
                        phrase_hit = (phrase, hit, plural and candidate != phrase)
                        break
            if phrase_hit:
                break
        if phrase_hit is None and (word in W.STOPWORDS):
            i += 1
            continue
        if phrase_hit is None and word.isdigit():
            count = max(1, min(int(word), 9))
            plan.concepts.append({"word": word, "modifier": "count", "value": count})
        elif phrase_hit is None and word in W.COUNTS:
            count = W.COUNTS[word]
            plan.concepts.append({"word": word, "modifier": "count", "value": count})
        elif phrase_hit is None and word in W.SIZES:
            scale = W.SIZES[word]
            plan.concepts.append({"word": word, "modifier": "size", "value": scale})
        elif phrase_hit is None and word in W.COLOURS:
            colour = W.COLOURS[word]
            plan.concepts.append({"word": word, "modifier": "colour", "value": colour})
        elif phrase_hit is None and word in W.SCENES:
            plan.scene = plan.scene or W.SCENES[word]
            if colour and not plan.background:
                plan.background, colour = colour, None
            if relation in ("in", "on", "with", "above", "under"):
                relation = None  # "cat in space": the scene is the place, not a second object
            plan.concepts.append({"word": word, "scene": W.SCENES[word]})
        elif phrase_hit is None and word in W.RELATIONS:
            if plan.things:
                relation = W.RELATIONS[word]
                plan.concepts.append({"word": word, "relation": relation})
        else:
            match: Match | None
            if phrase_hit:
                phrase, match, plural = phrase_hit
                i += len(phrase.split()) - 1
            else:
                phrase = word
                match, plural, best = matcher.word(word)
                if match is None:
                    plan.concepts.append({"word": word, "pictogram": None, "score": round(best, 3)})
                    i += 1
                    continue
            if len(plan.things) < MAX_THINGS:
                picto = matcher.cat.pictograms[match.index]
                thing = Thing(
                    phrase,
                    picto,
                    match.score,
                    count=count if count is not None else (3 if plural else 1),
                    scale=scale,
                    colour=colour,
                )
                plan.things.append(thing)
                if relation and len(plan.things) > 1:
                    plan.relations.append((len(plan.things) - 2, relation, len(plan.things) - 1))
                plan.concepts.append(
                    {
                        "word": phrase,
                        "pictogram": picto.name,
                        "emoji": picto.char,
                        "score": round(match.score, 3),
                        "via": match.via,
                    }
                )
            count, scale, colour, relation = None, 1.0, None, None
        i += 1
    if colour and not plan.background:
        plan.background = colour
    return plan
