"""Soak benchmark: games start and end for a long time; memory must come back down.

    .venv/bin/python bench/soak.py                      # 10 minutes, 8 rooms at a time
    .venv/bin/python bench/soak.py --duration 60        # a one-minute run
    .venv/bin/python bench/soak.py --url http://127.0.0.1:5000 --server-pid 1234

It starts `imprompt serve` (the real command, built-in pictogram images, a throwaway
SQLite database) unless --url is given, then keeps --rooms rooms busy: three bots per
room play a one-round game to the end (each prompt giver writes at once, each guesser
misses once and then guesses the prompt), leave, and a new room takes its place.

Memory is the server process's resident set size (VmRSS), printed:
  - at the start, after a warm-up of games (first use loads models and caches),
  - every --every seconds while games run,
  - at the end, after the last games ended and the server reports no rooms left.
Exit status 1 when the end is more than --max-growth-mb above the start: rooms,
sockets, timers and cache entries must be released when games end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from imprompt.ops.smoke import Bot

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = [
    "red kite",
    "blue whale",
    "green apple",
    "tiny dragon",
    "happy robot",
    "old castle",
    "pizza party",
    "sleepy cat",
    "fast car",
    "snowy mountain",
]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stats:
    def __init__(self) -> None:
        self.games = 0
        self.failed = 0
        self.turns = 0


async def play_game(url: str, stats: Stats, rng: random.Random) -> None:
    bots = [Bot(url, f"bot{i}") for i in range(3)]
    try:
        for bot in bots:
            await bot.connect()
        created = await bots[0].call(
            "room:create",
            {"name": "Host", "settings": {"rounds": 1, "hints": False, "promptSeconds": 30, "guessSeconds": 30}},
        )
        bots[0].id = created["playerId"]
        for i, bot in enumerate(bots[1:], 1):
            bot.id = (await bot.call("room:join", {"code": created["code"], "name": f"Guest {i}"}))["playerId"]
        await bots[0].call("game:start", {})
        for number in (1, 2, 3):
            view = await bots[0].wait_for(
                f"turn {number}",
                lambda v, number=number: (
                    v["phase"] in ("prompting", "finished")
                    and (v["phase"] == "finished" or v["turn"]["number"] == number)
                ),
                30,
            )
            if view["phase"] == "finished":
                break
            giver = next(b for b in bots if b.id == view["turn"]["giverId"])
            prompt = rng.choice(PROMPTS)
            await giver.call("prompt:submit", {"text": prompt})
            guessers = [b for b in bots if b is not giver]
            for g in guessers:
                await g.wait_for("the image", lambda v: v["phase"] == "guessing" or v["phase"] == "reveal", 30)
            for g in guessers:
                await g.call("guess:submit", {"text": "something else"})
            for g in guessers:
                await g.call("guess:submit", {"text": prompt})
            stats.turns += 1
        await bots[0].wait_for("the end", lambda v: v["phase"] == "finished", 30)
        for bot in bots:
            await bot.call("room:leave", {})
        stats.games += 1
    except Exception as exc:  # a failed game is counted, the soak goes on
        stats.failed += 1
        if stats.failed <= 5:
            print(f"  game failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        for bot in bots:
            await bot.close()


async def keep_busy(url: str, rooms: int, until: float, stats: Stats) -> None:
    rng = random.Random(7)

    async def lane() -> None:
        while time.monotonic() < until:
            await play_game(url, stats, rng)

    await asyncio.gather(*(lane() for _ in range(rooms)))


async def rooms_left(url: str) -> int:
    async with httpx.AsyncClient(timeout=5) as http:
        return int((await http.get(url + "/health")).json().get("rooms", -1))


async def soak(args: argparse.Namespace, url: str, pid: int) -> int:
    stats = Stats()
    print(f"soak: {args.rooms} rooms at a time for {args.duration:g} s against {url} (server pid {pid})")
    print(f"memory at launch:  {rss_mb(pid):7.1f} MB")
    await keep_busy(url, args.rooms, time.monotonic() + args.warmup, stats)
    await asyncio.sleep(2)
    start = rss_mb(pid)
    print(f"memory at start:   {start:7.1f} MB  (after a {args.warmup:g} s warm-up: {stats.games} games)")
    warm_games = stats.games
    until = time.monotonic() + args.duration
    runner = asyncio.create_task(keep_busy(url, args.rooms, until, stats))
    peak = start
    while not runner.done():
        await asyncio.wait({runner}, timeout=args.every)
        now = rss_mb(pid)
        peak = max(peak, now)
        if not runner.done():
            print(
                f"  {args.duration - max(0.0, until - time.monotonic()):6.0f} s  {now:7.1f} MB  "
                f"games {stats.games - warm_games}  failed {stats.failed}"
            )
    await runner
    for _ in range(60):  # every room closes once its players leave
        if await rooms_left(url) == 0:
            break
        await asyncio.sleep(1)
    await asyncio.sleep(args.settle)
    end = rss_mb(pid)
    growth = end - start
    print(f"memory at end:     {end:7.1f} MB  (peak {peak:.1f} MB; rooms left {await rooms_left(url)})")
    print(f"games played: {stats.games - warm_games}, turns {stats.turns}, failed {stats.failed}")
    print(f"growth start -> end: {growth:+.1f} MB (limit {args.max_growth_mb:g} MB)")
    if growth > args.max_growth_mb:
        print("FAIL: memory did not come back after the games ended", file=sys.stderr)
        return 1
    if stats.failed > max(2, stats.games // 50):
        print("FAIL: too many games failed", file=sys.stderr)
        return 1
    print("ok: memory came back after the games ended")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=float, default=600.0, help="seconds of games (default 600)")
    p.add_argument("--rooms", type=int, default=8, help="rooms playing at once (default 8)")
    p.add_argument("--warmup", type=float, default=20.0, help="seconds of games before the start figure")
    p.add_argument("--every", type=float, default=30.0, help="seconds between memory lines")
    p.add_argument("--settle", type=float, default=3.0, help="seconds to wait after the last game")
    p.add_argument("--max-growth-mb", type=float, default=25.0)
    p.add_argument("--url", help="a running server (loopback) instead of starting one")
    p.add_argument("--server-pid", type=int, help="with --url: the server's process id, for its memory")
    args = p.parse_args()
    if args.url:
        if not args.server_pid:
            p.error("--url needs --server-pid")
        return asyncio.run(soak(args, args.url.rstrip("/"), args.server_pid))

    work = Path(tempfile.mkdtemp(prefix="imprompt-soak-"))
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
        "AI_PROVIDER": "pictogram",
        "IMAGE_DIR": str(work / "images"),
        "DATABASE_URL": f"sqlite:///{work}/imprompt.db",
        "REVEAL_SECONDS": "1",
        "ROOM_CREATE_RATE": "100000 per hour",
        "CONNECTION_RATE": "100000 per minute",
        "MAX_CONNECTIONS_PER_IP": "10000",
        "GUESS_RATE": "50/second",
        "SOCKET_EVENT_RATE": "200 per second",
    }
    env.pop("REDIS_URL", None)
    exe = Path(sys.executable).with_name("imprompt")
    log = open(work / "server.log", "w")  # noqa: SIM115 - open while the server runs
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                print((work / "server.log").read_text()[-3000:], file=sys.stderr)
                return 2
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                print("the server did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        return asyncio.run(soak(args, url, proc.pid))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
