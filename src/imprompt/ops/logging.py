"""structlog set-up: JSON lines in production, readable console output in development.

Every line, from structlog or from the standard library (uvicorn, httpx, the image
chain), passes through the same processors: context (request id, socket id, room),
level, timestamp, environment, exception details, and last the redactor, which scrubs
every configured secret value and every field that looks like a credential.

Nothing else writes to the process's output: libraries that bring their own handler
(engine.io and socket.io add a plain-text one) are adopted into ours, Python warnings
are logged, and in production an uncaught exception, one in a thread, or one Python can
only report as "Exception ignored in ..." becomes a JSON line as well.

Prompts and guesses never reach the log, at any level. The libraries that would write
them are the ones that dump what passes through them: SQL parameters (SQLAlchemy's
engine log, aiosqlite, asyncpg), websocket frames (the websockets library, which uvicorn
gives its `uvicorn.error` logger), Engine.IO/Socket.IO packets and Redis commands.
Their loggers are held at WARNING whatever LOG_LEVEL says, and `PayloadFilter` on the
handler drops anything below WARNING that still comes from them, so raising one of those
loggers' levels by hand cannot bring the payloads back. Our own code logs events,
codes and ids, never player text.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import Any, TextIO
from urllib.parse import urlsplit

import structlog

from ..config import Settings
from ..config.images import PAID_PROVIDERS

REDACTED = "[REDACTED]"
# Field names whose values are credentials whatever they contain.
_SECRET_FIELD = re.compile(r"token|secret|passw|authorization|cookie|api_?key|credential|webhook", re.I)
# Credentials inside free text: "Bearer x", "token=x" (URLs, headers), "user:pass@" in URLs.
_TEXT_PATTERNS = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}"), r"\1 " + REDACTED),
    (re.compile(r"(?i)\b(token|api_?key|key|secret|password|passwd|auth)=([^&\s\"',;]+)"), r"\1=" + REDACTED),
    (re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^/\s:@]*):([^@\s/]+)@"), r"\1:" + REDACTED + "@"),
    # pydantic's validation errors quote the input (a prompt, a guess) in their message
    (re.compile(r"input_value=.*?(?=, input_type=)"), "input_value=" + REDACTED),
]


class Redactor:
    """A structlog processor that removes secrets from an event, however deeply nested."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, *values: str | None) -> None:
        """Remember secret values (API keys, tokens, URLs with passwords) to scrub."""
        changed = False
        for value in values:
            if value and len(value) >= 6 and value not in self._values:
                self._values.add(value)
                changed = True
        if changed:
            ordered = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def clear(self) -> None:
        self._values.clear()
        self._pattern = None

    def text(self, value: str) -> str:
        if self._pattern is not None:
            value = self._pattern.sub(REDACTED, value)
        for pattern, replacement in _TEXT_PATTERNS:
            value = pattern.sub(replacement, value)
        return value

    def value(self, value: Any, depth: int = 0) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if depth > 8:
            return value
        if isinstance(value, dict):
            return {
                k: (REDACTED if isinstance(k, str) and _SECRET_FIELD.search(k) and v else self.value(v, depth + 1))
                for k, v in value.items()
            }
        if isinstance(value, (list, tuple, set)):
            return [self.value(v, depth + 1) for v in value]
        if isinstance(value, (int, float, bool)) or value is None:
            return value
        return self.text(str(value))

    def __call__(self, logger: Any, method: str, event: dict) -> dict:
        out = {}
        for key, val in event.items():
            if key.startswith("_"):  # structlog's own bookkeeping (_record, _from_structlog)
                out[key] = val
            elif key != "event" and _SECRET_FIELD.search(key) and val:
                out[key] = REDACTED
            else:
                out[key] = self.value(val)
        return out


redactor = Redactor()


def secrets_of(settings: Settings) -> list[str]:
    """Every secret value the configuration holds: tokens, webhook, Redis password, API keys."""
    found: list[str] = []
    for secret in (settings.ops.admin_token, settings.ops.metrics_token, settings.alerts.alert_webhook_url):
        if secret is not None:
            found.append(secret.get_secret_value())
    redis_url = settings.storage.redis_url
    if redis_url:
        password = urlsplit(redis_url).password
        if password:
            found.append(password)
    found += [key for key in (settings.images.api_key(p) for p in PAID_PROVIDERS) if key]
    return found


def exception_fields(logger: Any, method: str, event: dict) -> dict:
    """exc_info -> {"exception": {"type", "message", "stack"}} (no local variables)."""
    exc_info = event.pop("exc_info", None)
    if not exc_info:
        return event
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if exc_info and exc_info[0] is not None:
        kind, exc, tb = exc_info
        event["exception"] = {
            "type": kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}",
            "message": str(exc),
            "stack": "".join(traceback.format_exception(kind, exc, tb)),
        }
    return event


