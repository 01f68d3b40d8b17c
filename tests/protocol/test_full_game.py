"""A full 3-player, 2-round game over real websockets, checking what each seat sees."""

from __future__ import annotations

import httpx

from tests.support.server import Server


async def test_three_players_two_rounds_to_the_podium(server: Server, players) -> None:
    ann, bob, cy = await players(3)
    created = await ann.create("Ann", settings={"rounds": 2, "guessSeconds": 30})
    code = created["code"]
    assert len(code) == 6 and created["token"]
    await bob.join(code, "Bob")
    await cy.join(code.lower(), "  Cy  ")  # codes are case-insensitive, names trimmed
    await ann.wait_for(lambda v: len(v["members"]) == 3)
    assert [m["name"] for m in ann.view["members"]] == ["Ann", "Bob", "Cy"]
    assert ann.view["settings"]["rounds"] == 2

    by_id = {p.id: p for p in (ann, bob, cy)}
    await ann.ok("game:start")
    givers: list[str] = []
    for turn in range(1, 7):
        v = await ann.wait_for(lambda v, t=turn: v["phase"] == "prompting" and v["turn"]["number"] == t)
        giver = by_id[v["turn"]["giverId"]]
        givers.append(giver.id)
        prompt = ["angry cat", "horse on a roof", "banana boat", "red balloon", "pizza party", "snowy mountain"][
            turn - 1
        ]
        reply = await giver.ok("prompt:submit", {"text": prompt})
        assert reply["prompt"] == prompt
        guessers = [p for p in (ann, bob, cy) if p is not giver]
        for p in guessers:
            await p.wait_for(lambda v, t=turn: v["phase"] == "guessing" and v["turn"]["number"] == t)
            # the secret never reaches a guesser before the reveal
            assert p.view["turn"]["prompt"] is None
            assert prompt not in str(p.view)
        await giver.wait_for(lambda v: v["phase"] == "guessing")
        assert giver.view["turn"]["prompt"] == prompt
        image = giver.view["turn"]["imageUrl"]
        async with httpx.AsyncClient(base_url=server.url) as http:
            got = await http.get(image)
        assert got.status_code == 200 and got.headers["content-type"].startswith("image/svg+xml")

        wrong = await guessers[0].ok("guess:submit", {"text": "office meeting"})
        assert 0 <= wrong["similarity"] < 50 and wrong["warmth"] == "cold" and not wrong["solved"]
        right = await guessers[0].ok("guess:submit", {"text": prompt.upper() + "!"})
        assert right["similarity"] >= 95 and right["solved"] and right["warmth"] == "got it"
        # the other guesser sees who solved, never the guess text
        other = guessers[1]
        solver = guessers[0].id
        await other.wait_for(lambda v, solver=solver: solver in v["turn"]["solvedIds"])
        assert "office meeting" not in str(other.view) and "OFFICE" not in str(other.view)
        await guessers[1].ok("guess:submit", {"text": prompt})
        v = await ann.wait_for(lambda v: v["phase"] == "reveal")
        assert v["turn"]["prompt"] == prompt
        results = {r["playerId"]: r for r in v["turn"]["results"]}
        assert results[guessers[0].id]["guess"].lower().startswith(prompt)
        assert all(r["points"] >= 100 for r in results.values())
        await server.advance(9)  # past the 8 s reveal

    v = await ann.wait_for(lambda v: v["phase"] == "finished")
    # every player gave exactly once per round
    assert sorted(givers[:3]) == sorted(p.id for p in (ann, bob, cy))
    assert sorted(givers[3:]) == sorted(givers[:3])
    assert len(v["album"]) == 6
    assert [s["place"] for s in v["standings"]][0] == 1
    scores = {m["id"]: m["score"] for m in v["members"]}
    assert {s["playerId"]: s["score"] for s in v["standings"]} == scores
    assert all(score > 0 for score in scores.values())
    # the host can start a new game in the same room
    await ann.ok("game:new")
    v = await ann.wait_for(lambda v: v["phase"] == "lobby")
    assert v["code"] == code
