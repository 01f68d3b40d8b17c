"""`imprompt serve` in production writes nothing but JSON lines, on stdout and stderr alike:
uvicorn's own messages (a malformed HTTP request included), engine.io's and socket.io's
(a bad frame included), alembic's, Python's warnings, and ours."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from websockets.asyncio.client import connect

from tests.ops.served import production_env, served
from tests.support.players import Player

# Frames a well-behaved client never sends: a bad event name, a binary placeholder whose
# attachment never comes, a packet type that does not exist, text that is no packet at all.
BAD_FRAMES = [
    '42[123,{"a":1}]',
    '451-["room:create",{"_placeholder":true,"num":0}]',
    "42[",
    '42["room:create",{"name":"\\ud800"}]',
    "49",
    "not a packet",
    "4",
]
# Engine.IO requests it answers 400 and logs as errors: an old protocol, a session it never gave.
BAD_POLLS = ["/socket.io/?EIO=3&transport=polling", "/socket.io/?EIO=4&transport=polling&sid=not-a-session"]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _raw_http(url: str, data: bytes) -> None:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
        conn.sendall(data)
        with contextlib.suppress(OSError):
            conn.recv(4096)


async def _socket_traffic(url: str) -> None:
    player = await Player(url).connect()
    try:
        await player.create("Json")
        await player.call("chat:send", {"text": 7})  # a documented error reply
    finally:
        await player.close()
    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with connect(ws_url) as ws:
        await ws.recv()  # the Engine.IO open packet
        await ws.send("40")
        await ws.recv()  # the Socket.IO connect answer
        for frame in BAD_FRAMES:
            await ws.send(frame)
        await ws.send(b"\x00\x01 not a binary attachment anyone asked for")
        await asyncio.sleep(0.5)


def test_every_line_is_json(tmp_path: Path) -> None:
    env = production_env(tmp_path, LOG_LEVEL="info", ADMIN_TOKEN="json-logs-admin-token-0123456789")
    with served(tmp_path, env) as server:
        statuses = {path: _get(server.url + path) for path in ("/health", "/api/themes", "/nope", "/images/x.png")}
        assert statuses == {"/health": 200, "/api/themes": 200, "/nope": 404, "/images/x.png": 404}
        assert [_get(server.url + path) for path in BAD_POLLS] == [400, 400]
        _raw_http(server.url, b"GARBAGE / NOT-HTTP\r\n\r\n")  # uvicorn: "Invalid HTTP request received."
        asyncio.run(_socket_traffic(server.url))
        assert _get(server.url + "/livez") == 200, "the server still answers after the bad frames"
    assert server.proc.returncode == 0, server.output()[-2000:]

    lines = server.lines()
    assert len(lines) > 10, "the server wrote next to nothing: is it logging at all?"
    not_json = []
    records = []
    for stream, line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            not_json.append(f"{stream}: {line}")
            continue
        if not isinstance(record, dict):
            not_json.append(f"{stream}: {line}")
            continue
        records.append(record)
    assert not not_json, "lines that are not JSON:\n" + "\n".join(not_json[:20])
    for record in records:
        assert record["environment"] == "production" and record["level"] and record["timestamp"], record
        assert isinstance(record["event"], str), record
    loggers = {r.get("logger", "") for r in records}
    assert any(name.startswith("uvicorn") for name in loggers), loggers
    assert any(name.startswith("alembic") for name in loggers), loggers
    assert any(r["event"] == "http_request" for r in records)
    assert any("Invalid HTTP request" in r["event"] for r in records), "uvicorn's warning for the bad request"
    # engine.io logs the bad polls as errors: library lines that must come out as JSON too (if
    # engine.io is ever silenced on purpose, send something else that a library logs)
    assert any(name.startswith("engineio") for name in loggers), "engine.io's errors for the bad polls"


def test_uncaught_exceptions_and_warnings_become_json_lines() -> None:
    """What Python would print itself (a warning, an "Exception ignored in", an exception in
    a thread or the main thread) goes through the same JSON formatter in production."""
    import io
    import logging
    import sys
    import threading
    import warnings

    import structlog

    from imprompt.config import load_settings
    from imprompt.ops import logging as ops_logging

    settings = load_settings(_env_file=None, app_env="production", cors_origins=["https://play.example.com"])
    hooks = (sys.excepthook, threading.excepthook, sys.unraisablehook)
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    buffer = io.StringIO()
    try:
        ops_logging.configure_logging(settings, stream=buffer, cache=False)
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("an old call", DeprecationWarning, stacklevel=1)

        class Broken:
            def __del__(self) -> None:
                raise RuntimeError("from __del__")

        Broken()  # CPython runs __del__ now: "Exception ignored in ..." through the hook
        thread = threading.Thread(target=lambda: 1 / 0, name="doomed")
        thread.start()
        thread.join()
        try:
            raise KeyError("never caught")
        except KeyError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook, threading.excepthook, sys.unraisablehook = hooks
        logging.captureWarnings(False)
        structlog.reset_defaults()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        ops_logging._configured = False
    records = [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    events = " ".join(r["event"] for r in records)
    assert "an old call" in events
    assert "unraisable_exception" in events
    assert "thread_exception in doomed" in events
    assert "uncaught_exception" in events
    kinds = {r["exception"]["type"] for r in records if "exception" in r}
    assert {"RuntimeError", "ZeroDivisionError", "KeyError"} <= kinds
