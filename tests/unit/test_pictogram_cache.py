"""The generator's memos (a prompt's plan, a word's match) never change a picture."""

from __future__ import annotations

import copy

import pytest

from imprompt.generations import Generations
from imprompt.images.pictogram import PictogramProvider
from imprompt.images.pictogram.compose import compose, layout, seed_free_layout
from imprompt.images.pictogram.planner import make_plan
from imprompt.images.pictogram.provider import _rng

PROMPTS = [
    "a cat riding a skateboard",
    "a dog wearing sunglasses",
    "three red apples on a table",
    "a snowy night in the city",
    "a castle made of ice",
    "dragons fighting knights",
    "mailman with a letter",
    "a bowl of soup",
    "pigs flying",
    "",
]


@pytest.fixture(scope="module")
def provider() -> PictogramProvider:
    return PictogramProvider()


def test_memo_keeps_two_generations() -> None:
    memo: Generations[int] = Generations(2)
    for k in "abc":
        memo.put(k, ord(k))
    assert len(memo) == 3 and memo.get("a") == ord("a")  # "a" was old: moved back to the young
    memo.put("d", 4)
    assert memo.get("b") is None and memo.get("c") == ord("c")
    memo.clear()
    assert len(memo) == 0 and memo.get("a") is None


@pytest.mark.parametrize("prompt", PROMPTS)
def test_compose_leaves_the_plan_as_it_was(provider: PictogramProvider, prompt: str) -> None:
    plan = make_plan(prompt, provider.matcher)
    before = copy.deepcopy(plan)
    for seed in range(3):
        compose(plan, provider.catalogue, _rng(prompt, seed))
    assert plan == before


@pytest.mark.parametrize("prompt", PROMPTS)
def test_a_cached_plan_draws_what_a_fresh_one_does(provider: PictogramProvider, prompt: str) -> None:
    provider.clear_caches()
    first = provider.draw(prompt, seed=5)
    again = provider.draw(prompt, seed=5)
    plan = make_plan(prompt, provider.matcher)
    svg, report = compose(plan, provider.catalogue, _rng(prompt, 5))
    report["concepts"] = plan.concepts
    for drawing in (first, again):
        assert drawing.svg == svg and drawing.report == report and drawing.concepts == plan.concepts


def test_case_and_spaces_share_a_plan(provider: PictogramProvider) -> None:
    provider.clear_caches()
    plain = provider.draw("a dog wearing sunglasses", seed=1)
    loud = provider.draw("  A Dog\u00a0 WEARING\tsunglasses ", seed=1)
    assert loud.svg == plain.svg and loud.report == plain.report


def test_a_callers_changes_stay_out_of_the_cache(provider: PictogramProvider) -> None:
    provider.clear_caches()
    first = provider.draw("a castle made of ice", seed=2)
    expected = copy.deepcopy(first.concepts)
    for entry in first.concepts:
        entry.clear()
    first.concepts.append({"word": "x"})
    again = provider.draw("a castle made of ice", seed=2)
    assert again.concepts == expected and again.report["concepts"] is again.concepts


@pytest.mark.parametrize("prompt", PROMPTS)
def test_a_seed_free_layout_is_every_seeds_layout(provider: PictogramProvider, prompt: str) -> None:
    plan = make_plan(prompt, provider.matcher)
    kept = seed_free_layout(plan, provider.catalogue)
    if any(t.count > 1 for t in plan.things):
        assert kept is None
        return
    assert kept is not None
    for seed in range(3):
        assert layout(plan, _rng(prompt, seed), provider.catalogue) == kept
