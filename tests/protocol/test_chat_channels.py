"""Chat while the prompt is secret, over real sockets (issue 15, items 2 and 3): a guesser
still guessing never receives the solver's answer or the giver's hint; solvers, the giver
and spectators do, labelled with the solved channel."""

from __future__ import annotations

import asyncio

from tests.support.server import Server

PROMPT = "a cat on a skateboard"
SPOILERS = ("it was a cat on a skateboard lol", "hint: it is a skateboard")


def chat_lines(player) -> list[dict]:
    return [data for event, data in player.events if event == "chat:message"]


async def got_line(player, text: str, timeout: float = 5.0) -> dict:
    for _ in range(int(timeout / 0.02)):
        for line in chat_lines(player):
            if line["text"] == text:
                return line
        await asyncio.sleep(0.02)
    raise AssertionError(f"{text!r} never arrived")


async def test_an_unsolved_guesser_never_receives_a_spoiler_a_solver_does(server: Server, players) -> None:
    ann, bob, cy, dee = await players(4)
    await ann.create("Ann")
    for p, name in ((bob, "Bob"), (cy, "Cy")):
        await p.join(ann.code, name)
    await dee.join(ann.code, "Dee", spectator=True)
    await ann.ok("game:start")
    v = await ann.wait_for(lambda v: v["phase"] == "prompting")
    by_id = {p.id: p for p in (ann, bob, cy)}
    giver = by_id[v["turn"]["giverId"]]
    solver, guesser = [p for p in (ann, bob, cy) if p is not giver]
    await giver.ok("prompt:submit", {"text": PROMPT})
    await guesser.wait_for(lambda v: v["phase"] == "guessing")

    solved = await solver.ok("guess:submit", {"text": PROMPT})
    assert solved["solved"]
    # the moment: a system line with the points, to everybody, and the score shows at once
    moment = None
    for _ in range(250):
        moment = next((x for x in chat_lines(guesser) if x["kind"] == "system" and x["event"] == "solved"), None)
        if moment:
            break
        await asyncio.sleep(0.02)
    assert moment and moment["playerId"] == solver.id and moment["channel"] == "all"
    points = int(moment["text"].rsplit("+", 1)[1])
    assert points >= 100 and PROMPT not in moment["text"]
    await guesser.wait_for(lambda v: next(m for m in v["members"] if m["id"] == solver.id)["score"] == points)

    await solver.ok("chat:send", {"text": SPOILERS[0]})
    await giver.ok("chat:send", {"text": SPOILERS[1]})
    refused = await guesser.call("chat:send", {"text": "skateboard??"})
    assert refused["ok"] is False and refused["error"]["code"] == "guess_in_chat"
    assert "guess box" in refused["error"]["message"]
    await guesser.ok("chat:send", {"text": "this one is hard"})

    # the guesser's own harmless line reaches everybody; it was sent after the spoilers,
    # so any spoiler meant for the guesser's socket would have arrived before it
    for p in (ann, bob, cy, dee):
        line = await got_line(p, "this one is hard")
        assert line["channel"] == "all" and line["kind"] == "player"
    for p in (solver, giver, dee):
        for text in SPOILERS:
            line = await got_line(p, text)
            assert line["channel"] == "solved" and line["kind"] == "player"
    assert not any(x["text"] in SPOILERS or "skateboard" in x["text"] for x in chat_lines(guesser))
    assert "skateboard" not in str(guesser.events)

    # and the history a reload gets is filtered the same way
    history = (await guesser.ok("room:sync"))["chat"]
    assert "this one is hard" in [x["text"] for x in history]
    assert not any("skateboard" in x["text"] for x in history)
    assert {x["text"] for x in (await solver.ok("room:sync"))["chat"]} >= set(SPOILERS)
