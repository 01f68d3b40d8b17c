"""Every client→server event (read from the event table) with hostile payloads, sent by a
real socket.io client to a real server on loopback: any JSON type and size, hostile
unicode, fields missing, extra or of the wrong type, no argument or several. Each is
answered `{ok: true, ...}` or with a documented error code, the server logs no error
or traceback, and the socket keeps working."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from .harness import EVENT_NAMES, Harness, answer_problem
from .payloads import args
from .profile import PAYLOADS, TRIED

MAX_FRAME = 15_000  # the transport drops messages over 16 KiB (docs/protocol.md)


class Client:
    """One socket that sends every example; seated in a room of its own when it has none."""

    def __init__(self, harness: Harness) -> None:
        self.h = harness
        self.player: Any = None

    async def ready(self, seated: bool) -> None:
        if self.player is None or not self.player.sio.connected:
            self.player = await self.h.player()
        if seated and not (await self.player.call("room:sync", {}))["ok"]:
            await self.player.create("Fuzz")

    async def send(self, event: str, arguments: tuple[Any, ...]) -> Any:
        return await self.player.sio.call(event, arguments if len(arguments) != 1 else arguments[0], timeout=10)


@pytest.mark.parametrize("event", EVENT_NAMES)
def test_hostile_payloads_are_answered_with_a_documented_code(harness: Harness, event: str) -> None:
    client = Client(harness)

    @PAYLOADS
    @given(arguments=args(event), seated=st.booleans())
    def run(arguments: tuple[Any, ...], seated: bool) -> None:
        assume(len(json.dumps([event, *arguments])) < MAX_FRAME)
        TRIED["payloads"] += 1
        harness.run(client.ready(seated))
        if not arguments:  # python-socketio sends no argument for data=None
            reply = harness.run(client.player.sio.call(event, timeout=10))
        else:
            reply = harness.run(client.send(event, arguments))
        problem = answer_problem(reply)
        assert problem is None, f"{event} {arguments!r:.300}: {problem}"
        still = harness.run(client.player.sio.call("packs:list", {}, timeout=10))
        assert still["ok"], still
        bad = harness.new_log_problems()
        assert not bad, f"{event} {arguments!r:.300} logged: {bad[:3]}"

    try:
        run()
    finally:
        if client.player is not None:
            harness.run(client.player.close())