def _console_exception(logger: Any, method: str, event: dict) -> dict:
    exc = event.pop("exception", None)
    if isinstance(exc, dict):
        event["exception"] = exc["stack"]
    return event


# Loggers whose records below WARNING carry what passes through them: SQL and its
# parameters, websocket frames, Engine.IO/Socket.IO packets, Redis commands.
PAYLOAD_LOGGERS = (
    "sqlalchemy.engine",
    "sqlalchemy.orm",
    "aiosqlite",
    "asyncpg",
    "websockets",
    "engineio",
    "socketio",
    "redis",
)
# Loggers that bring a handler of their own (plain text): theirs are removed, ours is used.
ADOPTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "engineio.server", "socketio.server")


def _package_dir(name: str) -> str | None:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return os.path.dirname(module.__file__ or "") + os.sep


_WEBSOCKETS_CODE = _package_dir("websockets")  # the library's own files, not uvicorn's protocols/websockets/


def _payload_source(record: logging.LogRecord) -> bool:
    name = record.name
    if any(name == p or name.startswith(p + ".") for p in PAYLOAD_LOGGERS):
        return True
    # uvicorn hands its `uvicorn.error` logger to the websockets library, which logs every
    # frame through it ("< TEXT '42[...]'"): known by the code that wrote the record.
    return _WEBSOCKETS_CODE is not None and record.pathname.startswith(_WEBSOCKETS_CODE)


class PayloadFilter(logging.Filter):
    """Drops the records below WARNING that come from a library which logs payloads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not _payload_source(record)


def _hold_payload_loggers() -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET included: never inherit LOG_LEVEL=debug
            logger.setLevel(logging.WARNING)


def _install_hooks() -> None:
    """Uncaught exceptions (main thread, other threads, "Exception ignored in") as log lines."""
    log = logging.getLogger("imprompt.uncaught")

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.critical("uncaught_exception", exc_info=(kind, exc, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        info = (args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)
        log.error("thread_exception in %s", getattr(args.thread, "name", "a thread"), exc_info=info)

    def unraisable_hook(unraisable: Any) -> None:
        exc = unraisable.exc_value
        info = (unraisable.exc_type, exc, unraisable.exc_traceback) if exc is not None else None
        message = unraisable.err_msg or "Exception ignored in"
        log.warning("unraisable_exception: %s: %r", message, unraisable.object, exc_info=info)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    sys.unraisablehook = unraisable_hook


_configured = False


def configure_logging(
    settings: Settings, *, stream: TextIO | None = None, cache: bool = True, extra_secrets: Iterable[str] = ()
) -> None:
    """Set up structlog and the standard library's logging to write one format to `stream`."""
    global _configured
    stream = stream or sys.stderr
    level = getattr(logging, settings.server.log_level.upper())
    redactor.add(*secrets_of(settings), *extra_secrets)
    environment = settings.server.app_env

    def add_environment(logger: Any, method: str, event: dict) -> dict:
        event["environment"] = environment
        return event

    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_environment,
        exception_fields,
    ]
    if environment == "production":
        tail: list[Any] = [redactor, structlog.processors.JSONRenderer()]
    else:
        tail = [_console_exception, redactor, structlog.dev.ConsoleRenderer(colors=False)]
    structlog.configure(
        processors=[*shared, *tail],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=cache,
    )
    # The standard library (uvicorn, httpx, image providers) renders through the same chain.
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(PayloadFilter())
    handler.set_name("imprompt")
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    _hold_payload_loggers()
    # Python's warnings (DeprecationWarning, ResourceWarning, ...) are log lines too.
    logging.captureWarnings(False)  # re-installed each time, in case something put its own back since
    logging.captureWarnings(True)
    if environment == "production":
        _install_hooks()
    _configured = True
    adopt_server_loggers()


def adopt_server_loggers() -> None:
    """Send uvicorn's, engine.io's and socket.io's loggers (which configure themselves,
    with plain-text handlers of their own) through our handler only.

    Request lines come from our middleware (with the request id), so uvicorn's own
    access log is turned down to warnings. engine.io and socket.io get the level they give
    themselves when no one set one (errors only), before they are built, so they never add
    their own handler; a level set on purpose is kept."""
    if not _configured:
        return
    for name in ADOPTED_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    for name in ("engineio.server", "socketio.server"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:  # else the library adds its handler when the server is built
            logger.setLevel(logging.ERROR)
    _hold_payload_loggers()
