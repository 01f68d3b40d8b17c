"""The writer's picture review over the real protocol: pick one of several, one new
drawing only, bad payloads refused, and the others seeing "generating" throughout."""

from __future__ import annotations

from tests.support.server import Server

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
