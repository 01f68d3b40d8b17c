"""Turn a prompt or guess into the words that carry its meaning.

Case, accents, punctuation and plurals are removed so they never cost points. Words get
one of three weights: function words carry nothing and are dropped (articles, pronouns,
auxiliaries); "light" words count half (spatial prepositions: "on" vs "under", and verbs
like "taking" that mostly carry grammar); everything else is a content word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .lexical import typo_score
from .lexicon import is_compositional, is_compound, is_noun, is_verb

STOPWORDS = frozenset(
    """
    a an the this that these those there here it its is are was were be been being am
    of and or but nor so to for as by from than then
    i me my mine you your yours he him his she her hers we us our ours they them their theirs
    who whom whose which what whats some any each every just very really quite
    do does did doing has have had having will would can could should shall may might must
    not no yes please maybe like kind sort
    dont doesnt didnt isnt arent wasnt werent cant wont im youre hes shes theyre thats theres
    """.split()
)

LIGHT_WORDS = frozenset(
    """
    on in under over above below behind beside besides inside outside near next with without
    at into onto through across between around up down out off against along among beneath
    underneath during after before while toward towards upon atop within beyond past via
    """.split()
)

# Spatial opposites: guessing one for the other is a contradiction, not an omission.
_OPPOSITE_PAIRS = [
    ("on", "under"),
    ("on", "off"),
    ("over", "under"),
    ("above", "below"),
    ("above", "beneath"),
    ("above", "underneath"),
    ("inside", "outside"),
    ("in", "out"),
    ("into", "out"),
    ("up", "down"),
    ("with", "without"),
    ("before", "after"),
    ("behind", "before"),
    ("near", "beyond"),
    ("onto", "off"),
    ("atop", "under"),
    ("within", "outside"),
]


def _symmetric(pairs: list[tuple[str, str]]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for a, b in pairs:
        out[a] = out.get(a, frozenset()) | {b}
        out[b] = out.get(b, frozenset()) | {a}
    return out


OPPOSITES = _symmetric(_OPPOSITE_PAIRS)

# Verbs that mostly carry grammar ("taking a bath" ~ "bathing"): content, at light weight.
WEAK_VERBS = frozenset(
    """
    take takes taking took taken make makes making made get gets getting got
    have having has go goes going went do doing done give gives giving gave put putting
    """.split()
)

# A verb that a preposition can stand for: "a pig in sunglasses" is "a pig wearing
# sunglasses", "a cat on a skateboard" is nearly "a cat riding a skateboard".
VERB_PREPOSITIONS = {
    "wearing": frozenset({"in", "with"}),
    "holding": frozenset({"with"}),
    "carrying": frozenset({"with"}),
    "having": frozenset({"with"}),
    "riding": frozenset({"on", "atop"}),
    "sitting": frozenset({"on", "in", "atop"}),
    "standing": frozenset({"on", "in", "atop"}),
    "lying": frozenset({"on", "in"}),
    "sleeping": frozenset({"on", "in"}),
    "living": frozenset({"in"}),
    "swimming": frozenset({"in"}),
    "flying": frozenset({"over", "above"}),
}

# Irregular plurals players actually type; regular ones are handled by rules below.
IRREGULAR = {
    "mice": "mouse",
    "geese": "goose",
    "children": "child",
    "men": "man",
    "women": "woman",
    "feet": "foot",
    "teeth": "tooth",
    "people": "person",
    "oxen": "ox",
    "dice": "die",
    "leaves": "leaf",
    "wolves": "wolf",
    "knives": "knife",
    "wives": "wife",
    "lives": "life",
    "halves": "half",
    "shelves": "shelf",
    "elves": "elf",
    "loaves": "loaf",
    "calves": "calf",
    "thieves": "thief",
    "scarves": "scarf",
    "hooves": "hoof",
    "cacti": "cactus",
    "fungi": "fungus",
}

NUMBERS = {
    "0": "zero",
    "1": "one",
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
    "10": "ten",
    "11": "eleven",
    "12": "twelve",
}

LIGHT_WEIGHT = 0.5
VERB_WEIGHT = 0.65  # a verb form ("playing") weighs this much of a thing (train split)
MAX_WORDS = 40  # bounds the cost of a pasted essay; anything that long is a word list anyway

_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")


def singular(word: str) -> str:
    """Rule-based singular. Wrong guesses ("movies" -> "movy") are harmless because
    both sides go through the same rules and `forms` keeps the alternatives."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    if word.endswith("ses") and len(word) > 4:
        return word[:-2]  # buses -> bus
    return word[:-1]


