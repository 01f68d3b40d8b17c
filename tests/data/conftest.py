"""Databases for the data tests: a SQLite file per test, and a throwaway PostgreSQL
database on the local server (created with a random name, dropped afterwards)."""

from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy.engine import make_url

from imprompt.data.db import create_engine
from imprompt.data.migrate import upgrade

POSTGRES_URL = os.environ.get("IMPROMPT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def _admin(sql: str) -> None:
    import asyncpg

    url = make_url(POSTGRES_URL)
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        database=url.database,
        timeout=10,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
async def postgres_url():
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    name = f"imprompt_test_{secrets.token_hex(6)}"
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/imprompt.db"


@pytest.fixture
async def sqlite_engine(sqlite_url):
    engine = create_engine(sqlite_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()
