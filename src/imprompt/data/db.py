"""The database: one SQLAlchemy async engine, chosen from an ordinary URL.

`DATABASE_URL` takes the URLs operators already have (`sqlite:///data/imprompt.db`,
`postgresql://user:pass@host/db`, Heroku/Railway style `postgres://...`); the async
driver (aiosqlite, asyncpg) is picked by `async_url`, which lives with the setting it
checks (config/data.py). SQLite runs in WAL mode, so readers never wait for the writer
and a killed process never leaves a half-written transaction.
Pool settings are explicit (size, overflow, timeout, recycle, pre-ping).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from ..config.data import DEFAULT_URL, DatabaseURLError, DataSettings, async_url


@dataclass(frozen=True)
class PoolSettings:
    size: int = 5
    max_overflow: int = 10
    timeout: float = 10.0
    recycle: float = 1800.0
    pre_ping: bool = True


def redacted(raw: str) -> str:
    """The URL with its password hidden, for logs and messages."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # a no-op for in-memory databases
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL mode
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()


def create_engine(raw_url: str = DEFAULT_URL, pool: PoolSettings | None = None, *, echo: bool = False) -> AsyncEngine:
    """An async engine for `raw_url` (see `async_url`). Creates a SQLite file's folder."""
    pool = pool or PoolSettings()
    url = async_url(raw_url)
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        if _sqlite_memory(url):
            # Each connection to :memory: is a database of its own: keep exactly one, and let
            # the pool hand it to one user at a time (tests; APP_ENV=test's default).
            kwargs.update(
                poolclass=AsyncAdaptedQueuePool,
                pool_size=1,
                max_overflow=0,
                pool_timeout=pool.timeout,
                pool_recycle=-1,
                pool_pre_ping=False,
            )
        else:
            Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(
                pool_size=pool.size,
                max_overflow=pool.max_overflow,
                pool_timeout=pool.timeout,
                pool_recycle=pool.recycle,
                pool_pre_ping=pool.pre_ping,
                connect_args={"timeout": 15},
            )
    else:
        kwargs.update(
            pool_size=pool.size,
            max_overflow=pool.max_overflow,
            pool_timeout=pool.timeout,
            pool_recycle=pool.recycle,
            pool_pre_ping=pool.pre_ping,
            connect_args={"timeout": 10, "command_timeout": 30},
        )
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def engine_from_settings(settings: DataSettings) -> AsyncEngine:
    return create_engine(
        settings.database_url,
        PoolSettings(
            size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            timeout=settings.db_pool_timeout_seconds,
            recycle=settings.db_pool_recycle_seconds,
            pre_ping=settings.db_pool_pre_ping,
        ),
    )


__all__ = [
    "DEFAULT_URL",
    "DatabaseURLError",
    "PoolSettings",
    "async_url",
    "create_engine",
    "engine_from_settings",
    "is_sqlite",
    "redacted",
]
