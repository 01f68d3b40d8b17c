"""Soak benchmark: games start and end for a long time; memory, files and tasks stay flat.

    .venv/bin/python bench/soak.py                      # 30 minutes, 8 rooms at a time
    .venv/bin/python bench/soak.py --duration 60        # a one-minute run
    .venv/bin/python bench/soak.py --url http://127.0.0.1:5000 --server-pid 1234

It starts `imprompt serve` (the real command, built-in pictogram images, a throwaway
SQLite database; through `soak.py --serve`, which adds only a sampler of the event
loop's task count) unless --url is given, then keeps --rooms rooms busy: three bots per
room play a one-round game to the end (each prompt giver writes at once, each guesser
misses once and then guesses the prompt), leave, and a new room takes its place.

Every --every seconds it prints the server process's resident set size (VmRSS), its
open file descriptors (/proc/PID/fd) and its asyncio tasks (not with --url): at the
start (after --prime seconds of games: first use loads models), while games run, and at
the end, after the last games ended and the server reports no rooms left. Then the slope
of each (least squares, per 10 minutes) over the whole run and over the samples after
--warmup seconds of games (default 600: two of the GC policy's full passes, while caches
fill and the first cycles of frozen garbage are freed; bench/README.md).
Exit status 1 when the RSS slope after the warm-up is over --max-slope-mb per 10 minutes
(the whole run's when the run is too short to have three samples after it), the end is
more than --max-growth-mb above the start, or descriptors or tasks grew with the games:
rooms, sockets, timers and cache entries must be released when games end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
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


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def read_tasks(path: Path | None) -> int | None:
    """The server's asyncio task count, written by the --serve sampler (not counting itself)."""
    if path is None:
        return None
    try:
        return int(json.loads(path.read_text())["count"])
    except (OSError, ValueError, KeyError):
        return None


def task_names(path: Path | None) -> str:
    try:
        return str(json.loads(path.read_text())["names"]) if path is not None else ""
    except (OSError, ValueError, KeyError):
        return ""


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value) points, per 10 minutes."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    if var == 0:
        return 0.0
    return sum((t - mx) * (v - my) for t, v in points) / var * 600


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


