"""Faults in a cluster, for real: a redis-server of the module's own (append-only file, so
it can come back with or without its data), three `imprompt serve` processes on it sharing
one SQLite database, nginx in front (round robin, websocket only, no sticky sessions), and
real socket.io clients playing a game. Players start on chosen instances and come back
through nginx, as a browser does (reconnect, `room:resume` with the seat token).

One cluster serves every test of the module (in file order), to keep the wall time down;
each test plays its own room. The measured times go to the log (`-s` shows them) and
docs/operations.md quotes them."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from imprompt.data.db import create_engine
from imprompt.data.migrate import upgrade
from tests.cluster.support import Instance, RedisProcess, instances, nginx, spawn_instance, wait_ready
from tests.support.players import Player

# one worker runs them all under `pytest -n` (--dist loadgroup, Makefile): one cluster, not one a worker
pytestmark = pytest.mark.xdist_group("cluster-faults")

PROMPT = "blue whale under ice"
GHOST_BOUND = 10.0  # a dead instance's seats are released within this (issue 11)


@dataclass
class Cluster:
    redis: RedisProcess
    servers: list[Instance]
    balancer: str
    database: Path
    workdir: Path
    extra: dict[str, str]

    def respawn(self, n: int) -> Instance:
        """Instance `n` again, on its port (nginx knows it by the port); not waited for. Its
        start-up (model warm-up) takes seconds before it binds the port, so it may be
        spawned while the old process is still draining."""
        old = self.servers[n]
        fresh = spawn_instance(self.workdir / f"instance{n}", self.redis.url, old.port, **self.extra)
        self.servers[n] = fresh
        return fresh

    def ready(self) -> None:
        for one in self.servers:
            wait_ready(one.url, one.proc, time.monotonic() + 40, one.output)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    work = tmp_path_factory.mktemp("faults")
    database = work / "shared.db"
    url = f"sqlite:///{database}"
    asyncio.run(migrate(url))
    extra = {
        "DATABASE_URL": url,
        "DB_MIGRATE_ON_START": "false",  # done once above: three processes would race
        "REVEAL_SECONDS": "1",
        "ROOM_SAVE_INTERVAL_SECONDS": "1",
        "LOG_LEVEL": "info",
    }
    redis = RedisProcess(work / "redis", persist=True)
    redis.start()
    try:
        with (
            instances(work, redis.url, 3, **extra) as servers,
            nginx(work, [s.port for s in servers]) as balancer,
        ):
            yield Cluster(redis, servers, balancer, database, work, extra)
    finally:
        redis.stop()


# ---------------------------------------------------------------- players


class Seat(Player):
    """A player that, when its socket drops, reconnects through nginx and resumes its seat."""

    def __init__(self, url: str, balancer: str, *, comes_back: bool = True) -> None:
        super().__init__(url)
        self.balancer = balancer
        self.comes_back = comes_back
        self.closing = False
        self.dropped_at: float | None = None
        self.resumed_at: float | None = None
        self._back: asyncio.Task | None = None
        self.sio.on("disconnect", self._dropped)

    async def _dropped(self, *reason: Any) -> None:
        self.dropped_at, self.resumed_at = time.monotonic(), None
        if self.comes_back and not self.closing:
            self._back = asyncio.create_task(self.come_back())

    async def come_back(self, within: float = 30.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and not self.closing:
            with contextlib.suppress(Exception):
                if not self.sio.connected:
                    await self.sio.connect(self.balancer, transports=["websocket"], wait_timeout=2)
                reply = await self.call("room:resume", {"code": self.code, "token": self.token})
                if reply["ok"]:
                    self._seat(reply)
                    self.resumed_at = time.monotonic()
                    return
            await asyncio.sleep(0.2)

    async def back(self, within: float) -> float:
        """Seconds from the drop until the seat was resumed (waits up to `within`)."""
        deadline = time.monotonic() + within
        while self.resumed_at is None:
            assert time.monotonic() < deadline, f"{self.id} did not resume within {within} s"
            await asyncio.sleep(0.05)
        assert self.dropped_at is not None
        return self.resumed_at - self.dropped_at

    async def close(self) -> None:
        self.closing = True
        if self._back is not None:
            self._back.cancel()
        await super().close()


async def seat_players(c: Cluster, placement: list[int], *, comes_back: list[bool] | None = None) -> list[Seat]:
    """A room with one player on each instance of `placement` (the first creates it), once
    every instance is ready (one may still be starting after an earlier test)."""
    await asyncio.to_thread(c.ready)
    players = [
        Seat(c.servers[n].url, c.balancer, comes_back=True if comes_back is None else comes_back[i])
        for i, n in enumerate(placement)
    ]
    for p in players:
        await p.connect()
    # guessing lasts long enough for three restarts; nobody is skipped by the clock
    await players[0].create("P0", settings={"rounds": 1, "hints": False, "guessSeconds": 180})
    for i, p in enumerate(players[1:], 1):
        await p.join(players[0].code or "", f"P{i}")
    return players


async def to_guessing(players: list[Seat]) -> tuple[Seat, list[Seat]]:
    """Start (or go on to) the next turn and play up to its guessing phase: (giver, guessers)."""
    host = players[0]
    if host.view and host.view["phase"] == "lobby":
        await host.ok("game:start")
    view = await host.wait_for(lambda v: v["phase"] == "prompting", 15)
    giver = next(p for p in players if p.id == view["turn"]["giverId"])
    await giver.ok("prompt:submit", {"text": PROMPT})
    for p in players:
        await p.wait_for(lambda v: v["phase"] == "guessing", 20)
    return giver, [p for p in players if p is not giver]


async def guess_until_accepted(p: Seat, within: float = 20.0) -> None:
    """The right answer, sent again while the server answers that it cannot take it yet."""
    deadline = time.monotonic() + within
    while True:
        reply = await p.call("guess:submit", {"text": PROMPT})
        if reply["ok"] or reply["error"]["code"] == "already_solved":
            return
        if p.view is not None and p.view["phase"] != "guessing":
            return  # the turn ended meanwhile
        assert time.monotonic() < deadline, reply
        await asyncio.sleep(0.3)


def scores(view: dict) -> dict[str, int]:
    return {m["id"]: m["score"] for m in view["members"]}


def member(view: dict, member_id: str | None) -> dict:
    return next(m for m in view["members"] if m["id"] == member_id)


def turns_scored(c: Cluster, room: str, within: float = 10.0, want: int = 1) -> list[int]:
    """The analytics rows of the room's turns (turn numbers), once `want` of them are written."""
    deadline = time.monotonic() + within
    while True:
        with contextlib.closing(sqlite3.connect(c.database, timeout=5)) as db:
            rows = db.execute(
                "SELECT t.turn_no FROM turns t JOIN games g ON g.id = t.game_id WHERE g.room = ? ORDER BY t.turn_no",
                (room,),
            ).fetchall()
        if len(rows) >= want or time.monotonic() > deadline:
            return [r[0] for r in rows]
        time.sleep(0.2)


