"""Analytics: written off the game's path, private by default, buffered through outages."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from imprompt.data.analytics import Analytics, utc
from imprompt.data.models import daily_providers, daily_stats, games, turns
from imprompt.data.queries import analytics_report
from imprompt.game import effects as fx
from imprompt.game.standings import Standing

T0 = 1_764_000_000.0  # 2025-11-24 16:00 UTC


class Clock:
    def __init__(self, t: float = T0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def turn(
    code="K7QX2M",
    game=1,
    n=1,
    provider="together",
    cost=0.003,
    best=80,
    solved=1,
    prompt="a prompt",
    started_at=None,
    ended_at=None,
    average_similarity=None,
) -> fx.TurnEnded:
    # ended_at None: the analytics writer falls back to the time it records the event
    return fx.TurnEnded(
        fx.TurnSummary(
            code=code,
            game=game,
            turn=n,
            round=1,
            provider=provider,
            generation_seconds=2.5,
            cost_usd=cost,
            guesses=7,
            best_similarity=best,
            average_similarity=average_similarity,
            solved=solved,
            guessers=2,
            prompt=prompt,
            started_at=started_at,
            ended_at=ended_at,
        )
    )


def game_over(code="K7QX2M", game=1, players=3) -> fx.GameEnded:
    return fx.GameEnded(
        fx.GameSummary(
            code=code,
            game=game,
            rounds=1,
            turns=3,
            players=players,
            standings=[Standing("p1", "Alice", 500, 1), Standing("p2", "Bob", 300, 2), Standing("p3", "Cleo", 100, 3)],
            started_at=None,
            ended_at=None,
        )
    )


async def _all(engine, table):
    async with engine.connect() as conn:
        return [dict(r) for r in (await conn.execute(select(table))).mappings()]


async def test_a_game_is_recorded_with_turns_and_daily_aggregates(sqlite_engine) -> None:
    clock = Clock()
    a = Analytics(sqlite_engine, clock=clock)
    a.start()
    try:
        for n in (1, 2, 3):
            clock.t += 60
            a.record(
                turn(
                    n=n,
                    provider="pictogram" if n == 3 else "together",
                    cost=0 if n == 3 else 0.003,
                    prompt="secret prompt",
                    average_similarity=55.5,
                )
            )
        clock.t += 5
        a.record(game_over())
        assert await a.flush() == 0
    finally:
        await a.stop()
    [g] = await _all(sqlite_engine, games)
    assert (g["outcome"], g["turns"], g["players"], g["rounds"]) == ("finished", 3, 3, 1)
    assert abs(g["cost_usd"] - 0.006) < 1e-9
    assert g["standings"] == [{"place": 1, "score": 500}, {"place": 2, "score": 300}, {"place": 3, "score": 100}]
    ts = await _all(sqlite_engine, turns)
    assert len(ts) == 3 and all(t["prompt"] is None for t in ts), "no prompt texts by default"
    # turns 2 and 3 last from the previous turn's end; the first has no known start
    assert sorted(t["seconds"] for t in ts if t["seconds"] is not None) == [60.0, 60.0]
    [day] = await _all(sqlite_engine, daily_stats)
    assert (day["games_started"], day["games_finished"], day["players"], day["turns"]) == (1, 1, 3, 3)
    mix = {r["provider"]: r["turns"] for r in await _all(sqlite_engine, daily_providers)}
    assert mix == {"together": 2, "pictogram": 1}

    report = await analytics_report(sqlite_engine, today=utc(clock.t).date(), days=7)
    totals = report["totals"]
    assert (totals["games"], totals["avgPlayers"], totals["avgTurnSeconds"]) == (1, 3.0, 60.0)
    assert totals["costPerGame"] == 0.006
    assert [p["provider"] for p in report["providers"]] == ["together", "pictogram"]
    assert report["providers"][0]["share"] == round(2 / 3, 3)
    assert report["perDay"][0]["day"] == utc(clock.t).date().isoformat()


async def test_prompts_and_names_only_when_asked(sqlite_engine) -> None:
    a = Analytics(sqlite_engine, store_prompts=True, clock=Clock())
    a.start()
    a.record(turn(prompt="a cat on a boat", started_at=T0 - 42, ended_at=T0))
    a.record(game_over())
    await a.stop()
    [t] = await _all(sqlite_engine, turns)
    assert t["prompt"] == "a cat on a boat" and t["seconds"] == 42.0
    [g] = await _all(sqlite_engine, games)
    assert g["standings"][0] == {"place": 1, "score": 500, "name": "Alice"}


class FlakyEngine:
    """An engine whose database can be switched off."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.down = False
        self.dialect = engine.dialect

    def _check(self) -> None:
        if self.down:
            raise OperationalError("connect", {}, ConnectionRefusedError("database is down"))

    @contextlib.asynccontextmanager
    async def begin(self):
        self._check()
        async with self.engine.begin() as conn:
            yield conn

    @contextlib.asynccontextmanager
    async def connect(self):
        self._check()
        async with self.engine.connect() as conn:
            yield conn