async def soak(args: argparse.Namespace, url: str, pid: int, tasks_file: Path | None = None) -> int:
    stats = Stats()
    print(f"soak: {args.rooms} rooms at a time for {args.duration:g} s against {url} (server pid {pid})")
    print(f"at launch:  {rss_mb(pid):7.1f} MB  fds {open_fds(pid)}  tasks {read_tasks(tasks_file)}")
    await keep_busy(url, args.rooms, time.monotonic() + args.prime, stats)
    await asyncio.sleep(2)
    start, start_fds, start_tasks = rss_mb(pid), open_fds(pid), read_tasks(tasks_file)
    print(
        f"at start:   {start:7.1f} MB  fds {start_fds}  tasks {start_tasks}"
        f"  (after {args.prime:g} s of games: {stats.games})",
        flush=True,
    )
    warm_games = stats.games
    began = time.monotonic()
    until = began + args.duration
    runner = asyncio.create_task(keep_busy(url, args.rooms, until, stats))
    peak = start
    # the slope is over the samples taken while games run (the start and end are idle)
    series: dict[str, list[tuple[float, float]]] = {"rss": [], "fds": [], "tasks": []}
    while not runner.done():
        await asyncio.wait({runner}, timeout=args.every)
        if runner.done():
            break
        at = time.monotonic() - began
        now, fds, tasks = rss_mb(pid), open_fds(pid), read_tasks(tasks_file)
        peak = max(peak, now)
        series["rss"].append((at, now))
        series["fds"].append((at, fds))
        if tasks is not None:
            series["tasks"].append((at, tasks))
        print(
            f"  {at:6.0f} s  {now:7.1f} MB  fds {fds:4d}  tasks {tasks}"
            f"  games {stats.games - warm_games}  failed {stats.failed}",
            flush=True,
        )
    await runner
    for _ in range(60):  # every room closes once its players leave
        if await rooms_left(url) == 0:
            break
        await asyncio.sleep(1)
    await asyncio.sleep(args.settle)
    end, end_fds, end_tasks = rss_mb(pid), open_fds(pid), read_tasks(tasks_file)
    growth = end - start
    print(f"tasks at the end by coroutine: {task_names(tasks_file)}")
    after = {name: [(t, v) for t, v in points if t >= args.warmup] for name, points in series.items()}
    warmed = len(after["rss"]) >= 3
    rss_slope = slope(after["rss"] if warmed else series["rss"])
    print(
        f"at end:     {end:7.1f} MB  fds {end_fds}  tasks {end_tasks}"
        f"  (peak {peak:.1f} MB; rooms left {await rooms_left(url)})"
    )
    print(f"games played: {stats.games - warm_games}, turns {stats.turns}, failed {stats.failed}")
    print(
        f"slope over the whole run, per 10 minutes: RSS {slope(series['rss']):+.2f} MiB,"
        f" fds {slope(series['fds']):+.1f}, tasks {slope(series['tasks']):+.1f}"
    )
    if warmed:
        print(
            f"slope after the {args.warmup:g} s warm-up, per 10 minutes: RSS {rss_slope:+.2f} MiB"
            f" (limit {args.max_slope_mb:g}; {after['rss'][0][1]:.1f} -> {after['rss'][-1][1]:.1f} MB),"
            f" fds {slope(after['fds']):+.1f}, tasks {slope(after['tasks']):+.1f}"
        )
    else:
        print(f"fewer than 3 samples after the {args.warmup:g} s warm-up: the whole run's slope is judged")
    print(
        f"growth start -> end: {growth:+.1f} MB (limit {args.max_growth_mb:g} MB), fds {end_fds - start_fds:+d}"
        + (f", tasks {end_tasks - start_tasks:+d}" if end_tasks is not None and start_tasks is not None else "")
    )
    failed = False
    if growth > args.max_growth_mb or rss_slope > args.max_slope_mb:
        print("FAIL: memory grew with the games", file=sys.stderr)
        failed = True
    # a closed socket's engine.io ping task sleeps out its ping interval (25 s) before it ends
    pings = json.loads(tasks_file.read_text()).get("names", {}).get("AsyncSocket._send_ping", 0) if tasks_file else 0
    if end_fds > start_fds + 5 or (
        end_tasks is not None and start_tasks is not None and end_tasks - pings > start_tasks + 5
    ):
        print("FAIL: file descriptors or tasks were left behind by the games", file=sys.stderr)
        failed = True
    if stats.failed > max(2, stats.games // 50):
        print("FAIL: too many games failed", file=sys.stderr)
        failed = True
    if failed:
        return 1
    print("ok: memory, descriptors and tasks stayed flat while games started and ended")
    return 0


async def trace_growth(out: Path, every: float = 60.0, top: int = 20) -> None:
    """--trace: the object types the collector tracks that grew since the first minute, every
    `every` s (tracemalloc's snapshots stall the loop for seconds at this size; this does not)."""
    import gc

    def count() -> Counter[str]:
        return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects())

    await asyncio.sleep(every)
    first = count()
    while True:
        await asyncio.sleep(every)
        grown = (count() - first).most_common(top)
        lines = [f"--- {time.strftime('%H:%M:%S')} grown since the first minute:"]
        lines += [f"  {n:+8d}  {name}" for name, n in grown]
        with out.open("a") as f:
            f.write("\n".join(lines) + "\n")


def malloc_info() -> dict[str, int]:
    """glibc's heap figures (mallinfo2): in use, free but kept, and mmapped; {} elsewhere."""
    import ctypes
    import ctypes.util

    class Mallinfo2(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks")
            + ("fordblks", "keepcost")
        ]

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallinfo2.restype = Mallinfo2
    except (OSError, AttributeError):
        return {}
    m = libc.mallinfo2()
    return {"heap": m.arena, "in_use": m.uordblks, "free": m.fordblks, "mmapped": m.hblkhd, "top": m.keepcost}