def snapshot(c: Cluster, room: str | None) -> int | None:
    """The revision of the room's database snapshot, if it has one."""
    with contextlib.closing(sqlite3.connect(c.database, timeout=5)) as db:
        row = db.execute("SELECT revision FROM saved_rooms WHERE code = ?", (room,)).fetchone()
    return None if row is None else int(row[0])


def readiness(base: str) -> int:
    try:
        with urllib.request.urlopen(base + "/readyz", timeout=1) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


async def until(predicate: Any, within: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < within, f"{what}: not within {within} s"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def close_all(players: list[Seat]) -> None:
    for p in players:
        await p.close()


async def migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def run(coro: Any, timeout: float) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout))


# ---------------------------------------------------------------- the faults


def test_sigkill_mid_guessing(cluster: Cluster) -> None:
    """Instance 2 is killed while two of its players guess: one comes back through nginx,
    the other stays away and its seat shows disconnected within 10 s (no ghost)."""

    async def play() -> None:
        players = await seat_players(cluster, [0, 1, 2, 2], comes_back=[True, True, True, False])
        try:
            host = players[0]
            giver, guessers = await to_guessing(players)
            early = next(p for p in guessers if p in players[:2])  # on a surviving instance
            await guess_until_accepted(early)
            await host.wait_for(lambda v: scores(v)[early.id or ""] > 0, 5)
            before = scores(host.view or {})
            stays_away = players[3]
            killed = cluster.servers[2]
            killed.proc.send_signal(signal.SIGKILL)
            killed.proc.wait(5)
            t0 = time.monotonic()
            resumed = await players[2].back(GHOST_BOUND)
            await until(
                lambda: not member(host.view or {}, stays_away.id)["connected"], GHOST_BOUND, "the ghost seat released"
            )
            released = time.monotonic() - t0
            print(f"\nSIGKILL: resumed through nginx in {resumed:.2f} s, ghost released {released:.2f} s after")
            cluster.respawn(2)  # for the next tests; it starts while this one goes on
            await stays_away.come_back()  # now it comes back too, through nginx
            for p in guessers:
                if p is not early:
                    await guess_until_accepted(p)
            view = await host.wait_for(lambda v: v["phase"] in ("reveal", "prompting", "ended"), 15)
            after = scores(view)
            assert all(after[k] >= v for k, v in before.items()), (before, after)
            assert after[early.id or ""] == before[early.id or ""], "a score changed without a guess"
            assert all(member(view, p.id)["connected"] for p in players)
            assert turns_scored(cluster, host.code or "") == [1], "the turn was scored once"
            assert giver.id in after
        finally:
            await close_all(players)

    run(play(), 45)


