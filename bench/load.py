"""Load generator: bot players play real games against a real imprompt server over websockets.

    .venv/bin/python bench/load.py --players-total 16000     # issue 10's workload at 16,000 players
    .venv/bin/python bench/load.py --rooms 40                # 200 players, a quick look (~2 minutes)
    .venv/bin/python bench/load.py --players-total 10000 --idle   # connected, seated, doing nothing
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --server-pid 1234
    .venv/bin/python bench/load.py --rooms 40 --redis-url redis://127.0.0.1:6379/9 --instances 2   # behind nginx

The workload (issue 10, the default): N players in rooms of 5. The host creates the room,
four join, the host sets rounds 10, promptSeconds 30, guessSeconds 30 (reveal 8 s is the
server's REVEAL_SECONDS). Rooms start staggered over 30 s: all five send player:ready, the
host sends game:start 1 s after the last ready (the lobby starts a game by itself once all
are ready: then the host's start is not needed, and is counted, not sent); a finished game
is restarted with game:new and the same readiness. The prompt giver submits a short prompt
3 +/- 0.5 s after prompting starts; each guesser guesses every 5 +/- 1 s (uniform) from the
start of guessing, never later than 28 s into it, with random words that are not in the
prompt (they almost never solve, so guessing runs its full 30 s). Guesses are sent on
schedule whether or not the previous one was answered (an open loop).

The load phase starts when every socket is connected and every room is seated in its lobby
(the first room's player:ready is sent at that moment); the figures are measured over a
22 s window starting 35 s into it. By default the server (bench/_server.py: `imprompt serve`
with its settings and uvicorn options, real offline pictogram images) runs pinned to CPU 0,
the bots on the other CPUs. See bench/README.md.

The bots speak the socket.io v4 / Engine.IO v4 text protocol themselves over aiohttp
websockets (one asyncio loop), not through python-socketio's AsyncClient: see
bench/README.md ("Why a minimal client").
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
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import orjson

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
ACK_TIMEOUT = 15.0  # --ack-timeout
CONNECT_TIMEOUT = 15.0
now = time.perf_counter

_loads = orjson.loads  # the server's own JSON library (a dependency): the bots' CPU matters at 16,000


def _dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode()


LOAD_PHASE = (
    "load phase: t=0 when every socket is connected and every room is seated in its lobby;"
    " room i of R sends its readiness at t = stagger * i / R"
)


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
    rooms_seated: int = 0
    games_started: int = 0  # games that left the lobby (seen in the host's view)
    host_starts: int = 0  # game:start sent and accepted
    auto_starts: int = 0  # the lobby had started the game itself: the host's start was not needed
    new_games: int = 0
    sent: int = 0  # client->server events written in the window
    sent_all: int = 0  # ... and over the whole run (progress lines)
    received_all: int = 0
    guesses_all: int = 0
    sent_by_event: dict[str, int] = field(default_factory=dict)
    received: int = 0  # server->client socket.io packets in the window: events + acks
    received_bytes: int = 0  # their text, in characters
    pings: int = 0  # Engine.IO pings in the window (not in `received`)
    views: int = 0  # room:view received (window)
    guesses_sent: int = 0  # guess:submit written in the window
    guesses_acked: int = 0  # ... answered (whatever the answer)
    guesses_rejected: int = 0  # ... answered ok: false
    guesses_lost: int = 0  # ... not answered within ACK_TIMEOUT, or the socket closed first
    guesses_pending: int = 0
    guesses_skipped: int = 0  # a scheduled guess not sent: the turn had moved on (window)
    guess_acks: list[float] = field(default_factory=list)  # ok answers, window
    solved: int = 0  # guesses that solved (the workload means to avoid them)
    prompts: int = 0
    acks_lost: int = 0  # any event, whole run
    view_lat: dict[str, list[float]] = field(default_factory=lambda: {"prompt": []})
    views_missing: int = 0  # a member never got the view of a state change within 30 s
    stale_views: int = 0  # a view with a lower revision than one already seen
    errors: dict[str, int] = field(default_factory=dict)
    loop_lag: list[float] = field(default_factory=list)
    # what the bots did, to check the workload (whole load phase): seconds into the phase
    prompt_at: list[float] = field(default_factory=list)  # prompt:submit written, s into prompting
    guess_at: list[float] = field(default_factory=list)  # guess:submit written, s into guessing
    guesses_per_turn: list[int] = field(default_factory=list)  # per guesser and complete turn
    image_wait: list[float] = field(default_factory=list)  # prompt:submit written -> guessing began
    image_providers: dict[str, int] = field(default_factory=dict)  # per turn, from the host's reveal view

    def in_window(self, t: float) -> bool:
        return self.window is not None and self.window[0] <= t < self.window[1]

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


# ---------------------------------------------------------------- a minimal socket.io v4 client


class SocketError(Exception):
    pass


class AckLost(SocketError):
    """No acknowledgement: the timeout passed or the socket closed first."""


class Sock:
    """One websocket, Engine.IO v4 + socket.io v4 text packets, default namespace.

    "0{...}" open, "40" connect, "2"/"3" ping/pong, "42[event,data]" an event,
    "42<id>[event,data]" an event that wants an ack, "43<id>[data]" the ack."""

    __slots__ = ("bench", "on_event", "ws", "acks", "next_id", "connected", "reader", "closing")

    def __init__(self, bench: Bench, on_event: Callable[[float, str, Any], None]) -> None:
        self.bench = bench
        self.on_event = on_event
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.acks: dict[int, asyncio.Future] = {}
        self.next_id = 0
        self.connected: asyncio.Future | None = None
        self.reader: asyncio.Task | None = None
        self.closing = False

    @property
    def open(self) -> bool:
        return self.ws is not None and not self.ws.closed

    async def connect(self, session: aiohttp.ClientSession, ws_url: str) -> None:
        loop = asyncio.get_running_loop()
        self.connected = loop.create_future()
        # compress=0: no permessage-deflate offer, so none is negotiated whatever the server allows
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
                    stats.received_all += 1
                    if stats.window and stats.window[0] <= t < stats.window[1]:
                        stats.received += 1
                        stats.received_bytes += len(data)
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
                    if stats.window and stats.window[0] <= t < stats.window[1]:
                        stats.pings += 1
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
                    fut.set_exception(AckLost("disconnected"))
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
        bench = self.bench
        bench.ack_deadlines.append((now() + ACK_TIMEOUT, fut, self, aid, event))
        packet = f"42{aid}" + _dumps([event, data])
        t0 = now()
        if marker is not None:
            marker.t0 = t0
        stats = bench.stats
        stats.sent_all += 1
        if stats.window and stats.window[0] <= t0 < stats.window[1]:
            stats.sent += 1
            stats.sent_by_event[event] = stats.sent_by_event.get(event, 0) + 1
        await ws.send_str(packet)
        try:
            t1, reply = await fut  # Bench.ack_sweeper fails it after ACK_TIMEOUT
        except AckLost:
            stats.acks_lost += 1
            raise
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


def _vocabulary(max_words: int) -> tuple[list[str], list[str]]:
    """Short prompts from the game's own theme packs, and the content words they use."""
    from imprompt.game.suggestions import THEMES

    prompts = [p for p in THEMES["mixed"] if 1 <= len(p.split()) <= max_words]
    stop = {"a", "an", "the", "on", "in", "of", "at", "to", "with", "and", "its", "his", "her", "for", "by"}
    words = sorted({_word(w) for p in THEMES["mixed"] for w in p.split()} - stop - {""})
    return prompts, words


