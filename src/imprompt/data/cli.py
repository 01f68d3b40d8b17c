"""`imprompt db upgrade|current`, `imprompt backup [--dir DIR]`, `imprompt restore FILE [--force]`.

They read DATABASE_URL (and BACKUP_DIR, BACKUP_KEEP) like the server does; `--database-url`
points one run elsewhere (handy for moving analytics between SQLite and PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from typing import Any


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    for name, text in (
        ("upgrade", "apply the migrations (the server also does it at start)"),
        ("current", "print the database's schema revision"),
    ):
        p = db_sub.add_parser(name, help=text)
        p.add_argument("--database-url", help="instead of DATABASE_URL")
    backup = sub.add_parser("backup", help="write a verified, compressed backup of the analytics")
    backup.add_argument("--dir", help="where to write it (default: BACKUP_DIR)")
    backup.add_argument("--keep", type=int, help="backups to keep (default: BACKUP_KEEP)")
    backup.add_argument("--database-url", help="instead of DATABASE_URL")
    restore = sub.add_parser("restore", help="load a backup into the database")
    restore.add_argument("file")
    restore.add_argument("--force", action="store_true", help="replace analytics already in the database")
    restore.add_argument("--database-url", help="instead of DATABASE_URL")
    return {"db": _db, "backup": _backup, "restore": _restore}


def _settings() -> Any:
    from ..config import load_settings

    return load_settings()


def _engine(args: argparse.Namespace, settings: Any):
    from .db import PoolSettings, create_engine

    url = args.database_url or settings.data.database_url
    return url, create_engine(url, PoolSettings(size=1, max_overflow=0))


def _fail(message: str, status: int = 1) -> int:
    print(f"imprompt: {message}", file=sys.stderr)
    return status


def _run(args: argparse.Namespace, work: Callable[[Any, Any, str], Any]) -> int:
    from ..config import SettingsError
    from .backup import BackupError, RestoreRefused
    from .db import DatabaseURLError, redacted

    try:
        settings = _settings()
        url, engine = _engine(args, settings)
    except (SettingsError, DatabaseURLError) as exc:
        return _fail(str(exc), 2)

    async def main() -> int:
        try:
            return await work(engine, settings, url)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except (BackupError, RestoreRefused) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc}")
    except Exception as exc:  # the database refused or is unreachable
        return _fail(f"database {redacted(url)}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")


def _db(args: argparse.Namespace) -> int:
    from .db import redacted
    from .migrate import current_revision, head_revision, upgrade

    async def work(engine, settings, url) -> int:
        if args.db_command == "upgrade":
            before = await current_revision(engine)
            after = await upgrade(engine)
            print(
                f"{redacted(url)}: {before or 'empty'} -> {after}"
                if before != after
                else f"{redacted(url)}: already at {after}"
            )
        else:
            rev = await current_revision(engine)
            head = head_revision()
            print(f"{redacted(url)}: {rev or 'empty'} (latest: {head})")
        return 0

    return _run(args, work)


def _backup(args: argparse.Namespace) -> int:
    from .backup import create_backup
    from .migrate import upgrade

    async def work(engine, settings, url) -> int:
        await upgrade(engine)
        info = await create_backup(
            engine,
            args.dir or settings.data.backup_dir,
            keep=args.keep if args.keep is not None else settings.data.backup_keep,
        )
        rows = ", ".join(f"{k} {v}" for k, v in info.rows.items())
        print(f"{info.path} ({info.bytes} bytes, verified; {rows})")
        return 0

    return _run(args, work)


def _restore(args: argparse.Namespace) -> int:
    from .backup import restore_backup
    from .db import redacted

    async def work(engine, settings, url) -> int:
        rows = await restore_backup(engine, args.file, force=args.force)
        print(f"restored into {redacted(url)}: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
        return 0

    return _run(args, work)
