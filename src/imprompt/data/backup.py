"""Backups of the analytics: consistent, compressed, portable, verified.

A backup is one gzip file of JSON lines:

    {"format": "imprompt-backup", "version": 1, "created": ..., "source": "sqlite", "revision": "0001",
     "columns": {"games": ["id", ...], ...}}
    ["games", [value, value, ...]]            one line per row, parents before children
    ...
    {"end": true, "rows": {"games": 12, ...}, "sha256": "<hash of every line above>"}

Values are plain JSON (times as ISO-8601 text), so a backup taken from SQLite restores
into PostgreSQL and the other way round. The rows are read in one read transaction (a
consistent snapshot while games go on writing), the file is written under a temporary
name, flushed to disk and renamed, then read back and checked before older backups are
rotated away. Saved rooms are not included: they are live state, not history.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import os
import re
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import Date, DateTime, Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .migrate import current_revision, known_revisions, upgrade
from .models import ANALYTICS_TABLES

log = structlog.get_logger("imprompt.backup")

FORMAT = "imprompt-backup"
VERSION = 1
PATTERN = re.compile(r"^imprompt-backup-\d{8}T\d{9}Z\.jsonl\.gz$")
INSERT_BATCH = 500


class BackupError(RuntimeError):
    """The backup file is missing, unreadable, damaged or from an unknown format."""


class RestoreRefused(RuntimeError):
    """Restoring would overwrite data (without --force), or the backup is too new."""


@dataclass
class BackupInfo:
    path: Path
    rows: dict[str, int]
    sha256: str
    bytes: int = 0
    header: dict = field(default_factory=dict)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decoder(column) -> Any:
    if isinstance(column.type, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column.type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


# ---------------------------------------------------------------- reading a snapshot


@contextlib.asynccontextmanager
async def snapshot(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection whose reads all see one moment of the database."""
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            async with conn.begin():
                yield conn
    else:
        async with engine.connect() as conn:
            # pysqlite does not BEGIN before a SELECT; an explicit BEGIN pins the WAL snapshot
            # at the first read, so every table below comes from the same moment.
            await conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                await conn.rollback()


async def read_tables(conn: AsyncConnection, tables: Iterable[Table] = ANALYTICS_TABLES) -> dict[str, list[list]]:
    out: dict[str, list[list]] = {}
    for table in tables:
        order = list(table.primary_key.columns)
        result = await conn.execute(select(*table.columns).order_by(*order))
        out[table.name] = [[_encode(v) for v in row] for row in result.all()]
    return out


# ---------------------------------------------------------------- writing a file


def _write_file(path: Path, header: dict, data: dict[str, list[list]]) -> BackupInfo:
    digest = hashlib.sha256()
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as gz:

            def line(obj: Any) -> None:
                encoded = (json.dumps(obj, separators=(",", ":"), ensure_ascii=False) + "\n").encode()
                digest.update(encoded)
                gz.write(encoded)

            line(header)
            for name, rows in data.items():
                for row in rows:
                    line([name, row])
            counts = {name: len(rows) for name, rows in data.items()}
            gz.write((json.dumps({"end": True, "rows": counts, "sha256": digest.hexdigest()}) + "\n").encode())
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, path)
    with contextlib.suppress(OSError):  # make the rename durable too
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return BackupInfo(path, counts, digest.hexdigest(), path.stat().st_size, header)


