"""Load generator: bot players play real games against a real imprompt server over websockets.

    .venv/bin/python bench/load.py                        # 400 rooms x 5 players, 60 s measured
    .venv/bin/python bench/load.py --rooms 20 --duration 20
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --server-pid 1234

By default it starts the server itself (bench/_server.py: the real app and uvicorn options
of `imprompt serve`, with a stub image provider) pinned to CPU 0 with taskset, with
APP_ENV=production LOG_LEVEL=warning, and runs the bots on the other CPUs. --url targets
a server that is already running; only loopback addresses are accepted.

Every room's host creates the room and starts the game; each prompt giver submits a prompt
at once; each guesser guesses every 5 +/- 1 s, wrong guesses first and the prompt itself
after a few (--solve-after). After the connections ramp up, the rooms are seated and a
warm-up passes, the figures are measured over --duration seconds. See bench/README.md.

The bots speak the socket.io v4 / Engine.IO v4 text protocol themselves over aiohttp
websockets (one asyncio loop), not through python-socketio's
AsyncClient: see bench/README.md ("Why a minimal client").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import ipaddress
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
ACK_TIMEOUT = 15.0
CONNECT_TIMEOUT = 15.0
now = time.perf_counter

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_loads = json.loads


# ---------------------------------------------------------------- figures


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank; nan when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def ms3(values: list[float]) -> str:
    if not values:
        return "n/a (no samples)"
    return (
        f"p50 {pct(values, 50) * 1000:7.2f} ms   p95 {pct(values, 95) * 1000:7.2f} ms   "
        f"p99 {pct(values, 99) * 1000:7.2f} ms   max {max(values) * 1000:7.1f} ms   (n={len(values)})"
    )


@dataclass
class Stats:
    window: tuple[float, float] | None = None  # (start, end) in perf_counter time
    connected: int = 0
    connect_failed: int = 0
    disconnected: int = 0
    seated: int = 0
    rooms_started: int = 0
    sent: int = 0  # client->server events (window)
    received: int = 0  # server->client socket.io packets: events + acks (window)
    views: int = 0  # room:view received (window)
    guesses: int = 0
    guess_acks: list[float] = field(default_factory=list)
    guess_acks_solving: list[float] = field(default_factory=list)
    view_lat: dict[str, list[float]] = field(default_factory=lambda: {"start": [], "prompt": [], "solve": []})
    views_missing: int = 0  # a member never got the view of a state change within 30 s
    stale_views: int = 0  # a view with a lower revision than one already seen
    errors: dict[str, int] = field(default_factory=dict)
    loop_lag: list[float] = field(default_factory=list)
    solved: int = 0
    turns_seen: int = 0

    def in_window(self, t: float) -> bool:
        return self.window is not None and self.window[0] <= t < self.window[1]

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


# ---------------------------------------------------------------- a minimal socket.io v4 client


class SocketError(Exception):
    pass


class Sock:
    """One websocket, Engine.IO v4 + socket.io v4 text packets, default namespace.

    "0{...}" open, "40" connect, "2"/"3" ping/pong, "42[event,data]" an event,
    "42<id>[event,data]" an event that wants an ack, "43<id>[data]" the ack."""

    def __init__(self, bench: Bench, on_event: Callable[[float, str, Any], None]) -> None:
        self.bench = bench
        self.on_event = on_event
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.acks: dict[int, asyncio.Future] = {}
        self.next_id = 0
        self.connected: asyncio.Future | None = None
        self.reader: asyncio.Task | None = None
        self.closing = False

    async def connect(self, session: aiohttp.ClientSession, ws_url: str) -> None:
        loop = asyncio.get_running_loop()
        self.connected = loop.create_future()
        self.ws = await session.ws_connect(
            ws_url, compress=0, autoping=True, max_msg_size=1 << 20, timeout=aiohttp.ClientWSTimeout(ws_close=2.0)
        )
        self.reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected, CONNECT_TIMEOUT)

    async def _read(self) -> None:
        ws = self.ws
        stats = self.bench.stats
        try:
            async for msg in ws:
                t = now()
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                data: str = msg.data
                kind = data[:1]
                if kind == "4":
                    sub = data[1:2]
                    if stats.window and stats.window[0] <= t < stats.window[1]:
                        stats.received += 1
                    if sub == "2":  # event
                        event, *args = _loads(data[2:])
                        self.on_event(t, event, args[0] if args else None)
                    elif sub == "3":  # ack
                        i = 2
                        while data[i].isdigit():
                            i += 1
                        fut = self.acks.pop(int(data[2:i]), None)
                        if fut is not None and not fut.done():
                            fut.set_result((t, _loads(data[i:])))
                    elif sub == "0":
                        if not self.connected.done():
                            self.connected.set_result(True)
                    elif sub == "4":
                        if not self.connected.done():
                            self.connected.set_exception(SocketError(f"connect refused: {data[:200]}"))
                    elif sub == "1":
                        break
                elif kind == "2":  # ping -> pong
                    await ws.send_str("3")
                elif kind == "0":  # Engine.IO open; join the default namespace
                    await ws.send_str("40")
                elif kind == "1":
                    break
        except (TimeoutError, aiohttp.ClientError, ConnectionError) as exc:
            if not self.closing:
                stats.error(f"socket: {type(exc).__name__}")
        except Exception as exc:  # a bug here must show, not hang the run
            stats.error(f"client bug: {type(exc).__name__}: {exc}"[:120])
        finally:
            if not self.closing:
                stats.disconnected += 1
            if self.connected is not None and not self.connected.done():
                self.connected.set_exception(SocketError("closed before connecting"))
            for fut in self.acks.values():
                if not fut.done():
                    fut.set_exception(SocketError("disconnected"))
            self.acks.clear()

    async def emit(self, event: str, data: Any, marker: Marker | None = None) -> tuple[float, float, dict]:
        """Send an event and wait for its ack: (sent at, acked at, reply). A marker's clock
        starts when the packet goes out."""
        ws = self.ws
        if ws is None or ws.closed:
            raise SocketError("not connected")
        self.next_id += 1
        aid = self.next_id
        fut = asyncio.get_running_loop().create_future()
        self.acks[aid] = fut
        packet = f"42{aid}" + _dumps([event, data])
        t0 = now()
        if marker is not None:
            marker.t0 = t0
        stats = self.bench.stats
        if stats.window and stats.window[0] <= t0 < stats.window[1]:
            stats.sent += 1
        await ws.send_str(packet)
        try:
            t1, reply = await asyncio.wait_for(fut, ACK_TIMEOUT)
        except TimeoutError:
            self.acks.pop(aid, None)
            raise SocketError(f"no ack for {event} within {ACK_TIMEOUT:g} s") from None
        return t0, t1, (reply[0] if reply else {})

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 3)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader


# ---------------------------------------------------------------- game bots


def _vocabulary() -> tuple[list[str], list[str]]:
    """Prompts from the game's own theme packs, and the words they use."""
    from imprompt.game.suggestions import THEMES

    prompts = [p for p in THEMES["mixed"] if 1 <= len(p.split()) <= 8]
    stop = {"a", "an", "the", "on", "in", "of", "at", "to", "with", "and", "its", "his", "her", "for", "by"}
    words = sorted({w.strip(".,!?'").lower() for p in prompts for w in p.split()} - stop - {""})
    return prompts, words