def test_redis_down_15s_with_persistence(cluster: Cluster) -> None:
    """Redis stopped for 15 s mid-guessing and started again with its append-only file:
    readiness fails while it is down, the fan-out is back within 2 s, the game goes on, and
    a player who left while Redis was down is marked disconnected once it is back."""

    async def play() -> None:
        players = await seat_players(cluster, [0, 1, 2, 1], comes_back=[True, True, True, False])
        try:
            host, leaver = players[0], players[3]
            _giver, guessers = await to_guessing(players)
            first = next(p for p in guessers if p is not leaver)
            revision = (host.view or {})["revision"]
            cluster.redis.stop()
            down_at = time.monotonic()
            await until(
                lambda: all(readiness(s.url) == 503 for s in cluster.servers), 5, "readiness failing everywhere"
            )
            await leaver.sio.disconnect()  # its Disconnect cannot reach Redis: retried, not lost
            await asyncio.sleep(max(0.0, 15 - (time.monotonic() - down_at)))
            cluster.redis.start()
            back_at = time.monotonic()
            # the first command after Redis returns reaches every instance's players
            await guess_until_accepted(first)
            for p in players[:3]:
                await p.wait_for(lambda v: scores(v)[first.id or ""] > 0, 3)
            seen = time.monotonic() - back_at
            print(f"\nRedis down 15 s (persisted): a guess seen on every instance {seen:.2f} s after Redis returned")
            assert seen <= 2.0, f"fan-out gap {seen:.2f} s"
            await until(lambda: all(readiness(s.url) == 200 for s in cluster.servers), 5, "ready again")
            ready = time.monotonic() - back_at
            print(f"Redis down 15 s (persisted): ready again on every instance {ready:.2f} s after it returned")
            assert ready <= 3.0, "readiness: the checks are cached for a second"
            await host.wait_for(lambda v: not member(v, leaver.id)["connected"], 5)
            print(f"Redis down 15 s: the disconnect made during it applied {time.monotonic() - back_at:.2f} s after")
            await leaver.come_back()  # a dropped guesser stays pending: back, so the turn can end
            assert leaver.resumed_at is not None
            for p in guessers:
                if p is not first:
                    await guess_until_accepted(p)
            for p in players:  # the next turn waits for its prompt: a settled point to compare at
                await p.wait_for(lambda v: v["phase"] == "prompting" and v["turn"]["number"] == 2, 15)
            await asyncio.sleep(0.3)
            revisions = {(p.view or {})["revision"] for p in players}
            assert len(revisions) == 1 and revisions.pop() > revision, "every client on the latest revision"
            assert turns_scored(cluster, host.code or "") == [1]
        finally:
            await close_all(players)

    run(play(), 45)