def forms(word: str) -> frozenset[str]:
    """Every plausible singular of a word, so "movies" ~ "movie" and "glasses" ~ "glass"."""
    out = {word, singular(word)}
    if word.endswith("s") and len(word) > 3 and not word.endswith(("ss", "us", "is")):
        out.add(word[:-1])
        if word.endswith("es"):
            out.add(word[:-2])
        if word.endswith("ies"):
            out.add(word[:-1])
        if word.endswith("ves"):
            out.update((word[:-3] + "f", word[:-3] + "fe"))
    return frozenset(out)


@dataclass(frozen=True)
class Word:
    text: str  # canonical (singular) form
    raw: str  # as typed, lower-cased
    forms: frozenset[str]
    weight: float  # 1 for content words, LIGHT_WEIGHT for prepositions and weak verbs
    light: bool  # a preposition: matched only against prepositions
    parts: tuple[str, ...] = ()  # a compound read as one unit ("hot dog"): its words
    recombined: bool = False  # the compound's words, found apart on this side ("web of a spider")


@dataclass(frozen=True)
class Phrase:
    words: tuple[Word, ...]
    function_words: int  # stopwords + light words, to tell a sentence from a word list
    commas: int

    @property
    def content(self) -> tuple[Word, ...]:
        return tuple(w for w in self.words if not w.light)


_VOWEL = re.compile(r"[aeiouy]")
_REPEAT = re.compile(r"(.)\1\1")


def looks_like_word(word: str) -> bool:
    """False for keyboard noise ("hhhhhh", "xkcd", "zzzz"), whose sub-word tokens would
    otherwise give chance resemblances in meaning."""
    if word.isdigit():
        return True
    return bool(_VOWEL.search(word)) and not _REPEAT.search(word)


def tokens(text: str) -> list[str]:
    if not text.isascii():  # ASCII has no decompositions and no combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = _POSSESSIVE.sub("", text)
    return [NUMBERS.get(t, t) for t in _WORD.findall(text.replace("'", "").replace("\u2019", ""))]


def _make(raw: str, light: bool) -> Word:
    return Word(singular(raw), raw, forms(raw), LIGHT_WEIGHT if light else 1.0, light)


_words: dict[str, Word] = {}  # raw -> its Word: guesses are new phrases of known words
_WORDS_MAX = 2048  # two tracked objects a word (the Word, its forms): keep few


def _word(raw: str, light: bool) -> Word:
    word = _words.get(raw)
    if word is None:
        word = _make(raw, light)
        if raw in WEAK_VERBS:
            word = Word(word.text, raw, word.forms, LIGHT_WEIGHT, light=False)
        elif not light and VERB_WEIGHT != 1.0 and is_verb(raw):
            # the action counts, but players look at the things first ("penguin guitar")
            word = Word(word.text, raw, word.forms, VERB_WEIGHT, light=False)
        if len(_words) >= _WORDS_MAX:
            _words.clear()
        _words[raw] = word
    return word


@lru_cache(maxsize=1024)  # a parsed phrase is ~10 objects the collector tracks: keep few
def analyse(text: str) -> Phrase:
    """Words that carry meaning, deduplicated, in order of first appearance."""
    words: list[Word] = []
    seen: set[str] = set()
    function_words = 0
    for raw in tokens(text):
        if raw in STOPWORDS:
            function_words += 1
            continue
        light = raw in LIGHT_WORDS
        function_words += light
        word = _word(raw, light)
        if word.text not in seen:
            seen.add(word.text)
            words.append(word)
            if len(words) >= MAX_WORDS:
                break
    return Phrase(tuple(words), function_words, text.count(","))


