"""The writer's picture review over the real protocol: pick one of several, one new
drawing only, bad payloads refused, and the others seeing "generating" throughout."""

from __future__ import annotations

from imprompt.images.backend import build_backend
from imprompt.images.settings import load_image_settings
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.server import Server, running_server

from .test_lifecycle import _by_id, _room_of


async def test_the_writer_regenerates_once_then_picks_one_of_three(server: Server, players) -> None:
    ps = await _room_of(players, 3, imageChoices=3, imageStyle="cartoon")
    assert ps[0].view["settings"]["imageChoices"] == 3
    bad = await ps[0].call("room:settings", {"imageStyle": "oil paint"})
    assert bad["error"]["code"] == "invalid_settings" and "image_style" in bad["error"]["message"]
    await ps[0].ok("game:start")
    v = await ps[0].wait_for(lambda v: v["phase"] == "prompting")
    giver = _by_id(ps)[v["turn"]["giverId"]]
    others = [p for p in ps if p is not giver]
    early = await giver.call("image:pick", {"index": 0})
    assert early["error"]["code"] == "wrong_phase"
    await giver.ok("prompt:submit", {"text": "owl reading a map"})

    first = await giver.wait_for(lambda v: v["turn"].get("review"))
    assert first["phase"] == "generating" and len(first["turn"]["review"]["imageUrls"]) == 3
    assert first["turn"]["review"]["canRegenerate"] is True
    assert server.images.styles[-3:] == ["cartoon"] * 3
    for p in others:
        assert p.view["phase"] == "generating" and "review" not in p.view["turn"]
    for payload in ({"index": 9}, {"index": "1"}, {}, {"index": 0, "extra": 1}):
        refused = await giver.call("image:pick", payload)
        assert refused["error"]["code"] == "invalid_payload", payload
    assert (await others[0].call("image:pick", {"index": 0}))["error"]["code"] == "not_your_turn"
    assert (await giver.call("image:regenerate", {"reject": "yes"}))["error"]["code"] == "invalid_payload"

    await giver.ok("image:regenerate", {"reject": True})
    second = await giver.wait_for(lambda v: v["turn"].get("review") and not v["turn"]["review"]["canRegenerate"])
    assert set(second["turn"]["review"]["imageUrls"]).isdisjoint(first["turn"]["review"]["imageUrls"])
    again = await giver.call("image:regenerate", {})
    assert again["error"]["code"] == "already_regenerated"
    await giver.ok("image:pick", {"index": 2})
    chosen = second["turn"]["review"]["imageUrls"][2]
    for p in others:
        seen = await p.wait_for(lambda v: v["phase"] == "guessing")
        assert seen["turn"]["imageUrl"] == chosen


async def test_the_review_times_out_on_the_first_picture(server: Server, players) -> None:
    ps = await _room_of(players, 2, imageReview=True)
    await ps[0].ok("game:start")
    v = await ps[0].wait_for(lambda v: v["phase"] == "prompting")
    giver = _by_id(ps)[v["turn"]["giverId"]]
    await giver.ok("prompt:submit", {"text": "kite over a lighthouse"})
    review = await giver.wait_for(lambda v: v["turn"].get("review"))
    assert 19 < review["deadline"] - review["serverTime"] <= 20  # REVIEW_SECONDS
    await server.advance(21)  # nobody picks: the scheduler ends the review
    guesser = next(p for p in ps if p is not giver)
    seen = await guesser.wait_for(lambda v: v["phase"] == "guessing")
    assert seen["turn"]["imageUrl"] == review["turn"]["review"]["imageUrls"][0]


async def test_with_the_pictogram_generator_only_no_new_drawing_is_offered(tmp_path) -> None:
    backend = build_backend(load_image_settings(image_dir=str(tmp_path / "images"), ai_provider="pictogram"))
    async with running_server({}, Clock(), FakeImages(), backend) as srv:
        a, b = Player(srv.url), Player(srv.url)
        await a.connect()
        await b.connect()
        try:
            await a.create("Ann", settings={"imageChoices": 3})
            await b.join(a.code, "Ben")
            await a.ok("game:start")
            v = await a.wait_for(lambda v: v["phase"] == "prompting")
            giver = a if v["turn"]["giverId"] == a.id else b
            await giver.ok("prompt:submit", {"text": "red balloon"})
            review = (await giver.wait_for(lambda v: v["turn"].get("review"), timeout=15))["turn"]["review"]
            # the pictogram draws this prompt alike for every seed: one picture, no new drawing
            assert len(review["imageUrls"]) == 1 and review["canRegenerate"] is False
            refused = await giver.call("image:regenerate", {"reject": True})
            assert refused["error"]["code"] == "not_allowed"
            await giver.ok("image:pick", {"index": 0})
            await giver.wait_for(lambda v: v["phase"] == "guessing")
        finally:
            await a.close()
            await b.close()