def _word(w: str) -> str:
    return w.strip(".,!?'\"").lower()


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
        self.starting = False
        self.prompt_sent: dict[tuple[int, int], float] = {}

    def mark(self, bench: Bench, kind: str, t0: float, shows: Callable[[dict], bool]) -> Marker | None:
        if not bench.stats.in_window(t0):
            return None
        waiting = {b.id for b in self.bots if b.id and b.sock.open}
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

    def seated(self) -> list[Bot]:
        return [b for b in self.bots if b.id and b.sock.open]

    async def ready_and_start(self, bench: Bench) -> None:
        """All players ready; the host starts 1 s after the last ready, unless the lobby already
        started the game by itself (every connected player ready): then it is counted, not sent."""
        if self.starting or bench.stopping:
            return
        self.starting = True
        try:
            host = self.bots[0]
            game = (host.view or {}).get("game", 0)
            bots = self.seated()
            results = await asyncio.gather(
                *(b.call("player:ready", {"ready": True}) for b in bots), return_exceptions=True
            )
            for r in results:
                if isinstance(r, BaseException):
                    bench.stats.error(f"player:ready: {type(r).__name__}: {r}"[:100])
            await asyncio.sleep(bench.args.host_start_delay)
            if bench.stopping or not host.sock.open:
                return
            view = host.view or {}
            if view.get("game", 0) > game or view.get("phase") != "lobby":
                bench.stats.auto_starts += 1
                return
            try:
                _, _, reply = await host.call("game:start", {}, tolerate=("wrong_phase",))
            except SocketError as exc:
                bench.stats.error(f"game:start: {exc}")
                return
            if reply.get("ok"):
                bench.stats.host_starts += 1
            else:  # the game started meanwhile
                bench.stats.auto_starts += 1
        finally:
            self.starting = False