async def test_database_outage_buffers_within_a_bound_and_counts_drops(sqlite_engine) -> None:
    flaky = FlakyEngine(sqlite_engine)
    flaky.down = True
    a = Analytics(flaky, queue_size=5, retry_max=0.05, clock=Clock())
    a.start()
    try:
        started = time.perf_counter()
        for n in range(1, 9):
            a.record(turn(n=n))
        assert time.perf_counter() - started < 0.05, "recording must never wait for the database"
        await asyncio.sleep(0.3)
        s = a.stats()
        assert (s["queued"], s["dropped"], s["databaseOk"]) == (5, 3, False)
        assert s["failedWrites"] >= 1 and "down" in s["lastError"]
        flaky.down = False  # the database comes back: the buffer drains by itself
        for _ in range(100):
            if a.stats()["queued"] == 0:
                break
            await asyncio.sleep(0.05)
        s = a.stats()
        assert (s["queued"], s["written"], s["databaseOk"]) == (0, 5, True)
    finally:
        await a.stop()
    assert len(await _all(sqlite_engine, turns)) == 5


async def test_a_bad_event_is_rejected_without_losing_the_good_ones(sqlite_engine) -> None:
    a = Analytics(sqlite_engine, clock=Clock())
    a.start()
    a.record(turn(n=1))
    a.record(turn(n="not a number"))
    a.record(turn(n=3))
    await a.stop()
    assert a.stats()["rejected"] == 1
    assert sorted(t["turn_no"] for t in await _all(sqlite_engine, turns)) == [1, 3]


async def test_a_game_spanning_a_restart_is_one_row(sqlite_engine) -> None:
    first = Analytics(sqlite_engine, clock=Clock())
    first.start()
    first.record(turn(n=1))
    await first.stop()
    second = Analytics(sqlite_engine, clock=Clock(T0 + 100))
    second.start()
    second.record(turn(n=2))
    second.record(game_over())
    await second.stop()
    [g] = await _all(sqlite_engine, games)
    assert (g["turns"], g["outcome"]) == (2, "finished")


async def test_retention_purges_old_rows_but_keeps_daily_aggregates(sqlite_engine) -> None:
    clock = Clock(T0 - 40 * 86400)
    a = Analytics(sqlite_engine, retention_days=30, clock=clock)
    a.start()
    a.record(turn(code="OLD111"))
    a.record(game_over(code="OLD111"))
    a.record(turn(code="LEFT22"))  # never finished
    await a.flush()
    clock.t = T0
    a.record(turn(code="NEW333"))
    await a.flush()
    await a.maintain()  # (the writer also runs it every few hours by itself)
    await a.stop()
    assert len(await _all(sqlite_engine, turns)) == 1
    assert [g["room"] for g in await _all(sqlite_engine, games)] == ["NEW333"]
    assert len(await _all(sqlite_engine, daily_stats)) == 2


async def test_games_left_in_progress_become_abandoned(sqlite_engine) -> None:
    clock = Clock()
    a = Analytics(sqlite_engine, clock=clock)
    a.start()
    a.record(turn(code="GONE11"))
    await a.flush()
    clock.t += 25 * 3600
    assert (await a.maintain())["abandoned"] == 1
    await a.stop()
    [g] = await _all(sqlite_engine, games)
    assert g["outcome"] == "abandoned"


