"""Resume, host transfer, timers, kicks and image failures over the real protocol."""

from __future__ import annotations

import asyncio

from tests.support.players import Player
from tests.support.server import Server


async def _room_of(players, n: int, **settings) -> list[Player]:
    ps = await players(n)
    await ps[0].create("P0", settings=settings or None)
    for i, p in enumerate(ps[1:], 1):
        await p.join(ps[0].code, f"P{i}")
    await ps[0].wait_for(lambda v: len(v["members"]) == n)
    return ps


def _by_id(ps: list[Player]) -> dict[str, Player]:
    return {p.id: p for p in ps}


async def test_resume_after_disconnect_keeps_seat_and_score(server: Server, players) -> None:
    ps = await _room_of(players, 3)
    await ps[0].ok("game:start")
    v = await ps[0].wait_for(lambda v: v["phase"] == "prompting")
    giver = _by_id(ps)[v["turn"]["giverId"]]
    await giver.ok("prompt:submit", {"text": "red balloon"})
    guesser = next(p for p in ps if p is not giver)
    await guesser.wait_for(lambda v: v["phase"] == "guessing")
    await guesser.ok("guess:submit", {"text": "blue kite"})
    token, code, member = guesser.token, guesser.code, guesser.id
    await guesser.close()
    await ps[0 if guesser is not ps[0] else 1].wait_for(
        lambda v: not next(m for m in v["members"] if m["id"] == member)["connected"]
    )

    again = (await players(1))[0]
    reply = await again.ok("room:resume", {"code": code, "token": token})
    assert reply["playerId"] == member and "token" not in reply
    yours = reply["view"]["turn"]["yours"]
    assert [g["text"] for g in yours["guesses"]] == ["blue kite"]  # own guesses come back
    assert next(m for m in reply["view"]["members"] if m["id"] == member)["connected"]
    # the token is useless in another room
    other = (await players(1))[0]
    await other.create("Else")
    bad = await again.call("room:resume", {"code": other.code, "token": token})
    assert bad["error"]["code"] == "token_invalid"


async def test_resume_after_leaving_is_refused(server: Server, players) -> None:
    ps = await _room_of(players, 2)
    await ps[1].ok("room:leave")
    bad = await ps[1].call("room:resume", {"code": ps[0].code, "token": ps[1].token})
    assert bad["error"]["code"] == "token_invalid"


async def test_host_transfer_when_host_leaves_and_after_seat_hold(server: Server, players) -> None:
    ps = await _room_of(players, 3)
    await ps[0].ok("room:leave")
    v = await ps[1].wait_for(lambda v: len(v["members"]) == 2)
    assert v["hostId"] == ps[1].id  # longest present
    await ps[1].close()  # the new host drops and does not come back
    v = await ps[2].wait_for(lambda v: not v["members"][0]["connected"])
    assert v["hostId"] == ps[1].id  # held while the seat is held
    await server.advance(121)
    v = await ps[2].wait_for(lambda v: len(v["members"]) == 1)
    assert v["hostId"] == ps[2].id


async def test_prompt_timeout_submits_a_suggestion_and_pauses_for_a_missing_giver(server: Server, players) -> None:
    ps = await _room_of(players, 3, promptSeconds=15)
    await ps[0].ok("game:start")
    v = await ps[0].wait_for(lambda v: v["phase"] == "prompting")
    giver = _by_id(ps)[v["turn"]["giverId"]]
    sugg = await giver.ok("prompt:suggest")
    assert len(sugg["suggestions"]) == 3 and len(set(sugg["suggestions"])) == 3
    watcher = next(p for p in ps if p is not giver)
    assert "suggestions" not in watcher.view["turn"]
    await server.advance(16)
    v = await giver.wait_for(lambda v: v["phase"] in ("generating", "guessing"))
    assert v["turn"]["autoPrompt"] is True and v["turn"]["prompt"] in sugg["suggestions"]
    await watcher.wait_for(lambda v: v["phase"] == "guessing")
    # finish the turn, then make the next giver disconnect: the prompt timer pauses
    for p in ps:
        if p is not giver:
            await p.ok("guess:submit", {"text": v["turn"]["prompt"]})
    await ps[0].wait_for(lambda v: v["phase"] == "reveal")
    assert next(r for r in ps[0].view["turn"]["results"]) and ps[0].view["turn"]["giverPoints"] == 0
    await server.advance(9)
    v = await ps[0].wait_for(lambda v: v["phase"] == "prompting" and v["turn"]["number"] == 2)
    giver2 = _by_id(ps)[v["turn"]["giverId"]]
    other = next(p for p in ps if p is not giver2)
    await giver2.close()
    v = await other.wait_for(lambda v: v["paused"])
    assert v["deadline"] is None and 0 < v["pausedRemaining"] <= 15
    await server.advance(60)
    assert other.view["phase"] == "prompting" and other.view["paused"]  # no auto prompt while away
    await server.advance(61)  # past the seat hold: the turn is skipped
    v = await other.wait_for(lambda v: v["turn"] and v["turn"]["number"] == 3)
    assert giver2.id not in [m["id"] for m in v["members"]]