@dataclass
class Marker:
    """A state change one bot caused: every member's first view that shows it is timed."""

    kind: str
    t0: float
    waiting: set[str]
    shows: Callable[[dict], bool]


class Room:
    def __init__(self, index: int) -> None:
        self.index = index
        self.code: str | None = None
        self.bots: list[Bot] = []
        self.prompts: dict[tuple[int, int], str] = {}  # (game, turn) -> the cleaned prompt
        self.markers: list[Marker] = []

    def mark(self, bench: Bench, kind: str, t0: float, shows: Callable[[dict], bool]) -> Marker | None:
        if kind != "start" and not bench.stats.in_window(t0):  # starts are timed during set-up
            return None
        waiting = {b.id for b in self.bots if b.id and b.sock.ws is not None and not b.sock.ws.closed}
        marker = Marker(kind, t0, waiting, shows)
        self.markers.append(marker)
        return marker

    def seen(self, bench: Bench, bot: Bot, t: float, view: dict) -> None:
        if not self.markers:
            return
        keep = []
        for m in self.markers:
            if bot.id in m.waiting and m.shows(view):
                m.waiting.discard(bot.id)
                bench.stats.view_lat[m.kind].append(t - m.t0)
            if m.waiting:
                if t - m.t0 > 30:
                    bench.stats.views_missing += len(m.waiting)
                else:
                    keep.append(m)
        self.markers = keep


