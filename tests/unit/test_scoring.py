"""Points from similarity (src/imprompt/game/scoring.py), checked against docs/scoring.md."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imprompt.game.scoring import (
    SOLVED_AT,
    giver_points,
    guesser_points,
    speed_bonus,
    tier_points,
    warmth,
)

similarities = st.integers(min_value=0, max_value=100)


@pytest.mark.parametrize(
    ("similarity", "expected"),
    [(0, "cold"), (39, "cold"), (40, "warm"), (69, "warm"), (70, "hot"), (94, "hot"), (95, "got it"), (100, "got it")],
)
def test_warmth_words(similarity, expected):
    assert warmth(similarity) == expected


def test_solved_threshold_is_95():
    assert SOLVED_AT == 95


@pytest.mark.parametrize(
    ("similarity", "points"),
    [
        (100, 100),
        (95, 100),
        (94, 80),
        (85, 80),
        (84, 60),
        (70, 60),
        (69, 40),
        (50, 40),
        (49, 20),
        (25, 20),
        (24, 10),
        (10, 10),
        (9, 0),
        (0, 0),
    ],
)
def test_tiers(similarity, points):
    assert tier_points(similarity) == points


def test_no_speed_bonus_below_50():
    assert speed_bonus(49, 0.0, 60) == 0
    assert speed_bonus(0, 0.0, 60) == 0
    assert speed_bonus(50, 0.0, 60) == 20  # 50 × 1.0 × 40/100


def test_speed_bonus_falls_to_zero_at_the_deadline():
    assert speed_bonus(100, 0.0, 60) == 50
    assert speed_bonus(100, 30.0, 60) == 25
    assert speed_bonus(100, 60.0, 60) == 0
    assert speed_bonus(100, 600.0, 60) == 0  # late guesses never go negative
    assert speed_bonus(100, -5.0, 60) == 50  # clock skew never pays more than the maximum


def test_speed_bonus_with_no_guess_time_is_zero():
    assert speed_bonus(100, 0.0, 0) == 0


# The worked examples of docs/scoring.md (guess time 60 s).
@pytest.mark.parametrize(
    ("best", "at", "points"),
    [(100, 6, 145), (100, 45, 112), (88, 20, 107), (72, 50, 65), (55, 10, 57), (30, 5, 20), (8, 1, 0)],
)
def test_guesser_worked_examples(best, at, points):
    assert guesser_points(best, at, 60) == points


@pytest.mark.parametrize(
    ("bests", "points"),
    [
        ([100, 100, 100], 60),
        ([100, 60, 20], 97),
        ([88, 40, 30], 63),
        ([60, 55, 52], 130),
        ([30, 10], 30),
        ([20, 15, 5], 0),
        ([], 0),
    ],
)
def test_giver_worked_examples(bests, points):
    assert giver_points(bests) == points


def test_giver_needs_someone_at_25():
    assert giver_points([24, 24]) == 0
    assert giver_points([25, 0]) == 30


@given(similarities, similarities)
def test_tiers_are_monotonic(a, b):
    lo, hi = sorted((a, b))
    assert tier_points(lo) <= tier_points(hi)


@given(similarities, similarities, st.floats(0, 200), st.integers(20, 180))
def test_a_better_guess_never_earns_less(a, b, elapsed, guess_seconds):
    lo, hi = sorted((a, b))
    assert guesser_points(lo, elapsed, guess_seconds) <= guesser_points(hi, elapsed, guess_seconds)


@given(similarities, st.floats(0, 200), st.floats(0, 200), st.integers(20, 180))
def test_an_earlier_guess_never_earns_less(similarity, t1, t2, guess_seconds):
    early, late = sorted((t1, t2))
    assert guesser_points(similarity, early, guess_seconds) >= guesser_points(similarity, late, guess_seconds)


@given(similarities, st.floats(-10, 1000), st.integers(20, 180))
def test_guesser_points_are_bounded(similarity, elapsed, guess_seconds):
    assert 0 <= guesser_points(similarity, elapsed, guess_seconds) <= 150


@given(st.lists(similarities, max_size=11))
def test_giver_points_are_bounded(bests):
    points = giver_points(bests)
    assert 0 <= points <= 130
    if bests and all(b >= SOLVED_AT for b in bests):
        assert points <= 60
    if not bests or max(bests) < 25:
        assert points == 0
