"""The writer's review of the picture(s) before guessing: one new picture a turn (or a
rejection, which counts as it), the pick of up to four, and the review's own deadline."""

from __future__ import annotations

from imprompt.game import commands as c
from imprompt.game import effects as fx
from imprompt.game.content_filter import ContentFilter
from imprompt.game.rules import EVERYONE, RulesEnv, pending_image
from imprompt.game.state import Phase
from imprompt.game.views import view_for

from .test_rules import Game, of_type, started, table_score


def pictures(g: Game, urls: list[str], cost: float = 0.01) -> None:
    first, *rest = urls
    others = tuple(c.Picture(u, "together", "m", cost, 1.0) for u in rest)
    attempt = g.turn.failures + int(g.turn.regenerated)
    g.do(c.ImageReady(g.turn.number, attempt, first, "together", "m", cost, 1.0, others=others))


def test_without_the_review_the_picture_goes_straight_to_the_guessers():
    g = started(3)
    job = of_type(g.prompt(), fx.GenerateImage)[0]
    assert (job.count, job.style) == (1, "none")
    g.image()
    assert g.phase == Phase.GUESSING


def test_the_review_shows_the_picture_to_the_writer_only():
    g = started(3, settings={"image_review": True, "image_style": "clay"})
    job = of_type(g.prompt(), fx.GenerateImage)[0]
    assert (job.count, job.style) == (1, "clay")
    g.later(2)
    pictures(g, ["/images/a.png"])
    assert g.phase == Phase.GENERATING and g.state.deadline == g.now + 20  # Timing.review
    assert pending_image(g.state) is None  # nothing to ask for again after a restart
    mine = view_for(g.state, g.giver, g.now)["turn"]
    assert mine["review"] == {"imageUrls": ["/images/a.png"], "canRegenerate": True}
    for other in g.others():
        theirs = view_for(g.state, other, g.now)
        assert theirs["phase"] == "generating" and "review" not in theirs["turn"] and not theirs["turn"]["imageUrl"]
    g.do(c.PickImage(g.giver, 0))
    assert g.phase == Phase.GUESSING and g.turn.image.url == "/images/a.png" and not g.turn.candidates


def test_one_regeneration_only_with_a_new_seed():
    g = started(3, settings={"image_review": True})
    first = of_type(g.prompt(), fx.GenerateImage)[0]
    pictures(g, ["/images/a.png"])
    g.reject(c.RegenerateImage(g.others()[0]), "not_your_turn")
    out = g.do(c.RegenerateImage(g.giver))
    again = of_type(out, fx.GenerateImage)[0]
    assert out.audience == EVERYONE  # the deadline every view shows moved
    assert (again.attempt, again.prompt) == (1, first.prompt) and again.seed != first.seed
    assert g.phase == Phase.GENERATING and g.state.deadline == g.now + 30
    g.reject(c.PickImage(g.giver, 0), "not_reviewing")  # the new one is still being drawn
    g.reject(c.ImageReady(1, 0, "/images/late.png"), "stale")  # the first job's late answer
    pictures(g, ["/images/b.png"])
    assert view_for(g.state, g.giver, g.now)["turn"]["review"]["canRegenerate"] is False
    g.reject(c.RegenerateImage(g.giver), "already_regenerated")
    g.reject(c.RegenerateImage(g.giver, reject=True), "already_regenerated")
    g.do(c.PickImage(g.giver, 0))
    assert g.turn.image.url == "/images/b.png" and g.turn.images_cost_usd == 0.02


def test_rejecting_a_picture_that_gives_the_answer_away_counts_as_the_regeneration():
    g = started(3, settings={"image_review": True})
    g.prompt("zebra quartet")
    pictures(g, ["/images/spells-zebra.png"])
    out = g.do(c.RegenerateImage(g.giver, reject=True))
    assert g.turn.rejected and g.turn.regenerated and of_type(out, fx.GenerateImage)
    pictures(g, ["/images/fine.png"])
    g.reject(c.RegenerateImage(g.giver), "already_regenerated")


def test_pick_one_of_four():
    g = started(3, settings={"image_choices": 4})
    assert of_type(g.prompt(), fx.GenerateImage)[0].count == 4
    urls = [f"/images/{i}.png" for i in range(4)]
    pictures(g, urls)
    assert view_for(g.state, g.giver, g.now)["turn"]["review"]["imageUrls"] == urls
    g.reject(c.PickImage(g.giver, 4), "invalid_choice")
    g.reject(c.PickImage(g.others()[0], 1), "not_your_turn")
    g.do(c.PickImage(g.giver, 2))
    assert g.turn.image.url == "/images/2.png" and g.turn.images_cost_usd == 0.04


def test_the_budget_offers_fewer_and_the_writer_picks_among_those():
    g = started(3, settings={"image_choices": 4})
    g.prompt()
    pictures(g, ["/images/0.png", "/images/1.png"])  # the runner drew what the budget paid for
    assert len(g.turn.candidates) == 2
    g.reject(c.PickImage(g.giver, 2), "invalid_choice")
    g.do(c.PickImage(g.giver, 1))


def test_the_review_times_out_on_the_first_picture():
    g = started(3, settings={"image_choices": 3})
    g.prompt()
    pictures(g, ["/images/0.png", "/images/1.png", "/images/2.png"])
    g.tick(19.9)
    assert g.phase == Phase.GENERATING
    g.expire()
    assert g.phase == Phase.GUESSING and g.turn.image.url == "/images/0.png"
    assert g.state.deadline == g.now + 60


def test_no_new_drawing_is_offered_when_it_would_be_the_same_picture():
    g = started(3, settings={"image_review": True})
    g.prompt()
    g.do(c.ImageReady(1, 0, "/images/pictogram.svg", "pictogram", redraw=False))
    assert view_for(g.state, g.giver, g.now)["turn"]["review"]["canRegenerate"] is False
    g.reject(c.RegenerateImage(g.giver), "not_allowed")
    g.reject(c.RegenerateImage(g.giver, reject=True), "not_allowed")
    g.do(c.PickImage(g.giver, 0))
    assert g.phase == Phase.GUESSING


def test_a_failed_regeneration_is_a_failure_like_any():
    g = started(3, settings={"image_review": True})
    g.prompt()
    pictures(g, ["/images/a.png"])
    g.do(c.RegenerateImage(g.giver))
    g.do(c.ImageFailed(1, 1, "The image service's safety filter stopped this picture."))
    assert g.phase == Phase.PROMPTING and g.turn.failures == 1
    assert "safety filter" in view_for(g.state, g.giver, g.now)["turn"]["failureReason"]


def test_style_and_choices_are_validated_like_every_setting():
    g = Game(2)
    g.reject(c.UpdateSettings(g.host, {"image_style": "oil"}), "invalid_settings")
    g.reject(c.UpdateSettings(g.host, {"image_choices": 5}), "invalid_settings")
    g.do(c.UpdateSettings(g.host, {"image_style": "pixel", "image_choices": 2}))
    shown = view_for(g.state, g.host, g.now)["settings"]
    assert (shown["imageStyle"], shown["imageChoices"], shown["imageReview"]) == ("pixel", 2, False)


def test_a_blocked_prompt_never_reaches_a_paid_provider():
    env = RulesEnv(score=table_score, content_filter=ContentFilter(["zebra"], use_default=False))
    g = started(2, env=env, settings={"image_choices": 4})
    g.reject(c.SubmitPrompt(g.giver, "two zebras"), "prompt_blocked")  # no GenerateImage: checked effects == []
