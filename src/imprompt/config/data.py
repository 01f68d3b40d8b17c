"""Data settings (data/): the database, analytics, backups and saved rooms. See docs/operations.md.

`DATABASE_URL` takes the URLs operators already have (`sqlite:///data/imprompt.db`,
`postgresql://user:pass@host/db`, Heroku/Railway style `postgres://...`); `async_url`
maps one to the async driver imprompt uses (aiosqlite, asyncpg), and is how the
setting is checked.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .base import Group, blank_is_unset

DEFAULT_URL = "sqlite:///data/imprompt.db"

_SQLITE = {"sqlite", "sqlite+pysqlite", "sqlite+aiosqlite"}
_POSTGRES = {
    "postgres",
    "postgresql",
    "postgresql+psycopg2",
    "postgresql+psycopg",
    "postgresql+asyncpg",
    "postgresql+pg8000",
}


class DatabaseURLError(ValueError):
    pass


def async_url(raw: str) -> URL:
    """Map an ordinary database URL to the async driver imprompt uses."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseURLError("must look like sqlite:///path/to/file.db or postgresql://user:pass@host/db") from None
    name = url.drivername
    if name in _SQLITE:
        return url.set(drivername="sqlite+aiosqlite")
    if name in _POSTGRES:
        query = dict(url.query)
        # libpq's sslmode has no asyncpg spelling; asyncpg takes the same words as `ssl`.
        if "sslmode" in query:
            query["ssl"] = query.pop("sslmode")
        return url.set(drivername="postgresql+asyncpg", query=query)
    raise DatabaseURLError(f"unsupported database {name!r}: use sqlite:///... or postgresql://...")


class DataSettings(Group):
    # With APP_ENV=test and no DATABASE_URL, load_settings gives each app a private in-memory
    # database ("sqlite://"), so test servers never share the working directory's data.
    database_url: str = DEFAULT_URL
    db_pool_size: int = Field(5, ge=1, le=100)
    db_max_overflow: int = Field(10, ge=0, le=100)
    db_pool_timeout_seconds: float = Field(10, gt=0, le=300)
    db_pool_recycle_seconds: float = Field(1800, ge=-1, le=86400)
    db_pool_pre_ping: bool = True
    db_migrate_on_start: bool = True
    analytics_enabled: bool = True
    analytics_store_prompts: bool = False
    analytics_retention_days: int = Field(365, ge=1, le=36500)
    analytics_queue_size: int = Field(10_000, ge=10, le=1_000_000)
    backup_dir: str = "data/backups"
    backup_keep: int = Field(7, ge=1, le=1000)
    backup_interval_hours: float | None = Field(None, gt=0, le=8760)
    room_save_interval_seconds: float = Field(5, ge=0.5, le=3600)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        async_url(value)  # a ValueError with a readable message for anything unsupported
        return value

    @field_validator("backup_interval_hours", mode="before")
    @classmethod
    def _blank_is_off(cls, value: object) -> object:
        return blank_is_unset(value)
