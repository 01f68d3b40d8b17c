"""A big screen over real websockets: it watches, never plays, and follows the host's album."""

from __future__ import annotations

import httpx

from tests.support.server import Server


async def test_a_screen_watches_a_game_and_follows_the_album(server: Server, players) -> None:
    ann, bob, tv = await players(3)
    await ann.create("Ann", settings={"rounds": 1, "maxPlayers": 2})
    await bob.join(ann.code, "Bob")
    seated = await tv.ok("room:screen", {"code": ann.code.lower()})
    assert seated["view"]["you"]["role"] == "screen" and "token" not in seated
    tv.code = seated["code"]
    await ann.wait_for(lambda v: v["screens"] == 1)
    assert [m["name"] for m in ann.view["members"]] == ["Ann", "Bob"]  # no screen in the list

    # a full room of players still takes a screen, and the screen does nothing but watch
    for event, payload in (
        ("chat:send", {"text": "hello"}),
        ("player:ready", {"ready": True}),
        ("game:start", {}),
        ("album:step", {"index": 0}),
    ):
        reply = await tv.call(event, payload)
        assert reply["error"]["code"] == "not_a_player", (event, reply)
    bad = await tv.call("room:screen", {"code": ann.code, "role": "player"})
    assert bad["error"]["code"] == "invalid_payload"

    await ann.ok("game:start")
    for _ in range(2):
        v = await ann.wait_for(lambda v: v["phase"] == "prompting")
        giver, other = (ann, bob) if v["turn"]["giverId"] == ann.id else (bob, ann)
        await giver.ok("prompt:submit", {"text": "sleepy cat"})
        await other.wait_for(lambda v: v["phase"] == "guessing")
        await other.ok("guess:submit", {"text": "tired kitten"})
        # the screen has the picture and the hint, never the prompt or a guess
        shown = await tv.wait_for(lambda v: v["phase"] == "guessing" and v["turn"]["hint"])
        assert shown["turn"]["imageUrl"] and "sleepy" not in str(shown) and "kitten" not in str(shown)
        await other.ok("guess:submit", {"text": "sleepy cat"})
        shown = await tv.wait_for(lambda v: v["phase"] == "reveal")
        assert shown["turn"]["prompt"] == "sleepy cat" and shown["turn"]["results"][0]["guess"]
        await server.advance(9)

    await tv.wait_for(lambda v: v["phase"] == "finished" and len(v["album"]) == 2 and v["albumIndex"] == 0)
    assert (await bob.call("album:step", {"index": 1}))["error"]["code"] == "not_host"
    assert (await ann.call("album:step", {"index": -1}))["error"]["code"] == "invalid_payload"
    await ann.ok("album:step", {"index": 1})
    await tv.wait_for(lambda v: v["albumIndex"] == 1)

    # a screen that drops is gone (the count says so); it simply watches again
    await tv.close()
    await ann.wait_for(lambda v: v["screens"] == 0)
    again = await players(1)
    await again[0].ok("room:screen", {"code": ann.code})
    await ann.wait_for(lambda v: v["screens"] == 1)
    await again[0].ok("room:leave")
    await ann.wait_for(lambda v: v["screens"] == 0)

    async with httpx.AsyncClient(base_url=server.url) as http:  # the page a TV opens
        page = await http.get(f"/r/{ann.code}/tv")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