def container_sizes(root: object, depth: int = 5) -> dict[str, int]:
    """len() of every container reachable from `root` through attributes (and dict values
    of modules), by attribute path: what a server keeps between games."""
    import sys

    sizes: dict[str, int] = {}
    seen: set[int] = set()

    def attrs(obj: object) -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        d = getattr(obj, "__dict__", None)
        if isinstance(d, dict):
            out += list(d.items())
        for cls in type(obj).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if isinstance(slot, str) and hasattr(obj, slot):
                    out.append((slot, getattr(obj, slot)))
        return out

    def walk(path: str, obj: object, left: int) -> None:
        if (
            id(obj) in seen
            or isinstance(obj, (str, bytes, int, float, type))
            or callable(obj)
            and not hasattr(obj, "cache_info")
        ):
            return
        seen.add(id(obj))
        if hasattr(obj, "cache_info"):
            with contextlib.suppress(Exception):  # only functools' caches have a currsize
                sizes[path] = obj.cache_info().currsize  # type: ignore[attr-defined]
            return
        try:
            n = len(obj)  # type: ignore[arg-type]
        except Exception:
            n = -1
        if n >= 0:
            sizes[path] = n
            if isinstance(obj, dict) and left > 0 and n <= 64:
                for k, v in list(obj.items()):
                    walk(f"{path}[{k!r:.30}]", v, left - 1)
            return
        if left > 0:
            try:
                found = attrs(obj)
            except Exception:
                return
            for name, value in found:
                walk(f"{path}.{name}", value, left - 1)

    walk("services", root, depth)
    for name, module in list(sys.modules.items()):
        if name.startswith(("imprompt", "engineio", "socketio")):
            for attr, value in list(vars(module).items()):
                if not attr.startswith("__"):
                    walk(f"{name}.{attr}", value, 2)
    return sizes


