"""A socket holds at most one seat: taking another (join, resume, create) first
disconnects the earlier one, so no seat stays `connected` after its socket is gone."""

from __future__ import annotations

import asyncio

from tests.support.server import Server


def member(view: dict, member_id: str) -> dict | None:
    return next((m for m in view["members"] if m["id"] == member_id), None)


def connected(view: dict) -> dict[str, bool]:
    return {m["id"]: m["connected"] for m in view["members"]}


async def test_joining_twice_on_one_socket_keeps_one_seat(server: Server, players) -> None:
    host, zed = await players(2)
    await host.create("Host")
    first = await zed.ok("room:join", {"code": host.code, "name": "Zed"})
    second = await zed.ok("room:join", {"code": host.code, "name": "Zed2"})
    one, two = first["playerId"], second["playerId"]
    view = await host.wait_for(lambda v: member(v, two) is not None and not member(v, one)["connected"])
    assert connected(view) == {host.id: True, one: False, two: True}
    await zed.ok("player:ready", {"ready": True})  # the socket now speaks for its second seat
    view = await host.wait_for(lambda v: member(v, two)["ready"])
    assert not member(view, one)["ready"]
    await zed.close()
    view = await host.wait_for(lambda v: not member(v, two)["connected"])
    assert connected(view) == {host.id: True, one: False, two: False}


async def test_resuming_another_seat_disconnects_the_one_held(server: Server, players) -> None:
    host, a, b = await players(3)
    await host.create("Host")
    await a.join(host.code, "Ann")
    await b.join(host.code, "Bea")
    await b.close()
    await host.wait_for(lambda v: not member(v, b.id)["connected"])
    await a.ok("room:resume", {"code": host.code, "token": b.token})
    view = await host.wait_for(lambda v: member(v, b.id)["connected"] and not member(v, a.id)["connected"])
    assert connected(view) == {host.id: True, a.id: False, b.id: True}
    await a.close()
    view = await host.wait_for(lambda v: not member(v, b.id)["connected"])
    assert connected(view) == {host.id: True, a.id: False, b.id: False}


async def test_resuming_the_seat_held_changes_nothing(server: Server, players) -> None:
    host, a = await players(2)
    await host.create("Host")
    await a.join(host.code, "Ann")
    again = await a.ok("room:resume", {"code": host.code, "token": a.token})
    assert again["playerId"] == a.id
    view = (await host.ok("room:sync"))["view"]
    assert connected(view) == {host.id: True, a.id: True}
    assert not any(event == "room:replaced" for event, _ in a.events)
    await a.ok("chat:send", {"text": "still here"})


async def test_creating_a_room_while_seated_disconnects_the_earlier_seat(server: Server, players) -> None:
    host, zed = await players(2)
    await host.create("Host")
    await zed.join(host.code, "Zed")
    old = zed.id
    created = await zed.ok("room:create", {"name": "Zed"})
    assert created["code"] != host.code
    await host.wait_for(lambda v: not member(v, old)["connected"])


async def test_a_failed_join_still_lets_the_earlier_seat_go(server: Server, players) -> None:
    """Documented: taking a seat first disconnects the one held, even if taking then fails;
    the earlier seat is held and can be resumed with its token."""
    host, zed = await players(2)
    await host.create("Host")
    await zed.join(host.code, "Zed")
    refused = await zed.call("room:join", {"code": host.code, "name": "host"})
    assert refused["error"]["code"] == "name_taken"
    await host.wait_for(lambda v: not member(v, zed.id)["connected"])
    assert (await zed.call("room:sync"))["error"]["code"] == "not_in_room"
    await zed.ok("room:resume", {"code": host.code, "token": zed.token})
    await host.wait_for(lambda v: member(v, zed.id)["connected"])


async def test_two_joins_sent_together_keep_one_seat(server: Server, players) -> None:
    host, zed = await players(2)
    await host.create("Host")
    replies = await asyncio.gather(
        zed.call("room:join", {"code": host.code, "name": "Zed"}),
        zed.call("room:join", {"code": host.code, "name": "Zed2"}),
    )
    assert all(r["ok"] for r in replies), replies
    view = await host.wait_for(lambda v: len(v["members"]) == 3 and sum(m["connected"] for m in v["members"]) == 2)
    await zed.close()
    await host.wait_for(
        lambda v: connected(v) == {host.id: True, **{m["id"]: False for m in v["members"] if m["id"] != host.id}}
    )
    assert len(view["members"]) == 3
