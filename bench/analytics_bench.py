"""The analytics writer and the room saver under a busy server's burst, on a real database.

    .venv/bin/python bench/analytics_bench.py                       # SQLite (a temp file)
    .venv/bin/python bench/analytics_bench.py --baseline /tmp/base/src/imprompt/data/analytics.py
    .venv/bin/python bench/analytics_bench.py --database-url postgresql://postgres@127.0.0.1:5432/test

bench/load.py's workload at 6,000 players: 1,200 rooms of 5 whose first turns end within
30 s of each other, so the writer (which lingers 1 s for a batch) takes them ~40 at a time.
Phases, each on the same events: the rooms' first TurnEnded (a new game each), a later
turn (games known), the next turn after a restart (a cold cache: games found in the
database), a last turn and the game's end (interleaved across rooms); then a room-saver
pass over every room. Printed per event:
the process's CPU time (every thread: the aiosqlite / asyncpg side too, which on a server
pinned to one core competes with the event loop) and the event loop thread's own.

--baseline FILE: also measure another analytics.py (e.g. a clean clone's), alternating
with this tree's, and compare what both wrote, table by table (ids aside).
--database-url: PostgreSQL; each pass gets a fresh throwaway database, dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import math
import random
import secrets
import sys
import tempfile
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from imprompt.data import analytics as current
from imprompt.data.db import create_engine
from imprompt.data.migrate import upgrade
from imprompt.data.models import daily_providers, daily_stats, games, turns
from imprompt.data.rooms import RoomSaver
from imprompt.game import effects as fx
from imprompt.game.standings import Standing

T0 = 1_764_000_000.0


def _load_baseline(path: str) -> Any:
    # Loaded as a sibling of imprompt.data.analytics, so its relative imports find this tree's
    # models and effects (the tables are the same).
    spec = importlib.util.spec_from_file_location("imprompt.data._analytics_baseline", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


def _codes(rooms: int) -> list[str]:
    rng = random.Random(7)
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    out: set[str] = set()
    while len(out) < rooms:
        out.add("".join(rng.choice(alphabet) for _ in range(6)))
    return sorted(out)


def _turn(rng: random.Random, code: str, n: int, ended: float) -> fx.TurnEnded:
    scores = [rng.randint(0, 90) for _ in range(rng.randint(0, 24))]
    pictogram = rng.random() < 0.5
    return fx.TurnEnded(
        fx.TurnSummary(
            code=code,
            game=1,
            turn=n,
            round=(n - 1) // 5 + 1,
            provider="pictogram" if pictogram else "together",
            generation_seconds=rng.uniform(0.01, 0.2) if pictogram else rng.uniform(1.5, 4.0),
            cost_usd=0.0 if pictogram else 0.0027 * rng.randint(1, 2),
            guesses=len(scores),
            best_similarity=max(scores, default=0),
            average_similarity=round(sum(scores) / len(scores), 1) if scores else None,
            solved=0,
            guessers=4,
            prompt="a short prompt",
            started_at=ended - rng.uniform(38, 45) if n > 1 else None,
            ended_at=ended,
        )
    )


def _game_end(code: str, ended: float) -> fx.GameEnded:
    standings = [Standing(f"p{i}", f"Player {i}", 1000 - 100 * i, i) for i in range(1, 6)]
    return fx.GameEnded(
        fx.GameSummary(
            code=code, game=1, rounds=10, turns=50, players=5, standings=standings, started_at=None, ended_at=ended
        )
    )


def _phases(rooms: int) -> list[tuple[str, list[Any], bool]]:
    """(name, effects, a fresh writer first), the same every pass."""
    rng = random.Random(1)
    codes = _codes(rooms)
    spread = 30.0  # the load's stagger: every room's turn ends within 30 s
    at = [T0 + spread * i / rooms for i in range(rooms)]
    # each room's last turn, and its game's end 0.5 s later: runs of turns split by game ends
    ends = [_turn(rng, c, 4, at[i] + 135) for i, c in enumerate(codes)]
    ends += [_game_end(c, at[i] + 135.5) for i, c in enumerate(codes)]
    return [
        ("first turns (new games)", [_turn(rng, c, 1, at[i]) for i, c in enumerate(codes)], False),
        ("a later turn", [_turn(rng, c, 2, at[i] + 45) for i, c in enumerate(codes)], False),
        ("a turn after a restart", [_turn(rng, c, 3, at[i] + 90) for i, c in enumerate(codes)], True),
        ("last turns and game ends, interleaved", sorted(ends, key=lambda e: e.summary.ended_at), False),
    ]


class _Rooms:
    """A RoomStore's part the saver reads: rooms' JSON of the load's size (~3.9 KB)."""

    def __init__(self, codes: list[str]) -> None:
        filler = "x" * 3800
        self.rooms = {c: json.dumps({"code": c, "revision": 40 + i, "rest": filler}) for i, c in enumerate(codes)}

    async def dump(self, code: str) -> str | None:
        return self.rooms.get(code)

    async def codes(self) -> set[str]:
        return set(self.rooms)