class Bot:
    def __init__(self, bench: Bench, room: Room, seat: int) -> None:
        self.bench = bench
        self.room = room
        self.seat = seat
        self.name = f"bot{seat}"
        self.id: str | None = None
        self.sock = Sock(bench, self.on_event)
        self.revision = -1
        self.view: dict | None = None
        self.rng = random.Random(bench.seed * 100_003 + room.index * 16 + seat)
        self.prompted: set[tuple[int, int]] = set()
        self.guessing = asyncio.Event()
        self.done_turn: tuple[int, int] | None = None
        self.finishing = False

    # -------------------------------------------------------- incoming

    def on_event(self, t: float, event: str, data: Any) -> None:
        bench = self.bench
        if event == "room:view":
            self.on_view(t, data)
        elif event in ("room:kicked", "room:replaced", "room:closed", "image:failed"):
            bench.stats.error(f"event {event}")

    def on_view(self, t: float, view: dict) -> None:
        stats = self.bench.stats
        if stats.window and stats.window[0] <= t < stats.window[1]:
            stats.views += 1
        rev = view["revision"]
        if rev < self.revision:
            stats.stale_views += 1
            return
        self.revision = rev
        self.view = view
        self.room.seen(self.bench, self, t, view)
        if self.bench.stopping:
            return
        phase, turn = view["phase"], view["turn"]
        if turn is None:
            return
        key = (view["game"], turn["number"])
        if phase == "prompting" and turn["giverId"] == self.id and key not in self.prompted and not view["paused"]:
            self.prompted.add(key)
            self.bench.spawn(self.submit_prompt(key))
        elif phase == "guessing" and self.id in turn["guesserIds"] and key != self.done_turn:
            self.guessing.set()
        elif phase == "finished" and view["hostId"] == self.id and not self.finishing:
            self.finishing = True
            self.bench.spawn(self.new_game())

    # -------------------------------------------------------- outgoing

    async def call(self, event: str, data: Any, marker: Marker | None = None) -> tuple[float, float, dict]:
        t0, t1, reply = await self.sock.emit(event, data, marker)
        if not reply.get("ok"):
            code = (reply.get("error") or {}).get("code", "?")
            self.bench.stats.error(f"{event}: {code}")
        return t0, t1, reply

    async def submit_prompt(self, key: tuple[int, int]) -> None:
        prompt = self.rng.choice(self.bench.prompts)
        room = self.room
        game, number = key
        marker = room.mark(
            self.bench,
            "prompt",
            now(),
            lambda v: (
                v["game"] == game
                and v["turn"] is not None
                and v["turn"]["number"] == number
                and v["phase"] != "prompting"
            ),
        )
        try:
            _, _, reply = await self.call("prompt:submit", {"text": prompt}, marker)
        except SocketError as exc:
            self.bench.stats.error(f"prompt:submit: {exc}")
            return
        if reply.get("ok"):
            room.prompts[key] = reply["prompt"]
        elif marker is not None and marker in room.markers:
            room.markers.remove(marker)

    async def start_game(self) -> None:
        room = self.room
        game = (self.view or {}).get("game", 0) + 1
        marker = room.mark(self.bench, "start", now(), lambda v: v["game"] >= game and v["phase"] != "lobby")
        try:
            _, _, reply = await self.call("game:start", {}, marker)
        except SocketError as exc:
            self.bench.stats.error(f"game:start: {exc}")
            return
        if reply.get("ok"):
            self.bench.stats.rooms_started += 1

    async def new_game(self) -> None:
        try:
            await asyncio.sleep(self.rng.uniform(1, 3))
            if self.bench.stopping:
                return
            _, _, reply = await self.call("game:new", {})
            if reply.get("ok"):
                await self.start_game()
        except SocketError as exc:
            self.bench.stats.error(f"game:new: {exc}")
        finally:
            self.finishing = False

    def wrong_guess(self, prompt: str | None) -> str:
        rng, words = self.rng, self.bench.words
        guess = rng.sample(words, rng.randint(1, 3))
        if prompt and rng.random() < 0.4:  # warm: one of the prompt's words among others
            guess[rng.randrange(len(guess))] = rng.choice(prompt.split())
        text = " ".join(guess)
        return text if text != prompt else text + " maybe"

    async def play(self) -> None:
        """The guesser's loop: one guess every interval +/- jitter while this turn lasts."""
        b = self.bench
        interval, jitter = b.args.guess_interval, b.args.guess_jitter
        lo, hi = b.solve_after
        rounds = 0
        while not b.stopping and rounds < 10_000:
            rounds += 1
            await self.guessing.wait()
            self.guessing.clear()
            view = self.view
            if view is None or view["phase"] != "guessing" or view["turn"] is None:
                continue
            key = (view["game"], view["turn"]["number"])
            if key == self.done_turn:
                continue
            self.done_turn = key
            right_after = self.rng.randint(lo, hi)
            await asyncio.sleep(self.rng.uniform(0.2, interval + jitter))  # spread the first guesses
            for i in range(10):
                view = self.view
                if (
                    b.stopping
                    or view is None
                    or view["phase"] != "guessing"
                    or (view["game"], view["turn"]["number"]) != key
                ):
                    break
                yours = view["turn"].get("yours") or {}
                if yours.get("solved") or yours.get("guessesLeft", 1) <= 0:
                    break
                prompt = self.room.prompts.get(key)
                right = prompt is not None and i >= right_after
                await self.guess(prompt if right else self.wrong_guess(prompt), right, key)
                await asyncio.sleep(self.rng.uniform(interval - jitter, interval + jitter))

    async def guess(self, text: str, right: bool, key: tuple[int, int]) -> None:
        b, room, me = self.bench, self.room, self.id
        game, number = key
        marker = None
        if right:
            marker = room.mark(
                b,
                "solve",
                now(),
                lambda v: (
                    v["game"] == game
                    and v["turn"] is not None
                    and v["turn"]["number"] == number
                    and me in v["turn"]["solvedIds"]
                ),
            )
        try:
            t0, t1, reply = await self.call("guess:submit", {"text": text}, marker)
        except SocketError as exc:
            b.stats.error(f"guess:submit: {exc}")
            return
        if b.stats.in_window(t0):
            b.stats.guesses += 1
            if reply.get("ok"):
                (b.stats.guess_acks_solving if reply.get("solved") else b.stats.guess_acks).append(t1 - t0)
        if reply.get("ok") and reply.get("solved"):
            b.stats.solved += 1
        elif marker is not None and marker in room.markers:
            room.markers.remove(marker)  # not solved after all: nothing to time


# ---------------------------------------------------------------- the server process