def read_backup(path: str | Path) -> tuple[dict, dict[str, list[list]], dict]:
    """Read and check a backup file: (header, rows per table, trailer). Raises BackupError."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    digest = hashlib.sha256()
    header: dict | None = None
    trailer: dict | None = None
    data: dict[str, list[list]] = {}
    try:
        with gzip.open(path, "rb") as gz:
            for raw in gz:
                if trailer is not None:
                    raise BackupError("data after the end marker")
                obj = json.loads(raw)
                if header is None:
                    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
                        raise BackupError("not an imprompt backup (bad header)")
                    if obj.get("version") != VERSION:
                        raise BackupError(f"backup format version {obj.get('version')} is not supported")
                    header = obj
                    data = {name: [] for name in header["columns"]}
                    digest.update(raw)
                elif isinstance(obj, dict) and obj.get("end"):
                    trailer = obj
                else:
                    name, row = obj
                    if name not in data or len(row) != len(header["columns"][name]):
                        raise BackupError(f"a row for {name!r} does not match the header")
                    data[name].append(row)
                    digest.update(raw)
    except (OSError, EOFError, gzip.BadGzipFile, json.JSONDecodeError, ValueError, TypeError) as exc:
        raise BackupError(f"cannot read {path.name}: {exc}") from None
    if header is None or trailer is None:
        raise BackupError(f"{path.name} is truncated (no end marker)")
    if trailer.get("sha256") != digest.hexdigest():
        raise BackupError(f"{path.name} is damaged (checksum mismatch)")
    counts = {name: len(rows) for name, rows in data.items()}
    if trailer.get("rows") != counts:
        raise BackupError(f"{path.name} is damaged (row counts {counts} != {trailer.get('rows')})")
    return header, data, trailer


def verify_backup(path: str | Path) -> BackupInfo:
    header, _rows, trailer = read_backup(path)
    return BackupInfo(Path(path), trailer["rows"], trailer["sha256"], Path(path).stat().st_size, header)


def backup_name(ts: float) -> str:
    moment = datetime.fromtimestamp(ts, UTC)
    return f"imprompt-backup-{moment:%Y%m%dT%H%M%S}{moment.microsecond // 1000:03d}Z.jsonl.gz"


def list_backups(directory: str | Path) -> list[Path]:
    """Backups in `directory`, oldest first."""
    d = Path(directory)
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir() if PATTERN.match(p.name))


def rotate(directory: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    backups = list_backups(directory)
    doomed = backups[:-keep] if keep > 0 else []
    for p in doomed:
        p.unlink(missing_ok=True)
    return doomed


async def create_backup(engine: AsyncEngine, directory: str | Path, *, keep: int = 7, clock=time.time) -> BackupInfo:
    """Snapshot the analytics into `directory`, verify the file, then keep the newest `keep`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = clock()
    async with snapshot(engine) as conn:
        data = await read_tables(conn)
    revision = await current_revision(engine)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.fromtimestamp(now, UTC).isoformat(),
        "source": engine.dialect.name,
        "revision": revision,
        "columns": {t.name: [c.name for c in t.columns] for t in ANALYTICS_TABLES},
    }
    path = directory / backup_name(now)
    n = 1
    while path.exists():
        path = directory / backup_name(now + n / 1000)
        n += 1
    info = await asyncio.to_thread(_write_file, path, header, data)
    try:
        checked = await asyncio.to_thread(verify_backup, path)
    except BackupError:
        path.unlink(missing_ok=True)
        raise
    if checked.rows != info.rows or checked.sha256 != info.sha256:
        path.unlink(missing_ok=True)
        raise BackupError("the backup read back differs from what was written")
    removed = rotate(directory, keep)
    log.info("backup_written", path=str(path), rows=info.rows, bytes=info.bytes, removed=len(removed))
    return info


# ---------------------------------------------------------------- restoring


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            t.name: int((await conn.execute(select(func.count()).select_from(t))).scalar() or 0)
            for t in ANALYTICS_TABLES
        }