async def _fresh_postgres(url: str) -> tuple[str, Any]:
    import asyncpg

    base = make_url(url)
    name = f"imprompt_bench_{secrets.token_hex(5)}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(
            host=base.host, port=base.port or 5432, user=base.username, password=base.password, database=base.database
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    await admin(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base.set(database=name).render_as_string(hide_password=False), drop


async def _tables(engine: Any) -> dict[str, list[tuple]]:
    """Every analytics row, ids replaced by what they stand for (ids are random)."""
    async with engine.connect() as conn:
        g = [dict(r) for r in (await conn.execute(select(games))).mappings()]
        key = {r["id"]: (r["room"], r["game_no"], str(r["started_at"])) for r in g}
        t = [dict(r) for r in (await conn.execute(select(turns))).mappings()]
        out = {
            "games": sorted(tuple(sorted((k, repr(v)) for k, v in r.items() if k != "id")) for r in g),
            "turns": sorted(
                tuple(sorted((k, repr(key[v]) if k == "game_id" else repr(v)) for k, v in r.items() if k != "id"))
                for r in t
            ),
        }
        for table in (daily_stats, daily_providers):
            out[table.name] = sorted(
                tuple(sorted((k, repr(v)) for k, v in r.items()))
                for r in (await conn.execute(select(table))).mappings()
            )
    return out


async def _pass(module: Any, url: str | None, rooms: int, per_flush: int) -> tuple[dict[str, tuple], dict]:
    drop = None
    with tempfile.TemporaryDirectory() as tmp:
        if url:
            db_url, drop = await _fresh_postgres(url)
        else:
            db_url = f"sqlite:///{tmp}/bench.db"
        engine = create_engine(db_url)
        try:
            await upgrade(engine)
            figures: dict[str, tuple] = {}
            clock = Clock()
            writer = None
            for name, effects, fresh in _phases(rooms):
                if writer is None or fresh:
                    if writer is not None:
                        await writer.stop()
                    writer = module.Analytics(engine, clock=clock, linger=0)
                    await writer.maintain()  # its first upkeep pass, outside the figures
                    writer._next_maintenance = clock() + module.MAINTENANCE_EVERY
                    writer.start()
                wall, cpu, loop, recording = time.perf_counter(), time.process_time(), time.thread_time(), 0.0
                for i in range(0, len(effects), per_flush):
                    started = time.thread_time()
                    for effect in effects[i : i + per_flush]:
                        clock.t = effect.summary.ended_at
                        writer.record(effect)
                    recording += time.thread_time() - started
                    assert await writer.flush(60) == 0
                figures[name] = (
                    len(effects),
                    time.process_time() - cpu,
                    time.thread_time() - loop,
                    time.perf_counter() - wall,
                    recording,
                )
            assert writer is not None
            await writer.stop()
            assert writer.stats()["rejected"] == 0
            tables = await _tables(engine)

            codes = _codes(rooms)
            saver = RoomSaver(engine, _Rooms(codes), interval=0, clock=clock)  # type: ignore[arg-type]
            for rounds in range(2):  # the first pass inserts, the second replaces (the steady state)
                saver.changes.mark_dirty(set(codes))
                wall, cpu, loop = time.perf_counter(), time.process_time(), time.thread_time()
                await saver.save_changed()
                name = "room saver: " + ("first save" if rounds == 0 else "a save replacing every room")
                figures[name] = (
                    len(codes),
                    time.process_time() - cpu,
                    time.thread_time() - loop,
                    time.perf_counter() - wall,
                    0.0,
                )
            return figures, tables
        finally:
            await engine.dispose()
            if drop is not None:
                await drop()


def _print(label: str, runs: list[dict[str, tuple]]) -> None:
    print(f"\n{label} (best of {len(runs)} passes; µs per event, per room for the saver)")
    print(f"  {'phase':<42} {'events':>6} {'process CPU':>12} {'event loop':>11} {'of it record()':>15} {'wall ms':>8}")
    for name in runs[0]:
        count = runs[0][name][0]
        cpu = min(r[name][1] for r in runs) / count * 1e6
        loop = min(r[name][2] for r in runs) / count * 1e6
        wall = min(r[name][3] for r in runs) * 1e3
        record = min(r[name][4] for r in runs) / count * 1e6
        print(f"  {name:<42} {count:>6} {cpu:>12.1f} {loop:>11.1f} {record:>15.1f} {wall:>8.0f}")


def _compare(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> bool:
    same = True
    for table in a:
        if a[table] != b[table]:
            same = False
            diff = sum(1 for x, y in zip(a[table], b[table], strict=False) if x != y)
            print(f"  {table}: DIFFERENT ({len(a[table])} vs {len(b[table])} rows, {diff} differ)")
        else:
            print(f"  {table}: identical ({len(a[table])} rows)")
    return same


async def main_async(args: argparse.Namespace) -> int:
    variants: dict[str, Any] = {"this tree": current}
    if args.baseline:
        variants = {"baseline": _load_baseline(args.baseline), **variants}
    runs: dict[str, list[dict[str, tuple]]] = {name: [] for name in variants}
    tables: dict[str, dict] = {}
    for _ in range(args.repeat):
        for name, module in variants.items():
            figures, written = await _pass(module, args.database_url, args.rooms, args.per_flush)
            runs[name].append(figures)
            tables[name] = written
    where = "PostgreSQL" if args.database_url else "SQLite (temp file)"
    print(f"{where}: {args.rooms} rooms, {args.per_flush} events per batch")
    for name, r in runs.items():
        _print(name, r)
    if args.baseline:
        base, now = runs["baseline"], runs["this tree"]
        print("\nthis tree / baseline (process CPU per event):")
        for name in now[0]:
            ratio = min(r[name][1] for r in now) / max(1e-9, min(r[name][1] for r in base))
            print(f"  {name:<42} {ratio:6.2f}")
        print("\nwhat both wrote:")
        if not _compare(tables["baseline"], tables["this tree"]):
            return 1
    return 0 if all(not math.isnan(v[1]) for r in runs.values() for f in r for v in f.values()) else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rooms", type=int, default=1200)
    ap.add_argument("--per-flush", type=int, default=40, help="events per batch (the writer's linger gathers ~40)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", help="another analytics.py to measure (and compare with) in the same run")
    ap.add_argument("--database-url", help="PostgreSQL server URL (a throwaway database is made on it)")
    args = ap.parse_args(argv)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