async def test_image_failure_gives_the_prompt_back_then_falls_back_to_builtin(server: Server, players) -> None:
    ps = await _room_of(players, 2)
    server.images.plan = ["fail", "hang"]
    await ps[0].ok("game:start")
    v = await ps[0].wait_for(lambda v: v["phase"] == "prompting")
    giver = _by_id(ps)[v["turn"]["giverId"]]
    await giver.ok("prompt:submit", {"text": "dragon in the rain"})
    v = await giver.wait_for(lambda v: v["phase"] == "prompting" and v["turn"]["failures"] == 1)
    assert "test failure" in v["turn"]["failureReason"]
    assert ("image:failed", {"reason": "The provider refused: test failure.", "turn": 1}) in giver.events
    assert v["deadline"] - v["serverTime"] > 40  # the full prompt time again
    await giver.ok("prompt:submit", {"text": "dragon in the snow"})
    await giver.wait_for(lambda v: v["phase"] == "generating")
    await server.advance(31)  # the second attempt hangs past the generation timeout
    v = await giver.wait_for(lambda v: v["phase"] == "guessing")
    assert v["turn"]["builtin"] is True
    assert server.images.calls[-1] == ("dragon in the snow", server.images.calls[-1][1], True)


async def test_host_kick_and_vote_kick(server: Server, players) -> None:
    ps = await _room_of(players, 4)
    host, a, b, c = ps
    refused = await a.call("player:kick", {"playerId": b.id})
    assert refused["error"]["code"] == "not_host"
    await host.ok("player:kick", {"playerId": c.id})
    await asyncio.sleep(0.1)
    assert any(e == "room:kicked" for e, _ in c.events)
    again = await c.call("room:resume", {"code": host.code, "token": c.token})
    assert again["error"]["code"] == "kicked"
    # 3 players left: a vote needs 2 of the other 2
    first = await host.ok("player:votekick", {"playerId": b.id})
    assert first["votes"] == 1 and first["needed"] == 2 and not first.get("kicked")
    dup = await host.call("player:votekick", {"playerId": b.id})
    assert dup["error"]["code"] == "already_voted"
    second = await a.ok("player:votekick", {"playerId": b.id})
    assert second["kicked"] is True
    v = await host.wait_for(lambda v: len(v["members"]) == 2)
    assert b.id not in [m["id"] for m in v["members"]]


async def test_chat_reaches_the_room(server: Server, players) -> None:
    ps = await _room_of(players, 2)
    await ps[0].ok("chat:send", {"text": "hello there"})
    for _ in range(50):
        if any(e == "chat:message" for e, _ in ps[1].events):
            break
        await asyncio.sleep(0.02)
    line = next(d for e, d in ps[1].events if e == "chat:message")
    assert line["text"] == "hello there" and line["name"] == "P0"
    long = await ps[0].call("chat:send", {"text": "x" * 201})
    assert long["error"]["code"] == "invalid_payload"


async def test_spectator_and_mid_game_joiner(server: Server, players) -> None:
    ps = await _room_of(players, 2)
    await ps[0].ok("game:start")
    late, watcher = await players(2)
    reply = await late.join(ps[0].code, "Late")
    assert reply["view"]["you"]["role"] == "spectator" and reply["view"]["you"]["joinsNextRound"]
    reply = await watcher.join(ps[0].code, "Watcher", spectator=True)
    assert reply["view"]["you"]["role"] == "spectator" and not reply["view"]["you"]["joinsNextRound"]
    v = await ps[0].wait_for(lambda v: v["phase"] == "prompting")
    giver = _by_id(ps)[v["turn"]["giverId"]]
    await giver.ok("prompt:submit", {"text": "snowy owl"})
    await late.wait_for(lambda v: v["phase"] == "guessing")
    assert late.view["turn"]["prompt"] is None and watcher.view["turn"]["prompt"] is None
    refused = await late.call("guess:submit", {"text": "owl"})
    assert refused["error"]["code"] == "not_a_player"


async def test_a_kicked_player_cannot_rejoin_from_the_same_browser(server: Server, players) -> None:
    host, keeper, kicked, fresh, other = await players(5)
    await host.create("Host")
    device = "device-key-of-" + "c" * 10
    await keeper.join(host.code, "Keeper", device="device-key-of-" + "k" * 10)
    await kicked.join(host.code, "Cy", device=device)
    await host.ok("player:kick", {"playerId": kicked.id})
    # a new socket, a new name, the same browser key
    refused = await fresh.call("room:join", {"code": host.code, "name": "Totally New", "device": device})
    assert refused["error"]["code"] == "kicked"
    assert (await fresh.call("room:join", {"code": host.code, "name": "Also New", "device": None}))["error"][
        "code"
    ] == "invalid_payload"
    # another browser is welcome; a key is only refused in the room it was kicked from
    await other.join(host.code, "Dee", device="device-key-of-" + "d" * 10)
    elsewhere = await fresh.create("Totally New")
    assert elsewhere["ok"]
