"""An event sent while the server drains (after SIGTERM, before its socket is closed) is
either played or answered `server_restarting`, never `not_in_room`: the drain detaches
the sockets from their rooms to save the rooms, and a detached socket's seat is held,
not lost (docs/protocol.md, "Restarts")."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import time

import aiohttp

SPOKEN = {"ok", "server_restarting"}


def acks(msg: str) -> tuple[int, dict] | None:
    if not msg.startswith("43"):
        return None
    digits = len(msg) - len(msg[2:].lstrip("0123456789"))
    return int(msg[2:digits]), json.loads(msg[digits:])[0]


async def test_events_during_the_drain_are_played_or_told_the_server_restarts(make_server) -> None:
    server = await make_server().start()
    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    answers: dict[int, tuple[str, float]] = {}  # ack id -> (outcome, seconds since the notice)
    sent: dict[int, str] = {}
    notified: float | None = None
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws, session.ws_connect(url) as visitor:
        for sock in (ws, visitor):
            assert (await sock.receive_str()).startswith("0")
            await sock.send_str("40")
            assert (await sock.receive_str()).startswith("40")
        await ws.send_str('421["room:create",{"name":"Ann"}]')
        reply = None
        while reply is None:  # room:view comes first
            reply = acks(await ws.receive_str())
        assert reply[1]["ok"], reply
        code = reply[1]["code"]

        server.send(signal.SIGTERM)
        started = time.monotonic()
        next_id = 100
        events = ["room:sync", "chat:send"]
        while time.monotonic() - started < 10:
            try:
                msg = await ws.receive(timeout=0.03)
            except TimeoutError:
                next_id += 1
                event = events[next_id % 2]
                payload = {"text": f"line {next_id}"} if event == "chat:send" else {}
                sent[next_id] = event
                try:
                    await ws.send_str(f"42{next_id}" + json.dumps([event, payload]))
                except (ConnectionError, RuntimeError):
                    break
                continue
            if msg.type != aiohttp.WSMsgType.TEXT:
                break  # closed by the server (1012)
            if msg.data == "2":
                await ws.send_str("3")
            elif msg.data.startswith('42["server:restarting"'):
                notified = time.monotonic()
                # a new seat is refused the same way
                await visitor.send_str("427" + json.dumps(["room:join", {"code": code, "name": "Late"}]))
            elif (ack := acks(msg.data)) is not None:
                since = time.monotonic() - notified if notified is not None else -1.0
                answers[ack[0]] = ("ok" if ack[1]["ok"] else ack[1]["error"]["code"], since)
        late = None
        with contextlib.suppress(TimeoutError, TypeError, aiohttp.WSMessageTypeError):
            async with asyncio.timeout(2):
                while late is None:
                    m = await visitor.receive_str()
                    late = acks(m)
    assert await server.wait(15) == 0, server.log()[-3000:]
    assert notified is not None, "the client heard server:restarting"
    after = {i: a for i, a in answers.items() if a[1] >= 0}
    assert after, f"no event was answered after the notice: {answers}"
    wrong = {i: (sent[i], a) for i, a in answers.items() if a[0] not in SPOKEN}
    assert not wrong, wrong
    assert late is not None and late[1]["error"]["code"] == "server_restarting", late
