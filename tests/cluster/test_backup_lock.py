"""Backups with several instances on one Redis (BACKUP_INTERVAL_HOURS): one backup per
period for them all, taken by whichever instance finds it due; a period whose backup
failed is taken again. Real SQLite analytics database, real Redis (database 11)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from imprompt.data.backup import list_backups, run_backups
from imprompt.data.db import create_engine
from imprompt.data.migrate import upgrade

REDIS = "redis://127.0.0.1:6379/11"


@pytest.fixture
async def namespace() -> AsyncIterator[str]:
    name = f"imprompt-test-backup-{secrets.token_hex(4)}:"
    yield name
    cleaner = Redis.from_url(REDIS)
    keys = [key async for key in cleaner.scan_iter(match=f"{name}*")]
    if keys:
        await cleaner.delete(*keys)
    await cleaner.aclose()


async def test_three_instances_take_one_backup_per_period(tmp_path: Path, namespace: str) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/imprompt.db")
    await upgrade(engine)
    clients = [Redis.from_url(REDIS) for _ in range(3)]
    instances = [
        asyncio.create_task(
            run_backups(
                engine,
                tmp_path / "backups",
                every_hours=1.0,  # one period lasts the whole test
                keep=10,
                redis=client,
                check_seconds=0.05,
                namespace=namespace,
            )
        )
        for client in clients
    ]
    try:
        await asyncio.sleep(1.0)  # some twenty checks by each instance
        assert len(list_backups(tmp_path / "backups")) == 1, "one backup for the three instances"
        raw = clients[0]
        mark = await raw.get(f"{namespace}backup:last")
        assert mark is not None and 3500_000 < await raw.pttl(f"{namespace}backup:last") <= 3600_000
        assert not await raw.exists(f"{namespace}backup:running"), "the lock is let go after the backup"
        await raw.delete(f"{namespace}backup:last")  # the period is over: the next one is due
        await asyncio.sleep(0.5)
        assert len(list_backups(tmp_path / "backups")) == 2
        # An instance holding the lock (taking a backup right now): nobody else starts one.
        await raw.delete(f"{namespace}backup:last")
        await raw.set(f"{namespace}backup:running", "elsewhere:1", px=60_000)
        await asyncio.sleep(0.4)
        assert len(list_backups(tmp_path / "backups")) == 2
    finally:
        for task in instances:
            task.cancel()
        _, going_on = await asyncio.wait(instances, timeout=5)
        assert not going_on, "a cancelled backup loop went on (the shutdown would hang)"
        for client in clients:
            await client.aclose()
        await engine.dispose()


async def test_a_failed_backup_is_taken_again(tmp_path: Path, namespace: str) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/imprompt.db")
    await upgrade(engine)
    blocked = tmp_path / "backups"
    blocked.write_text("a file where the directory should be")  # every backup fails
    client = Redis.from_url(REDIS)
    task = asyncio.create_task(
        run_backups(engine, blocked, every_hours=1.0, keep=3, redis=client, check_seconds=0.05, namespace=namespace)
    )
    try:
        await asyncio.sleep(0.4)
        assert not await client.exists(f"{namespace}backup:last"), "a failed backup marks nothing done"
        assert not await client.exists(f"{namespace}backup:running")
        blocked.unlink()
        await asyncio.sleep(0.4)
        assert len(list_backups(blocked)) == 1 and await client.exists(f"{namespace}backup:last")
    finally:
        task.cancel()
        _, going_on = await asyncio.wait([task], timeout=5)
        assert not going_on, "a cancelled backup loop went on (the shutdown would hang)"
        await client.aclose()
        await engine.dispose()


async def test_cancelling_stops_the_loop_even_in_the_middle_of_a_redis_command(tmp_path: Path, namespace: str) -> None:
    """The shutdown cancels the loop and waits for it: it must end wherever it was."""
    engine = create_engine(f"sqlite:///{tmp_path}/imprompt.db")
    await upgrade(engine)
    client = Redis.from_url(REDIS)
    await client.set(f"{namespace}backup:last", "taken", px=60_000)  # every check: one Redis command, done
    try:
        for n in range(40):
            task = asyncio.create_task(
                run_backups(
                    engine, tmp_path / "b", every_hours=1.0, keep=1, redis=client, check_seconds=0, namespace=namespace
                )
            )
            await asyncio.sleep(0.0005 * (n % 7))
            task.cancel()
            _, going_on = await asyncio.wait([task], timeout=2)
            assert not going_on, f"cancel {n}: the loop went on"
    finally:
        await client.aclose()
        await engine.dispose()
