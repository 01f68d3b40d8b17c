"""structlog set-up: JSON lines in production, readable console output in development.

Every line, from structlog or from the standard library (uvicorn, httpx, the image
chain), passes through the same processors: context (request id, socket id, room),
level, timestamp, environment, exception details, and last the redactor, which scrubs
every configured secret value and every field that looks like a credential.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable
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
    handler.set_name("imprompt")
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
    adopt_server_loggers()


def adopt_server_loggers() -> None:
    """Send uvicorn's loggers (which uvicorn configures for itself) through our handler.

    Request lines come from our middleware (with the request id), so uvicorn's own
    access log is turned down to warnings."""
    if not _configured:
        return
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