def merge_compounds(words: tuple[Word, ...], other: tuple[Word, ...]) -> tuple[Word, ...]:
    """Join adjacent words that the other side writes as one ("roof top" -> "rooftop")."""
    if len(words) < 2 or not other:
        return words
    targets = set().union(*(w.forms for w in other))
    if not targets:
        return words
    out: list[Word] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and not (words[i].light or words[i + 1].light):
            joined = words[i].raw + words[i + 1].raw
            if forms(joined) & targets:
                out.append(_make(joined, False))
                i += 2
                continue
        out.append(words[i])
        i += 1
    return tuple(out)


def _same_word(a: Word, b: Word) -> bool:
    return bool(a.forms & b.forms) or typo_score(a.text, b.text) >= 0.5


def _in_order(other: tuple[Word, ...], first: Word, second: Word) -> bool:
    return any(_same_word(other[j], first) and _same_word(other[j + 1], second) for j in range(len(other) - 1))


def _opposed(other: tuple[Word, ...], a: Word, b: Word) -> bool:
    """The other side opposes one of the words ("closed door" for "open door"): read literally."""
    from .lexicon import are_opposites

    return any(are_opposites(x.raw, w.raw) for x in (a, b) for w in other if not w.light)


def merge_lexicon_compounds(
    words: tuple[Word, ...], other: tuple[Word, ...], recombine: bool = True
) -> tuple[tuple[Word, ...], tuple[Word, ...]]:
    """Read two adjacent words that WordNet lists as one entry ("hot dog", "spider web",
    "teddy bear") as one unit, unless the other side has the same two words in the same
    order (then word by word already works, typos included). When the other side has the
    unit's words apart ("dog that is hot", "web of a spider"), those are joined too, as a
    recombined unit that the scorer judges by whether the compound means its words. The
    guess side is read so only with `recombine=False`: a guesser who writes "cat box" for
    "a cat inside a box" means the words."""
    if len(words) < 2:
        return words, other
    out: list[Word] = []
    i = 0
    while i < len(words):
        a = words[i]
        b = words[i + 1] if i + 1 < len(words) else None
        if b is None or a.light or b.light or a.parts or b.parts:
            out.append(a)
            i += 1
            continue
        c = words[i + 2] if i + 2 < len(words) else None
        # three words, one entry ("hot air balloon"): a unit unless the other side has them
        if (
            c is not None
            and not (c.light or c.parts)
            and is_compound(f"{a.text} {b.text} {c.text}")
            and not (_in_order(other, a, b) and _in_order(other, b, c))
        ):
            name3 = f"{a.text} {b.text} {c.text}"
            forms3 = frozenset({name3, name3.replace(" ", "")} | {f"{a.text} {b.text} {f}" for f in c.forms})
            raw3 = f"{a.raw} {b.raw} {c.raw}"
            out.append(Word(name3, raw3, forms3, max(a.weight, b.weight, c.weight), False, (a.text, b.text, c.text)))
            i += 3
            continue
        name = next((n for n in (f"{a.text} {b.text}", f"{a.raw} {b.text}") if is_compound(n)), None)
        if name is not None and not recombine and not is_noun(name):
            name = None  # a guess's "man made of snow" is a man, not the adjective "man-made"
        if name is None or _in_order(other, a, b) or _opposed(other, a, b):
            out.append(a)
            i += 1
            continue
        fa = next((j for j, w in enumerate(other) if _same_word(w, a)), None)
        fb = next((j for j, w in enumerate(other) if _same_word(w, b)), None)
        if fa is not None and fb is not None:
            if not recombine or is_compositional(name):
                # both words, apart ("web of a spider", "a cat inside a box"): word by word it is
                out.append(a)
                i += 1
                continue
            # the words of an idiom ("dog that is hot", "a potato on a couch"): not its meaning
            fa, fb = max(fa, fb), min(fa, fb)
            joined = Word(
                name,
                f"{other[fb].raw} {other[fa].raw}",
                frozenset({name + "~"}),
                1.0,
                False,
                (a.text, b.text),
                recombined=True,
            )
            other = other[:fb] + (joined,) + other[fa + 1 :]
        unit_forms = frozenset({name, name.replace(" ", "")} | {f"{a.text} {f}" for f in b.forms})
        out.append(Word(name, f"{a.raw} {b.raw}", unit_forms, max(a.weight, b.weight), False, (a.text, b.text)))
        i += 2
    return tuple(out), other
