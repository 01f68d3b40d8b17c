"""Frames an ordinary client library never sends, written by hand over a raw websocket
(Engine.IO v4 + socket.io v5 text frames): every event frame gets an acknowledgement,
and none of them leaves a traceback behind."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging

from tests.support.rawsocket import raw_socket
from tests.support.server import Server


@contextlib.contextmanager
def unhandled_errors(caplog):
    """Whatever the event loop or a logger reports as an error while the block runs."""
    loop = asyncio.get_running_loop()
    seen: list[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: seen.append(context.get("message", "")))
    caplog.set_level(logging.ERROR)
    try:
        yield seen
    finally:
        gc.collect()  # a task whose exception nobody retrieved is reported when it is collected
        loop.set_exception_handler(previous)
        seen.extend(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


NAMELESS = ["[123,{}]", "[null,{}]", '[{"a":1},{}]', '[["x"],{}]', "[true]", "[]", "", '[1.5,{"text":"x"}]']


async def test_an_event_name_that_is_not_a_string_is_answered(server: Server, caplog) -> None:
    with unhandled_errors(caplog) as errors:
        async with raw_socket(server) as sock:
            for i, data in enumerate(NAMELESS, start=1):
                await sock.send(f"42{i}{data}")
            try:
                for i in range(1, len(NAMELESS) + 1):
                    await sock.ack(i, timeout=3)
            except TimeoutError:
                pass
            await asyncio.sleep(0.1)
    assert not errors, errors
    for i, data in enumerate(NAMELESS, start=1):
        reply = sock.acks.get(i)
        assert reply and reply[0]["ok"] is False and reply[0]["error"]["code"] == "invalid_event", (data, reply)
        assert reply[0]["error"]["message"]


async def test_a_client_cannot_fire_the_servers_connect_and_disconnect(server: Server) -> None:
    async with raw_socket(server) as sock:
        created = (await sock.call("room:create", {"name": "Raw"}))[0]
        assert created["ok"], created
        me = created["playerId"]
        for event in ("disconnect", "connect"):
            reply = (await sock.call(event, {}))[0]
            assert reply["ok"] is False and reply["error"]["code"] == "invalid_event", (event, reply)
        synced = (await sock.call("room:sync", {}))[0]
        assert synced["ok"], synced  # the socket still holds its seat
        assert [m["connected"] for m in synced["view"]["members"] if m["id"] == me] == [True]