async def test_the_same_writes_work_on_postgresql(postgres_url) -> None:
    from imprompt.data.db import create_engine
    from imprompt.data.migrate import upgrade

    engine = create_engine(postgres_url)
    try:
        await upgrade(engine)
        a = Analytics(engine, clock=Clock())
        a.start()
        for n in (1, 2):
            a.record(turn(n=n))
        a.record(game_over())
        await a.stop()
        assert a.stats()["written"] == 3
        report = await analytics_report(engine, today=utc(T0).date(), days=1)
        assert report["totals"]["games"] == 1 and report["totals"]["turns"] == 2
        async with engine.connect() as conn:
            assert (await conn.execute(select(func.sum(daily_providers.c.turns)))).scalar() == 2
    finally:
        await engine.dispose()


def test_utc_is_naive_utc() -> None:
    assert utc(0) == datetime(1970, 1, 1) and utc(86400).date() == date(1970, 1, 2)
    assert utc(T0) - utc(T0 - 60) == timedelta(seconds=60)


async def test_one_batch_of_interleaved_rooms_and_games_adds_up(sqlite_engine) -> None:
    """Turns are written in runs (one insert, totals once per run): the rows and totals must
    be what writing them one by one gives, across rooms, a game's end and the next game."""
    clock = Clock()
    a = Analytics(sqlite_engine, clock=clock, linger=30)  # everything lands in one batch
    a.start()
    try:
        for n in (1, 2):
            a.record(turn(code="AAAAAA", n=n, cost=0.01))
            a.record(turn(code="BBBBBB", n=n, provider="pictogram", cost=0))
        a.record(game_over(code="AAAAAA"))
        a.record(turn(code="AAAAAA", game=2, n=1, cost=0.02))
        a.record(turn(code="AAAAAA", game=2, n=2, cost=0.02))
        assert await a.flush() == 0
    finally:
        await a.stop()
    rows = {(g["room"], g["game_no"]): g for g in await _all(sqlite_engine, games)}
    assert {k: (g["turns"], g["outcome"]) for k, g in rows.items()} == {
        ("AAAAAA", 1): (2, "finished"),
        ("BBBBBB", 1): (2, "in_progress"),
        ("AAAAAA", 2): (2, "in_progress"),
    }
    assert abs(rows[("AAAAAA", 2)]["cost_usd"] - 0.04) < 1e-9
    assert len(await _all(sqlite_engine, turns)) == 6
    [day] = await _all(sqlite_engine, daily_stats)
    assert (day["turns"], day["games_started"], day["games_finished"], day["guesses"]) == (6, 3, 1, 42)
    mix = {r["provider"]: r["turns"] for r in await _all(sqlite_engine, daily_providers)}
    assert mix == {"together": 4, "pictogram": 2}


def _stream(seed: int, rooms: int = 40) -> list[list[tuple[float, object]]]:
    """Two writers' worth of (clock, effect): many rooms' turns and game ends interleaved,
    across midnight, a game played on after its end (same number), games ended without a
    turn. Costs and times are multiples of powers of two, so every sum is exact and any
    difference is in which rows and totals were written, not in rounding."""
    import random

    rng = random.Random(seed)
    codes = [f"R{i:05d}" for i in range(rooms)] + ["DUPDUP"]
    state = {c: [1, 0] for c in codes}  # game, turns so far
    t = T0 + 7.9 * 3600  # 23:54 UTC: the day changes half-way
    phases: list[list[tuple[float, object]]] = [[], []]
    for phase in phases:
        for _ in range(260):
            t += rng.choice((0.25, 0.5, 1.0, 4.0))
            code = rng.choice(codes)
            game, n = state[code]
            if n and rng.random() < 0.08 or (code == "DUPDUP" and n == 3):
                phase.append((t, game_over(code=code, game=game, players=rng.randint(2, 5))))
                # DUPDUP may go on under the same game number: its other copy, then a new row
                state[code] = [game, 0] if code == "DUPDUP" and rng.random() < 0.7 else [game + 1, 0]
                continue
            if rng.random() < 0.02:  # a game that ends with no turn written: its own start time
                summary = game_over(code=code, game=game + 50).summary
                phase.append((t, fx.GameEnded(dataclasses.replace(summary, started_at=t - 600, ended_at=t))))
                continue
            state[code][1] = n + 1
            phase.append(
                (
                    t,
                    turn(
                        code=code,
                        game=game,
                        n=n + 1,
                        provider=rng.choice(("together", "pictogram", None)),
                        cost=rng.choice((0.0, 0.015625, 0.03125)),
                        best=rng.randint(0, 100),
                        solved=rng.randint(0, 2),
                        started_at=t - rng.choice((30.0, 42.5)) if rng.random() < 0.7 else None,
                        ended_at=t if rng.random() < 0.9 else None,
                        average_similarity=rng.choice((None, 12.5, 50.0)),
                    ),
                )
            )
    return phases


