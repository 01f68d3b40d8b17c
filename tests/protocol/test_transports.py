"""Long-polling, the upgrade from it to a websocket, and a websocket that stops answering
pings: realtime/server.py writes websockets directly (no queue, no writer task), so the
paths that still use engine.io's queue must keep working and keep the packets' order."""

from __future__ import annotations

import asyncio

import socketio

from tests.support.players import Player


class Client(Player):
    def __init__(self, url: str, transports: list[str]) -> None:
        super().__init__(url)
        self.transports = transports

    async def connect(self) -> Client:
        await self.sio.connect(self.url, transports=self.transports)
        return self


async def _play(server, clients: list[Client]) -> None:
    host, *others = clients
    await host.create("Ann")
    for i, other in enumerate(others):
        await other.join(host.code, f"Bob{i}")
    for c in clients:
        await c.ok("player:ready", {"ready": True})
    view = await host.wait_for(lambda v: v["phase"] == "prompting")
    giver = next(c for c in clients if c.id == view["turn"]["giverId"])
    await giver.ok("prompt:submit", {"text": "a red kite"})
    for c in clients:
        await c.wait_for(lambda v: v["phase"] in ("generating", "guessing"))
    # every view each client got came in revision order (no reordering between transports)
    for c in clients:
        revisions = [v["revision"] for v in c.views]
        assert revisions == sorted(revisions), revisions


async def test_a_game_over_long_polling_and_over_an_upgraded_websocket(server) -> None:
    polling = await Client(server.url, ["polling"]).connect()
    upgraded = await Client(server.url, ["polling", "websocket"]).connect()
    plain = await Client(server.url, ["websocket"]).connect()
    try:
        for _ in range(100):  # the upgrade happens after the connect, in the background
            if upgraded.sio.transport() == "websocket":
                break
            await asyncio.sleep(0.05)
        assert polling.sio.transport() == "polling"
        assert upgraded.sio.transport() == "websocket"
        await _play(server, [polling, upgraded, plain])
    finally:
        for c in (polling, upgraded, plain):
            await c.close()


async def test_many_packets_at_once_arrive_in_order(server) -> None:
    """Views pushed back to back reach a websocket and a polling client in revision order,
    the last one last."""
    ws = await Client(server.url, ["websocket"]).connect()
    polling = await Client(server.url, ["polling"]).connect()
    try:
        await ws.create("Ann")
        await polling.join(ws.code, "Bob")
        answers = await asyncio.gather(*(ws.ok("player:ready", {"ready": i % 2 == 0}) for i in range(15)))
        assert len(answers) == 15
        final = (await ws.ok("room:sync"))["view"]["revision"]
        for c in (ws, polling):
            await c.wait_for(lambda v: v["revision"] >= final)
            revisions = [v["revision"] for v in c.views]
            assert revisions == sorted(revisions) and revisions[-1] == final, revisions
    finally:
        await ws.close()
        await polling.close()


async def test_the_server_closes_a_websocket_that_stops_answering_pings(server, monkeypatch) -> None:
    sio: socketio.AsyncServer = server.app.services.sio  # type: ignore[attr-defined]
    eio = sio.eio
    monkeypatch.setattr(eio, "ping_interval", 0.2)
    monkeypatch.setattr(eio, "ping_timeout", 0.3)
    quiet = await Client(server.url, ["websocket"]).connect()
    eio_sid = next(iter(eio.sockets))
    socket = eio.sockets[eio_sid]

    async def never_pong(*args, **kwargs) -> None:  # the client's engine.io answers no ping
        return None

    monkeypatch.setattr(quiet.sio.eio, "_send_packet", never_pong)
    try:
        for _ in range(200):
            if socket.closed and not quiet.sio.connected:
                break
            await asyncio.sleep(0.05)
        assert socket.closed, "the server kept a socket that answered no ping"
        assert not quiet.sio.connected, "the server did not close the websocket"
    finally:
        await quiet.close()