class Bot:
    __slots__ = ("bench", "room", "seat", "name", "id", "sock", "revision", "view", "rng", "turns", "finishing")

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
        self.turns: set[tuple[int, int, str]] = set()  # (game, turn, phase) already acted on
        self.finishing = False

    # -------------------------------------------------------- incoming

    def on_event(self, t: float, event: str, data: Any) -> None:
        if event == "room:view":
            self.on_view(t, data)
        elif event in ("room:kicked", "room:replaced", "room:closed", "image:failed", "server:restarting"):
            self.bench.stats.error(f"event {event}")

    def on_view(self, t: float, view: dict) -> None:
        bench = self.bench
        stats = bench.stats
        if stats.window and stats.window[0] <= t < stats.window[1]:
            stats.views += 1
        rev = view["revision"]
        if rev < self.revision:
            stats.stale_views += 1
            return
        self.revision = rev
        self.view = view
        self.room.seen(bench, self, t, view)
        if bench.stopping or bench.idle:
            return
        phase, turn = view["phase"], view["turn"]
        if phase == "finished":
            if view["hostId"] == self.id and not self.finishing:
                self.finishing = True
                bench.spawn(self.new_game())
            return
        if turn is None:
            return
        if phase == "reveal":
            key = (view["game"], turn["number"], phase)
            if view["hostId"] == self.id and key not in self.turns:
                self.turns.add(key)
                name = str(turn.get("imageProvider"))
                stats.image_providers[name] = stats.image_providers.get(name, 0) + 1
        elif phase == "prompting":
            key = (view["game"], turn["number"], f"prompting {turn['failures']}")  # again after a failed image
            if turn["giverId"] == self.id and key not in self.turns and not view["paused"] and view["deadline"]:
                self.turns.add(key)
                # prompting began at deadline - promptSeconds (server wall clock, same machine)
                began = bench.local(view["deadline"] - view["settings"]["promptSeconds"])
                bench.spawn(self.submit_prompt(key[:2], began))
        elif phase == "guessing":
            key = (view["game"], turn["number"], phase)
            if self.id in turn["guesserIds"] and key not in self.turns and turn.get("guessStartedAt"):
                self.turns.add(key)
                bench.spawn(self.guess_turn(key[:2], bench.local(turn["guessStartedAt"])))

    # -------------------------------------------------------- outgoing

    async def call(
        self, event: str, data: Any, marker: Marker | None = None, tolerate: tuple[str, ...] = ()
    ) -> tuple[float, float, dict]:
        t0, t1, reply = await self.sock.emit(event, data, marker)
        if not reply.get("ok"):
            code = (reply.get("error") or {}).get("code", "?")
            if code not in tolerate:
                self.bench.stats.error(f"{event}: {code}")
        return t0, t1, reply

    async def submit_prompt(self, key: tuple[int, int], began: float) -> None:
        b = self.bench
        a = b.args
        await asyncio.sleep(max(0.0, began + self.rng.uniform(a.prompt_after - 0.5, a.prompt_after + 0.5) - now()))
        view = self.view
        if (
            b.stopping
            or view is None
            or view["phase"] != "prompting"
            or view["turn"] is None
            or (view["game"], view["turn"]["number"]) != key
        ):
            return
        prompt = self.rng.choice(b.prompts)
        room = self.room
        game, number = key
        t = now()
        b.stats.prompt_at.append(t - began)
        room.prompt_sent[key] = t
        marker = room.mark(
            b,
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
            b.stats.error(f"prompt:submit: {exc}")
            return
        if reply.get("ok"):
            b.stats.prompts += 1
            room.prompts[key] = reply["prompt"]
        elif marker is not None and marker in room.markers:
            room.markers.remove(marker)

    async def new_game(self) -> None:
        try:
            await asyncio.sleep(1.0)
            if self.bench.stopping:
                return
            _, _, reply = await self.call("game:new", {})
            if reply.get("ok"):
                self.bench.stats.new_games += 1
                await self.room.ready_and_start(self.bench)
        except SocketError as exc:
            self.bench.stats.error(f"game:new: {exc}")
        finally:
            self.finishing = False

    def wrong_guess(self, prompt: str | None) -> str:
        """1-3 random words of the theme vocabulary, none of them a word of the prompt."""
        rng, words = self.rng, self.bench.words
        banned = {_word(w) for w in prompt.split()} if prompt else set()
        guess: list[str] = []
        k = rng.randint(1, 3)
        while len(guess) < k:
            w = rng.choice(words)
            if w not in banned and w not in guess:
                guess.append(w)
        return " ".join(guess)

    async def guess_turn(self, key: tuple[int, int], began: float) -> None:
        """One guess every interval +/- jitter from the start of guessing, the last one no later
        than --guess-cutoff s into it. Open loop: each guess is its own task."""
        b = self.bench
        a = b.args
        lo, hi = a.guess_interval - a.guess_jitter, a.guess_interval + a.guess_jitter
        due = began + self.rng.uniform(lo, hi)
        cutoff = began + a.guess_cutoff
        sent_at = self.room.prompt_sent.pop(key, None)  # the first guesser of the room to get here
        if sent_at is not None:
            b.stats.image_wait.append(began - sent_at)
        sent = 0
        while due <= cutoff and not b.stopping:
            await asyncio.sleep(max(0.0, due - now()))
            view = self.view
            if (
                b.stopping
                or view is None
                or view["phase"] != "guessing"
                or view["turn"] is None
                or (view["game"], view["turn"]["number"]) != key
            ):
                if b.stats.in_window(now()):
                    b.stats.guesses_skipped += 1
                return
            yours = view["turn"].get("yours") or {}
            if yours.get("solved") or yours.get("guessesLeft", 1) <= 0:
                return
            b.stats.guess_at.append(now() - began)
            b.spawn(self.guess(self.wrong_guess(self.room.prompts.get(key))))
            sent += 1
            due += self.rng.uniform(lo, hi)
        if not b.stopping:
            b.stats.guesses_per_turn.append(sent)

    async def guess(self, text: str) -> None:
        stats = self.bench.stats
        counted = stats.in_window(now())
        stats.guesses_all += 1
        if counted:
            stats.guesses_sent += 1
            stats.guesses_pending += 1
        try:
            t0, t1, reply = await self.call("guess:submit", {"text": text})
        except AckLost as exc:
            if counted:
                stats.guesses_lost += 1
            stats.error(f"guess:submit: {exc}")
            return
        except SocketError as exc:
            if counted:
                stats.guesses_lost += 1
            stats.error(f"guess:submit: {exc}")
            return
        finally:
            if counted:
                stats.guesses_pending -= 1
        if counted:
            stats.guesses_acked += 1
            if reply.get("ok"):
                stats.guess_acks.append(t1 - t0)
            else:
                stats.guesses_rejected += 1
        if reply.get("ok") and reply.get("solved"):
            stats.solved += 1


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


Pid = int | tuple[int, ...] | None  # a tuple: the servers behind nginx (--instances), summed


def proc_cpu_seconds(pid: Pid) -> float | None:
    if isinstance(pid, tuple):
        parts = [proc_cpu_seconds(p) for p in pid]
        return None if None in parts else sum(p or 0.0 for p in parts)
    if pid is None:
        return None
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


def proc_rss(pid: Pid) -> int | None:
    if isinstance(pid, tuple):
        parts = [proc_rss(p) for p in pid]
        return None if None in parts else sum(p or 0 for p in parts)
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return None


def server_env(args: argparse.Namespace, rooms: int) -> dict[str, str]:
    """What the spawned server gets on top of this environment: production, and the workload's
    server-side settings. Everything else (limits included) keeps its production default."""
    env = {
        "APP_ENV": "production",
        "LOG_LEVEL": "warning",
        "REVEAL_SECONDS": f"{args.reveal_seconds:g}",
        # the default (2,000) is below 16,000 players' 3,200 rooms; a capacity, not an abuse limit
        "MAX_ROOMS": str(max(2000, rooms + 100)),
    }
    if getattr(args, "instances", 0):  # behind nginx: the bots' addresses come in X-Forwarded-For
        env["TRUSTED_PROXIES"] = "127.0.0.1"
    if args.images == "pictogram":  # the built-in offline generator only, whatever keys are around
        env.update({"AI_PROVIDER": "pictogram", "AI_FALLBACKS": "", "PICTOGRAM_FALLBACK": "true"})
    return env


class Server:
    def __init__(self, args: argparse.Namespace, rooms: int) -> None:
        self.args = args
        self.rooms = rooms
        self.proc: subprocess.Popen | None = None
        self.pid: Pid = None
        self.log = None
        self.workdir: str | None = None
        self.pin = False  # set by run(): pin the spawned server to --server-cpu

    def start(self, *, flush: bool = True) -> str:
        a = self.args
        if a.url:
            _, port = _loopback_only(a.url)
            self.pid = a.server_pid or _listener_pid(port)
            wanted = " ".join(f"{k}={v}" for k, v in server_env(a, self.rooms).items())
            print(f"server: {a.url} (pid {self.pid}); the workload expects it to run with {wanted}")
            return a.url.rstrip("/").replace("ws://", "http://", 1)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if a.server == "cli":
            cmd = [str(Path(sys.executable).with_name("imprompt")), "serve", "--host", "127.0.0.1", "--port", str(port)]
        else:
            cmd = [sys.executable, str(ROOT / "bench" / "_server.py"), "--port", str(port)]
            if a.images == "stub":
                cmd += ["--stub-images", "--image-delay", str(a.image_delay)]
            cmd += a.server_arg
        use_taskset = self.pin and shutil.which("taskset") is not None
        if use_taskset:
            cmd = ["taskset", "-c", str(a.server_cpu), *cmd]
        self.workdir = tempfile.mkdtemp(prefix="imprompt-bench-")
        extra = server_env(a, self.rooms)
        env = {**os.environ, **extra, "PYTHONUNBUFFERED": "1"}
        env.setdefault("CORS_ORIGINS", f"http://127.0.0.1:{port}")  # production refuses "*"; the bots send no Origin
        # A private database, image and backup directory for this run: the server saves live rooms
        # every few seconds and restores them at start, so it must not use (nor fill) data/.
        env["DATABASE_URL"] = f"sqlite:///{self.workdir}/bench.db"
        env["BACKUP_DIR"] = f"{self.workdir}/backups"
        env["IMAGE_DIR"] = f"{self.workdir}/images"
        env.pop("REDIS_URL", None)
        if a.redis_url:  # on Redis (the store, schedule, limits and pub/sub): emptied first
            import redis

            if flush:
                redis.Redis.from_url(a.redis_url).flushdb()
            env["REDIS_URL"] = a.redis_url
        self.log = open(Path(self.workdir) / "server.log", "w+")  # noqa: SIM115 - open while the server runs
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = self.proc.pid  # taskset execs the command: same pid
        if self.pin and not use_taskset:  # no taskset: pin it from here (before it starts any thread)
            os.sched_setaffinity(self.pid, {a.server_cpu})
        print(
            f"server: {' '.join(cmd)}\n  env {' '.join(f'{k}={v}' for k, v in extra.items())}"
            f"\n  pid {self.pid}; database, images and log in {self.workdir},"
            f" {'kept' if a.keep_server_dir else 'removed at the end'}"
        )
        return f"http://127.0.0.1:{port}"

    def exit_status(self) -> str:
        code = None if self.proc is None else self.proc.poll()
        if code is None:
            return "still running"
        if code < 0:
            with contextlib.suppress(ValueError):
                return f"killed by signal {signal.Signals(-code).name}"
            return f"killed by signal {-code}"
        return f"exit status {code}"

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

    def log_lines(self) -> list[str] | None:
        """The spawned server's log lines (LOG_LEVEL=warning: warnings and errors), without
        _server.py's own GC lines; None for a server started elsewhere."""
        if self.log is None:
            return None
        if not self.log.closed:
            self.log.flush()
        try:
            with open(self.log.name, encoding="utf-8", errors="replace") as f:
                return [ln.rstrip() for ln in f if ln.strip() and not ln.startswith(("gc", "experiment:"))]
        except OSError:
            return None

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
        self.idle = args.idle
        self.stats = Stats()
        self.stopping = False
        self.tasks: set[asyncio.Task] = set()
        self.ack_deadlines: deque[tuple[float, asyncio.Future, Sock, int, str]] = deque()  # in deadline order
        self.rng = random.Random(args.seed)
        self.prompts, self.words = _vocabulary(args.prompt_words)
        self.rooms = [Room(i) for i in range(args.rooms)]
        self.bots = [Bot(self, room, seat) for room in self.rooms for seat in range(args.room_size)]
        for bot in self.bots:
            bot.room.bots.append(bot)
        # perf_counter() = wall time - offset: server times (epoch seconds, same machine) to local
        self.offset = time.time() - now()

    def local(self, server_time: float) -> float:
        return server_time - self.offset

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def ack_sweeper(self) -> None:
        """Fail the acks that waited ACK_TIMEOUT (one task for all sockets instead of a
        wait_for per event, which costs the bots' loop a timer, a callback and a future each)."""
        queue = self.ack_deadlines
        while True:
            await asyncio.sleep(0.2)
            t = now()
            while queue and queue[0][0] <= t:
                _, fut, sock, aid, event = queue.popleft()
                if not fut.done():
                    sock.acks.pop(aid, None)
                    fut.set_exception(AckLost(f"no ack for {event} within {ACK_TIMEOUT:g} s"))

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
        """The host creates the room, the others join one after another, the host sets the
        workload's settings (the rest keep the game's defaults)."""
        host, others = room.bots[0], room.bots[1:]
        a = self.args
        try:
            if not host.sock.open:
                return
            _, _, reply = await host.call("room:create", {"name": host.name})
            if not reply.get("ok"):
                return
            room.code, host.id = reply["code"], reply["playerId"]
            host.on_view(now(), reply["view"])
            self.stats.seated += 1
            for bot in others:
                if not bot.sock.open:
                    continue
                _, _, reply = await bot.call("room:join", {"code": room.code, "name": bot.name})
                if reply.get("ok"):
                    bot.id = reply["playerId"]
                    bot.on_view(now(), reply["view"])
                    self.stats.seated += 1
            settings = {"rounds": a.rounds, "promptSeconds": a.prompt_seconds, "guessSeconds": a.guess_seconds}
            _, _, reply = await host.call("room:settings", settings)
            if reply.get("ok"):
                self.stats.rooms_seated += 1
        except SocketError as exc:
            self.stats.error(f"seat: {exc}")

    async def seat_all(self) -> None:
        """--seat-rate rooms per second, at most 100 being set up at once: a server slower than
        that seats them more slowly instead of piling up commands until their acks time out."""
        rate = self.args.seat_rate
        sem = asyncio.Semaphore(100)

        async def one(room: Room) -> None:
            async with sem:
                await self.seat_room(room)

        started = now()
        pending = []
        for i, room in enumerate(self.rooms):
            due = started + i / rate
            if due > now():
                await asyncio.sleep(due - now())
            pending.append(asyncio.create_task(one(room)))
        await asyncio.gather(*pending)

    async def start_rooms(self, t0: float) -> None:
        """Room i of R sends its readiness at t0 + stagger * i / R."""
        n = len(self.rooms)
        for i, room in enumerate(self.rooms):
            due = t0 + self.args.stagger * i / n
            if due > now():
                await asyncio.sleep(due - now())
            if self.stopping:
                return
            if room.code:
                self.spawn(room.ready_and_start(self))

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
            raise SystemExit(f"the server exited during start-up ({server.exit_status()}):\n{server.tail()}")
        with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError, OSError):
            async with session.get(url + "/livez", timeout=aiohttp.ClientTimeout(total=2)) as r:
                if r.status == 200:
                    return
        await asyncio.sleep(0.25)
    raise SystemExit(f"the server did not answer {url}/livez within {timeout:g} s\n{server.tail()}")


