"""Prompt packs over real sockets: a host imports a pack (bad lines named), chooses an
operator's pack, and plays a pack-only turn in which the writer picks one of three."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.server import Server, running_server

LIST = "a red apple\na school bus\na pencil case\na blue whale\n"


async def test_import_a_pack_and_play_a_pack_only_turn(server: Server, players) -> None:
    ann, bob = await players(2)
    await ann.create("Ann", settings={"maxWords": 3})
    await bob.join(ann.code, "Bob")

    bad = await ann.call("pack:import", {"text": "a red apple\nthis has too many words\n\n123\n", "name": "Class"})
    assert not bad["ok"] and bad["error"]["code"] == "pack_invalid"
    assert bad["error"]["message"] == (
        "line 2: Use at most 3 words (you used 5).; line 4: A prompt needs at least one word."
    )
    refused = await bob.call("pack:import", {"text": LIST})
    assert refused["error"]["code"] == "not_host"
    for payload in ({"text": ""}, {"text": LIST, "name": None}, {"text": "x" * 12_001}, {"text": LIST, "extra": 1}):
        assert (await ann.call("pack:import", payload))["error"]["code"] == "invalid_payload", payload

    reply = await ann.ok("pack:import", {"text": LIST, "name": "Class 3B"})
    assert (reply["id"], reply["name"], reply["language"], reply["size"]) == ("custom", "Class 3B", "en", 4)
    v = await bob.wait_for(lambda v: v["customPack"] is not None)
    assert v["settings"]["theme"] == "custom" and v["customPack"]["size"] == 4
    assert "school bus" not in str(v)  # the pack's prompts are never sent to the room

    await ann.ok("room:settings", {"packOnly": True})
    assert (await ann.call("room:settings", {"packOnly": None}))["error"]["code"] == "invalid_payload"
    await bob.wait_for(lambda v: v["settings"]["packOnly"])
    await ann.ok("game:start")
    v = await ann.wait_for(lambda v: v["phase"] == "prompting")
    giver, other = (ann, bob) if v["turn"]["giverId"] == ann.id else (bob, ann)
    choices = (await giver.ok("prompt:suggest"))["suggestions"]
    assert len(choices) == 3 and set(choices) <= set(LIST.split("\n"))
    assert (await giver.ok("prompt:suggest"))["suggestions"] == choices  # the same three
    await giver.wait_for(lambda v: v["turn"].get("suggestions") == choices)
    assert "suggestions" not in other.view["turn"]
    typed = await giver.call("prompt:submit", {"text": "zebra quartet"})
    assert typed["error"]["code"] == "pack_only"
    assert (await giver.ok("prompt:submit", {"text": choices[2]}))["prompt"] == choices[2]
    await other.wait_for(lambda v: v["phase"] == "guessing")
    await other.ok("guess:submit", {"text": choices[2]})
    v = await ann.wait_for(lambda v: v["phase"] == "reveal")
    assert v["turn"]["prompt"] == choices[2]


async def test_operator_packs_are_listed_and_chosen(tmp_path: Path) -> None:
    (tmp_path / "classroom.txt").write_text("a ruler\na globe\na chalkboard\n")
    async with running_server({"prompt_packs_dir": str(tmp_path)}, Clock(), FakeImages()) as srv:
        guest = await Player(srv.url).connect()
        host = await Player(srv.url).connect()
        try:
            listed = (await guest.ok("packs:list"))["packs"]  # no seat needed
            ids = [p["id"] for p in listed]
            assert ids[:2] == ["mixed", "animals"] and ids[-1] == "classroom"
            assert listed[-1] == {"id": "classroom", "name": "classroom", "language": "en", "size": 3}
            async with httpx.AsyncClient(base_url=srv.url) as http:
                themes = (await http.get("/api/themes")).json()["themes"]
            assert themes == ids  # the HTTP list and the event agree, the operator's packs last
            await host.create("Host")
            await guest.join(host.code, "Guest")
            unknown = await host.call("room:settings", {"theme": "nope"})
            assert unknown["error"]["code"] == "invalid_settings" and "'classroom'" in unknown["error"]["message"]
            await host.ok("room:settings", {"theme": "classroom"})
            await host.ok("game:start")
            v = await host.wait_for(lambda v: v["phase"] == "prompting")
            giver = host if v["turn"]["giverId"] == host.id else guest
            picks = (await giver.ok("prompt:suggest"))["suggestions"]
            assert set(picks) == {"a ruler", "a globe", "a chalkboard"}
        finally:
            await guest.close()
            await host.close()
