"""Analytics: games, turns and daily aggregates, written off the game's path.

`record(effect)` only appends to a bounded in-memory queue and returns; it never waits
for the database. One writer task drains the queue in batches, each batch in one
transaction. When the database is down the events stay queued (up to `queue_size`) and
the writer retries with backoff; events that do not fit are dropped and counted, and
`stats()` reports both. Games never wait for analytics.

Privacy: no player names or prompt texts are stored unless `store_prompts` is true.
Old games and turns are purged after `retention_days`; the daily aggregates (counts and
sums, nothing personal) are kept.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import and_, bindparam, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..camel import camel_dict
from ..game import effects as fx
from .models import daily_providers, daily_stats, games, turns

log = structlog.get_logger("imprompt.analytics")

BATCH = 200
ABANDON_AFTER = timedelta(hours=24)  # a game still "in progress" after this was abandoned
MAINTENANCE_EVERY = 6 * 3600.0


def as_record(summary: fx.TurnSummary | fx.GameSummary) -> dict[str, Any]:
    """A summary from the rules as the camelCase record queued here (and kept in backups)."""
    return camel_dict(summary)


def utc(ts: float) -> datetime:
    """Seconds since the epoch -> the naive UTC datetime the tables hold."""
    return datetime.fromtimestamp(ts, UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Event:
    kind: str  # "turn" | "game"
    summary: dict
    at: float  # when the effect was carried out (server clock)


def _add(totals: dict[str, float], **amounts: float) -> None:
    for name, amount in amounts.items():
        totals[name] = totals.get(name, 0) + amount


class Analytics:
    GAMES_CACHE = 10_000  # in-progress games remembered (room, game) -> id

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        store_prompts: bool = False,
        retention_days: int = 365,
        queue_size: int = 10_000,
        clock: Callable[[], float] = time.time,
        retry_max: float = 30.0,
        linger: float = 1.0,
    ) -> None:
        self.engine = engine
        self.store_prompts = store_prompts
        self.retention_days = retention_days
        self.queue_size = queue_size
        self.clock = clock
        self.retry_max = retry_max
        self.linger = linger  # seconds a first queued event waits for others to share its transaction
        self._flush_now = asyncio.Event()
        self._queue: collections.deque[Event] = collections.deque()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task | None = None
        self._next_maintenance = 0.0
        self._turn_ends: dict[tuple, float] = {}  # (room, game) -> when its last turn ended
        self._games: dict[tuple[str, int], str] = {}  # (room, game) -> the id of its in-progress row
        self._built: dict[str, _Statements] = {}
        self.written = 0
        self.dropped = 0  # did not fit in the queue
        self.rejected = 0  # the database refused them (bad data); logged
        self.failures = 0  # failed write attempts (database unreachable)
        self.db_ok = True
        self.last_error: str | None = None

    # ------------------------------------------------------------ the game side

    def record(self, effect: object) -> None:
        """Queue a TurnEnded or GameEnded effect. Never blocks, never raises."""
        if isinstance(effect, fx.TurnEnded):
            kind = "turn"
        elif isinstance(effect, fx.GameEnded):
            kind = "game"
        else:
            return
        summary = as_record(effect.summary)
        now = self.clock()
        key = (summary.get("code"), summary.get("game"))
        if kind == "turn":
            # Without a start time from the rules, a turn lasts from the previous turn's end.
            previous = self._turn_ends.pop(key, None)
            if summary.get("startedAt") is None and previous is not None:
                summary["startedAt"] = previous
            self._turn_ends[key] = summary.get("endedAt") or now
            while len(self._turn_ends) > 10_000:
                self._turn_ends.pop(next(iter(self._turn_ends)))
        else:
            self._turn_ends.pop(key, None)
        if len(self._queue) >= self.queue_size:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("analytics_dropped", dropped=self.dropped, queued=len(self._queue))
            return
        self._queue.append(Event(kind, summary, now))
        self._idle.clear()
        self._wake.set()

    async def on_effect(self, effect: object) -> None:
        """The RoomService hook (`on_effect`)."""
        self.record(effect)

    def stats(self) -> dict:
        return {
            "queued": len(self._queue),
            "queueSize": self.queue_size,
            "written": self.written,
            "dropped": self.dropped,
            "rejected": self.rejected,
            "failedWrites": self.failures,
            "databaseOk": self.db_ok,
            "lastError": self.last_error,
        }

    # ------------------------------------------------------------ the writer

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="analytics-writer")

    async def flush(self, timeout: float = 5.0) -> int:
        """Wait until the queue is written (or `timeout`); returns what is still queued."""
        if self._queue:
            self._flush_now.set()
            self._wake.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), timeout)
        return len(self._queue)

    async def stop(self, timeout: float = 5.0) -> int:
        """Flush, then stop the writer. Returns how many events were left unwritten."""
        left = await self.flush(timeout)
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if left:
            log.warning("analytics_unwritten_at_exit", events=left, dropped=self.dropped)
        return left

    async def _run(self) -> None:
        delay = 0.5
        while True:
            if not self._queue:
                self._idle.set()
                self._flush_now.clear()
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=max(1.0, self._next_maintenance - self.clock()))
                # let a batch gather: one transaction for many turns instead of one each
                if len(self._queue) < BATCH and self.linger > 0 and not self._flush_now.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._flush_now.wait(), timeout=self.linger)
            try:
                if self.clock() >= self._next_maintenance:
                    await self.maintain()
                    self._next_maintenance = self.clock() + MAINTENANCE_EVERY
                if self._queue:
                    await self._write_batch()
                if not self.db_ok:
                    log.info("analytics_database_back", queued=len(self._queue))
                self.db_ok, delay = True, 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is unreachable: keep the events, retry later
                self.failures += 1
                self.last_error = f"{type(exc).__name__}: {str(exc)[:200]}"
                if self.db_ok:
                    log.warning("analytics_database_down", error=self.last_error, queued=len(self._queue))
                self.db_ok = False
                await asyncio.sleep(delay)
                delay = min(self.retry_max, delay * 2)

    async def _write_batch(self) -> None:
        batch = [self._queue[i] for i in range(min(BATCH, len(self._queue)))]
        try:
            async with self.engine.begin() as conn:
                await self._write(conn, batch)
        except Exception:
            self._games.clear()  # ids created in the rolled-back transaction do not exist
            if not await self._reachable():
                raise
            await self._write_one_by_one(batch)  # some event is bad: keep the good ones
        else:
            self.written += len(batch)
        for _ in batch:
            self._queue.popleft()

    async def _write_one_by_one(self, batch: list[Event]) -> None:
        for ev in batch:
            try:
                async with self.engine.begin() as conn:
                    await self._write(conn, [ev])
                self.written += 1
            except Exception as exc:
                self._games.clear()
                if not await self._reachable():
                    raise
                self.rejected += 1
                log.error("analytics_event_rejected", kind=ev.kind, error=str(exc)[:300])

    async def _reachable(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    # ------------------------------------------------------------ rows

    async def _write(self, conn: AsyncConnection, batch: list[Event]) -> None:
        """A batch in at most seven statements, whatever its size (and a look-up for a game
        that left the cache during the batch, which is rare): the rows are worked out
        here first (which game each event belongs to, new games, totals), then each table
        is written with one executemany. A statement per game (find, insert, count it,
        update it) was 8 % of a busy server's event loop and most of the writer's thread.

        What is stored is what writing each event in turn stores: the totals are added per
        run of turns (consecutive turns, as a game's end splits them), each run's sums in
        the same order, so even the floating-point sums come out bit for bit the same."""
        plan = _Plan()
        wanted: dict[tuple[str, int], None] = {}  # in order, once each
        for ev in batch:
            key = (ev.summary["code"], int(ev.summary["game"]))
            if key not in self._games:
                wanted[key] = None
        if wanted:
            plan.found.update(await self._in_progress(conn, list(wanted)))
        for ev in batch:
            if ev.kind == "turn":
                await self._turn(conn, plan, ev)
            else:
                plan.end_run()
                await self._game(conn, plan, ev)
        plan.end_run()
        await plan.execute(conn, self._statements(conn))

    def _statements(self, conn: AsyncConnection) -> _Statements:
        name = conn.dialect.name
        built = self._built.get(name)
        if built is None:
            built = self._built[name] = _Statements(name)
        return built

    async def _in_progress(self, conn: AsyncConnection, keys: list[tuple[str, int]]) -> dict[tuple, list[tuple]]:
        """The games in progress for these (room, game number)s as they are in the database:
        (started_at, id) each, newest first (ties in the database's order, as before)."""
        found: dict[tuple, list[tuple]] = {key: [] for key in keys}
        # Rooms IN and numbers IN, the pairs picked here: SQLite answers a (room, game_no) IN
        # (VALUES ...) by scanning the whole table, this with the (room, game_no) index.
        result = await conn.execute(
            select(games.c.id, games.c.room, games.c.game_no, games.c.started_at)
            .where(
                and_(
                    games.c.outcome == "in_progress",
                    games.c.room.in_(sorted({room for room, _ in keys})),
                    games.c.game_no.in_(sorted({no for _, no in keys})),
                )
            )
            .order_by(games.c.started_at.desc())
        )
        for row in result:
            rows = found.get((row.room, row.game_no))
            if rows is not None:
                rows.append((row.started_at, row.id))
        return found

    async def _open_game(self, conn: AsyncConnection, plan: _Plan, s: dict, at: float, started: float | None) -> str:
        """The in-progress game row for this room and game number, created if needed: the
        newest in the database or created earlier in this batch, less those it finished."""
        key = (s["code"], int(s["game"]))
        cached = self._games.get(key)
        if cached is not None:
            return cached
        if key not in plan.found:  # left the cache during this batch (rare): look it up now
            plan.found.update(await self._in_progress(conn, [key]))
        rows = [r for r in plan.found[key] + plan.created.get(key, []) if r[1] not in plan.finished]
        if rows:
            game_id = max(rows, key=lambda r: r[0])[1]
        else:
            game_id = uuid.uuid4().hex
            start = utc(started if started is not None else at)
            plan.new_games[game_id] = {
                "id": game_id,
                "room": key[0],
                "game_no": key[1],
                "started_at": start,
                "outcome": "in_progress",
                "turns": 0,
                "cost_usd": 0.0,
            }
            plan.created.setdefault(key, []).append((start, game_id))
            _add(plan.day_counts.setdefault(start.date(), {}), games_started=1)
        self._games[key] = game_id
        while len(self._games) > self.GAMES_CACHE:
            self._games.pop(next(iter(self._games)))
        return game_id

    async def _turn(self, conn: AsyncConnection, plan: _Plan, ev: Event) -> None:
        s = ev.summary
        game_id = await self._open_game(conn, plan, s, ev.at, s.get("gameStartedAt"))
        ended = utc(s.get("endedAt") or ev.at)
        started = s.get("startedAt")
        seconds = max(0.0, (s.get("endedAt") or ev.at) - started) if started else None
        cost = float(s.get("costUsd") or 0.0)
        provider = (s.get("provider") or "none")[:40]
        gen = s.get("generationSeconds")
        guesses, solved = int(s.get("guesses", 0)), int(s.get("solved", 0))
        plan.turn_rows.append(
            {
                "id": uuid.uuid4().hex,
                "game_id": game_id,
                "turn_no": int(s.get("turn", 0)),
                "round": int(s.get("round", 0)),
                "ended_at": ended,
                "seconds": seconds,
                "provider": provider,
                "generation_seconds": gen,
                "cost_usd": cost,
                "guessers": int(s.get("guessers", 0)),
                "guesses": guesses,
                "best_similarity": int(s.get("bestSimilarity", 0)),
                "avg_similarity": s.get("averageSimilarity"),
                "solved": solved,
                "prompt": str(s["prompt"])[:200] if self.store_prompts and s.get("prompt") else None,
            }
        )
        game = plan.run_games.setdefault(game_id, [0, 0.0])
        game[0] += 1
        game[1] += cost
        day = ended.date()
        _add(
            plan.day_counts.setdefault(day, {}),
            turns=1,
            timed_turns=1 if seconds is not None else 0,
            guesses=guesses,
            solved=solved,
        )
        _add(plan.run_days.setdefault(day, {}), turn_seconds=seconds or 0.0, cost_usd=cost)
        _add(
            plan.run_providers.setdefault((day, provider), {}),
            turns=1,
            generation_seconds=float(gen or 0.0),
            cost_usd=cost,
        )

    async def _game(self, conn: AsyncConnection, plan: _Plan, ev: Event) -> None:
        s = ev.summary
        game_id = await self._open_game(conn, plan, s, ev.at, s.get("startedAt"))
        self._games.pop((s["code"], int(s["game"])), None)  # finished: no longer in progress
        plan.finished.add(game_id)
        ended = utc(s.get("endedAt") or ev.at)
        standings = [
            {
                "place": r.get("place"),
                "score": r.get("score"),
                **({"name": r.get("name")} if self.store_prompts else {}),
            }
            for r in s.get("standings", [])
        ]
        players = int(s.get("players", len(standings)))
        plan.finishes.append(
            {
                "game": game_id,
                "ended_at": ended,
                "outcome": "finished",
                "rounds": s.get("rounds"),
                "players": players,
                "standings": standings,
            }
        )
        _add(plan.day_counts.setdefault(ended.date(), {}), games_finished=1, players=players)

    # ------------------------------------------------------------ upkeep

    async def maintain(self) -> dict:
        """Purge rows older than the retention period; close games left in progress."""
        now = utc(self.clock())
        cutoff = now - timedelta(days=self.retention_days)
        async with self.engine.begin() as conn:
            abandoned = (
                await conn.execute(
                    update(games)
                    .where(and_(games.c.outcome == "in_progress", games.c.started_at < now - ABANDON_AFTER))
                    .values(outcome="abandoned")
                )
            ).rowcount
            old_games = select(games.c.id).where(games.c.started_at < cutoff).scalar_subquery()
            purged_turns = (
                await conn.execute(delete(turns).where((turns.c.ended_at < cutoff) | turns.c.game_id.in_(old_games)))
            ).rowcount
            purged_games = (await conn.execute(delete(games).where(games.c.started_at < cutoff))).rowcount
        self._games.clear()  # an abandoned game takes no more turns
        if abandoned or purged_games or purged_turns:
            log.info("analytics_maintenance", abandoned=abandoned, purged_games=purged_games, purged_turns=purged_turns)
        return {"abandoned": abandoned, "purgedGames": purged_games, "purgedTurns": purged_turns}


DAY_COUNTS = ("games_started", "games_finished", "players", "turns", "timed_turns", "guesses", "solved")
DAY_SUMS = ("turn_seconds", "cost_usd")


class _Statements:
    """The writer's statements, built once per dialect (executemany: the rows are params)."""

    def __init__(self, dialect: str) -> None:
        from sqlalchemy.dialects import postgresql, sqlite

        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert

        def adding(table, keys: list[str], amounts: tuple[str, ...]):
            stmt = insert(table)
            return stmt.on_conflict_do_update(
                index_elements=keys, set_={k: table.c[k] + stmt.excluded[k] for k in amounts}
            )

        self.new_games = games.insert()
        self.count_turns = (
            update(games)
            .where(games.c.id == bindparam("game"))
            .values(turns=games.c.turns + bindparam("n"), cost_usd=games.c.cost_usd + bindparam("cost"))
        )
        self.finish = update(games).where(games.c.id == bindparam("game"))  # SET: the params' columns
        self.turns = turns.insert()
        self.days = adding(daily_stats, ["day"], DAY_COUNTS + DAY_SUMS)
        self.providers = adding(daily_providers, ["day", "provider"], ("turns", "generation_seconds", "cost_usd"))


class _Plan:
    """One batch's rows and totals, gathered before anything is written."""

    def __init__(self) -> None:
        self.found: dict[tuple, list[tuple]] = {}  # (room, game) -> in progress in the database
        self.created: dict[tuple, list[tuple]] = {}  # (room, game) -> games opened in this batch
        self.finished: set[str] = set()
        self.new_games: dict[str, dict[str, Any]] = {}
        self.finishes: list[dict[str, Any]] = []
        self.turn_rows: list[dict[str, Any]] = []
        self.game_adds: list[dict[str, Any]] = []  # per run, for games that already exist
        self.day_counts: dict[Any, dict[str, float]] = {}  # integers: their order does not matter
        self.day_sums: dict[Any, list[dict[str, float]]] = {}  # floats: one sum per run, in order
        self.provider_adds: list[dict[str, Any]] = []
        self.run_games: dict[str, list[float]] = {}  # this run: game id -> [turns, cost]
        self.run_days: dict[Any, dict[str, float]] = {}
        self.run_providers: dict[tuple[Any, str], dict[str, float]] = {}

    def end_run(self) -> None:
        """A run of turns is over: its totals, as the run's own sums (as they were written
        one statement per run before)."""
        for game_id, (count, cost) in self.run_games.items():
            new = self.new_games.get(game_id)
            if new is not None:  # a new row starts at 0: the same additions, in Python
                new["turns"] += int(count)
                new["cost_usd"] = new["cost_usd"] + cost
            else:
                self.game_adds.append({"game": game_id, "n": int(count), "cost": cost})
        for day, sums in self.run_days.items():
            self.day_sums.setdefault(day, []).append(sums)
        for (day, provider), amounts in self.run_providers.items():
            self.provider_adds.append({"day": day, "provider": provider, **amounts})
        self.run_games, self.run_days, self.run_providers = {}, {}, {}

    def day_rows(self) -> list[dict[str, Any]]:
        """A day's counts once, its sums one row per run (adding 0 to the others is exact)."""
        rows = []
        for day in {**self.day_counts, **self.day_sums}:
            counts = self.day_counts.get(day, {})
            for i, sums in enumerate(self.day_sums.get(day) or [{}]):
                rows.append(
                    {
                        "day": day,
                        **{k: int(counts.get(k, 0)) if i == 0 else 0 for k in DAY_COUNTS},
                        **{k: sums.get(k, 0.0) for k in DAY_SUMS},
                    }
                )
        return rows

    async def execute(self, conn: AsyncConnection, st: _Statements) -> None:
        if self.new_games:
            await conn.execute(st.new_games, list(self.new_games.values()))
        if self.game_adds:
            await conn.execute(st.count_turns, self.game_adds)
        if self.finishes:
            await conn.execute(st.finish, self.finishes)
        if self.turn_rows:
            await conn.execute(st.turns, self.turn_rows)
        days = self.day_rows()
        if days:
            await conn.execute(st.days, days)
        if self.provider_adds:
            await conn.execute(st.providers, self.provider_adds)
