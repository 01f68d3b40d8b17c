"""Backups: consistent, compressed, verified, rotated, and portable between SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import json

import pytest

from imprompt.data.analytics import Analytics
from imprompt.data.backup import (
    BackupError,
    RestoreRefused,
    create_backup,
    list_backups,
    read_tables,
    restore_backup,
    row_counts,
    snapshot,
    verify_backup,
)
from imprompt.data.db import create_engine
from imprompt.data.migrate import upgrade

from .test_analytics import T0, Clock, game_over, turn


async def _fill(engine, *, games: int = 3) -> None:
    clock = Clock()
    a = Analytics(engine, store_prompts=True, clock=clock)
    a.start()
    for g in range(games):
        code = f"ROOM{g:02d}"
        for n in (1, 2):
            clock.t += 33.25
            a.record(
                turn(
                    code=code,
                    n=n,
                    provider=("fal", "pictogram")[n % 2],
                    cost=0.0031 * n,
                    prompt=f"élan vital №{g} — “quotes” 🐙",
                    average_similarity=None if n == 1 else 41.5,
                )
            )
        if g != 1:  # one game stays in progress
            a.record(game_over(code=code))
        clock.t += 86400 / 2
    await a.stop()
    assert a.stats()["written"] == games * 2 + games - (1 if games > 1 else 0)


async def _rows(engine) -> dict:
    async with snapshot(engine) as conn:
        return await read_tables(conn)


@pytest.fixture
async def filled_sqlite(sqlite_engine):
    await _fill(sqlite_engine)
    return sqlite_engine


async def test_sqlite_to_sqlite(filled_sqlite, tmp_path) -> None:
    info = await create_backup(filled_sqlite, tmp_path / "b", keep=3)
    assert info.path.name.endswith(".jsonl.gz") and info.rows["turns"] == 6
    target = create_engine(f"sqlite:///{tmp_path}/restored.db")
    try:
        assert await restore_backup(target, info.path) == info.rows
        assert await _rows(target) == await _rows(filled_sqlite)
    finally:
        await target.dispose()


async def test_postgresql_to_sqlite(postgres_url, tmp_path) -> None:
    source = create_engine(postgres_url)
    target = create_engine(f"sqlite:///{tmp_path}/restored.db")
    try:
        await upgrade(source)
        await _fill(source)
        info = await create_backup(source, tmp_path, keep=2)
        assert info.header["source"] == "postgresql"
        await restore_backup(target, info.path)
        original = await _rows(source)
        assert sum(len(r) for r in original.values()) > 10
        assert await _rows(target) == original
    finally:
        await source.dispose()
        await target.dispose()


async def test_sqlite_to_postgresql(filled_sqlite, postgres_url, tmp_path) -> None:
    info = await create_backup(filled_sqlite, tmp_path, keep=2)
    target = create_engine(postgres_url)
    try:
        await restore_backup(target, info.path)
        assert await _rows(target) == await _rows(filled_sqlite)
        # the restored database goes on working: new games are recorded next to the old ones
        a = Analytics(target, clock=Clock(T0 + 10 * 86400))
        a.start()
        a.record(turn(code="AFTER1"))
        await a.stop()
        assert (await row_counts(target))["games"] == 4
    finally:
        await target.dispose()


async def test_restore_refuses_a_non_empty_database_without_force(filled_sqlite, tmp_path) -> None:
    info = await create_backup(filled_sqlite, tmp_path, keep=2)
    with pytest.raises(RestoreRefused, match="--force"):
        await restore_backup(filled_sqlite, info.path)
    a = Analytics(filled_sqlite, clock=Clock(T0 + 30 * 86400))
    a.start()
    a.record(turn(code="EXTRA1"))
    await a.stop()
    before = await row_counts(filled_sqlite)
    assert await restore_backup(filled_sqlite, info.path, force=True) == info.rows
    after = await row_counts(filled_sqlite)
    assert after == info.rows and after != before


async def test_damaged_or_truncated_backups_are_caught(filled_sqlite, tmp_path) -> None:
    info = await create_backup(filled_sqlite, tmp_path, keep=2)
    lines = gzip.decompress(info.path.read_bytes()).decode().splitlines(keepends=True)

    edited = tmp_path / "edited.jsonl.gz"
    row = json.loads(lines[1])
    row[1][1] = "XXXXXX"
    edited.write_bytes(gzip.compress("".join([lines[0], json.dumps(row) + "\n", *lines[2:]]).encode()))
    with pytest.raises(BackupError, match="checksum"):
        verify_backup(edited)

    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress("".join(lines[:-1]).encode()))
    with pytest.raises(BackupError, match="truncated"):
        verify_backup(cut)

    torn = tmp_path / "torn.jsonl.gz"
    torn.write_bytes(info.path.read_bytes()[:-20])
    with pytest.raises(BackupError):
        verify_backup(torn)

    other = tmp_path / "other.jsonl.gz"
    other.write_bytes(gzip.compress(b'{"hello": 1}\n'))
    with pytest.raises(BackupError, match="not an imprompt backup"):
        verify_backup(other)

    target = create_engine(f"sqlite:///{tmp_path}/t.db")
    try:
        with pytest.raises(BackupError):
            await restore_backup(target, edited)  # checked before the database is touched
        await upgrade(target)
        assert await row_counts(target) == {"games": 0, "turns": 0, "daily_stats": 0, "daily_providers": 0}
    finally:
        await target.dispose()


async def test_only_the_newest_backups_are_kept(filled_sqlite, tmp_path) -> None:
    clock = Clock()
    made = []
    for _i in range(5):
        clock.t += 3600
        made.append((await create_backup(filled_sqlite, tmp_path, keep=3, clock=clock)).path)
    (tmp_path / "notes.txt").write_text("not a backup")
    assert list_backups(tmp_path) == made[-3:]
    assert (tmp_path / "notes.txt").exists()


async def test_a_backup_of_an_empty_database_restores_to_empty(sqlite_engine, tmp_path) -> None:
    info = await create_backup(sqlite_engine, tmp_path)
    assert set(info.rows.values()) == {0}
    target = create_engine(f"sqlite:///{tmp_path}/t.db")
    try:
        assert set((await restore_backup(target, info.path)).values()) == {0}
    finally:
        await target.dispose()


async def _snapshot_is_isolated(url: str) -> None:
    from sqlalchemy import select

    from imprompt.data.models import games

    engine = create_engine(url)
    try:
        await upgrade(engine)
        await _fill(engine, games=1)
        async with snapshot(engine) as conn:
            first = (await conn.execute(select(games.c.id))).all()
            writer = Analytics(engine, clock=Clock(T0 + 5 * 86400))
            writer.start()
            writer.record(turn(code="LATE11"))
            await writer.stop()
            assert writer.stats()["written"] == 1, "writers are not blocked by a backup"
            assert (await conn.execute(select(games.c.id))).all() == first
        assert (await row_counts(engine))["games"] == 2
    finally:
        await engine.dispose()


async def test_a_sqlite_snapshot_does_not_see_writes_made_while_it_reads(sqlite_url) -> None:
    await _snapshot_is_isolated(sqlite_url)


async def test_a_postgresql_snapshot_does_not_see_writes_made_while_it_reads(postgres_url) -> None:
    await _snapshot_is_isolated(postgres_url)


async def test_the_server_takes_backups_on_a_timer(filled_sqlite, tmp_path) -> None:
    import asyncio
    import contextlib

    from imprompt.data.backup import run_backups

    task = asyncio.create_task(run_backups(filled_sqlite, tmp_path / "auto", every_hours=0.25 / 3600, keep=2))
    await asyncio.sleep(1.2)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    made = list_backups(tmp_path / "auto")
    assert len(made) == 2, "several taken, the newest BACKUP_KEEP kept"
    assert verify_backup(made[-1]).rows["turns"] == 6
