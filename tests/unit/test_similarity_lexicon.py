"""The WordNet lexicon (similarity/lexicon.py) and the GC-free cache (similarity/cache.py)."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from imprompt.similarity import lexicon
from imprompt.similarity.cache import FloatCache


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("pig", "hog", lexicon.SYNONYM),
        ("sunglasses", "shades", lexicon.SYNONYM),
        ("frozen", "icy", lexicon.SYNONYM),
        ("penguin", "bird", lexicon.BROADER),
        ("volcano", "mountain", lexicon.BROADER),
        ("dog", "poodle", lexicon.NARROWER),
        ("lake", "pond", lexicon.NARROWER),
        ("fast", "slow", lexicon.ANTONYM),
        ("hot", "icy", lexicon.ANTONYM),  # icy is similar to cold
        ("cat", "spreadsheet", lexicon.NONE),
    ],
)
def test_relation_kinds(a: str, b: str, kind: int) -> None:
    assert lexicon.relation(a, b)[1] == kind


def test_a_general_word_gets_less_than_a_near_one() -> None:
    feline = lexicon.relation("cat", "feline")[0]
    bird = lexicon.relation("penguin", "bird")[0]
    food = lexicon.relation("pizza", "food")[0]
    assert feline > bird > food > 0
    assert food <= 0.15


def test_inflections_find_their_lemma() -> None:
    assert lexicon.relation("erupting", "exploding")[1] != lexicon.NONE
    assert lexicon.is_word("skating") and lexicon.is_word("running") and not lexicon.is_word("blorf")
    assert lexicon.is_verb("playing") and not lexicon.is_verb("dog")


def test_compounds() -> None:
    assert lexicon.is_compound("hot dog") and lexicon.is_compound("spider web")
    assert not lexicon.is_compound("dog hot")
    assert lexicon.is_compound("hot air balloon")  # WordNet writes "hot-air balloon"
    assert lexicon.is_compositional("spider web")  # a web
    assert not lexicon.is_compositional("hot dog")  # no dog


def test_definitions() -> None:
    assert lexicon.describes("bun", "hot dog")
    assert lexicon.describes("water", "island")
    assert not lexicon.describes("spreadsheet", "island")


def test_definitions_read_the_parts_they_confirm() -> None:
    # snowman: "a figure of a person made of packed snow": a man is a kind of person
    assert lexicon.describes("man", "snowman") and lexicon.describes("snow", "snowman")
    # firefighter: fire is in the definition, so the agent fighter (one who fights) counts
    assert lexicon.describes("fighting", "firefighter")
    assert lexicon.describes("guy", "wealthy man") and lexicon.describes("rich", "wealthy man")
    # nothing says a seahorse has to do with the sea; a puppy is a dog, not a hot dog
    assert not lexicon.describes("sea", "seahorse")
    assert not lexicon.describes("puppy", "hot dog")
    assert not lexicon.describes("setting", "rising")  # an opposite never describes


def test_parts_and_agents_come_from_the_file() -> None:
    lex = lexicon.load()
    snow, man, fighter, fight = (lex.index[w] for w in ("snow", "man", "fighter", "fight"))
    assert list(lex.parts(lex.index["snowman"])) == [snow, man]
    assert list(lex.agent(fighter)) == [fight]
    assert not lex.agent(lex.index["water"]) and not lex.parts(lex.index["snow"])


def test_unrelated_look_alikes() -> None:
    assert lexicon.unrelated_words("butter", "butterfly")
    assert not lexicon.unrelated_words("roof", "rooftop")  # a rooftop is a kind of top, of a roof
    assert not lexicon.unrelated_words("bath", "bathing")


def test_the_file_holds_flat_arrays() -> None:
    lex = lexicon.load()
    assert len(lex.index) > 140_000
    assert not gc.is_tracked(lex.index)
    with np.load(lexicon.DATA) as z:
        assert all(z[k].dtype.kind in "iu" for k in z.files)


def test_float_cache_is_bounded_and_untracked() -> None:
    cache = FloatCache(4)
    for i in range(13):
        cache.put(f"a\x00{i}", float(i))
        assert len(cache) <= 8  # two generations of at most 4
    assert cache.get("a\x000") is None and cache.get("a\x0012") == 12.0
    assert not gc.is_tracked(cache._data) and not gc.is_tracked(cache._old)
    cache.clear()
    assert len(cache) == 0


def test_float_cache_keeps_what_is_used() -> None:
    # A hit in the older generation moves the entry to the young one: a key read
    # between every two insertions is never evicted, however many others pass through.
    cache = FloatCache(4)
    cache.put("hot", 1.0)
    for i in range(50):
        cache.put(f"cold{i}", float(i))
        assert cache.get("hot") == 1.0
    assert cache.pair("a", "b", lambda a, b: 2.0) == 2.0
    assert cache.pair("a", "b", lambda a, b: 3.0) == 2.0  # remembered, not recomputed


def test_float_cache_eviction_does_not_slow_down_when_full() -> None:
    # Deleting a dict's first key again and again leaves deleted slots that every
    # next(iter(d)) walks: eviction must not work that way. Count, don't time: after
    # many evictions the young dict is rebuilt, never drained from the front.
    cache = FloatCache(1000)
    for i in range(10_000):
        cache.put(str(i), 0.0)
    assert len(cache._data) <= 1000 and len(cache._old) == 1000
    assert cache.get("9999") == 0.0 and cache.get("0") is None


def test_lexicon_caches_are_untracked() -> None:
    lexicon.relation("pig", "hog")
    lexicon.describes("bun", "hot dog")
    for cache in (
        lexicon._up,
        lexicon._ids,
        lexicon._defs,
        lexicon._reaches,
        lexicon._antonyms,
        lexicon._compositional,
        lexicon._made_up,
    ):
        assert not gc.is_tracked(cache)
    # the per-word id dicts: only their outer dict is tracked, never the dicts inside
    lexicon.describes("sausage", "hot dog")
    for sets in (lexicon._every, lexicon._cores, lexicon._looses, lexicon._nears, lexicon._opposite_sets):
        assert sets
        assert not any(gc.is_tracked(ids) for ids in sets.values())


def test_builder_splits_compounds_and_finds_agent_verbs() -> None:
    from imprompt.similarity.build_lexicon import agent_verb, parts

    index = {w: i for i, w in enumerate("snow man snowman fire fighter fight tow tower".split())}
    assert parts("snowman", index) == [index["snow"], index["man"]]
    assert parts("fire fighter", index) == [index["fire"], index["fighter"]]
    assert parts("snow", index) == []
    assert agent_verb("fighter", index, lambda noun, verb: True) == [index["fight"]]
    assert agent_verb("tower", index, lambda noun, verb: False) == []  # WordNet links no towing
