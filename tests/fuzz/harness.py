"""A real server on loopback for hypothesis tests, on a private event loop.

`Harness.running()` starts the app (tests/support/server.py, fake images, the test
clock) with its logs captured, and runs each step's coroutine on the loop until it is
done. Between steps nothing runs, so the test can read the rooms at rest. The checks
every fuzz test shares are here too: an answer is `{ok: true, ...}` or one of the error
codes docs/protocol.md documents, and the server logged no error or traceback."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

from imprompt.realtime.events import EVENTS
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.logs import LogCapture, capture_logs
from tests.support.players import Player
from tests.support.server import Server, running_server, settings_for

DOCS = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"

# Limits high enough that the fuzzer's own pace is never refused (the floods have their tests).
OVERRIDES: dict[str, Any] = {
    "log_level": "warning",
    "guess_rate": "10000/second",
    "chat_rate": "10000/second",
    "socket_event_rate": "100000 per second",
    "connection_rate": "100000 per minute",
    "room_create_rate": "100000 per hour",
    "max_connections_per_ip": 10000,
}

# What an error or a bug looks like in the log.
_BAD = re.compile(r"Traceback|Task exception|event_failed|exception|\bERROR\b|\berror\b|CRITICAL", re.I)


def documented_codes() -> frozenset[str]:
    """The codes in the "## Error codes" table of docs/protocol.md (`a` / `b` rows name several)."""
    text = DOCS.read_text()
    table = text.split("## Error codes", 1)[1].split("\n#", 1)[0]
    codes: set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            codes.update(re.findall(r"`([a-z_]+)`", first))
    return frozenset(codes)


CODES = documented_codes()
EVENT_NAMES = sorted(EVENTS)  # read from the table: new events are fuzzed too


def answer_problem(reply: Any) -> str | None:
    """None when `reply` is a well-formed answer, else what is wrong with it."""
    if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
        return f"not an answer: {reply!r:.200}"
    if reply["ok"]:
        return None
    error = reply.get("error")
    if not isinstance(error, dict) or not isinstance(error.get("message"), str) or not error["message"]:
        return f"an error without a message: {reply!r:.200}"
    if error.get("code") not in CODES:
        return f"an undocumented error code: {error.get('code')!r}"
    if error["code"] == "internal":  # documented, but it is the answer to a bug
        return f"a bug on the server: {reply!r:.200}"
    return None


class Harness:
    def __init__(self, loop: asyncio.AbstractEventLoop, server: Server, logs: LogCapture) -> None:
        self.loop, self.server, self.logs = loop, server, logs
        self._seen_lines = 0

    @classmethod
    @contextlib.contextmanager
    def running(cls) -> Iterator[Harness]:
        loop = asyncio.new_event_loop()
        stack = contextlib.AsyncExitStack()
        with capture_logs(settings_for(OVERRIDES)) as logs:
            server = loop.run_until_complete(
                stack.enter_async_context(running_server(OVERRIDES, Clock(), FakeImages()))
            )
            try:
                yield cls(loop, server, logs)
            finally:
                loop.run_until_complete(stack.aclose())
                left = asyncio.all_tasks(loop)  # closed sockets' engine.io ping tasks still sleeping
                for task in left:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    @property
    def app(self) -> Any:
        return self.server.app

    async def player(self) -> Player:
        return await Player(self.server.url).connect()

    async def advance(self, seconds: float) -> None:
        """Move the clock on and let the scheduler play what fell due."""
        self.server.clock.advance(seconds)
        self.app.services.rooms._wake.set()
        await asyncio.sleep(0.05)

    def new_log_problems(self) -> list[str]:
        """Log lines since the last call that show an error or a traceback."""
        lines = self.logs.lines()
        fresh, self._seen_lines = lines[self._seen_lines :], len(lines)
        return [ln for ln in fresh if _BAD.search(ln)]
