import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imprompt.game.content_filter import DEFAULT_FILTER
from imprompt.game.suggestions import DEFAULT_THEME, THEMES, suggest, theme_names

REQUIRED = {"mixed", "animals", "food", "fantasy", "places", "jobs", "sports", "silly"}


def test_required_themes_present():
    assert set(THEMES) >= REQUIRED
    assert DEFAULT_THEME == "mixed"
    assert theme_names()[0] == DEFAULT_THEME
    assert set(theme_names()) == set(THEMES)


def test_mixed_is_union_of_the_others():
    others = {p for name, items in THEMES.items() if name != "mixed" for p in items}
    assert set(THEMES["mixed"]) == others
    assert len(THEMES["mixed"]) == len(set(THEMES["mixed"]))


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_theme_entries_are_valid_prompts(theme):
    items = THEMES[theme]
    assert len(items) >= 40
    assert len(set(items)) == len(items)
    for prompt in items:
        assert 2 <= len(prompt.split()) <= 5, prompt
        assert len(prompt) <= 40, prompt
        assert prompt == " ".join(prompt.split()), prompt
        assert DEFAULT_FILTER.check(prompt) is None, prompt


def test_suggest_is_deterministic():
    assert suggest("food", random.Random(5)) == suggest("food", random.Random(5))


def test_suggest_unknown_theme():
    with pytest.raises(KeyError):
        suggest("nope", random.Random(0))


def test_suggest_falls_back_when_exclude_covers_too_much():
    pool = THEMES["animals"]
    exclude = pool[:-1]
    result = suggest("animals", random.Random(1), count=3, exclude=exclude)
    assert len(result) == 3 and len(set(result)) == 3
    assert set(result) <= set(pool)
    # Exactly enough left: all of them are used.
    assert sorted(suggest("animals", random.Random(1), count=1, exclude=exclude)) == [pool[-1]]


def test_suggest_count_larger_than_theme():
    result = suggest("silly", random.Random(0), count=1000)
    assert sorted(result) == sorted(THEMES["silly"])


@given(
    st.sampled_from(sorted(THEMES)),
    st.integers(),
    st.integers(min_value=0, max_value=10),
    st.data(),
)
def test_suggest_properties(theme, seed, count, data):
    exclude = data.draw(st.sets(st.sampled_from(THEMES[theme]), max_size=20))
    result = suggest(theme, random.Random(seed), count=count, exclude=exclude)
    assert len(result) == count
    assert len(set(result)) == count
    assert set(result) <= set(THEMES[theme])
    assert not set(result) & exclude
