"""Prompts, guesses and chat never reach the log, at any level: a real server at LOG_LEVEL=debug
plays a turn with real socket.io clients, and neither the prompt nor a guess appears
anywhere in what it wrote (SQL parameters, websocket frames, Redis traffic included)."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest
import websockets

from imprompt.ops.logging import PayloadFilter
from tests.ops.served import production_env, served
from tests.support.players import play_one_turn

# Words no other part of a game (themes, names, codes) would ever print.
PROMPT = "zanzibar marmalade teapot"
WRONG_GUESS = "quixotic lemur"
CHAT = "xylophone wombat"
SECRET_WORDS = ("zanzibar", "marmalade", "teapot", "quixotic", "lemur", "xylophone", "wombat")


async def _play(url: str) -> None:
    class At:  # play_one_turn needs only the server's URL
        pass

    at = At()
    at.url = url  # type: ignore[attr-defined]
    host, guest = await play_one_turn(at, prompt=PROMPT, guesses=(WRONG_GUESS, PROMPT), chat=CHAT)  # type: ignore[arg-type]
    try:
        # the prompt was played: it is in the reveal the players got
        assert PROMPT in str(host.view) and WRONG_GUESS in str(host.events + guest.events)
        await asyncio.sleep(1.5)  # ROOM_SAVE_INTERVAL_SECONDS=1: the room, prompt inside, is saved to SQL
    finally:
        await host.close()
        await guest.close()


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({}, id="sqlite"),
        pytest.param({"REDIS_URL": "redis://127.0.0.1:6379/12"}, id="sqlite+redis"),
    ],
)
def test_no_prompt_or_guess_in_a_debug_log(tmp_path: Path, extra: dict[str, str]) -> None:
    env = production_env(tmp_path, LOG_LEVEL="debug", **extra)
    with served(tmp_path, env) as server:
        asyncio.run(_play(server.url))
    text = server.output()
    records = server.records()  # every line is JSON here too
    assert any(r["level"] == "debug" for r in records), "the server did not log at debug: the test proves nothing"
    found = {word: [ln for ln in text.splitlines() if word in ln.lower()] for word in SECRET_WORDS}
    leaks = {word: lines[:3] for word, lines in found.items() if lines}
    assert not leaks, f"player text in the log: {leaks}"


def _record(name: str, level: int, pathname: str = "/srv/app.py") -> logging.LogRecord:
    return logging.LogRecord(name, level, pathname, 1, "payload %s", ("zanzibar",), None)


@pytest.mark.parametrize(
    ("name", "pathname"),
    [
        ("sqlalchemy.engine.Engine", "/x/sqlalchemy/engine/base.py"),
        ("aiosqlite", "/x/aiosqlite/core.py"),
        ("asyncpg.pool", "/x/asyncpg/pool.py"),
        ("engineio.server", "/x/engineio/async_server.py"),
        ("socketio.server", "/x/socketio/async_server.py"),
        ("redis.asyncio", "/x/redis/asyncio/client.py"),
        ("uvicorn.error", str(Path(websockets.__file__).parent / "legacy" / "protocol.py")),
    ],
)
def test_the_filter_drops_payload_loggers_below_warning(name: str, pathname: str) -> None:
    keep = PayloadFilter().filter
    for level in (logging.DEBUG, logging.INFO):
        assert not keep(_record(name, level, pathname)), (name, level)
    assert keep(_record(name, logging.WARNING, pathname)), "warnings and errors still pass"


def test_the_filter_keeps_everything_else() -> None:
    keep = PayloadFilter().filter
    assert keep(_record("uvicorn.error", logging.DEBUG, "/x/uvicorn/protocols/websockets/websockets_impl.py"))
    assert keep(_record("imprompt.http", logging.DEBUG))
    assert keep(_record("alembic.runtime.migration", logging.INFO))
    assert keep(_record("socketiox", logging.DEBUG)), "only the named loggers and their children"


def test_payload_loggers_stay_at_warning_at_debug_level() -> None:
    from imprompt.config import load_settings
    from tests.support.logs import capture_logs

    with capture_logs(load_settings(_env_file=None, app_env="test", log_level="debug")):
        assert logging.getLogger().level == logging.DEBUG
        for name in ("sqlalchemy.engine", "aiosqlite", "websockets", "engineio", "socketio", "redis"):
            assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING, name
        assert not [h for h in logging.getLogger("engineio.server").handlers if re.search("Stream", type(h).__name__)]


def test_a_validation_error_logged_with_its_traceback_keeps_the_input_out() -> None:
    """pydantic quotes the input in a ValidationError's message: a handler that logs one
    (with the exception, as `log.exception` does) must not write the player's text."""
    import structlog
    from pydantic import BaseModel, Field, ValidationError

    from imprompt.config import load_settings
    from tests.support.logs import capture_logs

    class Guess(BaseModel):
        text: str = Field(max_length=5)
        n: int

    settings = load_settings(_env_file=None, app_env="production", cors_origins=["https://play.example.com"])
    with capture_logs(settings) as out:
        try:
            Guess(text=PROMPT, n={"text": WRONG_GUESS})  # type: ignore[arg-type]
        except ValidationError:
            structlog.get_logger("imprompt.test").exception("handler_failed")
            logging.getLogger("engineio.server").exception("message async handler error")
    text = out.getvalue()
    assert "handler_failed" in text and "async handler error" in text and "input_value=[REDACTED]" in text
    assert not [w for w in SECRET_WORDS if w in text], text
