"""What WordNet knows about two words: synonyms, broader and narrower words, opposites.

The data is `data/wordnet.npz`, built from Princeton WordNet 3.0 by `build_lexicon.py`
(see there). It is a set of flat numpy arrays: lemma strings, each lemma's senses in
frequency order, and per synset its lemmas, hypernyms, similar-to and derivational links;
antonyms are kept per lemma. Loading it takes about 0.1-0.15 s and 33 MiB.

`relation(a, b)` answers one question: how much credit does guess word `b` deserve for
prompt word `a`, by meaning, and why. Results are cached in a bounded dict with plain
string keys and float values, so the cache adds no work for the cyclic garbage collector.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .cache import FloatCache

DATA = Path(__file__).parent / "data" / "wordnet.npz"

# kinds of relation, as small ints so they fit a float cache value
NONE, SYNONYM, SIMILAR, BROADER, NARROWER, DERIVED, ANTONYM = range(7)
KIND_NAMES = ("none", "synonym", "similar", "broader", "narrower", "derived", "antonym")

SYNONYM_SCORE = 0.92
SIMILAR_SCORE = 0.85
DERIVED_SCORE = 0.72
CLUSTER_SCORE = 0.7
# The guess is a more general word ("bird" for penguin): credit falls with each step up,
# and with how general the word is ("food" for pizza, "thing" for anything: little).
BROADER_FIRST = 0.72  # one step up: "feline" for cat, "lake" for pond
BROADER_STEP = 0.04  # less for each further step...
BROADER_STEPS = 8
GENERAL_FROM = 100  # ...and less for a word with more than this many kinds below it
GENERAL_SLOPE = 0.8  # credit lost per tenfold more kinds ("bird" 871: 0.25, "food" 1526: floor)
GENERAL_FLOOR = 0.1
# The guess is more specific ("poodle" for dog): most of the credit, it is still that thing.
NARROWER_BY_STEP = (0.0, 0.76, 0.68, 0.58, 0.48)
MAX_SENSE_RANK = 6  # rarer senses of a word are ignored (dog as "frankfurter" is sense 5)
RANK_STEP = 0.0  # each less frequent sense could count less; on the train split it did not help
RANK_FLOOR = 0.75  # (the floor, if RANK_STEP is set)


@dataclass(frozen=True)
class Lexicon:
    index: dict[str, int]  # lemma -> id; str keys and int values, so the collector skips it
    # a score or so of array.array tables, not numpy: slicing a few items is ~10x cheaper
    # (no list of the 147k lemma strings is kept: the collector would walk it every pass)
    arrays: dict[str, array]

    def _slice(self, name: str, i: int) -> array:
        off = self.arrays[name + "_off"]
        return self.arrays[name][off[i] : off[i + 1]]

    def senses(self, lemma: int) -> list[tuple[int, int]]:
        off = self.arrays["sense_off"]
        a, b = off[lemma], off[lemma + 1]
        ids, ranks = self.arrays["sense"][a:b], self.arrays["rank"][a:b]
        return [(s, r) for s, r in zip(ids, ranks, strict=True) if r <= MAX_SENSE_RANK]

    def hypernyms(self, synset: int) -> array:
        return self._slice("hyper", synset)

    def similar(self, synset: int) -> array:
        return self._slice("similar", synset)

    def derived(self, synset: int) -> array:
        return self._slice("deriv", synset)

    def antonyms(self, lemma: int) -> array:
        return self._slice("anto", lemma)

    def synset_lemmas(self, synset: int) -> array:
        return self._slice("syn_lemma", synset)

    def gloss(self, synset: int) -> array:
        return self._slice("gloss", synset)

    def parts(self, lemma: int) -> array:
        """The words of a compound lemma ("snowman": snow, man), as lemma ids."""
        return self._slice("parts", lemma)

    def agent(self, lemma: int) -> array:
        """The verb of an agent noun ("fighter": fight), as a lemma id, or nothing."""
        return self._slice("agent", lemma)

    def below(self, synset: int) -> int:
        """How many synsets are kinds of this one (its hyponym closure)."""
        return self.arrays["desc"][synset]


@lru_cache(maxsize=1)
def load() -> Lexicon:
    with np.load(DATA) as z:
        raw = {k: z[k] for k in z.files}
    lemmas = bytes(raw.pop("lemmas")).decode("utf-8").split("\n")
    arrays = {k: array("b" if v.dtype == np.int8 else "i", v.tobytes()) for k, v in raw.items()}
    index = {w: i for i, w in enumerate(lemmas)}
    for w, i in list(index.items()):
        # players' hyphens become spaces ("hot-air balloon" is read "hot air balloon")
        if "-" in w:
            index.setdefault(w.replace("-", " "), i)
    return Lexicon(index, arrays)


_VERB_EXC = {"ran": "run", "ate": "eat", "flew": "fly", "swam": "swim", "sang": "sing", "drove": "drive"}


def candidates(word: str) -> list[str]:
    """The word and the base forms it may be an inflection of (skating -> skate,
    erupting -> erupt, running -> run), most likely first; WordNet decides which exist."""
    out = [word]
    if word in _VERB_EXC:
        out.append(_VERB_EXC[word])
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("ies", "y")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: len(word) - len(suffix)] + repl
            out.append(base)
            if repl == "" and len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                out.append(base[:-1])  # running -> run, swimming -> swim
    return out


def lemma_ids(word: str) -> list[int]:
    lex = load()
    seen: list[int] = []
    for c in candidates(word):
        i = lex.index.get(c)
        if i is not None and i not in seen:
            seen.append(i)
    return seen


DEFINITION_SENSES = 3  # a definition is read for a word's most frequent senses only

# word -> lemma ids, packed as int32 bytes: bytes are atomic, so these dicts stay untracked
# by the collector (an array.array would be a tracked object per entry)
_ids: dict[str, bytes] = {}
_defs: dict[str, bytes] = {}  # word -> its two definition id lists (see _join)
_IDS_MAX = 65536


def _pack(ints: Iterable[int]) -> bytes:
    return array("i", ints).tobytes()


def _ints(packed: bytes) -> memoryview:
    return memoryview(packed).cast("i")


def word_ids(word: str) -> memoryview:
    ids = _ids.get(word)
    if ids is None:
        ids = _pack(lemma_ids(word))
        if len(_ids) >= _IDS_MAX:
            _ids.clear()
        _ids[word] = ids
    return _ints(ids)


def _definition(word: str) -> tuple[bytes, bytes, bytes]:
    """(all, core): lemma ids of what describes a word. `all` holds the words of its
    definitions ("hot dog": frankfurter, serve, hot, bun), its synonyms and broader words
    (sausage, sandwich...), and `core`. `core` holds what the word is made of: the verb of
    an agent noun (baker: bake) and the parts of the word or of a synonym that the
    definition confirms (snowman, "a figure of a person made of packed snow": snow, and
    man, a kind of person; firefighter: fire, and with it the agent fighter and fight).
    A seahorse's "sea" is confirmed by nothing, so "a horse in the sea" gets no part.
    `loose` holds weaker evidence: the definition's own words, and those of the definition
    of what the word is a kind of (an airport is an airfield, "a place where planes take
    off and land")."""
    lex = load()
    own = word_ids(word)
    gloss: set[int] = set()
    names: set[int] = set()
    synonyms: set[int] = set(own)
    core: set[int] = set()
    loose: set[int] = set()
    kinds: set[int] = set()  # what the word is a kind of: a part that is one too confirms nothing
    for i in own:
        core.update(lex.agent(i))
        for s, r in lex.senses(i):
            if r > DEFINITION_SENSES:
                continue
            gloss.update(lex.gloss(s))
            synonyms.update(lex.synset_lemmas(s))
            for h in lex.hypernyms(s):
                names.update(lex.synset_lemmas(h))
                if r == 1:
                    loose.update(lex.gloss(h))
    compounds = [(lemma, parts) for lemma in synonyms if (parts := lex.parts(lemma))]
    if compounds:
        # a butterfly is an insect, as a fly is: that does not make it a fly
        for i in own:
            for s, r in lex.senses(i):
                if r <= DEFINITION_SENSES:
                    for t in _ancestors(s, 4):
                        kinds.update(lex.synset_lemmas(t))
    mentioned = gloss - kinds
    for lemma, parts in compounds:
        confirmed = [p for p in parts if p in gloss or not mentioned.isdisjoint(_ints(_reach(p)))]
        if not confirmed:
            continue
        # the word's own parts may be said in other words ("guy" for wealthy man's man);
        # a synonym's ("water ice" for ice) only as they are
        into = core if lemma in own else names
        into.update(confirmed)
        head = parts[-1]
        if lex.agent(head):
            # "fire" is confirmed, so a fire-fighter is one who fights (it)
            into.add(head)
            into.update(lex.agent(head))
    names.update(synonyms, gloss, core)
    # and the definitions' nouns in other words: "bun" is also a roll, "television"
    # a tv (a verb's synonyms wander: to chase is to dog)
    nouns_end = lex.arrays["pos_start"][1]
    for g in gloss:
        for s, r in lex.senses(g):
            if r == 1 and s < nouns_end:
                names.update(lex.synset_lemmas(s))
    names.difference_update(own)
    core.difference_update(own)
    loose.update(gloss)
    loose.difference_update(own)
    return _pack(sorted(names)), _pack(sorted(core)), _pack(sorted(loose))


ALL, CORE, LOOSE = range(3)


def definition_ids(word: str, part: int = ALL) -> memoryview:
    """Lemma ids of what describes a word (see `_definition`): ALL, CORE or LOOSE."""
    found = _defs.get(word)
    if found is None:
        found = _join(_definition(word))
        if len(_defs) >= _IDS_MAX:
            _defs.clear()
        _defs[word] = found
    ids = _ints(found)
    start = 3 + sum(ids[:part])
    return ids[start : start + ids[part]]


def _join(lists: tuple[bytes, ...]) -> bytes:
    """Packed id lists as one bytes value: their three lengths, then each list."""
    return _pack(len(x) // 4 for x in lists) + b"".join(lists)


_reaches: dict[int, bytes] = {}


def _reach(lemma: int) -> bytes:
    """Lemma ids close to a lemma: its synonyms, similar and derived words (two most
    frequent senses), the verb of an agent noun, and two steps up from its first sense
    (man: adult, male, person). Packed like _ids."""
    found = _reaches.get(lemma)
    if found is None:
        lex = load()
        out: set[int] = set(lex.agent(lemma))
        for s, r in lex.senses(lemma):
            if r > 2:
                continue
            out.update(lex.synset_lemmas(s))
            for t in (*lex.similar(s), *lex.derived(s)):
                out.update(lex.synset_lemmas(t))
            if r == 1:
                for t, steps in _ancestors(s, 2).items():
                    if steps:
                        out.update(lex.synset_lemmas(t))
        found = _pack(sorted(out))
        if len(_reaches) >= _IDS_MAX:
            _reaches.clear()
        _reaches[lemma] = found
    return found


def _contains(ids: memoryview, i: int) -> bool:
    k = bisect_left(ids, i)
    return k < len(ids) and ids[k] == i


def describes(word: str, prompt_word: str) -> float:
    """How well `word` shows up in what describes `prompt_word` (see _definition): 1 when
    it is one of those words, or close to what the word is made of ("guy" for the man of
    "wealthy man", "rich" for its wealthy); 0.5 when it is a word of the looser definitions
    or close to one ("man" for the person a farmer is); 0 otherwise, and for an opposite."""
    ids = word_ids(word)
    if not ids or are_opposites(word, prompt_word):
        return 0.0
    # "person", "animal", "device": a word this general fits half the definitions there are
    full = 0.5 if _is_general(word, ids) else 1.0
    every, core, loose = _definition_sets(prompt_word)
    for i in ids:
        if i in every:
            return full
    if not core and not loose:
        return 0.0
    near = _near_set(word)
    if core and not near.keys().isdisjoint(core):
        return full
    if loose:
        for i in ids:
            if i in loose:
                return 0.5
        if not near.keys().isdisjoint(loose):
            return 0.5
    return 0.0


# Per word, the id lists above as dicts of int -> None: a membership test in C instead of a
# bisect in Python. Such a dict holds no object the collector follows, so it is untracked;
# only each cache's outer dict is tracked. ~3 KiB a word, hence the smaller bound.
_SETS_MAX = 8192
_every: dict[str, dict[int, None]] = {}
_cores: dict[str, dict[int, None]] = {}
_looses: dict[str, dict[int, None]] = {}
_nears: dict[str, dict[int, None]] = {}


def _definition_sets(word: str) -> tuple[dict[int, None], dict[int, None], dict[int, None]]:
    every = _every.get(word)
    if every is None:
        if len(_every) >= _SETS_MAX:
            _every.clear()
            _cores.clear()
            _looses.clear()
        every = _every[word] = dict.fromkeys(definition_ids(word))
        _cores[word] = dict.fromkeys(definition_ids(word, CORE))
        _looses[word] = dict.fromkeys(definition_ids(word, LOOSE))
    return every, _cores[word], _looses[word]


def _near_set(word: str) -> dict[int, None]:
    """Lemma ids close to the word's lemmas (`_reach` of each)."""
    near = _nears.get(word)
    if near is None:
        near = {}
        for i in word_ids(word):
            near.update(dict.fromkeys(_ints(_reach(i))))
        if len(_nears) >= _SETS_MAX:
            _nears.clear()
        _nears[word] = near
    return near


_generals: dict[str, bool] = {}  # word -> _general(its ids); str keys, bool values: untracked


def _is_general(word: str, ids: memoryview) -> bool:
    known = _generals.get(word)
    if known is None:
        known = _general(ids)
        if len(_generals) >= _IDS_MAX:
            _generals.clear()
        _generals[word] = known
    return known


GENERAL_WORD = 2000  # kinds below a word's first sense that make it too general to define


def _general(ids: Iterable[int]) -> bool:
    lex = load()
    return any(lex.below(s) > GENERAL_WORD for i in ids for s, r in lex.senses(i) if r == 1)


def is_part(word: str, compound: str) -> bool:
    """True when `word` is one of the words `compound` is made of ("horse" of seahorse,
    "bank" of piggy bank), in any of its forms."""
    lex = load()
    parts = {p for i in word_ids(compound) for p in lex.parts(i)}
    return any(i in parts for i in word_ids(word))


def is_word(word: str) -> bool:
    """True for a word WordNet knows, in any of its forms (not function words, which it lacks)."""
    return bool(word_ids(word))


_made_up: dict[str, bool] = {}


def made_up(word: str) -> bool:
    """True when WordNet knows neither the word nor two words it could be split into
    ("smartphone" is smart + phone, so it is not made up; "mfohze" is)."""
    known = _made_up.get(word)
    if known is None:
        known = not is_word(word) and not any(
            lemma_ids(word[:i]) and lemma_ids(word[i:]) for i in range(3, len(word) - 2)
        )
        if len(_made_up) >= _IDS_MAX:
            _made_up.clear()
        _made_up[word] = known
    return known


def unrelated_words(a: str, b: str) -> bool:
    """True when WordNet knows both words, they are not forms of one lemma, no sense of one
    relates to a sense of the other, and neither defines the other: butter and butterfly
    only look alike."""
    la, lb = lemma_ids(a), lemma_ids(b)
    if not la or not lb or set(la) & set(lb):
        return False
    if relation(a, b)[1] != NONE or relation(b, a)[1] != NONE:
        return False
    short, long_ = sorted((a, b), key=len)
    rest = long_[len(short) :] if long_.startswith(short) else ""
    return not (rest and _kind_of(long_, rest))  # a rooftop is a top (of a roof): a form


def is_verb(word: str) -> bool:
    """True for a verb form ("playing", "riding", "erupting"): a word ending in -ing or -ed
    whose base, or itself, is a verb in WordNet."""
    if not word.endswith(("ing", "ed")):
        return False
    lex = load()
    start = lex.arrays["pos_start"]
    return any(start[1] <= s < start[2] for i in lemma_ids(word) for s, _ in lex.senses(i))


def is_compound(words: str) -> bool:
    """True when the words, as written with spaces, are one WordNet entry ("hot dog")."""
    return words in load().index


def is_noun(words: str) -> bool:
    """True when WordNet has the entry as a noun ("hot dog"; not "man made", an adjective)."""
    lex = load()
    i = lex.index.get(words)
    return i is not None and any(s < lex.arrays["pos_start"][1] for s, _ in lex.senses(i))


_compositional: dict[str, bool] = {}


def is_compositional(name: str) -> bool:
    """True when a compound is a kind of its last word ("spider web" is a web, "old man" a
    man) and false when it is not ("hot dog" is no dog, "teddy bear" no bear)."""
    known = _compositional.get(name)
    if known is None:
        known = _kind_of(name, name.rsplit(" ", 1)[-1])
        if len(_compositional) >= 8192:
            _compositional.clear()
        _compositional[name] = known
    return known


def _kind_of(word: str, head: str) -> bool:
    """Some frequent sense of `word` sits within two steps below a frequent sense of `head`."""
    lex = load()
    heads = {s for i in lemma_ids(head) for s, r in lex.senses(i) if r <= 3}
    return any(t in heads for i in lemma_ids(word) for s, _ in lex.senses(i) for t in _ancestors(s, 2))


def _rank_weight(rank: int) -> float:
    return max(RANK_FLOOR, 1.0 - RANK_STEP * (rank - 1))


# synset -> its ancestors, flat [synset, steps, synset, steps, ...], packed like _ids.
_up: dict[int, bytes] = {}
_UP_MAX = 65536


def _ancestor_array(synset: int) -> memoryview:
    """The synset and its ancestors up to 8 steps, flat: [synset, steps, synset, steps, ...]."""
    flat = _up.get(synset)
    if flat is None:
        lex = load()
        out = {synset: 0}
        frontier = [synset]
        for step in range(1, 9):
            nxt = []
            for s in frontier:
                for u in lex.hypernyms(s):
                    if u not in out:
                        out[u] = step
                        nxt.append(u)
            frontier = nxt
        flat = _pack([x for kv in out.items() for x in kv])
        if len(_up) >= _UP_MAX:
            _up.clear()
        _up[synset] = flat
    return _ints(flat)


def _ancestors(synset: int, max_steps: int = 8) -> dict[int, int]:
    flat = _ancestor_array(synset)
    it = iter(flat)
    return {s: d for s, d in zip(it, it, strict=True) if d <= max_steps}


def _generality(synset: int) -> float:
    kinds = load().below(synset)
    if kinds <= GENERAL_FROM:
        return 1.0
    return max(GENERAL_FLOOR, 1.0 - GENERAL_SLOPE * math.log10(kinds / GENERAL_FROM))


def _broader(steps: int) -> float:
    return max(0.0, BROADER_FIRST - BROADER_STEP * (steps - 1))


_antonyms: dict[str, bytes] = {}  # word -> lemma ids of its opposites, packed like _ids
_opposite_sets: dict[str, dict[int, None]] = {}  # the same as dicts, for membership tests


def opposites(word: str) -> memoryview:
    """Lemma ids of the word's opposites: its WordNet antonyms, and for adjectives the
    antonyms of the adjectives it is similar to ("icy" is similar to "cold", whose
    antonym is "hot")."""
    ids = _antonyms.get(word)
    if ids is None:
        lex = load()
        out: set[int] = set()
        for a in word_ids(word):
            out.update(lex.antonyms(a))
            for s, _ in lex.senses(a):
                for sim in lex.similar(s):
                    for lemma in lex.synset_lemmas(sim):
                        out.update(lex.antonyms(lemma))
        ids = _pack(sorted(out))
        if len(_antonyms) >= _IDS_MAX:
            _antonyms.clear()
        _antonyms[word] = ids
    return _ints(ids)


def _opposite_set(word: str) -> dict[int, None]:
    found = _opposite_sets.get(word)
    if found is None:
        found = dict.fromkeys(opposites(word))
        if len(_opposite_sets) >= _IDS_MAX:
            _opposite_sets.clear()
        _opposite_sets[word] = found
    return found


def are_opposites(a: str, b: str) -> bool:
    oa = _opposite_set(a)
    if oa:
        for i in word_ids(b):
            if i in oa:
                return True
    ob = _opposite_set(b)
    if ob:
        for i in word_ids(a):
            if i in ob:
                return True
    return False


# prompt word -> what its senses reach, for any guess word: guess synset -> best credit
# before the guess sense's own rank weight, and its kind; and the weights of the prompt's senses by rank.
# A prompt is guessed many times with ever new words: this is worked out once per
# prompt word instead of once per (prompt word, guess word) pair (bench/README.md).
# Dicts of ints and floats only, so the collector does not track them.
_profiles: dict[str, tuple[dict[int, float], dict[int, int], dict[int, float]]] = {}
_PROFILES_MAX = 4096


def _profile(a: str) -> tuple[dict[int, float], dict[int, int], dict[int, float]]:
    found = _profiles.get(a)
    if found is not None:
        return found
    lex = load()
    value: dict[int, float] = {}
    kinds: dict[int, int] = {}

    def offer(t: int, v: float, k: int) -> None:
        if v > value.get(t, 0.0):
            value[t], kinds[t] = v, k

    p_senses = [x for i in word_ids(a) for x in lex.senses(i)]
    for s, rp in p_senses:
        wp = _rank_weight(rp)
        offer(s, SYNONYM_SCORE * wp, SYNONYM)
        for t in lex.similar(s):
            offer(t, SIMILAR_SCORE * wp, SIMILAR)
            if CLUSTER_SCORE:
                # two adjectives around one head ("scary" and "creepy" both near "frightening")
                for u in lex.similar(t):
                    if u != s:
                        offer(u, CLUSTER_SCORE * wp, SIMILAR)
        for t in lex.derived(s):
            offer(t, DERIVED_SCORE * wp, DERIVED)
        flat = _ancestor_array(s)
        for k in range(2, len(flat), 2):
            t, steps = flat[k], flat[k + 1]
            if steps <= BROADER_STEPS:
                offer(t, _broader(steps) * _generality(t) * wp, BROADER)
    p_rank: dict[int, int] = {}
    for s, r in p_senses:
        p_rank[s] = min(r, p_rank.get(s, r))
    p_weight = {s: _rank_weight(r) for s, r in p_rank.items()}
    if len(_profiles) >= _PROFILES_MAX:
        _profiles.clear()
    found = _profiles[a] = (value, kinds, p_weight)
    return found


# guess word -> the weights of its senses by rank, and the synsets above them: ancestor -> best credit
# for "the guess is more specific", before the prompt sense's rank weight. Guess words
# recur across prompts, so this too is worked out once per word.
_guesses: dict[str, tuple[dict[int, float], dict[int, float]]] = {}


def _guess_side(b: str) -> tuple[dict[int, float], dict[int, float]]:
    found = _guesses.get(b)
    if found is not None:
        return found
    lex = load()
    g_rank: dict[int, int] = {}
    up: dict[int, float] = {}
    for i in word_ids(b):
        for s, r in lex.senses(i):
            g_rank[s] = min(r, g_rank.get(s, r))
            wg = _rank_weight(r)
            flat = _ancestor_array(s)
            for k in range(2, len(flat), 2):
                steps = flat[k + 1]
                if steps < len(NARROWER_BY_STEP):
                    v = NARROWER_BY_STEP[steps] * wg
                    if v > up.get(flat[k], 0.0):
                        up[flat[k]] = v
    g_weight = {s: _rank_weight(r) for s, r in g_rank.items()}
    if len(_guesses) >= _PROFILES_MAX:
        _guesses.clear()
    found = _guesses[b] = (g_weight, up)
    return found


def _compute(a: str, b: str) -> tuple[float, int]:
    if not word_ids(a) or not word_ids(b):
        return 0.0, NONE
    if are_opposites(a, b):
        return 0.0, ANTONYM
    value, kinds, p_weight = _profile(a)
    g_weight, up = _guess_side(b)
    best, kind = 0.0, NONE
    # the guess's senses, reached from the prompt's (same, similar, derived, broader)
    for t, w in g_weight.items():
        v = value.get(t)
        if v is not None:
            v *= w
            if v > best:
                best, kind = v, kinds[t]
    # the prompt's senses above the guess's: the guess is more specific
    for t, w in p_weight.items():
        v = up.get(t)
        if v is not None:
            v *= w
            if v > best:
                best, kind = v, NARROWER
    return best, kind


_cache = FloatCache(65536)


def relation(a: str, b: str) -> tuple[float, int]:
    """(credit 0..1, kind) for guess word `b` standing for prompt word `a`."""
    key = a + "\x00" + b
    v = _cache.get(key)
    if v is None:
        score, kind = _compute(a, b)
        v = kind * 10.0 + score
        _cache.put(key, v)
    kind = int(v // 10)
    return v - 10.0 * kind, kind


def new_relation(a: str, b: str) -> tuple[float, int]:
    """`relation` for a pair not seen yet, without the cache: the same value, rounded
    through the same packing (kind * 10 + score) as a cached one."""
    score, kind = _compute(a, b)
    v = kind * 10.0 + score
    kind = int(v // 10)
    return v - 10.0 * kind, kind


def clear_caches() -> None:
    _cache.clear()
    _profiles.clear()
    _guesses.clear()
    _up.clear()
    _ids.clear()
    _defs.clear()
    _reaches.clear()
    _antonyms.clear()
    _opposite_sets.clear()
    _compositional.clear()
    _generals.clear()
    _made_up.clear()
    _every.clear()
    _cores.clear()
    _looses.clear()
    _nears.clear()
