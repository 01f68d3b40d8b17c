"""Points from similarity. The formula, with worked examples, is in docs/scoring.md."""

from __future__ import annotations

SOLVED_AT = 95
# (lowest similarity, points): a guess earns the points of the highest tier it reaches.
TIERS: tuple[tuple[int, int], ...] = ((95, 100), (85, 80), (70, 60), (50, 40), (25, 20), (10, 10))
SPEED_BONUS_FROM = 50  # only guesses this good earn a speed bonus
SPEED_BONUS_MAX = 50
GIVER_MIN_BEST = 25  # the giver earns nothing unless somebody gets at least this close
CLOSE_AT = 50


def warmth(similarity: int) -> str:
    if similarity >= SOLVED_AT:
        return "got it"
    if similarity >= 70:
        return "hot"
    if similarity >= 40:
        return "warm"
    return "cold"


def tier_points(similarity: int) -> int:
    for floor, points in TIERS:
        if similarity >= floor:
            return points
    return 0


def speed_bonus(similarity: int, elapsed: float, guess_seconds: float) -> int:
    """Up to SPEED_BONUS_MAX for a good guess, falling linearly to 0 at the deadline."""
    if similarity < SPEED_BONUS_FROM or guess_seconds <= 0:
        return 0
    left = max(0.0, min(1.0, 1.0 - elapsed / guess_seconds))
    return round(SPEED_BONUS_MAX * left * tier_points(similarity) / 100)


def guesser_points(similarity: int, elapsed: float, guess_seconds: float) -> int:
    return tier_points(similarity) + speed_bonus(similarity, elapsed, guess_seconds)


def giver_points(best_similarities: list[int]) -> int:
    """Hard but fair earns most: many get close, not everyone solves it.

    - nobody reaches 25: 0 (the prompt did not come across);
    - otherwise 30 + 100 × (share of guessers at 50 or more);
    - everyone solved it: capped at 60 (too easy).
    """
    if not best_similarities or max(best_similarities) < GIVER_MIN_BEST:
        return 0
    close = sum(1 for s in best_similarities if s >= CLOSE_AT) / len(best_similarities)
    points = 30 + round(100 * close)
    if all(s >= SOLVED_AT for s in best_similarities):
        points = min(points, 60)
    return points
