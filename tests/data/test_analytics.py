"""Analytics: written off the game's path, private by default, buffered through outages."""

from __future__ import annotations

import asyncio
import contextlib
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