async def probe(services: object, out: Path, every: float, trace_from: float | None) -> None:
    """--probe: every `every` s one JSON line: RSS, the allocator's figures, the collector's
    counts and every container's size; with `trace_from`, tracemalloc from then on and the
    top growth by line between its first snapshot and each later one."""
    import gc
    import sys
    import tracemalloc

    began = time.monotonic()
    first: tracemalloc.Snapshot | None = None
    snapped = 0.0
    with out.open("a") as f:
        while True:
            await asyncio.sleep(every)
            at = time.monotonic() - began
            if trace_from is not None and at >= trace_from and not tracemalloc.is_tracing():
                tracemalloc.start(6)
            line = {
                "t": round(at),
                "rss": rss_mb(os.getpid()),
                **malloc_info(),
                "blocks": sys.getallocatedblocks(),
                "gc_objects": len(gc.get_objects()),
                "frozen": gc.get_freeze_count(),
                "full": getattr(getattr(services, "gc", None), "full_collections", None),
                "trim": getattr(getattr(services, "gc", None), "last_trim", None),
                "sizes": container_sizes(services),
            }
            if tracemalloc.is_tracing() and at >= snapped + 120:  # a snapshot stalls the loop for seconds
                snapped = at
                line["tracemalloc_mb"] = tracemalloc.get_tracemalloc_memory() / 2**20
                snap = tracemalloc.take_snapshot().filter_traces(
                    [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen *>")]
                )
                if first is None:
                    first = snap
                else:
                    by_line = snap.compare_to(first, "lineno")[:25]
                    by_tb = snap.compare_to(first, "traceback")[:8]
                    line["grown_lines"] = [
                        f"{s.size_diff / 1024:+.0f} KiB {s.count_diff:+d} {s.traceback[0]}" for s in by_line
                    ]
                    line["grown_tracebacks"] = [
                        f"{s.size_diff / 1024:+.0f} KiB {s.count_diff:+d} " + " <- ".join(str(fr) for fr in s.traceback)
                        for s in by_tb
                    ]
            f.write(json.dumps(line) + "\n")
            f.flush()


def serve(
    port: int,
    tasks_file: Path,
    every: float,
    trace: Path | None = None,
    gc_full_every: float | None = None,
    probe_file: Path | None = None,
    trace_from: float | None = None,
) -> int:
    """`imprompt serve` as the CLI runs it, plus one task that writes the loop's task count
    (and with `trace`, which object types grow)."""
    import imprompt.web.app as web_app
    from imprompt import cli

    real_create_app = web_app.create_app

    def create_app(settings, **kwargs):  # type: ignore[no-untyped-def]
        app = real_create_app(settings, **kwargs)
        inner = app.asgi

        async def sample() -> None:
            if trace is not None:
                asyncio.get_running_loop().create_task(trace_growth(trace))
            if probe_file is not None:
                asyncio.get_running_loop().create_task(probe(app.services, probe_file, 30.0, trace_from))
            while True:
                tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                names = Counter(getattr(t.get_coro(), "__qualname__", "?") for t in tasks)
                tasks_file.write_text(json.dumps({"count": len(tasks), "names": dict(names.most_common(8))}))
                await asyncio.sleep(every)

        async def wrapped(scope, receive, send):  # type: ignore[no-untyped-def]
            if scope["type"] == "lifespan":
                sampler = asyncio.get_running_loop().create_task(sample())
                try:
                    return await inner(scope, receive, send)
                finally:
                    sampler.cancel()
            return await inner(scope, receive, send)

        if gc_full_every is not None:  # ops/gc_policy.py: how often frozen cyclic garbage is freed
            app.services.gc.full_every = gc_full_every
        return web_app.App(wrapped, app.services)

    web_app.create_app = create_app  # cli._serve imports it from the module at call time
    return cli.main(["serve", "--host", "127.0.0.1", "--port", str(port)])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=float, default=1800.0, help="seconds of games (default 1800)")
    p.add_argument("--rooms", type=int, default=8, help="rooms playing at once (default 8)")
    p.add_argument("--prime", type=float, default=20.0, help="seconds of games before the start figure")
    p.add_argument(
        "--warmup", type=float, default=600.0, help="seconds of games left out of the judged slope (default 600)"
    )
    p.add_argument("--every", type=float, default=30.0, help="seconds between samples")
    p.add_argument("--settle", type=float, default=3.0, help="seconds to wait after the last game")
    p.add_argument("--max-growth-mb", type=float, default=25.0)
    p.add_argument("--max-slope-mb", type=float, default=1.0, help="RSS MiB per 10 minutes after the warm-up")
    p.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)  # the server side, see serve()
    p.add_argument("--tasks-file", type=Path, help=argparse.SUPPRESS)
    p.add_argument(
        "--gc-full-every", type=float, help="seconds between the GC policy's full collections (default: its own, 300)"
    )
    p.add_argument("--trace", type=Path, help="write which object types grew here each minute")
    p.add_argument("--probe", type=Path, help="write RSS, malloc figures and container sizes here every 30 s")
    p.add_argument("--tracemalloc-from", type=float, help="with --probe: trace allocations from this second on")
    p.add_argument("--url", help="a running server (loopback) instead of starting one")
    p.add_argument("--server-pid", type=int, help="with --url: the server's process id, for its memory")
    args = p.parse_args()
    if args.serve:
        return serve(
            args.serve, args.tasks_file, 1.0, args.trace, args.gc_full_every, args.probe, args.tracemalloc_from
        )
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
        # per minute, not per hour: an hour's window would keep every room created in the last hour
        "ROOM_CREATE_RATE": "100000 per minute",
        "CONNECTION_RATE": "100000 per minute",
        "MAX_CONNECTIONS_PER_IP": "10000",
        "GUESS_RATE": "50/second",
        "SOCKET_EVENT_RATE": "200 per second",
    }
    env.pop("REDIS_URL", None)
    tasks_file = work / "tasks"
    log = open(work / "server.log", "w")  # noqa: SIM115 - open while the server runs
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--tasks-file", str(tasks_file)]
        + (["--trace", str(args.trace.resolve())] if args.trace else [])
        + (["--gc-full-every", str(args.gc_full_every)] if args.gc_full_every else [])
        + (["--probe", str(args.probe.resolve())] if args.probe else [])
        + (["--tracemalloc-from", str(args.tracemalloc_from)] if args.tracemalloc_from is not None else []),
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
        return asyncio.run(soak(args, url, proc.pid, tasks_file))
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