async def _contents(engine) -> dict[str, list]:
    """Every analytics row, ids replaced by what they stand for (new ids are random)."""
    gs = await _all(engine, games)
    key = {g["id"]: (g["room"], g["game_no"], g["started_at"]) for g in gs}
    return {
        "games": sorted(repr(sorted((k, v) for k, v in g.items() if k != "id" or v.startswith("dup"))) for g in gs),
        "turns": sorted(
            repr(sorted((k, key[v] if k == "game_id" else v) for k, v in r.items() if k != "id"))
            for r in await _all(engine, turns)
        ),
        "daily_stats": sorted(repr(sorted(r.items())) for r in await _all(engine, daily_stats)),
        "daily_providers": sorted(repr(sorted(r.items())) for r in await _all(engine, daily_providers)),
    }


async def _write_stream(url: str, phases, *, batched: bool, cache: int) -> dict[str, list]:
    from imprompt.data.db import create_engine
    from imprompt.data.migrate import upgrade

    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with engine.begin() as conn:  # two copies of one game in progress (two writers opened it)
            await conn.execute(
                games.insert(),
                [
                    {"id": f"dup{i}", "room": "DUPDUP", "game_no": 1, "started_at": utc(T0 - 60 * i)}
                    | {"outcome": "in_progress", "turns": 0, "cost_usd": 0.0}
                    for i in (1, 2)
                ],
            )
        clock = Clock()
        for events in phases:  # a restart between the two: a fresh writer, nothing cached
            a = Analytics(engine, clock=clock, linger=30 if batched else 0)
            a.GAMES_CACHE = cache
            await a.maintain()
            a._next_maintenance = clock() + 1e9
            a.start()
            try:
                for at, effect in events:
                    clock.t = at
                    a.record(effect)
                    if not batched:
                        assert await a.flush() == 0
                assert await a.flush() == 0
            finally:
                await a.stop()
            assert a.stats()["rejected"] == 0 and a.stats()["written"] == len(events)
        return await _contents(engine)
    finally:
        await engine.dispose()


async def _same_rows_batched_or_not(make_url) -> None:
    phases = _stream(3)
    for cache in (10_000, 3):  # 3: games leave the cache in the middle of a batch
        one_by_one = await _write_stream(await make_url(), phases, batched=False, cache=cache)
        batched = await _write_stream(await make_url(), phases, batched=True, cache=cache)
        assert len(one_by_one["games"]) > 40 and len(one_by_one["daily_stats"]) == 2
        assert batched == one_by_one


async def test_a_batch_of_many_games_writes_what_one_event_at_a_time_writes(tmp_path) -> None:
    """The writer works a batch out in memory and writes it in a few statements: the rows
    must be those that writing each event in its own transaction (statement by statement
    against the database) gives, games found, opened, finished and found again."""
    made = iter(range(100))

    async def sqlite_url() -> str:
        return f"sqlite:///{tmp_path}/db{next(made)}.db"

    await _same_rows_batched_or_not(sqlite_url)


async def test_a_batch_of_many_games_writes_the_same_on_postgresql() -> None:
    from .conftest import POSTGRES_URL, _admin

    made: list[str] = []

    async def postgres_url() -> str:
        import secrets

        from sqlalchemy.engine import make_url

        name = f"imprompt_test_{secrets.token_hex(6)}"
        await _admin(f'CREATE DATABASE "{name}"')
        made.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    try:
        await _same_rows_batched_or_not(postgres_url)
    finally:
        for name in made:
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