async def settled_rss(pid: Pid, server: Server, longest: float = 20.0) -> int | None:
    """The server's RSS once it stops moving: two 1 s steps in a row under 256 KiB, at most `longest` s."""
    if pid is None:
        return None
    last, calm, t_end = proc_rss(pid), 0, now() + longest
    while now() < t_end and calm < 2:
        await asyncio.sleep(1.0)
        if not server.alive():
            raise SystemExit(f"the server died ({server.exit_status()}):\n{server.tail()}")
        rss = proc_rss(pid)
        calm = calm + 1 if rss is not None and last is not None and abs(rss - last) < 256 * 1024 else 0
        last = rss
    return last


def mib(n: float | None) -> str:
    return "n/a" if n is None else f"{n / 2**20:.1f} MiB"


def _per(a: int | None, b: int | None, n: int) -> float | None:
    return (b - a) / n / 1024 if a is not None and b is not None and n else None


async def run(args: argparse.Namespace) -> dict:
    bench = Bench(args)
    stats = bench.stats
    n = len(bench.bots)
    report: dict[str, Any] = {"args": dict(vars(args)), "players": n, "rooms": args.rooms, "mode": _mode(args)}
    hard_deadline = now() + args.max_seconds

    # The spawned server on --server-cpu, the bots on the other CPUs.
    cpus = set(os.sched_getaffinity(0))
    pin = not args.no_pin and not args.url and len(cpus) >= 2 and args.server_cpu in cpus
    if pin:
        os.sched_setaffinity(0, cpus - {args.server_cpu})
    # Open files: one per socket here, and as many in the server (it inherits this limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + n // max(1, args.per_ip) + 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    print(f"open files limit: {soft} (hard {hard}); needed about {want}")
    if soft != resource.RLIM_INFINITY and soft < want:
        print(f"  warning: {n} sockets need about {want} open files; raise the hard limit (ulimit -Hn)")

    server: Any = Server(args, args.rooms)  # or _cluster.Balanced, which answers the same calls
    if args.instances:
        from _cluster import Balanced  # bench/ is this script's directory

        server = Balanced(args, args.rooms, Server)
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
        print(
            f"per-IP limits at production values: {len(sources)} loopback source addresses"
            f" ({sources[0]} .. {sources[-1]}), {args.per_ip} sockets each"
        )
    else:
        print("source address: one (the server's per-IP limits must allow every bot; see bench/README.md)")
    lag_task = None
    try:
        await wait_ready(session, url, server, timeout=10 if args.url else 120)
        if server.pid is None and args.url:
            server.pid = _listener_pid(urlsplit(url).port or 80)
        pid = server.pid
        if pid is None:
            print("server pid unknown (give --server-pid): no server CPU or memory figures")
        else:
            with contextlib.suppress(OSError):
                first = pid[0] if isinstance(pid, tuple) else pid
                report["server_cpus"] = sorted(os.sched_getaffinity(first))
        report["bot_cpus"] = sorted(os.sched_getaffinity(0))
        print(
            f"CPUs: server {report.get('server_cpus', 'unknown')}, bots {report['bot_cpus']}"
            + ("" if pin or args.url else " (not pinned)")
        )
        rss0 = await settled_rss(pid, server, 10)
        lag_task = asyncio.create_task(bench.lag_monitor())
        sweeper = asyncio.create_task(bench.ack_sweeper())

        # 1. Connect everybody, idle, gradually; memory per idle connection (RSS slope).
        t = now()
        print(f"connecting {n} sockets at {args.ramp:g}/s ...")
        await bench.connect_all(sessions, ws_url)
        connect_s = now() - t
        deflated = sum(1 for b in bench.bots if b.sock.ws is not None and b.sock.ws.compress)
        print(f"per-message deflate negotiated on {deflated} sockets (the bots never offer it)")
        rss_idle = await settled_rss(pid, server)
        per_idle = _per(rss0, rss_idle, stats.connected)
        print(
            f"connected {stats.connected}/{n} in {connect_s:.1f} s; server RSS {mib(rss0)} -> {mib(rss_idle)}"
            f" settled ({'n/a' if per_idle is None else f'{per_idle:.1f} KiB'} per idle connection)"
        )

        # 2. Seat the rooms in their lobbies (create, 4 joins, settings).
        t = now()
        print(f"seating {args.rooms} rooms of {args.room_size} at {args.seat_rate:g} rooms/s ...")
        await asyncio.wait_for(bench.seat_all(), max(30.0, hard_deadline - now() - 120))
        seat_s = now() - t
        rss_seated = await settled_rss(pid, server)
        per_seated = _per(rss0, rss_seated, stats.seated)
        print(
            f"seated {stats.seated} players, {stats.rooms_seated} rooms set up in {seat_s:.1f} s;"
            f" server RSS {mib(rss_seated)} ({'n/a' if per_seated is None else f'{per_seated:.1f} KiB'}"
            " per seated player)"
        )
        report.update(
            {
                "connected": stats.connected,
                "connect_failed": stats.connect_failed,
                "connect_seconds": connect_s,
                "seated": stats.seated,
                "rooms_seated": stats.rooms_seated,
                "seat_seconds": seat_s,
                "server_rss_start": rss0,
                "server_rss_idle": rss_idle,
                "server_rss_seated": rss_seated,
                "kib_per_idle_connection": per_idle,
                "kib_per_seated_player": per_seated,
            }
        )

        # 3. The load phase (or, --idle, nothing at all), and the window. The bots' own cyclic
        # GC is off from here on, so that its pauses do not pass for server latency (bot objects
        # are freed by reference counting).
        gc.collect()
        gc.freeze()
        gc.disable()
        t0 = now()
        if args.idle:
            w0 = t0 + 1.0
            print(f"idle: {stats.seated} players seated in lobbies, doing nothing; measuring for {args.duration:g} s")
        else:
            w0 = t0 + args.window_start
            print(LOAD_PHASE.replace("stagger", f"{args.stagger:g} s"))
            print(
                f"load phase started; rooms start over {args.stagger:g} s; measuring"
                f" t={args.window_start:g}..{args.window_start + args.duration:g} s"
            )
            bench.spawn(bench.start_rooms(t0))
        stats.window = (w0, w0 + args.duration)
        report["load_phase"] = LOAD_PHASE if not args.idle else "idle: t=0 after seating"
        report["window"] = [w0 - t0, w0 - t0 + args.duration]
        window = await measure(bench, server, pid, t0, report)

        # Answers to the window's guesses that are still on their way.
        t_wait = now() + ACK_TIMEOUT + 1
        while stats.guesses_pending > 0 and now() < t_wait:
            await asyncio.sleep(0.1)
        gc.enable()
        bench.stopping = True
        if isinstance(pid, int) and server.proc is not None and "--gc-stats" in args.server_arg:
            os.kill(pid, signal.SIGUSR1)  # bench/_server.py prints its GC summary
            await asyncio.sleep(3.0)
            report["server_gc"] = [ln for ln in server.tail(400).splitlines() if ln.startswith("gc")][-5:]
        for room in bench.rooms:  # markers still waiting at the end: views that did not arrive
            for m in room.markers:
                if m.waiting and now() - m.t0 > 5:
                    stats.views_missing += len(m.waiting)
        players = max(1, stats.seated)
        report.update(
            {
                "window_s": window,
                "games_started": stats.host_starts + stats.auto_starts,
                "host_starts": stats.host_starts,
                "auto_starts": stats.auto_starts,
                "new_games": stats.new_games,
                "sent_per_s": stats.sent / window,
                "sent_by_event": dict(stats.sent_by_event),
                "received_per_s": stats.received / window,
                "received_per_player_s": stats.received / window / players,
                "views_per_player_s": stats.views / window / players,
                "pings_per_s": stats.pings / window,
                "received_chars_per_message": stats.received_bytes / max(1, stats.received),
                "guesses_per_s": stats.guesses_sent / window,
                "guesses_sent": stats.guesses_sent,
                "guesses_acked": stats.guesses_acked,
                "guesses_rejected": stats.guesses_rejected,
                "guesses_lost": stats.guesses_lost,
                "guesses_pending_at_end": stats.guesses_pending,
                "guesses_skipped": stats.guesses_skipped,
                "guess_ack_ms": _p(stats.guess_acks),
                "view_prompt_ms": _p(stats.view_lat["prompt"]),
                "views_missing": stats.views_missing,
                "stale_views": stats.stale_views,
                "bot_loop_lag_ms": _p(stats.loop_lag),
                "errors": dict(stats.errors),
                "acks_lost": stats.acks_lost,
                "disconnected": stats.disconnected,
                "solved": stats.solved,
                "deflate_sockets": deflated,
                "workload_check": workload_check(stats),
            }
        )
        log_lines = server.log_lines()
        report["server_log_lines"] = None if log_lines is None else len(log_lines)
        report["server_log_head"] = (log_lines or [])[:5]
        print_report(report, stats)
        for line in report.get("server_gc", []):
            print(f"server {line}")
    finally:
        bench.stopping = True
        gc.enable()
        for task in list(bench.tasks):
            task.cancel()
        if lag_task:
            lag_task.cancel()
            sweeper.cancel()
        await asyncio.gather(*bench.tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(bench.close_all(), 30)
        await session.close()
        for extra in sessions:
            await extra.close()
        server.stop()
    return report


async def measure(bench: Bench, server: Server, pid: Pid, t0: float, report: dict) -> float:
    """Progress lines every --report-every s from t0; the window's CPU, RSS and machine figures."""
    args, stats = bench.args, bench.stats
    w0, w1 = stats.window
    last_t, last_cpu, last = t0, proc_cpu_seconds(pid), (stats.guesses_all, stats.received_all, stats.sent_all)
    cpu0 = busy0 = load0 = bot0 = rss_w0 = None
    started = False
    w0_real = w0
    samples: list[float] = []
    profiler = None
    if args.profile_bots:
        import cProfile

        profiler = cProfile.Profile()
    next_print = t0 + args.report_every
    while True:
        t_now = now()
        if not started and t_now >= w0:
            started = True
            cpu0, bot0, busy0, load0 = proc_cpu_seconds(pid), time.process_time(), cpu_busy(), os.getloadavg()
            w0_real, rss_w0 = t_now, proc_rss(pid)
            if profiler is not None:
                profiler.enable()
        if t_now >= w1:
            break
        targets = [x for x in (w0, w1, next_print) if x > t_now]
        await asyncio.sleep(max(0.0, min(targets) - t_now))
        if not server.alive():
            raise SystemExit(f"the server died during the run ({server.exit_status()}):\n{server.tail()}")
        t = now()
        if t + 0.01 >= next_print:
            next_print += args.report_every
            cpu = proc_cpu_seconds(pid)
            dt = t - last_t
            share = (cpu - last_cpu) / dt * 100 if cpu is not None and last_cpu is not None else None
            if stats.in_window(last_t) and share is not None:
                samples.append(share)
            g, r, s = stats.guesses_all, stats.received_all, stats.sent_all
            acks = stats.guess_acks[-2000:]
            tag = "in window" if stats.in_window(t - 0.01) else ""
            print(
                f"  t={t - t0:5.1f}s  sent {(s - last[2]) / dt:7.1f}/s  guesses {(g - last[0]) / dt:6.1f}/s"
                f"  received {(r - last[1]) / dt:7.1f}/s  guess->ack p99 {pct(acks, 99) * 1000:6.1f} ms"
                f"  server CPU {'n/a' if share is None else f'{share:5.1f} %'}  RSS {mib(proc_rss(pid))}"
                f"  sockets {stats.connected - stats.disconnected}  {tag}"
            )
            last_cpu, last_t, last = cpu, t, (g, r, s)
    cpu1, bot1, busy1, load1 = proc_cpu_seconds(pid), time.process_time(), cpu_busy(), os.getloadavg()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile_bots)
        print(f"bots' profile over the window (cProfile, it slows them down) in {args.profile_bots}")
    window = now() - w0_real
    server_cpu = (cpu1 - cpu0) / window * 100 if cpu0 is not None and cpu1 is not None else None
    report.update(
        {
            "server_cpu_pct": server_cpu,
            "server_cpu_pct_max_interval": max(samples, default=None),
            "server_cpu_us_per_command": (cpu1 - cpu0) / stats.sent * 1e6
            if server_cpu is not None and stats.sent
            else None,
            "server_cpu_us_per_received": (cpu1 - cpu0) / stats.received * 1e6
            if server_cpu is not None and stats.received
            else None,
            "server_cpu_ms_per_guess": (cpu1 - cpu0) / stats.guesses_sent * 1e3
            if server_cpu is not None and stats.guesses_sent
            else None,
            "server_rss_window_start": rss_w0,
            "server_rss_end": proc_rss(pid),
            "bot_cpu_pct": (bot1 - bot0) / window * 100,
            "bot_cpu_us_per_message": (bot1 - bot0) / max(1, stats.received + stats.sent + stats.pings) * 1e6,
            "cpu_busy_pct": {
                c: 100 * (busy1[c][0] - busy0[c][0]) / max(1, busy1[c][1] - busy0[c][1]) for c in busy1 if c in busy0
            },
            "loadavg": [load0[0], load1[0]],
            "other_cpu_pct": None,
        }
    )
    if server_cpu is not None:  # everything busy on the machine but the server and the bots
        report["other_cpu_pct"] = sum(report["cpu_busy_pct"].values()) - server_cpu - report["bot_cpu_pct"]
    return window