def test_redis_loses_its_data(cluster: Cluster) -> None:
    """Redis stopped for 15 s mid-guessing and started empty (no persistence): the rooms come
    back from the database snapshots, players resume by themselves, a room with no snapshot is
    `room:closed` (reason `lost`); no turn scored twice."""

    async def play() -> None:
        players = await seat_players(cluster, [0, 1, 2])
        orphan = Seat(cluster.servers[1].url, cluster.balancer)
        try:
            host = players[0]
            _giver, guessers = await to_guessing(players)
            await guess_until_accepted(guessers[0])
            await host.wait_for(lambda v: scores(v)[guessers[0].id or ""] > 0, 5)
            scored = scores(host.view or {})
            await orphan.connect()
            await orphan.create("Alone")
            revision = (host.view or {})["revision"]
            await until(
                lambda: snapshot(cluster, host.code) == revision and snapshot(cluster, orphan.code),
                5,
                "both rooms in the snapshots (ROOM_SAVE_INTERVAL_SECONDS=1)",
            )
            cluster.redis.stop()
            with contextlib.closing(sqlite3.connect(cluster.database, timeout=5)) as db:
                db.execute("DELETE FROM saved_rooms WHERE code = ?", (orphan.code,))  # this one is truly gone
                db.commit()
            for leftover in (cluster.redis.workdir / "appendonlydir",):
                shutil.rmtree(leftover, ignore_errors=True)
            await asyncio.sleep(15)
            cluster.redis.start()
            back_at = time.monotonic()
            for p in players:
                await p.back(15)
            resumed = time.monotonic() - back_at
            await until(lambda: ("room:closed", {"reason": "lost"}) in orphan.events, 10, "room:closed for the orphan")
            print(f"\nRedis lost its data: every player resumed {resumed:.2f} s after Redis returned")
            view = await host.wait_for(lambda v: v["phase"] == "guessing", 5)
            assert scores(view) == scored, "the snapshot kept the scored guess"
            for p in guessers[1:]:
                await guess_until_accepted(p)
            await host.wait_for(lambda v: v["phase"] in ("reveal", "prompting", "ended"), 15)
            assert turns_scored(cluster, host.code or "") == [1], "the turn was scored once"
        finally:
            await close_all([*players, orphan])

    run(play(), 45)


def test_rolling_sigterm_of_all_three(cluster: Cluster) -> None:
    """Each instance in turn gets SIGTERM and is started again on its port: the game goes on."""

    async def play() -> None:
        players = await seat_players(cluster, [0, 1, 2])
        try:
            host = players[0]
            _giver, guessers = await to_guessing(players)
            await guess_until_accepted(guessers[0])
            slowest = 0.0
            for n in range(3):
                old = cluster.servers[n]
                old.proc.send_signal(signal.SIGTERM)
                cluster.respawn(n)
                await asyncio.to_thread(old.proc.wait, 10)
                assert old.proc.returncode == 0, old.output()[-2000:]
                await asyncio.to_thread(cluster.ready)
                for p in players:  # whoever dropped (some twice) is seated again
                    if p.dropped_at is not None:
                        slowest = max(slowest, await p.back(15))
            print(f"\nRolling SIGTERM: the slowest player was seated again {slowest:.2f} s after its socket closed")
            for p in guessers[1:]:
                await guess_until_accepted(p)
            view = await host.wait_for(lambda v: v["phase"] in ("reveal", "prompting", "ended"), 15)
            assert all(member(view, p.id)["connected"] for p in players)
            assert turns_scored(cluster, host.code or "") == [1]
        finally:
            await close_all(players)

    run(play(), 80)
    with httpx.Client(timeout=5) as http:
        assert http.get(cluster.balancer + "/readyz").status_code == 200
