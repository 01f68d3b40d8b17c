"""Database URLs, engines and migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from imprompt.data.db import DatabaseURLError, async_url, create_engine, redacted
from imprompt.data.migrate import current_revision, head_revision, upgrade
from imprompt.data.models import metadata


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("sqlite:///data/imprompt.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite"),
        ("sqlite://", "sqlite+aiosqlite"),
        ("postgresql://u:p@db.example/app", "postgresql+asyncpg"),
        ("postgres://u:p@db.example/app", "postgresql+asyncpg"),
        ("postgresql+psycopg2://u@h/app", "postgresql+asyncpg"),
    ],
)
def test_plain_urls_get_the_async_driver(given, driver) -> None:
    assert async_url(given).drivername == driver


def test_sslmode_becomes_asyncpg_ssl() -> None:
    url = async_url("postgresql://u:p@h/app?sslmode=require")
    assert url.query == {"ssl": "require"}


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "not a url", "redis://h"])
def test_unsupported_urls_are_refused(bad) -> None:
    with pytest.raises(DatabaseURLError):
        async_url(bad)


def test_passwords_are_hidden_in_logs() -> None:
    assert "secret" not in redacted("postgresql://u:secret@h/db")


async def test_sqlite_file_folder_is_created_and_wal_is_on(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/deep/er/imprompt.db")
    try:
        assert await upgrade(engine) == head_revision()
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (tmp_path / "deep" / "er" / "imprompt.db").is_file()
    finally:
        await engine.dispose()


async def _schema_matches_models(engine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), metadata))
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert diff == [], f"migrations and models differ: {diff}"
    assert {"games", "turns", "daily_stats", "daily_providers", "saved_rooms", "alembic_version"} <= tables


async def test_migrations_build_the_models_on_sqlite_and_are_idempotent(sqlite_url) -> None:
    engine = create_engine(sqlite_url)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        await upgrade(engine)  # a second start changes nothing
        await _schema_matches_models(engine)
    finally:
        await engine.dispose()


async def test_migrations_build_the_models_on_postgresql(postgres_url) -> None:
    engine = create_engine(postgres_url)
    try:
        assert await upgrade(engine) == head_revision()
        await _schema_matches_models(engine)
        assert await upgrade(engine) == head_revision()
    finally:
        await engine.dispose()