def _p(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": pct(values, 50) * 1000,
        "p95": pct(values, 95) * 1000,
        "p99": pct(values, 99) * 1000,
        "max": max(values) * 1000 if values else float("nan"),
    }


def _mode(args: argparse.Namespace) -> str:
    if args.idle:
        return "idle: connected and seated in lobbies, nothing sent"
    return (
        f"issue 10 workload: rooms of {args.room_size}, rounds {args.rounds}, prompt {args.prompt_seconds} s,"
        f" guess {args.guess_seconds} s, reveal {args.reveal_seconds:g} s; start over {args.stagger:g} s"
        f" (all ready, host start +{args.host_start_delay:g} s); prompt at {args.prompt_after:g} +/- 0.5 s;"
        f" a guess every {args.guess_interval:g} +/- {args.guess_jitter:g} s until {args.guess_cutoff:g} s;"
        f" images {args.images}"
    )


def _secs(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"{min(values):.2f} / {pct(values, 50):.2f} / {max(values):.2f} s"


def workload_check(stats: Stats) -> str:
    """What the bots did over the whole load phase, against the workload's definition."""
    per_turn = stats.guesses_per_turn
    mean = sum(per_turn) / len(per_turn) if per_turn else float("nan")
    return (
        f"prompt written min/p50/max {_secs(stats.prompt_at)} into prompting (n={len(stats.prompt_at)});"
        f" guesses written {_secs(stats.guess_at)} into guessing, {mean:.2f} per guesser and turn"
        f" (n={len(per_turn)}); image (prompt written -> guessing began) {_secs(stats.image_wait)},"
        f" by {', '.join(f'{k} {v}' for k, v in sorted(stats.image_providers.items())) or 'n/a'}"
    )


def print_report(r: dict, stats: Stats) -> None:
    def f(x: float | None, fmt: str = "{:.1f}") -> str:
        return "n/a" if x is None else fmt.format(x)

    w = r["window"]
    print()
    print(f"== {r['players']} players ({r['rooms']} rooms) · {r['mode']} ==")
    print(f"{r['load_phase']}; measured t={w[0]:g}..{w[1]:g} s ({r['window_s']:.1f} s)")
    print(
        f"set-up                    {r['connected']}/{r['players']} sockets in {r['connect_seconds']:.1f} s"
        f" (failed {r['connect_failed']}); seated {r['seated']}, {r['rooms_seated']} rooms set up"
        f" in {r['seat_seconds']:.1f} s"
    )
    print(
        f"memory (RSS slope)        {f(r['kib_per_idle_connection'])} KiB per idle connected player"
        f" (settled, before -> after connecting); {f(r['kib_per_seated_player'])} KiB per seated player"
    )
    print(
        f"server RSS                start {mib(r['server_rss_start'])}, connected {mib(r['server_rss_idle'])},"
        f" seated {mib(r['server_rss_seated'])}, window start {mib(r['server_rss_window_start'])},"
        f" end {mib(r['server_rss_end'])}"
    )
    print(
        f"server CPU                {f(r['server_cpu_pct'])} % of one core"
        f" (max {f(r['server_cpu_pct_max_interval'])} % over a {r['args']['report_every']:g} s interval)"
    )
    if not r["args"]["idle"]:
        print(
            f"games started             {r['games_started']} (host's start sent {r['host_starts']}; not needed,"
            f" the lobby had started it: {r['auto_starts']}); new games {r['new_games']}"
        )
        by = ", ".join(f"{k} {v / r['window_s']:.1f}" for k, v in sorted(r["sent_by_event"].items()))
        print(f"commands sent             {r['sent_per_s']:.1f}/s ({by})")
        print(
            f"  CPU per command         {f(r['server_cpu_us_per_command'], '{:.0f}')} us"
            f" (all server CPU / commands); per received message {f(r['server_cpu_us_per_received'], '{:.0f}')} us;"
            f" per guess {f(r['server_cpu_ms_per_guess'], '{:.2f}')} ms"
        )
    print(
        f"messages received         {r['received_per_player_s']:.3f} per player per s"
        f" ({r['received_per_s']:.1f}/s: views {r['views_per_player_s']:.3f} per player per s, the rest acks"
        f" and other events, {r['received_chars_per_message']:.0f} characters each on average;"
        f" Engine.IO pings {r['pings_per_s']:.1f}/s not counted)"
    )
    if not r["args"]["idle"]:
        print(f"guess -> ack              {ms3(stats.guess_acks)}")
        print(
            f"guesses sent/acked/lost   {r['guesses_sent']} / {r['guesses_acked']} / {r['guesses_lost']}"
            f" (rejected {r['guesses_rejected']}, solved {r['solved']}, skipped as the turn had ended"
            f" {r['guesses_skipped']}, unanswered at the end {r['guesses_pending_at_end']})"
        )
        print(f"prompt:submit -> view     {ms3(stats.view_lat['prompt'])}")
        print(f"workload check            {workload_check(stats)}")
    print(f"views missing / stale     {r['views_missing']} / {r['stale_views']}")
    busy = r["cpu_busy_pct"]
    total = sum(busy.values()) / max(1, len(busy))
    print(
        f"machine                   CPU busy {total:.0f} % over {len(busy)} CPUs ("
        + ", ".join(f"cpu{c} {v:.0f} %" for c, v in sorted(busy.items()))
        + f"; everything running, this run included); load average {r['loadavg'][0]:.2f} -> {r['loadavg'][1]:.2f}"
    )
    others = r["other_cpu_pct"]
    if others is not None:
        print(
            f"  other processes         {others:.0f} % of one core besides the server and the bots"
            + ("  ** the machine was busy with other work: not comparable **" if others > 10 else "")
        )
    print(
        f"bot process               CPU {r['bot_cpu_pct']:.1f} % ({r['bot_cpu_us_per_message']:.0f} us per message"
        f" received or sent); event-loop lag {ms3(stats.loop_lag)}"
    )
    if r.get("server_log_lines") is not None:
        print(
            f"server log                {r['server_log_lines']} lines (warnings and errors)"
            + "".join(f"\n    {ln[:200]}" for ln in r["server_log_head"][:3])
        )
    errs = r["errors"]
    failures = r["connect_failed"] + r["disconnected"] + r["acks_lost"] + sum(errs.values())
    print(
        f"client failures           {failures}: connect failed {r['connect_failed']}, dropped {r['disconnected']},"
        f" acks lost {r['acks_lost']}, errors {sum(errs.values())}"
        + ("" if not errs else "  " + ", ".join(f"{k}: {v}" for k, v in sorted(errs.items(), key=lambda kv: -kv[1])))
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--players-total", type=int, help="players in all (rounded up to whole rooms); default 2000")
    size.add_argument("--rooms", type=int, help="rooms (players = rooms x --room-size)")
    ap.add_argument("--room-size", "--players", type=int, default=5, help="players per room (2-12)")
    ap.add_argument("--idle", action="store_true", help="connect and seat everybody, then measure doing nothing")
    ap.add_argument(
        "--duration",
        type=float,
        help="seconds measured (default 22; --idle: 50, two of Engine.IO's 25 s ping intervals)",
    )
    ap.add_argument("--window-start", type=float, default=35, help="the window starts this many s into the load phase")
    ap.add_argument("--stagger", type=float, default=30, help="rooms start over this many seconds, evenly")
    ap.add_argument(
        "--host-start-delay", type=float, default=1.0, help="the host's game:start this long after the last ready"
    )
    ap.add_argument("--rounds", type=int, default=10, help="the rooms' rounds (1-10)")
    ap.add_argument("--prompt-seconds", type=int, default=30, help="the rooms' promptSeconds (15-120)")
    ap.add_argument("--guess-seconds", type=int, default=30, help="the rooms' guessSeconds (20-180)")
    ap.add_argument("--reveal-seconds", type=float, default=8, help="the spawned server's REVEAL_SECONDS")
    ap.add_argument("--prompt-after", type=float, default=3.0, help="the giver submits this +/- 0.5 s into prompting")
    ap.add_argument("--prompt-words", type=int, default=4, help="prompts of at most this many words (theme packs)")
    ap.add_argument("--guess-interval", type=float, default=5.0, help="seconds between a guesser's guesses")
    ap.add_argument("--guess-jitter", type=float, default=1.0, help="+/- seconds around --guess-interval (uniform)")
    ap.add_argument("--guess-cutoff", type=float, default=28.0, help="no guess later than this many s into guessing")
    ap.add_argument("--ramp", type=float, default=300, help="new connections per second (16,000 in about 55 s)")
    ap.add_argument("--seat-rate", type=float, default=60, help="rooms seated per second (create, joins, settings)")
    ap.add_argument(
        "--per-ip",
        type=int,
        default=30,
        help="sockets per loopback source address (the server allows 64 per IP and 60 new per minute)",
    )
    ap.add_argument("--ack-timeout", type=float, default=ACK_TIMEOUT, help="an event not answered within this is lost")
    ap.add_argument("--url", help="target a running server at this loopback URL instead of starting one")
    ap.add_argument(
        "--server-pid", type=int, help="with --url: the server's pid (found from the listening port when omitted)"
    )
    ap.add_argument(
        "--server",
        choices=("app", "cli"),
        default="app",
        help="app: bench/_server.py (imprompt serve + diagnosis options); cli: `imprompt serve` as is",
    )
    ap.add_argument(
        "--images",
        choices=("pictogram", "stub"),
        default="pictogram",
        help="pictogram: the built-in offline generator (AI_PROVIDER=pictogram); stub: --server app's tiny SVG"
        " after --image-delay s",
    )
    ap.add_argument("--image-delay", type=float, default=1.0, help="--images stub: seconds the stub takes")
    ap.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="--server app: pass this argument to bench/_server.py (repeat; e.g. --server-arg=--gc-stats)",
    )
    ap.add_argument(
        "--redis-url",
        help="the spawned server keeps rooms in this Redis database (EMPTIED first), e.g. redis://127.0.0.1:6379/9",
    )
    ap.add_argument(
        "--instances",
        type=int,
        default=0,
        help="with --redis-url: start this many servers on that Redis behind nginx (round robin, websocket"
        " only, bench/_cluster.py); the bots connect to nginx, server CPU and RSS are the servers' and nginx's sum",
    )
    ap.add_argument(
        "--keep-server-dir",
        action="store_true",
        help="keep the spawned server's temporary directory (database, log) after the run",
    )
    ap.add_argument("--server-cpu", type=int, default=0, help="the CPU the server is pinned to")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the server and the bots to CPUs")
    ap.add_argument("--report-every", type=float, default=5, help="seconds between progress lines")
    ap.add_argument("--max-seconds", type=float, default=900, help="hard limit on the whole run")
    ap.add_argument("--json", help="also write the figures to this file as JSON")
    ap.add_argument("--profile-bots", metavar="FILE", help="cProfile the bots over the window into FILE (pstats)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-uvloop", action="store_true", help="plain asyncio loop for the bots")
    args = ap.parse_args(argv)
    if args.duration is None:
        args.duration = 50.0 if args.idle else 22.0
    if not 2 <= args.room_size <= 12:
        ap.error("--room-size (alias --players) is per room, 2-12; for all players use --players-total")
    if args.rooms is None:
        total = 2000 if args.players_total is None else args.players_total
        args.rooms = -(-total // args.room_size)
    if not 1 <= args.rooms <= 20_000:
        ap.error("--rooms must be 1-20000 (--players-total up to 20000 x --room-size)")
    if not 1 <= args.duration <= 3600 or not 0 <= args.window_start <= 3600:
        ap.error("--duration must be 1-3600 s and --window-start 0-3600 s")
    if not 0 <= args.stagger <= 600 or not 0 <= args.host_start_delay <= 60:
        ap.error("--stagger must be 0-600 s and --host-start-delay 0-60 s")
    if not 1 <= args.ramp <= 5000 or not 0.1 <= args.seat_rate <= 2000:
        ap.error("--ramp must be 1-5000 per second and --seat-rate 0.1-2000")
    if not 20 <= args.guess_seconds <= 180 or not 15 <= args.prompt_seconds <= 120 or not 1 <= args.rounds <= 10:
        ap.error("--guess-seconds must be 20-180, --prompt-seconds 15-120 and --rounds 1-10")
    if not 1 <= args.reveal_seconds <= 60:
        ap.error("--reveal-seconds must be 1-60 (the server's range)")
    if not 0 <= args.guess_jitter < args.guess_interval:
        ap.error("--guess-jitter must be below --guess-interval")
    if not 0 < args.guess_cutoff <= args.guess_seconds:
        ap.error("--guess-cutoff must be within --guess-seconds")
    if not 0.5 <= args.prompt_after < args.prompt_seconds or not 2 <= args.prompt_words <= 8:
        ap.error("--prompt-after must be 0.5 s to --prompt-seconds, --prompt-words 2-8")
    if not 1 <= args.ack_timeout <= 120:
        ap.error("--ack-timeout must be 1-120 s")
    if not 1 <= args.per_ip <= 100_000:
        ap.error("--per-ip must be 1-100000")
    if args.images == "stub" and args.server != "app":
        ap.error("--images stub needs --server app")
    if args.instances and (not args.redis_url or args.url or not 1 <= args.instances <= 16):
        ap.error("--instances (1-16) needs --redis-url and starts its own servers (no --url)")
    if args.url:
        _loopback_only(args.url)
    return args


def main(argv: list[str] | None = None) -> int:
    global ACK_TIMEOUT
    args = parse_args(argv)
    ACK_TIMEOUT = args.ack_timeout
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
