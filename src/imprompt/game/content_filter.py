"""Word blocklist for prompts, guesses, chat and names.

Matching works on whole words of a normalised copy of the text, so "class",
"assassin" and "Scunthorpe" pass while "A$$", "shiiit" and "s.h.i.t" do not.
Blocklist syntax (one term per line, ``#`` comments):
  ``word``        the word, plus plural s/es
  ``word*``       any word starting with ``word``
  ``two words``   the words with any separators (or none) between them
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from importlib import resources

# Look-alike characters people use to dodge filters.
_SUBSTITUTES = {
    "a": "4@",
    "b": "8",
    "e": "3",
    "i": "1!|",
    "l": "1!|",
    "o": "0",
    "s": "5$",
    "t": "7+",
}
# What may sit between single spaced-out letters: "s h i t", "s.h.i.t".
_SPACER = r"[\s.,\-_*~/\\'\"]+"
# A "word character" for boundaries; underscore counts as a separator.
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"


def _letter(ch: str) -> str:
    # Each letter may repeat ("shiiit") and be swapped for a look-alike.
    if ch.isalnum():
        return f"[{re.escape(ch + _SUBSTITUTES.get(ch, ''))}]+"
    return re.escape(ch) + "?"


def _word_pattern(word: str) -> str:
    letters = [_letter(ch) for ch in word]
    joined = "".join(letters)
    if len(letters) < 2:
        return joined
    spaced = _SPACER.join(letters)
    return f"(?:{joined}|{spaced})"


def _term_pattern(term: str) -> str:
    prefix = term.endswith("*")
    words = re.split(r"[\s\-]+", term.rstrip("*").strip())
    body = r"[\W_]*".join(_word_pattern(w) for w in words if w)
    tail = r"\w*" if prefix else r"(?:[e3]?[s5$]+)?"
    return body + tail + _AFTER


def _normalise(text: str) -> str:
    # Fold case, width and accents ("ＳＨÏＴ" -> "shit"); drop invisible marks.
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))


def _parse_terms(lines: Iterable[str]) -> list[str]:
    terms = []
    for line in lines:
        term = _normalise(line.split("#", 1)[0]).strip()
        if term.rstrip("*").strip():
            terms.append(" ".join(term.split()))
    return terms


def load_default_terms() -> list[str]:
    text = resources.files(__package__).joinpath("data/blocklist.txt").read_text("utf-8")
    return _parse_terms(text.splitlines())


class ContentFilter:
    """Finds blocked terms in short texts with one precompiled regex."""

    def __init__(self, extra_words: Iterable[str] = (), *, use_default: bool = True) -> None:
        terms = (load_default_terms() if use_default else []) + _parse_terms(extra_words)
        self.terms: list[str] = list(dict.fromkeys(terms))
        if self.terms:
            alternatives = (f"(?P<t{i}>{_term_pattern(t)})" for i, t in enumerate(self.terms))
            # One shared boundary check up front lets the engine skip most
            # positions before trying any alternative.
            pattern = _BEFORE + "(?:" + "|".join(alternatives) + ")"
            self._regex: re.Pattern[str] | None = re.compile(pattern)
        else:
            self._regex = None

    def check(self, text: str) -> str | None:
        """Return the blocked term found in `text` (for logs), or None."""
        if self._regex is None or not text:
            return None
        match = self._regex.search(_normalise(text))
        if match is None:
            return None
        return self.terms[int(match.lastgroup[1:])]  # type: ignore[index]


DEFAULT_FILTER = ContentFilter()
