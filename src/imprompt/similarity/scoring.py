"""Align prompt words with guess words and turn the alignment into a 0..100 score.

Each prompt word takes its best guess word (one-to-one, greedy by score); a word pair
scores by the best of exact form, typo, and calibrated meaning. Recall (how much of the
prompt was found) dominates; extra guess words cost precision, and a bare list of words
costs much more, so naming everything never beats a precise guess. A whole-phrase
embedding similarity is blended in to credit paraphrases that do not align word by word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import lexicon
from .cache import FloatCache, RowCache
from .embeddings import is_vocab_word
from .lexical import form_score, new_typo_score
from .normalize import (
    OPPOSITES,
    VERB_PREPOSITIONS,
    Phrase,
    Word,
    analyse,
    forms,
    looks_like_word,
    merge_compounds,
    merge_lexicon_compounds,
    tokens,
)
from .semantic import cosine, meaning, new_cosine, phrase_against, phrase_side, word_score

BETA_SENTENCE = 1.5  # recall matters more than precision for a normal guess...
BETA_LIST = 0.4  # ...but a word list ("cat dog hat wizard broom") is judged on precision
EXTRA_WEIGHT = 0.4  # an unmatched descriptive word costs a bit more than half a missing one
PHRASE_BLEND = 0.05
REAL_WORD_TYPO = 0.35  # mouse/house: both real words, so the look-alike is mostly chance
# The game calls 95+ solved, so only guesses whose every word is exact or a typo, with
# nothing extra, may go above NOT_SOLVED_CAP; 100 is kept for exact.
NEAR_EXACT = ("exact", "typo")
NOT_SOLVED_CAP = 92
FOUND = 0.5  # without one word matching at least this well, nothing was found (gibberish)
LIGHT_CONFLICT = 2.0  # "inside" vs "outside" weighs double a simply missing preposition
ROLE_SWAP_CAP = 78  # "dog bites man" for "man bites dog": every word right, the meaning reversed
# WordNet (lexicon.py) knows what vectors blur: opposites, and which word is a kind of which.
OPPOSITE_SCORE = 0.12  # "slow" for fast: the same dimension, the wrong end
OPPOSITE_CAP = 48  # a guess that contradicts a prompt word is never more than half right
LEXICON_FOUND = 0.15  # a WordNet relation is evidence enough that something was found
RELATED_FOUND = 0.1  # so is a vector likeness to a real word (WordNet knows it: not gibberish)
AGREE = 0.2  # when the vectors see the link WordNet gives, they add this share of what is left
VERB_PREPOSITION = 0.8  # "in" standing for "wearing"
PART = 0.3  # "dog" for "hot dog": a word of the compound, not what it means
PART_ALL = 0.3  # "dog that is hot" for "hot dog": its words, not its meaning
REWORDED = 0.88  # "web of a spider" for "spider web": the same thing in other words
COMPOUND_VECTOR = 0.5  # a compound's vector is its words' vectors, so it half counts
UNLINKED_CAP = 0.6  # vectors alone, for two words WordNet knows but does not link
LOOKALIKE_CAP = 0.25  # the same, when the words share a piece (rain/rainbow, snowman/snowball)

# Credit for a prompt word described by 1, 2, 3+ words of its definition (see _definitions).
DEFINED = (0.0, 0.45, 0.85, 0.9)
DESCRIBING_COST = 0.15  # what a describing extra word costs, of a full extra word
DEFINED_WORD = 0.5  # a guess word this close already is part of the description
DEFINED_CONTEXT = 0.3  # what the other extras of a description cost, of a normal extra word

HOW = (
    "exact",
    "typo",
    "synonym",
    "related",
    "none",
    "broader",
    "narrower",
    "opposite",
    "part",
    "reworded",
    "defined",
    "preposition",
    "describing",
    "defines",
)
_HOW_CODE = {h: i for i, h in enumerate(HOW)}
HOW_OF_KIND = {lexicon.BROADER: "broader", lexicon.NARROWER: "narrower"}
LEXICON_HOW = frozenset({"synonym", "broader", "narrower", "reworded", "part", "opposite", "defined", "defines"})


@dataclass(frozen=True)
class Match:
    prompt_word: str
    guess_word: str | None
    how: str  # one of HOW: exact, typo, synonym, broader, narrower, defined, related, opposite, ...
    score: float
    describing: tuple[str, ...] = ()  # for "defined": the other guess words of the description


@dataclass
class Result:
    similarity: int
    matches: list[Match]
    extra_guess_words: list[str] = field(default_factory=list)
    recall: float = 0.0
    precision: float = 0.0
    phrase: float = 0.0
    list_like: bool = False
    swapped: bool = False  # who does what to whom reversed ("dog bites man")


_pairs = FloatCache(65536)


def _pair(p: str, g: str, p_raw: str, g_raw: str) -> tuple[float, str]:
    """Words as singulars (spelling, vectors) and as typed (WordNet has "shades", "glasses")."""
    key = p_raw + "\x00" + g_raw
    v = _pairs.get(key)
    if v is None:
        v = _packed_pair(p, g, p_raw, g_raw)
        _pairs.put(key, v)
    code = int(v // 10)
    return v - 10.0 * code, HOW[code]


def _packed_pair(p: str, g: str, p_raw: str, g_raw: str) -> float:
    """`_score_pair` packed as how's code * 10 + score, the form it is cached in."""
    score, how = _score_pair(p, g, p_raw, g_raw)
    return _HOW_CODE[how] * 10.0 + score