async def restore_backup(engine: AsyncEngine, path: str | Path, *, force: bool = False) -> dict[str, int]:
    """Load a backup into the database at `engine` (migrated first). Refuses to replace
    existing analytics unless `force`; everything happens in one transaction."""
    header, data, _ = await asyncio.to_thread(read_backup, path)
    if header.get("revision") not in known_revisions() | {None}:
        raise RestoreRefused(
            f"the backup was made by a newer imprompt (schema {header.get('revision')}); upgrade imprompt first"
        )
    await upgrade(engine)
    tables = {t.name: t for t in ANALYTICS_TABLES}
    for name, columns in header["columns"].items():
        if name not in tables:
            raise RestoreRefused(f"the backup has a table {name!r} this imprompt does not know")
        unknown = set(columns) - set(tables[name].c.keys())
        if unknown:
            raise RestoreRefused(f"the backup has columns this imprompt does not know: {name}.{sorted(unknown)}")
    existing = await row_counts(engine)
    if any(existing.values()) and not force:
        raise RestoreRefused(
            "the database already holds analytics "
            f"({', '.join(f'{k}: {v}' for k, v in existing.items() if v)}); "
            "use --force to replace them"
        )
    async with engine.begin() as conn:
        if force:
            for table in reversed(ANALYTICS_TABLES):
                await conn.execute(delete(table))
        for table in ANALYTICS_TABLES:
            columns = header["columns"].get(table.name, [])
            rows = data.get(table.name, [])
            decode = [_decoder(table.c[c]) for c in columns]
            for start in range(0, len(rows), INSERT_BATCH):
                chunk = [
                    {c: f(v) for c, f, v in zip(columns, decode, row, strict=False)}
                    for row in rows[start : start + INSERT_BATCH]
                ]
                await conn.execute(table.insert(), chunk)
    counts = {name: len(rows) for name, rows in data.items()}
    log.info("backup_restored", path=str(path), rows=counts)
    return counts


# ---------------------------------------------------------------- on a timer


async def run_backups(
    engine: AsyncEngine,
    directory: str | Path,
    *,
    every_hours: float,
    keep: int,
    redis: Any = None,
    check_seconds: float = 300.0,
    namespace: str = "imprompt:",
) -> None:
    """Take a backup every `every_hours` (cancel to stop). A failure is logged, not fatal.

    With `redis` (several instances on one Redis), one backup per period for them all: every
    instance checks every `check_seconds`; the first to find no backup taken in the last
    period takes one, holding a short lock while it runs (`<namespace>backup:running`), and
    marks the period done only when it succeeded (`<namespace>backup:last`, expiring after
    `every_hours`). An instance that dies mid-backup leaves no mark: another one takes it."""
    if redis is None:
        while True:
            await asyncio.sleep(every_hours * 3600)
            try:
                await create_backup(engine, directory, keep=keep)
            except Exception:
                log.exception("backup_failed", directory=str(directory))
    period_ms = max(1, int(every_hours * 3600 * 1000))
    last, running = f"{namespace}backup:last", f"{namespace}backup:running"
    me = f"{os.uname().nodename}:{os.getpid()}"
    task = asyncio.current_task()

    def stop_if_cancelled() -> None:
        # redis.asyncio (8.1) can finish a command normally although the task was cancelled
        # meanwhile, swallowing the cancellation: without this check the loop would go on
        # and the shutdown awaiting it would hang.
        if task is not None and task.cancelling():
            raise asyncio.CancelledError

    while True:
        await asyncio.sleep(check_seconds)
        try:
            due = not await redis.exists(last) and await redis.set(running, me, nx=True, px=15 * 60 * 1000)
        except Exception as exc:  # Redis down: try again at the next check
            stop_if_cancelled()
            log.warning("backup_lock_unavailable", error=type(exc).__name__)
            continue
        stop_if_cancelled()
        if not due:
            continue  # done this period, or another instance is taking it now
        try:
            info = await create_backup(engine, directory, keep=keep)
            await redis.set(last, f"{datetime.now(UTC).isoformat()} {me} {info.path.name}", px=period_ms)
        except Exception:
            stop_if_cancelled()
            log.exception("backup_failed", directory=str(directory))
        finally:
            with contextlib.suppress(Exception):
                if await redis.get(running) == me.encode():
                    await redis.delete(running)
        stop_if_cancelled()
