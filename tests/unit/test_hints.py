from hypothesis import given
from hypothesis import strategies as st

from imprompt.game.hints import hint_letter_count, hint_pattern, hint_words


def test_nothing_revealed():
    assert hint_pattern("angry cat", 0, 1) == ["_____", "___"]


def test_non_letters_are_shown():
    assert hint_pattern("don't 2 x-ray", 0, 0) == ["___'_", "2", "_-___"]


def test_letter_count():
    assert hint_letter_count("angry cat") == 8
    assert hint_letter_count("don't 2 x-ray") == 8
    assert hint_letter_count("") == 0
    assert hint_letter_count("Zoë") == 3


def test_deterministic_and_seed_dependent():
    prompt = "a dragon eating spaghetti"
    assert hint_pattern(prompt, 4, 9) == hint_pattern(prompt, 4, 9)
    assert len({tuple(hint_pattern(prompt, 4, s)) for s in range(20)}) > 1


def test_never_reveals_everything():
    assert "".join(hint_pattern("cat", 99, 3)).count("_") == 1
    assert hint_pattern("a", 5, 0) == ["_"]


def test_does_not_complete_a_word_while_avoidable():
    # 4 letters in "angry" + 2 in "cat" can be shown without finishing either word.
    for seed in range(50):
        words = hint_pattern("angry cat", 6, seed)
        assert all("_" in w for w in words), words


def test_negative_revealed_is_zero():
    assert hint_pattern("angry cat", -3, 1) == ["_____", "___"]


def test_empty_prompt():
    assert hint_pattern("", 3, 1) == []
    assert hint_pattern("   ", 3, 1) == []


prompts = st.lists(st.text(alphabet=st.sampled_from("abcxyzé'-2"), min_size=1, max_size=9), min_size=0, max_size=5).map(
    " ".join
)


@given(prompts, st.integers(min_value=0, max_value=60), st.integers())
def test_pattern_invariants(prompt, revealed, seed):
    words = hint_words(prompt)
    pattern = hint_pattern(prompt, revealed, seed)
    total = hint_letter_count(prompt)
    assert len(pattern) == len(words)
    shown = 0
    for word, mask in zip(words, pattern, strict=False):
        assert len(mask) == len(word)
        for ch, m in zip(word, mask, strict=False):
            if ch.isalpha():
                assert m in ("_", ch)
                shown += m == ch
            else:
                assert m == ch
    assert shown == max(0, min(revealed, total - 1))


@given(prompts, st.integers(min_value=0, max_value=30), st.integers())
def test_reveals_only_grow(prompt, revealed, seed):
    before = hint_pattern(prompt, revealed, seed)
    after = hint_pattern(prompt, revealed + 1, seed)
    for b, a in zip(before, after, strict=False):
        for cb, ca in zip(b, a, strict=False):
            assert cb == "_" or cb == ca


@given(prompts, st.integers())
def test_no_word_completed_while_another_letter_is_free(prompt, seed):
    words = hint_words(prompt)  # the words the pattern shows ("-" alone is not one)
    capacity = sum(max(hint_letter_count(w) - 1, 0) for w in words)
    pattern = hint_pattern(prompt, capacity, seed)
    for word, mask in zip(words, pattern, strict=False):
        if hint_letter_count(word) >= 2:
            assert "_" in mask