def _score_pair(p: str, g: str, p_raw: str, g_raw: str) -> tuple[float, str]:
    # Called when the pair missed _pairs, so the same pair's cosine, typo and relation
    # caches would miss too: computed without looking.
    c = new_cosine(p, g)
    typo = new_typo_score(p, g)
    if typo and c < 0.3 and is_vocab_word(p) and is_vocab_word(g):
        typo *= REAL_WORD_TYPO
    form = form_score(p, g) if c >= 0.35 else 0.0
    if form and lexicon.unrelated_words(p_raw, g_raw):
        form = 0.0  # butter/butterfly, lady/ladybug: real words that only look alike
    sem = word_score(meaning(p, g, c))
    spelled = max(typo, form)
    if spelled >= 0.5:
        # A misspelling shares sub-word tokens, so it may also look like a synonym; it is a typo.
        return max(spelled, sem), "typo"
    if not looks_like_word(g):
        return spelled, "related" if spelled > 0.05 else "none"
    if sem > 0 and lexicon.made_up(g_raw) and not is_vocab_word(g):
        # no dictionary knows "mfohze": its sub-word pieces resemble "frozen" by chance
        sem = 0.0
    rel, kind = lexicon.new_relation(p_raw, g_raw)
    if kind == lexicon.ANTONYM:
        return OPPOSITE_SCORE, "opposite"
    if kind == lexicon.NONE and sem > 0 and lexicon.is_word(p_raw) and lexicon.is_word(g_raw):
        # WordNet knows both words and links them in no way: the vectors' likeness is
        # association (kitchen/chef), or only the look of a shared piece (lady/ladybug).
        sem = min(sem, LOOKALIKE_CAP if _look_alike(p, g) else UNLINKED_CAP)
    if (" " in p and not lexicon.is_compositional(p)) or (" " in g and not lexicon.is_compositional(g)):
        sem *= COMPOUND_VECTOR
    # When WordNet says how the words relate (pizza -> food is a far, general step up), its
    # credit leads and the vectors agreeing add a little; otherwise the vectors decide.
    both = min(SYNONYM_CAP, rel + AGREE * sem * (1 - rel)) if kind != lexicon.NONE and rel > 0 else sem
    if spelled >= both and spelled > 0.05:
        return spelled, "related"
    if kind != lexicon.NONE and rel > 0.05:
        return both, HOW_OF_KIND.get(kind, "synonym")
    if sem >= 0.5:
        return both, "synonym"
    if sem > 0.05:
        return both, "related"
    return 0.0, "none"


