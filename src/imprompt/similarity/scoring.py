"""Align prompt words with guess words and turn the alignment into a 0..100 score.

Each prompt word takes its best guess word (one-to-one, greedy by score); a word pair
scores by the best of exact form, typo, and calibrated meaning. Recall (how much of the
prompt was found) dominates; extra guess words cost precision, and a bare list of words
costs much more, so naming everything never beats a precise guess. A whole-phrase
embedding similarity is blended in to credit paraphrases that do not align word by word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .embeddings import is_vocab_word
from .lexical import form_score, typo_score
from .normalize import OPPOSITES, Phrase, Word, analyse, looks_like_word, merge_compounds, tokens
from .semantic import cosine, meaning, phrase_score, phrase_vector, word_score

BETA_SENTENCE = 1.5  # recall matters more than precision for a normal guess...
BETA_LIST = 0.4  # ...but a word list ("cat dog hat wizard broom") is judged on precision
EXTRA_WEIGHT = 0.6  # an unmatched descriptive word costs a bit more than half a missing one
PHRASE_BLEND = 0.10
REAL_WORD_TYPO = 0.35  # mouse/house: both real words, so the look-alike is mostly chance
# The game calls 95+ solved, so only guesses whose every word is exact or a typo, with
# nothing extra, may go above NOT_SOLVED_CAP; 100 is kept for exact.
NEAR_EXACT = ("exact", "typo")
NOT_SOLVED_CAP = 92
FOUND = 0.5  # without one word matching at least this well, nothing was found (gibberish)
LIGHT_CONFLICT = 2.0  # "inside" vs "outside" weighs double a simply missing preposition
ROLE_SWAP_CAP = 85  # "dog bites man" for "man bites dog": every word right, the meaning reversed


@dataclass(frozen=True)
class Match:
    prompt_word: str
    guess_word: str | None
    how: str  # exact | typo | synonym | related | none
    score: float


@dataclass
class Result:
    similarity: int
    matches: list[Match]
    extra_guess_words: list[str] = field(default_factory=list)
    recall: float = 0.0
    precision: float = 0.0
    phrase: float = 0.0
    list_like: bool = False


@lru_cache(maxsize=65536)
def _pair(p: str, g: str) -> tuple[float, str]:
    c = cosine(p, g)
    typo = typo_score(p, g)
    if typo and c < 0.3 and is_vocab_word(p) and is_vocab_word(g):
        typo *= REAL_WORD_TYPO
    form = form_score(p, g) if c >= 0.35 else 0.0
    sem = word_score(meaning(p, g))
    spelled = max(typo, form)
    if spelled >= 0.5:
        # A misspelling shares sub-word tokens, so it may also look like a synonym; it is a typo.
        return max(spelled, sem), "typo"
    if not looks_like_word(g):
        return spelled, "related" if spelled > 0.05 else "none"
    if spelled >= sem and spelled > 0.05:
        return spelled, "related"
    if sem >= 0.5:
        return sem, "synonym"
    if sem > 0.05:
        return sem, "related"
    return 0.0, "none"


def word_match(p: Word, g: Word) -> tuple[float, str]:
    if p.forms & g.forms:
        return 1.0, "exact"
    if p.light != g.light:
        return 0.0, "none"
    if p.light:
        # Prepositions: over ~ above counts, on ~ onto is not a typo of "no".
        sem = word_score(cosine(p.text, g.text))
        return (sem, "synonym" if sem >= 0.5 else "related") if sem > 0.05 else (0.0, "none")
    return _pair(p.text, g.text)


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


def _recall(
    pw: tuple[Word, ...], gw: tuple[Word, ...], table: Table, p_to_g: dict[int, int]
) -> tuple[float, list[Match]]:
    taken = set(p_to_g.values())
    # An opposite preposition ("inside" vs "outside") changes the scene more than a missing one.
    left_over = {g.text for j, g in enumerate(gw) if j not in taken and g.light}
    matches = []
    found = total = 0.0
    for i, p in enumerate(pw):
        j = p_to_g.get(i)
        opposed = p.light and j is None and bool(OPPOSITES.get(p.text, frozenset()) & left_over)
        total += p.weight * (LIGHT_CONFLICT if opposed else 1.0)
        if j is None:
            matches.append(Match(p.raw, None, "none", 0.0))
            continue
        s, how = table[i][j]
        found += p.weight * s
        matches.append(Match(p.raw, gw[j].raw, how, round(s, 3)))
    return found / total, matches


def _precision(gw: tuple[Word, ...], table: Table, p_to_g: dict[int, int], list_like: bool) -> tuple[float, list[str]]:
    taken = set(p_to_g.values())
    found = sum(table[i][j][0] * gw[j].weight for i, j in p_to_g.items())
    weight = sum(gw[j].weight for j in taken)
    extras = []
    for j, g in enumerate(gw):
        if j in taken:
            continue
        extras.append(g.raw)
        # A leftover word near some prompt word (a second synonym) costs less than noise.
        near = max(row[j][0] for row in table)
        weight += g.weight * (1.0 if list_like else EXTRA_WEIGHT) * (1.0 - 0.5 * near)
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


def score(prompt: str, guess: str) -> Result:
    p_phrase, g_phrase = analyse(prompt), analyse(guess)
    pw = merge_compounds(p_phrase.words, g_phrase.words)
    gw = merge_compounds(g_phrase.words, p_phrase.words)
    if not pw:
        # A prompt of only function words: all we can check is the literal text.
        same = bool(tokens(prompt)) and tokens(prompt) == tokens(guess)
        return Result(100 if same else 0, [])
    if all(w.light for w in pw):
        # A prompt made only of prepositions ("up"): judge them as content words on both sides.
        pw, gw = _as_content(pw), _as_content(gw)
    if all(w.light for w in gw):
        return Result(0, [Match(w.raw, None, "none", 0.0) for w in pw], [w.raw for w in gw])

    table = [[word_match(p, g) for g in gw] for p in pw]
    p_to_g = _align(table)
    list_like = _is_list(p_phrase, g_phrase)
    recall, matches = _recall(pw, gw, table, p_to_g)
    precision, extras = _precision(gw, table, p_to_g, list_like)
    shown_recall, shown_precision = round(recall, 3), round(precision, 3)  # the figures a Result reports

    swapped = roles_swapped(p_to_g)
    if not extras and all(m.how == "exact" for m in matches) and not swapped:
        return Result(100, matches, [], 1.0, 1.0, 1.0, False)
    if max(m.score for m in matches) < FOUND:
        # Only faint resemblances: sub-word noise from gibberish, or a different scene.
        return Result(0, matches, extras, shown_recall, shown_precision, list_like=list_like)

    phrase = phrase_score(
        phrase_vector((w.text, w.weight) for w in pw),
        phrase_vector((w.text, w.weight) for w in gw),
    )
    f = _f_beta(precision, recall, BETA_LIST if list_like else BETA_SENTENCE)
    x = (1 - PHRASE_BLEND) * f + PHRASE_BLEND * phrase
    near_exact = not extras and all(m.how in NEAR_EXACT for m in matches)
    value = min(99 if near_exact else NOT_SOLVED_CAP, int(round(100 * x)))
    if swapped:
        value = min(value, ROLE_SWAP_CAP)
    return Result(value, matches, extras, shown_recall, shown_precision, round(phrase, 3), list_like)


def clear_caches() -> None:
    """Forget every cached word and phrase (the model stays loaded); for benchmarks."""
    from . import embeddings, lexical, normalize, semantic

    for fn in (
        _pair,
        semantic.cosine,
        semantic.meaning,
        lexical.typo_score,
        normalize.analyse,
        embeddings.word_tokens,
        embeddings.word_vector,
        embeddings.is_vocab_word,
    ):
        fn.cache_clear()