def _loopback_only(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "ws"):
        raise SystemExit(f"--url: only http:// (or ws://) on loopback is supported, got {url!r}")
    host, port = parts.hostname, parts.port or 80
    if not host:
        raise SystemExit(f"--url: no host in {url!r}")
    try:
        addrs = {ipaddress.ip_address(host)}
    except ValueError:
        if host != "localhost":
            raise SystemExit(
                f"--url: refusing {host!r}: only loopback addresses (127.0.0.0/8, ::1, localhost)"
            ) from None
        addrs = {ipaddress.ip_address(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    if not addrs or not all(a.is_loopback for a in addrs):
        raise SystemExit(f"--url: refusing {host!r}: only loopback addresses (127.0.0.0/8, ::1, localhost)")
    return host, port


def _listener_pid(port: int) -> int | None:
    """The pid of the process listening on a local TCP port, from /proc (same user only)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in list(f)[1:]:
                cols = line.split()
                if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                    inodes.add(cols[9])
    if not inodes:
        return None
    wanted = {f"socket:[{i}]" for i in inodes}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") in wanted:
                        return int(pid)
    return None


def source_addresses(url: str, bots: int, per_ip: int) -> list[str | None]:
    """Loopback source addresses for the bots, so that the server's per-IP limits (connections
    per IP, connection rate, rooms created per hour) see many small households, as in real
    life, and keep their production values. 127.0.0.0/8 is all loopback on Linux. The block
    changes from run to run, so that back-to-back runs against one server do not share
    rate-limit windows. IPv6 (::1) targets get one source address."""
    host = urlsplit(url).hostname or ""
    try:
        v4 = ipaddress.ip_address(host).version == 4
    except ValueError:
        v4 = False
    if not v4 or not sys.platform.startswith("linux"):
        return [None]
    block = random.SystemRandom().randrange(1, 255)
    count = -(-bots // per_ip)
    return [f"127.{block}.{i // 250}.{2 + i % 250}" for i in range(count)]


def proc_cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime (all threads)
    except (OSError, IndexError, ValueError):
        return None


def cpu_busy() -> dict[int, tuple[int, int]]:
    """Per CPU (busy, total) jiffies from /proc/stat."""
    out = {}
    with contextlib.suppress(OSError), open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu") and line[3:4].isdigit():
                name, *vals = line.split()
                v = [int(x) for x in vals[:8]]
                idle = v[3] + v[4]
                out[int(name[3:])] = (sum(v) - idle, sum(v))
    return out


def proc_rss(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return None


class Server:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.proc: subprocess.Popen | None = None
        self.pid: int | None = None
        self.log = None
        self.workdir: str | None = None
        self.pin = False  # set by run(): pin the spawned server to --server-cpu

    def start(self) -> str:
        a = self.args
        if a.url:
            _, port = _loopback_only(a.url)
            self.pid = a.server_pid or _listener_pid(port)
            return a.url.rstrip("/").replace("ws://", "http://", 1)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if a.server == "cli":
            cmd = [str(Path(sys.executable).with_name("imprompt")), "serve", "--host", "127.0.0.1", "--port", str(port)]
        else:
            cmd = [
                sys.executable,
                str(ROOT / "bench" / "_server.py"),
                "--port",
                str(port),
                "--image-delay",
                str(a.image_delay),
                *a.server_arg,
            ]
        use_taskset = self.pin and shutil.which("taskset") is not None
        if use_taskset:
            cmd = ["taskset", "-c", str(a.server_cpu), *cmd]
        self.workdir = tempfile.mkdtemp(prefix="imprompt-bench-")
        env = {**os.environ, "APP_ENV": "production", "LOG_LEVEL": "warning", "PYTHONUNBUFFERED": "1"}
        env.setdefault("CORS_ORIGINS", f"http://127.0.0.1:{port}")  # production refuses "*"; the bots send no Origin
        # A private database, image and backup directory for this run: the server saves live rooms
        # every few seconds and restores them at start, so it must not use (nor fill) data/.
        env["DATABASE_URL"] = f"sqlite:///{self.workdir}/bench.db"
        env["BACKUP_DIR"] = f"{self.workdir}/backups"
        env["IMAGE_DIR"] = f"{self.workdir}/images"
        env.pop("REDIS_URL", None)
        self.log = open(Path(self.workdir) / "server.log", "w+")  # noqa: SIM115 - open while the server runs
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = self.proc.pid  # taskset execs the command: same pid
        if self.pin and not use_taskset:  # no taskset: pin it from here (before it starts any thread)
            os.sched_setaffinity(self.pid, {a.server_cpu})
        print(
            f"server: {' '.join(cmd)}  (pid {self.pid}; database, images and log in {self.workdir},"
            f" {'kept' if a.keep_server_dir else 'removed at the end'})"
        )
        return f"http://127.0.0.1:{port}"

    def alive(self) -> bool:
        return self.proc is None or self.proc.poll() is None

    def tail(self, n: int = 30) -> str:
        if self.log is None:
            return ""
        if not self.log.closed:
            self.log.flush()
        try:
            with open(self.log.name, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.log is not None:
            self.log.close()
        if self.workdir and not self.args.keep_server_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)


# ---------------------------------------------------------------- the run


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.seed = args.seed
        self.stats = Stats()
        self.stopping = False
        self.tasks: set[asyncio.Task] = set()
        self.rng = random.Random(args.seed)
        self.prompts, self.words = _vocabulary()
        lo, _, hi = args.solve_after.partition("-")
        self.solve_after = (int(lo), int(hi or lo))
        self.rooms = [Room(i) for i in range(args.rooms)]
        self.bots = [Bot(self, room, seat) for room in self.rooms for seat in range(args.players)]
        for bot in self.bots:
            bot.room.bots.append(bot)

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def lag_monitor(self) -> None:
        step = 0.05
        while not self.stopping:
            t = now()
            await asyncio.sleep(step)
            late = now() - t - step
            if self.stats.in_window(t):
                self.stats.loop_lag.append(max(0.0, late))

    async def connect_all(self, sessions: list[aiohttp.ClientSession], ws_url: str) -> None:
        """Open every socket, paced at --ramp connections per second; bot i uses source
        address number i // --per-ip (a room's players share one address, as a family would)."""
        rate = self.args.ramp
        started = now()
        sem = asyncio.Semaphore(200)

        async def one(bot: Bot, index: int) -> None:
            async with sem:
                try:
                    await bot.sock.connect(sessions[index // self.args.per_ip % len(sessions)], ws_url)
                    self.stats.connected += 1
                except (TimeoutError, aiohttp.ClientError, SocketError, OSError) as exc:
                    self.stats.connect_failed += 1
                    self.stats.error(f"connect: {type(exc).__name__}: {str(exc)[:80]}")

        pending = []
        for i, bot in enumerate(self.bots):
            due = started + i / rate
            if due > now():
                await asyncio.sleep(due - now())
            pending.append(asyncio.create_task(one(bot, i)))
        await asyncio.gather(*pending)

    async def seat_room(self, room: Room) -> None:
        host, others = room.bots[0], room.bots[1:]
        a = self.args
        settings = {
            "rounds": a.rounds,
            "promptSeconds": 120,
            "guessSeconds": a.guess_seconds,
            "maxWords": 8,
            "maxPlayers": max(2, min(12, a.players)),
            "hints": True,
            "theme": "mixed",
        }
        try:
            if host.sock.ws is None or host.sock.ws.closed:
                return
            _, _, reply = await host.call("room:create", {"name": host.name, "settings": settings})
            if not reply.get("ok"):
                return
            room.code, host.id = reply["code"], reply["playerId"]
            host.on_view(now(), reply["view"])
            self.stats.seated += 1
            for bot in others:
                if bot.sock.ws is None or bot.sock.ws.closed:
                    continue
                _, _, reply = await bot.call("room:join", {"code": room.code, "name": bot.name})
                if reply.get("ok"):
                    bot.id = reply["playerId"]
                    bot.on_view(now(), reply["view"])
                    self.stats.seated += 1
            for bot in others:
                if bot.id:
                    self.spawn(bot.play())
            self.spawn(host.play())
            # Start at a random moment within --stagger s, so that during the measurement the
            # rooms are spread over every phase of a turn instead of moving in step.
            await asyncio.sleep(self.rng.uniform(0, a.stagger))
            await host.start_game()
        except SocketError as exc:
            self.stats.error(f"seat: {exc}")

    async def seat_all(self) -> None:
        rate = self.args.ramp / max(1, self.args.players)
        started = now()
        pending = []
        for i, room in enumerate(self.rooms):
            due = started + i / rate
            if due > now():
                await asyncio.sleep(due - now())
            pending.append(asyncio.create_task(self.seat_room(room)))
        await asyncio.gather(*pending)

    async def close_all(self) -> None:
        sem = asyncio.Semaphore(200)

        async def one(bot: Bot) -> None:
            async with sem:
                await bot.sock.close()

        await asyncio.gather(*(one(b) for b in self.bots))


async def wait_ready(session: aiohttp.ClientSession, url: str, server: Server, timeout: float = 90) -> None:
    deadline = now() + timeout
    while now() < deadline:
        if not server.alive():
            raise SystemExit(f"the server exited during start-up:\n{server.tail()}")
        with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError, OSError):
            async with session.get(url + "/livez", timeout=aiohttp.ClientTimeout(total=2)) as r:
                if r.status == 200:
                    return
        await asyncio.sleep(0.25)
    raise SystemExit(f"the server did not answer {url}/livez within {timeout:g} s\n{server.tail()}")


def similarity_timing(bench: Bench, pairs: int) -> tuple[float, float, float, int]:
    """Per-call time of imprompt.similarity.similarity over guesses like the bots' (in this process)."""
    from imprompt.similarity import similarity, warm_up

    warm_up()
    rng = random.Random(bench.seed)
    probe = Bot.__new__(Bot)
    probe.rng, probe.bench = rng, bench
    cases = []
    for _ in range(pairs):
        prompt = rng.choice(bench.prompts)
        cases.append((prompt, prompt if rng.random() < 0.15 else Bot.wrong_guess(probe, prompt)))
    times = []
    for prompt, guess in cases:
        t = now()
        similarity(prompt, guess)
        times.append(now() - t)
    return pct(times, 50), pct(times, 99), max(times), len(times)


def mib(n: float | None) -> str:
    return "n/a" if n is None else f"{n / 2**20:.1f} MiB"


async def run(args: argparse.Namespace) -> dict:
    bench = Bench(args)
    stats = bench.stats
    report: dict[str, Any] = {"args": {k: v for k, v in vars(args).items()}}
    hard_deadline = now() + args.max_seconds

    # The spawned server on --server-cpu, the bots on the other CPUs.
    cpus = set(os.sched_getaffinity(0))
    pin = not args.no_pin and not args.url and len(cpus) >= 2 and args.server_cpu in cpus
    if pin:
        os.sched_setaffinity(0, cpus - {args.server_cpu})
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 4 * len(bench.bots) + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    if args.similarity_pairs:
        p50, p99, worst, n = similarity_timing(bench, args.similarity_pairs)
        report["similarity_ms"] = {"p50": p50 * 1000, "p99": p99 * 1000, "max": worst * 1000, "n": n}
        print(
            f"similarity (in-process, {n} pairs): p50 {p50 * 1000:.3f} ms  p99 {p99 * 1000:.3f} ms"
            f"  max {worst * 1000:.2f} ms"
        )

    server = Server(args)
    server.pin = pin
    url = server.start()
    ws_url = url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    sources = source_addresses(url, len(bench.bots), args.per_ip)
    sessions = [
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, local_addr=(ip, 0) if ip else None))
        for ip in sources
    ]
    if sources[0]:
        print(f"source addresses: {len(sources)} ({sources[0]} .. {sources[-1]}), {args.per_ip} sockets each")
    else:
        print("source address: one (the server's per-IP limits must allow every bot; see bench/README.md)")
    lag_task = None
    try:
        await wait_ready(session, url, server, timeout=10 if args.url else 90)
        pid = server.pid
        if pid is None:
            print("server pid unknown (give --server-pid): no server CPU or memory figures")
        else:
            with contextlib.suppress(OSError):
                report["server_cpus"] = sorted(os.sched_getaffinity(pid))
        report["bot_cpus"] = sorted(os.sched_getaffinity(0))
        print(
            f"CPUs: server {report.get('server_cpus', 'unknown')}, bots {report['bot_cpus']}"
            + ("" if pin or args.url else " (not pinned)")
        )
        await asyncio.sleep(1.0)
        rss0 = proc_rss(pid) if pid else None
        lag_task = asyncio.create_task(bench.lag_monitor())

        # 1. Connect everybody, idle, gradually; memory per idle connection.
        n = len(bench.bots)
        t = now()
        print(f"connecting {n} sockets at {args.ramp:g}/s ...")
        await bench.connect_all(sessions, ws_url)
        connect_s = now() - t
        await asyncio.sleep(3.0)
        rss_idle = proc_rss(pid) if pid else None
        per_idle = (rss_idle - rss0) / stats.connected if (rss0 and rss_idle and stats.connected) else None
        print(
            f"connected {stats.connected}/{n} in {connect_s:.1f} s; server RSS {mib(rss0)} -> {mib(rss_idle)}"
            f" ({'n/a' if per_idle is None else f'{per_idle / 1024:.1f} KiB'} per idle connection)"
        )

        # 2. Seat the rooms and start the games.
        t = now()
        print(f"seating {args.rooms} rooms of {args.players}; starting their games over {args.stagger:g} s ...")
        await asyncio.wait_for(bench.seat_all(), max(30.0, hard_deadline - now() - args.duration - 5))
        await asyncio.sleep(2.0)
        rss_seated = proc_rss(pid) if pid else None
        per_player = (rss_seated - rss0) / stats.seated if (rss0 and rss_seated and stats.seated) else None
        print(
            f"seated {stats.seated} players, {stats.rooms_started} games started in {now() - t:.1f} s;"
            f" server RSS {mib(rss_seated)}"
        )

        # 3. Warm up, then measure. The bots' own cyclic GC is off while measuring, so that
        # its pauses do not show up as server latency (bot objects are freed by refcount).
        await asyncio.sleep(args.warmup)
        gc.collect()
        gc.freeze()
        gc.disable()
        w0 = now()
        stats.window = (w0, w0 + args.duration)
        cpu0, bot_cpu0 = (proc_cpu_seconds(pid) if pid else None), time.process_time()
        busy0, load0 = cpu_busy(), os.getloadavg()
        samples, last_cpu, last_t, last = [], cpu0, w0, (0, 0, 0)
        print(f"measuring for {args.duration:g} s ...")
        while stats.window[1] - now() > 0.05:
            await asyncio.sleep(min(args.report_every, stats.window[1] - now()))
            if not server.alive():
                raise SystemExit(f"the server died during the run:\n{server.tail()}")
            t, cpu = now(), (proc_cpu_seconds(pid) if pid else None)
            dt = t - last_t
            share = (cpu - last_cpu) / dt * 100 if cpu is not None and last_cpu is not None else None
            samples.append(share)
            g, v, r = stats.guesses, stats.views, stats.received
            acks = stats.guess_acks[-2000:]
            print(
                f"  t+{t - w0:5.1f}s  guesses {(g - last[0]) / dt:6.1f}/s  views {(v - last[1]) / dt:7.1f}/s"
                f"  received {(r - last[2]) / dt:7.1f}/s  guess->ack p99 {pct(acks, 99) * 1000:6.1f} ms"
                f"  server CPU {'n/a' if share is None else f'{share:5.1f} %'}"
                f"  RSS {mib(proc_rss(pid) if pid else None)}"
                f"  sockets {stats.connected - stats.disconnected}"
            )
            last_cpu, last_t, last = cpu, t, (g, v, r)
        cpu1, bot_cpu1 = (proc_cpu_seconds(pid) if pid else None), time.process_time()
        busy1, load1 = cpu_busy(), os.getloadavg()
        gc.enable()
        rss_end = proc_rss(pid) if pid else None
        window = args.duration
        bench.stopping = True
        if pid and server.proc is not None and "--gc-stats" in args.server_arg:
            os.kill(pid, signal.SIGUSR1)  # bench/_server.py prints its GC summary
            await asyncio.sleep(3.0)
            report["server_gc"] = [ln for ln in server.tail(400).splitlines() if ln.startswith("gc")][-5:]
        # markers still waiting at the end: views that did not arrive in the window
        for room in bench.rooms:
            for m in room.markers:
                if m.waiting and now() - m.t0 > 5:
                    stats.views_missing += len(m.waiting)

        server_cpu = (cpu1 - cpu0) / window * 100 if cpu0 is not None and cpu1 is not None else None
        delivered = stats.received
        lat_all = stats.view_lat["prompt"] + stats.view_lat["solve"]  # game starts happen during set-up
        report.update(
            {
                "players": n,
                "rooms": args.rooms,
                "connected": stats.connected,
                "connect_failed": stats.connect_failed,
                "connect_seconds": connect_s,
                "seated": stats.seated,
                "games_started": stats.rooms_started,
                "window_s": window,
                "sent_per_s": stats.sent / window,
                "received_per_s": stats.received / window,
                "views_per_s": stats.views / window,
                "guesses_per_s": stats.guesses / window,
                "views_per_player_s": stats.views / window / max(1, stats.seated),
                "guess_ack_ms": _p(stats.guess_acks + stats.guess_acks_solving),
                "guess_ack_wrong_ms": _p(stats.guess_acks),
                "guess_ack_solving_ms": _p(stats.guess_acks_solving),
                "view_ms": _p(lat_all),
                **{f"view_{k}_ms": _p(v) for k, v in stats.view_lat.items()},
                "views_missing": stats.views_missing,
                "stale_views": stats.stale_views,
                "server_cpu_pct": server_cpu,
                "server_cpu_pct_max_interval": max((s for s in samples if s is not None), default=None),
                "server_cpu_us_per_delivered": (cpu1 - cpu0) / delivered * 1e6
                if server_cpu is not None and delivered
                else None,
                "server_cpu_ms_per_guess": (cpu1 - cpu0) / stats.guesses * 1e3
                if server_cpu is not None and stats.guesses
                else None,
                "server_rss_start": rss0,
                "server_rss_idle": rss_idle,
                "server_rss_seated": rss_seated,
                "server_rss_end": rss_end,
                "kib_per_idle_connection": per_idle / 1024 if per_idle is not None else None,
                "kib_per_seated_player": per_player / 1024 if per_player is not None else None,
                "bot_cpu_pct": (bot_cpu1 - bot_cpu0) / window * 100,
                "bot_loop_lag_ms": _p(stats.loop_lag),
                "cpu_busy_pct": {
                    c: 100 * (busy1[c][0] - busy0[c][0]) / max(1, busy1[c][1] - busy0[c][1])
                    for c in busy1
                    if c in busy0
                },
                "loadavg": [load0[0], load1[0]],
                "errors": dict(stats.errors),
                "disconnected": stats.disconnected,
                "solved": stats.solved,
            }
        )
        print_report(report, stats)
        for line in report.get("server_gc", []):
            print(f"server {line}")
    finally:
        bench.stopping = True
        for task in list(bench.tasks):
            task.cancel()
        if lag_task:
            lag_task.cancel()
        await asyncio.gather(*bench.tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(bench.close_all(), 30)
        await session.close()
        for extra in sessions:
            await extra.close()
        server.stop()
    return report


def _p(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": pct(values, 50) * 1000,
        "p95": pct(values, 95) * 1000,
        "p99": pct(values, 99) * 1000,
        "max": max(values) * 1000 if values else float("nan"),
    }


def print_report(r: dict, stats: Stats) -> None:
    def f(x: float | None, fmt: str = "{:.1f}") -> str:
        return "n/a" if x is None else fmt.format(x)

    lat_all = stats.view_lat["prompt"] + stats.view_lat["solve"]  # game starts happen during set-up
    print()
    print(f"== {r['players']} players in {r['rooms']} rooms, measured over {r['window_s']:g} s ==")
    print(
        f"connections established   {r['connected']} (failed {r['connect_failed']}, dropped {r['disconnected']})"
        f" in {r['connect_seconds']:.1f} s; seated {r['seated']}; games started {r['games_started']}"
    )
    print(f"events sent               {r['sent_per_s']:.1f}/s  (guesses {r['guesses_per_s']:.1f}/s)")
    print(
        f"received                  {r['received_per_s']:.1f} packets/s: views {r['views_per_s']:.1f}/s"
        f" ({r['views_per_player_s']:.2f} per player per s), the rest acks"
    )
    print(f"guess -> ack              {ms3(stats.guess_acks + stats.guess_acks_solving)}")
    print(f"  wrong guesses           {ms3(stats.guess_acks)}")
    print(f"  solving guesses         {ms3(stats.guess_acks_solving)}")
    print(f"state change -> view      {ms3(lat_all)}")
    for kind, label in (("prompt", "prompt:submit"), ("solve", "solving guess")):
        print(f"  {label:<23} {ms3(stats.view_lat[kind])}")
    print(f"  game:start (set-up)     {ms3(stats.view_lat['start'])}")
    print(f"views missing / stale     {r['views_missing']} / {r['stale_views']}")
    print(
        f"server CPU                {f(r['server_cpu_pct'])} % of one core"
        f" (max {f(r['server_cpu_pct_max_interval'])} % over"
        f" a {r['args']['report_every']:g} s interval)"
    )
    print(
        f"  per delivered packet    {f(r['server_cpu_us_per_delivered'])} us; per guess (all server CPU / guesses)"
        f" {f(r['server_cpu_ms_per_guess'], '{:.2f}')} ms"
    )
    print(
        f"server RSS                start {mib(r['server_rss_start'])}, idle sockets {mib(r['server_rss_idle'])},"
        f" seated {mib(r['server_rss_seated'])}, end {mib(r['server_rss_end'])}"
    )
    print(
        f"memory per connection     {f(r['kib_per_idle_connection'])} KiB idle socket;"
        f" {f(r['kib_per_seated_player'])} KiB per seated player (socket + seat + room share)"
    )
    if "similarity_ms" in r:
        s = r["similarity_ms"]
        print(f"similarity per guess      p50 {s['p50']:.3f} ms  p99 {s['p99']:.3f} ms  (in-process, {s['n']} pairs)")
    busy = r["cpu_busy_pct"]
    total = sum(busy.values()) / max(1, len(busy))
    print(
        f"machine                   CPU busy {total:.0f} % over {len(busy)} CPUs (everything running, this run"
        f" included); load average {r['loadavg'][0]:.2f} -> {r['loadavg'][1]:.2f}"
    )
    print(f"bot process               CPU {r['bot_cpu_pct']:.1f} % ; event-loop lag {ms3(stats.loop_lag)}")
    errs = r["errors"]
    print(
        f"errors                    {sum(errs.values())}"
        + ("" if not errs else "  " + ", ".join(f"{k}: {v}" for k, v in sorted(errs.items(), key=lambda kv: -kv[1])))
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    ap.add_argument("--rooms", type=int, default=400, help="rooms")
    ap.add_argument("--players", type=int, default=5, help="players per room (2-12)")
    ap.add_argument("--duration", type=float, default=60, help="seconds measured")
    ap.add_argument(
        "--stagger",
        type=float,
        default=40,
        help="each room starts its game at a random moment within this many seconds after it is seated",
    )
    ap.add_argument(
        "--warmup", type=float, default=10, help="seconds of play after the last game started, before measuring"
    )
    ap.add_argument(
        "--ramp", type=float, default=200, help="new connections per second (rooms are seated at ramp/players per s)"
    )
    ap.add_argument(
        "--per-ip",
        type=int,
        default=30,
        help="sockets per loopback source address (the server allows 64 per IP and 60 new per minute)",
    )
    ap.add_argument("--guess-interval", type=float, default=5.0, help="seconds between a guesser's guesses")
    ap.add_argument("--guess-jitter", type=float, default=1.0, help="+/- seconds around --guess-interval")
    ap.add_argument(
        "--solve-after", default="5-9", help="wrong guesses before the right one, MIN-MAX per guesser and turn"
    )
    ap.add_argument("--guess-seconds", type=int, default=180, help="the rooms' guessSeconds (20-180)")
    ap.add_argument("--rounds", type=int, default=10, help="the rooms' rounds (1-10)")
    ap.add_argument("--url", help="target a running server at this loopback URL instead of starting one")
    ap.add_argument(
        "--server-pid", type=int, help="with --url: the server's pid (found from the listening port when omitted)"
    )
    ap.add_argument(
        "--server",
        choices=("app", "cli"),
        default="app",
        help="app: bench/_server.py (the real app, stub images); cli: `imprompt serve` as is",
    )
    ap.add_argument(
        "--image-delay", type=float, default=1.0, help="--server app: seconds the stub image provider takes"
    )
    ap.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="--server app: pass this argument to bench/_server.py (repeat; e.g. --server-arg=--gc-stats)",
    )
    ap.add_argument(
        "--keep-server-dir",
        action="store_true",
        help="keep the spawned server's temporary directory (database, log) after the run",
    )
    ap.add_argument("--server-cpu", type=int, default=0, help="the CPU the server is pinned to")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the server and the bots to CPUs")
    ap.add_argument(
        "--similarity-pairs", type=int, default=3000, help="pairs for the in-process similarity timing (0: skip)"
    )
    ap.add_argument("--report-every", type=float, default=5, help="seconds between progress lines")
    ap.add_argument("--max-seconds", type=float, default=900, help="hard limit on the whole run")
    ap.add_argument("--json", help="also write the figures to this file as JSON")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-uvloop", action="store_true", help="plain asyncio loop for the bots")
    args = ap.parse_args(argv)
    if not 1 <= args.rooms <= 20_000:
        ap.error("--rooms must be 1-20000")
    if not 2 <= args.players <= 12:
        ap.error("--players must be 2-12")
    if not 1 <= args.duration <= 3600 or not 0 <= args.warmup <= 600:
        ap.error("--duration must be 1-3600 s and --warmup 0-600 s")
    if not 0 <= args.stagger <= 600:
        ap.error("--stagger must be 0-600 s")
    if not 1 <= args.ramp <= 5000:
        ap.error("--ramp must be 1-5000 per second")
    if not 20 <= args.guess_seconds <= 180 or not 1 <= args.rounds <= 10:
        ap.error("--guess-seconds must be 20-180 and --rounds 1-10")
    if not 0 <= args.guess_jitter < args.guess_interval:
        ap.error("--guess-jitter must be below --guess-interval")
    lo, _, hi = args.solve_after.partition("-")
    if not (lo.isdigit() and (not hi or hi.isdigit()) and int(lo) <= int(hi or lo) <= 9):
        ap.error("--solve-after must look like 5-9 (at most 9: a guesser has 10 guesses)")
    if not 1 <= args.per_ip <= 100_000:
        ap.error("--per-ip must be 1-100000")
    if args.url:
        _loopback_only(args.url)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.no_uvloop:
        with contextlib.suppress(ImportError):
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        report = asyncio.run(asyncio.wait_for(run(args), args.max_seconds))
    except TimeoutError:
        print(f"load.py: the run passed --max-seconds {args.max_seconds:g}; stopped", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    return 1 if report.get("connected", 0) < report.get("players", 0) else 0


if __name__ == "__main__":
    sys.exit(main())
