import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imprompt.game.codes import CODE_ALPHABET, CODE_LENGTH, new_code, normalize_code


def test_alphabet_has_no_look_alikes():
    assert CODE_ALPHABET == "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    for ch in "01OIL":
        assert ch not in CODE_ALPHABET
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET)
    assert CODE_LENGTH == 6


def test_new_code_is_deterministic_for_a_seed():
    assert new_code(random.Random(7), set()) == new_code(random.Random(7), set())


def test_new_code_skips_taken():
    first = new_code(random.Random(3), set())
    second = new_code(random.Random(3), {first})
    assert second != first
    assert normalize_code(second) == second


def test_new_code_gives_up_when_everything_is_taken():
    class Everything:
        def __contains__(self, item):
            return True

    with pytest.raises(RuntimeError):
        new_code(random.Random(0), Everything())


@given(st.integers(), st.sets(st.text(alphabet=CODE_ALPHABET, min_size=6, max_size=6), max_size=50))
def test_new_code_always_valid_and_free(seed, taken):
    code = new_code(random.Random(seed), taken)
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(CODE_ALPHABET)
    assert code not in taken
    assert normalize_code(code) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ABCDEF", "ABCDEF"),
        ("abcdef", "ABCDEF"),
        ("  xyz234 \n", "XYZ234"),
        ("ABCDE", None),
        ("ABCDEFG", None),
        ("ABCDE0", None),  # zero is not in the alphabet
        ("ABCDEO", None),
        ("ABCDE1", None),
        ("ABCDEI", None),
        ("ABCDEL", None),
        ("ABC DE", None),
        ("ABC-DE", None),
        ("ſABCDE", None),  # long s upper-cases to S; not accepted
        ("ＡＢＣＤＥＦ", None),  # full-width
        ("", None),
        (None, None),
        (123456, None),
        (b"ABCDEF", None),
        (["ABCDEF"], None),
    ],
)
def test_normalize_code(raw, expected):
    assert normalize_code(raw) == expected


@given(st.text(max_size=10))
def test_normalize_code_result_is_always_valid(raw):
    code = normalize_code(raw)
    if code is not None:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(CODE_ALPHABET)
        assert normalize_code(code) == code