SYNONYM_CAP = 0.92


def _look_alike(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and (long_.startswith(short) or long_.endswith(short) or a[:4] == b[:4])


def word_match(p: Word, g: Word) -> tuple[float, str]:
    if not p.forms.isdisjoint(g.forms):
        return 1.0, "exact"
    if g.recombined or p.recombined:
        if p.text != g.text:
            return 0.0, "none"
        return (REWORDED, "reworded") if lexicon.is_compositional(p.text) else (PART_ALL, "part")
    if p.light != g.light:
        verb, prep = (g, p) if p.light else (p, g)
        if prep.text in VERB_PREPOSITIONS.get(verb.raw, ()):
            return VERB_PREPOSITION, "preposition"
        return 0.0, "none"
    if p.parts and g.parts and set(p.parts) & set(g.parts):
        rel, kind = lexicon.relation(p.raw, g.raw)
        return (rel, HOW_OF_KIND.get(kind, "synonym")) if rel > PART else (PART, "part")
    for unit, word in ((p, g), (g, p)) if p.parts or g.parts else ():
        if unit.parts and not word.parts and word.text in unit.parts:
            rel, kind = lexicon.relation(p.raw, g.raw)
            if kind in (lexicon.BROADER, lexicon.NARROWER) and rel > PART:
                return rel, "broader" if kind == lexicon.BROADER else "narrower"
            return PART, "part"
    if p.light:
        # Prepositions: over ~ above counts, on ~ onto is not a typo of "no".
        sem = word_score(cosine(p.text, g.text))
        return (sem, "synonym" if sem >= 0.5 else "related") if sem > 0.05 else (0.0, "none")
    return _pair(p.text, g.text, p.raw, g.raw)


def _as_content(words: tuple[Word, ...]) -> tuple[Word, ...]:
    return tuple(Word(w.text, w.raw, w.forms, 1.0, False) for w in words)


def _f_beta(precision: float, recall: float, beta: float) -> float:
    if precision <= 0 or recall <= 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def _is_list(prompt: Phrase, guess: Phrase) -> bool:
    n = len(guess.content)
    return n >= 4 and n > len(prompt.content) + 1 and (guess.function_words == 0 or guess.commas >= 2)


Table = list[list[tuple[float, str]]]  # [prompt word][guess word] -> (score, how)


def _align(table: Table) -> dict[int, int]:
    """One-to-one, greedy by score (ties by position, so it is deterministic)."""
    order = sorted((-cell[0], i, j) for i, row in enumerate(table) for j, cell in enumerate(row) if cell[0] > 0)
    p_to_g: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in order:
        if i not in p_to_g and j not in taken:
            p_to_g[i] = j
            taken.add(j)
    return p_to_g


def _definitions(pw: tuple[Word, ...], gw: tuple[Word, ...], table: Table, p_to_g: dict[int, int]) -> bool:
    """A guess that describes a prompt word in the words of its dictionary definition
    ("sausage in a bun" for hot dog, "land surrounded by water" for island) found it: the
    word is credited as defined, and the describing words cost little as extras. True when
    some cell was marked "describing"."""
    taken = {j: i for i, j in p_to_g.items()}
    describing = False
    for i, p in enumerate(pw):
        if p.light:
            continue
        row = table[i]
        strength: dict[int, float] = {}
        full = False
        young, old = _described.rows(p.raw)
        for c, g in enumerate(gw):
            if g.light or taken.get(c, i) != i:
                continue
            if row[c][0] >= DEFINED_WORD:
                v = 1.0
            else:
                got = young.get(g.raw)
                v = _describes_miss(young, old, g.raw, p.raw) if got is None else got
            strength[c] = v
            if v >= 1.0:
                full = True
        if not full:
            continue  # looser evidence only adds to a word that really describes it
        hits = [j for j, v in strength.items() if v > 0]
        credit, how = _defined_credit(sum(strength[j] for j in hits)), "defined"
        g = gw[hits[0]]
        if len(hits) == 1 and lexicon.is_part(g.raw, p.raw) and lexicon.relation(p.raw, g.raw)[1] != lexicon.BROADER:
            # "horse" alone for a seahorse: a piece of the word, whatever its definition says
            credit, how = min(credit, PART), "part"
        j = p_to_g.get(i)
        if j is None or row[j][0] < credit:
            j = j if j is not None else hits[0]
            p_to_g[i] = j
            taken[j] = i
            row[j] = (credit, how)
        for k in hits:
            if k != j and taken.get(k) is None:
                row[k] = (row[k][0], "describing")
                describing = True
    _defining_words(pw, gw, table, p_to_g)
    return describing


def _defining_words(pw: tuple[Word, ...], gw: tuple[Word, ...], table: Table, p_to_g: dict[int, int]) -> None:
    """The other way round: one guess word that two or more prompt words describe ("a
    snowman" for "a man made of snow") stands for each of them. The only place where one
    guess word takes several prompt words."""
    content = sum(not p.light for p in pw)
    if sum(not g.light for g in gw) >= content:
        return  # a guess as long as the prompt says each thing itself
    for j, g in enumerate(gw):
        if g.light or any(row[j][1] in ("exact", "typo", "opposite") for row in table):
            continue  # a word of the prompt itself, or its opposite: aligned word by word
        strength: dict[int, float] = {}
        fulls = 0
        left = content  # prompt words still to look at: once two fulls are out of reach, stop
        young, old = _described.rows(g.raw)
        for i, p in enumerate(pw):
            if not p.light:
                if fulls + left < 2:
                    break
                left -= 1
                v = young.get(p.raw)
                if v is None:
                    v = _describes_miss(young, old, p.raw, g.raw)
                strength[i] = v
                if v >= 1.0:
                    fulls += 1
        if fulls < 2:
            continue
        hits = [i for i, v in strength.items() if v > 0]
        credit = _defined_credit(sum(strength[i] for i in hits))
        for i in hits:
            k = p_to_g.get(i)
            if k is None or (table[i][k][0] < credit and table[i][k][1] != "opposite"):
                p_to_g[i] = j
                table[i][j] = (credit, "defines")


def _defined_credit(count: float) -> float:
    """DEFINED at a count of describing words, between its steps for half words."""
    k = min(int(count), len(DEFINED) - 1)
    if k == len(DEFINED) - 1:
        return DEFINED[k]
    return DEFINED[k] + (count - k) * (DEFINED[k + 1] - DEFINED[k])


def _opposed_preposition(pw: tuple[Word, ...], gw: tuple[Word, ...], p_to_g: dict[int, int]) -> bool:
    taken = set(p_to_g.values())
    left_over = {g.text for j, g in enumerate(gw) if j not in taken and g.light}
    return any(p.light and i not in p_to_g and OPPOSITES.get(p.text, frozenset()) & left_over for i, p in enumerate(pw))


MatchRow = tuple[str, "str | None", str, float, tuple[str, ...]]  # a Match's fields


def _recall(
    pw: tuple[Word, ...], gw: tuple[Word, ...], table: Table, p_to_g: dict[int, int], describing: bool
) -> tuple[float, list[MatchRow]]:
    """Recall, and per prompt word the fields of its Match (made only when shown)."""
    taken = set(p_to_g.values())
    # An opposite preposition ("inside" vs "outside") changes the scene more than a missing one.
    left_over = {g.text for j, g in enumerate(gw) if j not in taken and g.light}
    rows: list[MatchRow] = []
    found = total = 0.0
    for i, p in enumerate(pw):
        j = p_to_g.get(i)
        opposed = p.light and j is None and bool(OPPOSITES.get(p.text, frozenset()) & left_over)
        total += p.weight * (LIGHT_CONFLICT if opposed else 1.0)
        if j is None:
            rows.append((p.raw, None, "none", 0.0, ()))
            continue
        row = table[i]
        s, how = row[j]
        found += p.weight * s
        also = tuple(g.raw for k, g in enumerate(gw) if k != j and row[k][1] == "describing") if describing else ()
        rows.append((p.raw, gw[j].raw, how, round(s, 3), also))
    return found / total, rows


def _found(rows: list[MatchRow]) -> bool:
    for _, guess_word, how, s, _ in rows:
        if how != "preposition" and (
            s >= FOUND
            or (how in LEXICON_HOW and s >= LEXICON_FOUND)
            or (s >= RELATED_FOUND and guess_word is not None and lexicon.is_word(guess_word))
        ):
            return True
    return False


def _precision(
    gw: tuple[Word, ...], table: Table, p_to_g: dict[int, int], list_like: bool, describing: bool = True
) -> tuple[float, list[str]]:
    """`describing`: whether _definitions marked some cell so (False: none is)."""
    taken = set(p_to_g.values())
    best: dict[int, float] = {}  # a guess word that stands for several prompt words counts once
    for i, j in p_to_g.items():
        best[j] = max(best.get(j, 0.0), table[i][j][0])
    found = sum(v * gw[j].weight for j, v in best.items())
    weight = sum(gw[j].weight for j in taken)
    # a definition comes with its setting ("a very tall building in a city"): when a prompt
    # word was described by two or more words, the other extras cost less
    described = sum(1 for row in table for cell in row if cell[1] == "describing") if describing else 0
    context = DEFINED_CONTEXT if described and not list_like else 1.0
    extras = []
    for j, g in enumerate(gw):
        if j in taken:
            continue
        extras.append(g.raw)
        # A leftover word near some prompt word (a second synonym) costs less than noise.
        if describing and any(row[j][1] == "describing" for row in table):
            weight += g.weight * DESCRIBING_COST
            continue
        near = max(row[j][0] for row in table)
        weight += g.weight * (1.0 if list_like else EXTRA_WEIGHT * context) * (1.0 - 0.5 * near)
    return (found / weight if weight > 0 else 0.0), extras


def roles_swapped(p_to_g: dict[int, int]) -> bool:
    """The first and last aligned prompt words trade places around a word that stays
    between them ("man bites dog" → "dog bites man"), which reverses who does what.
    Moving a phrase as a block ("in fog lighthouse") keeps no such middle, so it passes."""
    if len(p_to_g) < 3:
        return False
    order = sorted(p_to_g)
    first, last = p_to_g[order[0]], p_to_g[order[-1]]
    if first < last:
        return False
    return any(last < p_to_g[i] < first for i in order[1:-1])


class _Prompt:
    """What score() needs of a prompt whatever the guess: a prompt is guessed many times."""

    __slots__ = ("phrase", "targets", "joins", "lexical", "_side")

    def __init__(self, phrase: Phrase) -> None:
        words = phrase.words
        self.phrase = phrase
        self.targets = frozenset().union(*(w.forms for w in words))  # what a guess's joined words may be
        # the forms of each two adjacent words joined, as merge_compounds tries them
        self.joins = tuple(
            forms(a.raw + b.raw) for a, b in zip(words, words[1:], strict=False) if not (a.light or b.light)
        )
        self.lexical = _has_compounds(words)
        self._side: tuple[list[tuple[str, float]], float] | None = None

    def phrase_side(self) -> tuple[list[tuple[str, float]], float]:
        """semantic.phrase_side of the prompt's own words (made when first needed)."""
        if self._side is None:
            self._side = phrase_side([(w.text, w.weight) for w in self.phrase.words])
        return self._side


# A few thousand prompts are live at once (16,000 players: ~3,200 rooms); a _Prompt is a
# handful of tracked objects besides its Phrase, so few.
_prompts: dict[str, _Prompt] = {}
_PROMPTS_MAX = 4096


def _prompt(text: str) -> _Prompt:
    found = _prompts.get(text)
    if found is None:
        if len(_prompts) >= _PROMPTS_MAX:
            _prompts.clear()  # emptied whole: see cache.py on draining from the front
        found = _prompts[text] = _Prompt(analyse(text))
    return found


def _has_compounds(words: tuple[Word, ...]) -> bool:
    """False when merge_lexicon_compounds(words, ...) would find no WordNet entry to join,
    whatever the other side: it would return the words as they are."""
    if len(words) < 2:
        return False
    index = lexicon.load().index
    n = len(words)
    for i in range(n - 1):
        a, b = words[i], words[i + 1]
        if a.light or b.light or a.parts or b.parts:
            continue
        if f"{a.text} {b.text}" in index or f"{a.raw} {b.text}" in index:
            return True
        if i + 2 < n:
            c = words[i + 2]
            if not (c.light or c.parts) and f"{a.text} {b.text} {c.text}" in index:
                return True
    return False


def _merged(prompt: _Prompt, g_words: tuple[Word, ...]) -> tuple[tuple[Word, ...], tuple[Word, ...]]:
    """The four merges of score(), skipped where they are known to change nothing."""
    p_words = prompt.phrase.words
    pw = p_words
    if len(p_words) >= 2 and g_words and prompt.joins:
        wanted = set().union(*(w.forms for w in g_words))
        if wanted and not all(j.isdisjoint(wanted) for j in prompt.joins):
            pw = merge_compounds(p_words, g_words)
    gw = g_words
    targets = prompt.targets
    if len(g_words) >= 2 and targets:
        for a, b in zip(g_words, g_words[1:], strict=False):
            if not (a.light or b.light) and not forms(a.raw + b.raw).isdisjoint(targets):
                gw = merge_compounds(g_words, p_words)
                break
    if pw is not p_words or prompt.lexical:
        pw, gw = merge_lexicon_compounds(pw, gw)
    if _has_compounds(gw):
        gw, pw = merge_lexicon_compounds(gw, pw, recombine=False)
    return pw, gw


# word_match of two plain content words (no compound, no preposition) as a row per prompt
# word: -1 for exact, else _pair's packed value. Such a match depends on the two words as
# typed only, so prompts that share a word share its row. It stands in for _pairs (which
# keeps the pairs of compounds). A cold pair costs ~11 µs, a cell ~60 bytes: two full
# generations of 262,144 cells are ~60 MiB at most.
_cells = RowCache(262144)
_EXACT = -1.0


def _table(pw: tuple[Word, ...], gw: tuple[Word, ...]) -> Table:
    table: Table = []
    cells = _cells
    for p in pw:
        if p.light or p.parts:
            table.append([word_match(p, g) for g in gw])
            continue
        row, old = cells.rows(p.raw)
        out: list[tuple[float, str]] = []
        for g in gw:
            if g.light or g.parts:
                out.append(word_match(p, g))
                continue
            v = row.get(g.raw)
            if v is None:
                v = old.get(g.raw)
                if v is None:
                    v = _EXACT if not p.forms.isdisjoint(g.forms) else _packed_pair(p.text, g.text, p.raw, g.raw)
                cells.put(row, g.raw, v)
            if v == _EXACT:
                out.append((1.0, "exact"))
            else:
                code = int(v // 10)
                out.append((v - 10.0 * code, HOW[code]))
        table.append(out)
    return table


# lexicon.describes(word, described) as a row per described word, in its place; a cold
# one costs ~3 µs: at most ~30 MiB
_described = RowCache(131072)


def _describes_miss(young: dict[str, float], old: dict[str, float], word: str, described: str) -> float:
    """A describes check not in the young row (`_described.rows(described)`)."""
    v = old.get(word)
    if v is None:
        v = lexicon.describes(word, described)
    _described.put(young, word, v)
    return v


def score(prompt: str, guess: str, brief: bool = False) -> Result:
    """The score and how it came about; with `brief`, only `similarity` (no matches, and
    for a guess that found nothing no precision and extra words either)."""
    compiled = _prompt(prompt)
    p_phrase, g_phrase = compiled.phrase, analyse(guess)
    pw, gw = _merged(compiled, g_phrase.words)
    if not pw:
        # A prompt of only function words: all we can check is the literal text.
        same = bool(tokens(prompt)) and tokens(prompt) == tokens(guess)
        return Result(100 if same else 0, [])
    if all(w.light for w in pw):
        # A prompt made only of prepositions ("up"): judge them as content words on both sides.
        pw, gw = _as_content(pw), _as_content(gw)
    if all(w.light for w in gw):
        return Result(0, [Match(w.raw, None, "none", 0.0) for w in pw], [w.raw for w in gw])

    table = _table(pw, gw)
    p_to_g = _align(table)
    list_like = _is_list(p_phrase, g_phrase)
    describing = _definitions(pw, gw, table, p_to_g) if not list_like else False
    recall, rows = _recall(pw, gw, table, p_to_g, describing)
    matches = [] if brief else [Match(*row) for row in rows]
    hows = [row[2] for row in rows]
    swapped = roles_swapped(p_to_g)
    extra = len(set(p_to_g.values())) < len(gw)  # a guess word left unaligned
    if not extra and all(how == "exact" for how in hows) and not swapped:
        return Result(100, matches, [], 1.0, 1.0, 1.0, False)
    found = _found(rows)
    if not found and brief:
        return Result(0, [])
    precision, extras = _precision(gw, table, p_to_g, list_like, describing)
    shown_recall, shown_precision = round(recall, 3), round(precision, 3)  # the figures a Result reports
    if not found:
        # Only faint resemblances: sub-word noise from gibberish, or a different scene.
        return Result(0, matches, extras, shown_recall, shown_precision, list_like=list_like)

    side, aa = compiled.phrase_side() if pw is p_phrase.words else phrase_side([(w.text, w.weight) for w in pw])
    phrase = phrase_against(side, aa, [(w.text, w.weight) for w in gw])
    f = _f_beta(precision, recall, BETA_LIST if list_like else BETA_SENTENCE)
    x = (1 - PHRASE_BLEND) * f + PHRASE_BLEND * phrase
    near_exact = not extras and all(how in NEAR_EXACT for how in hows)
    value = min(99 if near_exact else NOT_SOLVED_CAP, int(round(100 * x)))
    if swapped:
        value = min(value, ROLE_SWAP_CAP)
    if "opposite" in hows or _opposed_preposition(pw, gw, p_to_g):
        value = min(value, OPPOSITE_CAP)
    return Result(value, matches, extras, shown_recall, shown_precision, round(phrase, 3), list_like, swapped)


_scores = FloatCache(65536)


def cached_similarity(prompt: str, guess: str) -> int:
    """`score(...).similarity`, remembered: players of a turn often send the same guess."""
    key = prompt + "\x00" + guess
    v = _scores.get(key)
    if v is None:
        v = float(score(prompt, guess, brief=True).similarity)
        _scores.put(key, v)
    return int(v)


def clear_caches() -> None:
    """Forget every cached word, pair and phrase (the models stay loaded); for benchmarks."""
    from . import embeddings, lexical, normalize, semantic

    _pairs.clear()
    _scores.clear()
    _prompts.clear()
    _cells.clear()
    _described.clear()
    semantic.clear_caches()
    lexical.clear_caches()
    lexicon.clear_caches()
    embeddings.clear_caches()
    normalize.analyse.cache_clear()
    normalize._words.clear()
