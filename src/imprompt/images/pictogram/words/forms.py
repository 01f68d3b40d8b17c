"""Word forms: a prompt's words, the little words passed over, plurals read as one."""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset(
    """a an the of to at is are was were be been being it its this that these those my your
    his her their our some very really so just top front middle side from for as than
    while during who which what there here out up down off away""".split()
)


def tokens(prompt: str) -> list[str]:
    text = unicodedata.normalize("NFKD", prompt.lower().replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))  # "piñata", "café": plain letters
    found = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)
    return [t[:-2] if t.endswith("'s") else t for t in found]


IRREGULAR_PLURALS = {
    "mice": "mouse",
    "geese": "goose",
    "feet": "foot",
    "teeth": "tooth",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    "sheep": "sheep",
    "fish": "fish",
    "deer": "deer",
    "oxen": "ox",
    "cacti": "cactus",
    "wolves": "wolf",
    "knives": "knife",
    "leaves": "leaf",
    "loaves": "bread",
    "elves": "elf",
    "dwarves": "dwarf",
    "fairies": "fairy",
    "puppies": "puppy",
    "ponies": "pony",
    "bunnies": "bunny",
}


# Words that look plural but are not.
NOT_PLURAL = frozenset("bus cactus octopus glass grass dress chess news boss class princess".split())


def singular(word: str, known: set[str] | dict) -> tuple[str, bool]:
    """Return (singular form, was plural). Only strips endings when the result is known."""
    if word in IRREGULAR_PLURALS:
        base = IRREGULAR_PLURALS[word]
        return base, base != word  # "sheep", "fish": one, unless a count says more
    if word in NOT_PLURAL or len(word) < 4 or not word.endswith("s"):
        return word, False
    candidates = []
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("ves"):
        candidates += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("es"):
        candidates.append(word[:-2])
    candidates.append(word[:-1])
    for candidate in candidates:
        if candidate in known:
            return candidate, True
    if word in known:
        return word, False
    if word.endswith("ss") or word.endswith("us") or word.endswith("is"):
        return word, False
    return candidates[-1], True
