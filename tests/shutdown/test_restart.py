"""Restarting the server in the middle of a game loses nobody's game.

SIGTERM: readiness turns 503 at once, new rooms are refused, every client hears
`server:restarting`, the rooms are saved, and the process exits 0 within the grace time
even with clients connected. After a restart the players resume their seats with their
tokens and finish the game with their scores and turn order intact. SIGKILL loses at
most what changed since the last periodic save, and never damages the saved rooms.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import time

import httpx

from tests.support.players import Player

SETTINGS = {"rounds": 1, "hints": False, "promptSeconds": 60, "guessSeconds": 90}
PROMPTS = ["red kite", "blue whale", "green apple"]


def saved_rooms(db_path) -> dict[str, dict]:
    """The rooms as the database holds them (read with plain sqlite3, server stopped)."""
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {code: json.loads(state) for code, state in con.execute("SELECT code, state FROM saved_rooms")}
    finally:
        con.close()


async def seat_three(url: str) -> tuple[list[Player], str]:
    ann, bob, cy = [await Player(url).connect() for _ in range(3)]
    await ann.create("Ann", settings=SETTINGS)
    await bob.join(ann.code, "Bob")
    await cy.join(ann.code, "Cy")
    return [ann, bob, cy], ann.code


async def play_turn(players: list[Player], number: int, *, solve: bool = True) -> dict:
    """Play turn `number` into the guessing phase (and to its reveal when `solve`)."""
    ann = players[0]
    view = await ann.wait_for(lambda v: v["phase"] == "prompting" and v["turn"]["number"] == number, 10)
    giver = next(p for p in players if p.id == view["turn"]["giverId"])
    prompt = PROMPTS[number - 1]
    await giver.ok("prompt:submit", {"text": prompt})
    for p in players:
        await p.wait_for(lambda v: v["phase"] == "guessing" and v["turn"]["number"] == number, 10)
    guessers = [p for p in players if p is not giver]
    await guessers[0].ok("guess:submit", {"text": "something else"})
    if solve:
        for g in guessers:
            await g.ok("guess:submit", {"text": prompt})
        await ann.wait_for(lambda v: v["phase"] in ("reveal", "finished") and v["turn"]["number"] == number, 10)
    return {"giver": giver.id, "prompt": prompt}


async def resume_all(url: str, old: list[Player]) -> list[Player]:
    fresh = []
    for p in old:
        q = await Player(url).connect()
        reply = await q.ok("room:resume", {"code": p.code, "token": p.token})
        q.code, q.id, q.token = p.code, reply["playerId"], p.token
        q.view = reply["view"]
        assert q.id == p.id
        fresh.append(q)
    return fresh


async def test_sigterm_mid_game_then_restart_and_finish(make_server, tmp_path) -> None:
    server = await make_server().start()
    players, code = await seat_three(server.url)
    late = await Player(server.url).connect()  # a visitor who will try to open a room too late
    poller = Player(server.url)  # a long-polling client must not hold the shutdown up
    await poller.sio.connect(server.url, transports=["polling"])
    try:
        await players[0].ok("game:start")
        first = await play_turn(players, 1)
        await players[0].wait_for(lambda v: v["phase"] == "prompting" and v["turn"]["number"] == 2, 10)
        second = await play_turn(players, 2, solve=False)  # in the guessing phase, one wrong guess made
        before = {m["id"]: m["score"] for m in players[0].view["members"]}
        assert sum(before.values()) > 0, "turn 1 scored"

        server.send(signal.SIGTERM)
        sent = time.monotonic()
        await asyncio.sleep(0.05)
        async with httpx.AsyncClient(timeout=1.0) as http:
            ready = (await http.get(server.url + "/readyz")).status_code
        refused = await late.call("room:create", {"name": "Late"})
        status = await server.wait(15)
        took = time.monotonic() - sent
        assert ready == 503, "readiness turns 503 at once"
        assert refused["ok"] is False and refused["error"]["code"] == "server_restarting"
        assert status == 0, server.log()[-3000:]
        assert took < 5, f"exit took {took:.1f} s with 5 clients connected (one long-polling)"
        for p in [*players, poller]:
            assert "server:restarting" in [e for e, _ in p.events]
            for _ in range(50):
                if not p.sio.connected:
                    break
                await asyncio.sleep(0.05)
            assert not p.sio.connected

        saved = saved_rooms(tmp_path / "imprompt.db")
        assert list(saved) == [code]
        order = saved[code]["order"]
        assert sorted(order) == sorted(p.id for p in players) and order[:2] == [first["giver"], second["giver"]]

        await asyncio.sleep(1.0)  # downtime
        await server.start()
        players = await resume_all(server.url, players)
        view = players[0].view
        assert view["phase"] == "guessing" and view["turn"]["number"] == 2
        assert view["turn"]["giverId"] == second["giver"]
        assert {m["id"]: m["score"] for m in view["members"]} == before
        guesser = next(p for p in players if p.id != second["giver"])
        assert [g["text"] for g in guesser.view["turn"]["yours"]["guesses"]] == ["something else"]
        remaining = view["deadline"] - view["serverTime"]
        assert 80 < remaining <= 90, f"the guessing time left survived the downtime ({remaining:.1f} s)"

        # finish the turn in progress, then the last one
        for g in [p for p in players if p.id != second["giver"]]:
            await g.ok("guess:submit", {"text": second["prompt"]})
        third = await play_turn(players, 3)
        final = await players[0].wait_for(lambda v: v["phase"] == "finished", 15)
        assert [first["giver"], second["giver"], third["giver"]] == order, "turn order intact"
        totals = {s["playerId"]: s["score"] for s in final["standings"]}
        for entry in final["album"]:
            assert entry["bestGuesses"], entry
        earned = {pid: 0 for pid in totals}
        for entry in final["album"]:
            earned[entry["giverId"]] += entry["giverPoints"]
            for g in entry["bestGuesses"]:
                earned[g["playerId"]] += g["points"]
        assert totals == earned, "every point of every turn, before and after the restart, is counted"
        assert all(totals[pid] >= before[pid] for pid in before)
    finally:
        for p in [*players, late, poller]:
            await p.close()
    server.send(signal.SIGINT)
    assert await server.wait(15) == 0


async def test_sigkill_loses_at_most_the_last_moments(make_server, tmp_path) -> None:
    server = await make_server(ROOM_SAVE_INTERVAL_SECONDS="0.5").start()
    ann, bob = [await Player(server.url).connect() for _ in range(2)]
    try:
        await ann.create("Ann", settings=SETTINGS)
        await bob.join(ann.code, "Bob")
        await ann.ok("game:start")
        view = await ann.wait_for(lambda v: v["phase"] == "prompting", 10)
        giver, guesser = (ann, bob) if view["turn"]["giverId"] == ann.id else (bob, ann)
        await giver.ok("prompt:submit", {"text": "red kite"})
        await guesser.wait_for(lambda v: v["phase"] == "guessing", 10)
        await guesser.ok("guess:submit", {"text": "a bird"})
        await asyncio.sleep(1.5)  # at least one periodic save
        server.send(signal.SIGKILL)
        assert await server.wait(5) == -signal.SIGKILL
    finally:
        await ann.close()
        await bob.close()
    saved = saved_rooms(tmp_path / "imprompt.db")  # also checks the file's integrity
    assert list(saved) == [ann.code]

    await server.start()
    [ann2, bob2] = await resume_all(server.url, [ann, bob])
    try:
        me = ann2 if guesser is ann else bob2
        assert me.view["phase"] == "guessing"
        assert [g["text"] for g in me.view["turn"]["yours"]["guesses"]] == ["a bird"]
        reply = await me.ok("guess:submit", {"text": "red kite"})
        assert reply["solved"]
        await me.wait_for(lambda v: v["phase"] in ("reveal", "finished"), 10)
    finally:
        await ann2.close()
        await bob2.close()
    server.send(signal.SIGTERM)
    assert await server.wait(15) == 0


async def test_a_room_nobody_returns_to_expires_as_usual(make_server, tmp_path) -> None:
    server = await make_server(EMPTY_ROOM_TTL_SECONDS="10").start()
    p = await Player(server.url).connect()
    await p.create("Ann")
    server.send(signal.SIGTERM)
    assert await server.wait(15) == 0
    await p.close()
    await server.start()
    async with httpx.AsyncClient() as http:
        assert (await http.get(server.url + "/health")).json()["rooms"] == 1
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if (await http.get(server.url + "/health")).json()["rooms"] == 0:
                break
            await asyncio.sleep(0.5)
        assert (await http.get(server.url + "/health")).json()["rooms"] == 0
    server.send(signal.SIGTERM)
    assert await server.wait(15) == 0
    assert saved_rooms(tmp_path / "imprompt.db") == {}
