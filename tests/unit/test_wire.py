"""to_wire: typed replies (dataclasses, snake_case) become the protocol's camelCase objects."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from imprompt.camel import camel
from imprompt.realtime.wire import error, to_wire


@dataclass
class GuessResult:
    similarity: int
    warmth: str
    solved: bool
    best: int
    guesses_left: int


@dataclass
class VoteCount:
    votes: int
    needed: int
    kicked: bool | None = None


@dataclass
class Line:
    player_id: str
    at_time: float


@dataclass
class Nested:
    first_line: Line
    all_lines: list[Line] = field(default_factory=list)
    pair: tuple[int, ...] = ()
    raw_extra: dict | None = None


def test_names_become_camel_case() -> None:
    assert camel("guesses_left") == "guessesLeft"
    assert camel("member_id") == "memberId"
    assert camel("a_b_c") == "aBC"
    assert camel("votes") == "votes"


def test_a_dataclass_becomes_a_camel_case_dict() -> None:
    reply = to_wire(GuessResult(similarity=72, warmth="hot", solved=False, best=72, guesses_left=7))
    assert reply == {"similarity": 72, "warmth": "hot", "solved": False, "best": 72, "guessesLeft": 7}


def test_none_fields_are_left_out_but_false_and_zero_stay() -> None:
    assert to_wire(VoteCount(votes=1, needed=2)) == {"votes": 1, "needed": 2}
    assert to_wire(VoteCount(votes=0, needed=2, kicked=False)) == {"votes": 0, "needed": 2, "kicked": False}
    assert to_wire(VoteCount(votes=2, needed=2, kicked=True))["kicked"] is True


def test_nested_dataclasses_lists_and_tuples() -> None:
    reply = to_wire(Nested(Line("p1", 1.5), [Line("p2", 2.0), Line("p3", 3.0)], (1, 2), {"keep_me": 1}))
    assert reply == {
        "firstLine": {"playerId": "p1", "atTime": 1.5},
        "allLines": [{"playerId": "p2", "atTime": 2.0}, {"playerId": "p3", "atTime": 3.0}],
        "pair": [1, 2],
        "rawExtra": {"keep_me": 1},
    }  # a plain dict inside passes unchanged


def test_plain_dicts_pass_through_and_none_is_empty() -> None:
    reply = {"memberId": "p1", "snake_stays": 1}
    assert to_wire(reply) is reply
    assert to_wire(None) == {}


def test_anything_else_is_a_bug() -> None:
    with pytest.raises(TypeError):
        to_wire(GuessResult)  # the class, not an instance
    with pytest.raises(TypeError):
        to_wire([1, 2])


def test_error_answer() -> None:
    assert error("rate_limited", "Slow down.", retryAfter=1) == {
        "ok": False,
        "error": {"code": "rate_limited", "message": "Slow down.", "retryAfter": 1},
    }
