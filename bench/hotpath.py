"""The hot path's pieces, each against what it replaced, timed in one run (issue 10).

    .venv/bin/python bench/hotpath.py [--n 3000]

A room of five in the middle of guessing, built through the real rules; then, for each
piece, the old way and the new way on the same data, alternating, and the ratio. Figures
in microseconds per call (median of 5 rounds). See bench/README.md ("load.py").
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import socketio  # noqa: E402
from engineio import async_socket  # noqa: E402
from engineio import packet as eio_packet  # noqa: E402
from limits import parse  # noqa: E402
from limits.storage import MemoryStorage  # noqa: E402
from limits.strategies import MovingWindowRateLimiter  # noqa: E402

from imprompt.game import commands as c  # noqa: E402
from imprompt.game.rules import RulesEnv, apply, new_room  # noqa: E402
from imprompt.game.state import RoomState  # noqa: E402
from imprompt.game.views import RoomViews  # noqa: E402
from imprompt.realtime.emitter import SocketEmitter  # noqa: E402
from imprompt.realtime.packet import WirePacket  # noqa: E402
from imprompt.realtime.server import SocketServer, _EngineServer, _FramedSocket  # noqa: E402
from imprompt.realtime.window import Windows  # noqa: E402


def guessing_room() -> RoomState:
    env = RulesEnv(score=lambda p, g: 20)
    now = 1000.0
    s = new_room("ABCDEF", 1, now)
    ids = [f"p{i}" for i in range(5)]

    def do(cmd: c.Command) -> list:
        nonlocal s
        out = apply(s, cmd, now, env)
        if out.error:
            raise out.error
        s = out.state
        return out.effects

    for i, m in enumerate(ids):
        do(c.Join(member_id=m, name=f"Player {i}", token_hash="x" * 64, sid=f"sid{i}"))
    do(c.UpdateSettings(ids[0], {"rounds": 10, "prompt_seconds": 30, "guess_seconds": 30}))
    for m in ids:
        do(c.SetReady(m, True))
    giver = s.turn.giver_id if s.turn else ids[0]
    job = next(e for e in do(c.SubmitPrompt(giver, "cat riding a bike")) if type(e).__name__ == "GenerateImage")
    do(c.ImageReady(url="/images/x.svg", provider="p", model="m", cost_usd=0.0, elapsed=1.0, **_turn_of(job)))
    for k, m in enumerate(x for x in ids if x != giver):
        do(c.SubmitGuess(m, f"dog number {k}"))
    return s


def _turn_of(job: object) -> dict:
    return {"turn": job.turn, "attempt": job.attempt, "game": job.game}  # type: ignore[attr-defined]


def per_call(fn: Callable[[], object], n: int) -> float:
    rounds = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - t) / n * 1e6)
    return statistics.median(rounds)


class FakeWebSocket:
    """What engine.io's websocket handler talks to, without a network: frames to read
    come from a queue, frames written are counted."""

    def __init__(self) -> None:
        self.incoming: asyncio.Queue[str | None] = asyncio.Queue()
        self.sent = 0
        self.all_sent = asyncio.Event()
        self.want = 0

    async def wait(self) -> str | None:
        return await self.incoming.get()

    async def send(self, data: str) -> None:
        self.sent += 1
        if self.sent >= self.want:
            self.all_sent.set()

    async def close(self) -> None:
        return None


async def _transport(kind: type, n: int, sockets: int) -> tuple[float, float, float]:
    """CPU us per packet sent and per packet received through one socket of `kind`, and
    bytes allocated per idle connected socket (tracemalloc) over `sockets` of them."""
    import tracemalloc

    server = _EngineServer(async_mode="asgi", async_handlers=False)  # as socket.io sets it
    server.ping_interval = 3600  # no pings inside the timing

    def connect(sid: str) -> tuple[object, FakeWebSocket, asyncio.Task]:
        sock = kind(server, sid)
        sock.schedule_ping()
        ws = FakeWebSocket()
        return sock, ws, asyncio.ensure_future(sock._websocket_handler(ws))

    sock, ws, task = connect("bench")
    await asyncio.sleep(0)
    message = eio_packet.Packet(eio_packet.MESSAGE, data='42["room:view",{"revision":1}]')
    t = time.process_time()
    for _ in range(n):  # one at a time, as a server sends them between other work
        ws.want = ws.sent + 1
        ws.all_sent.clear()
        await sock.send(message)  # type: ignore[attr-defined]
        await ws.all_sent.wait()
    send_us = (time.process_time() - t) / n * 1e6
    received = 0

    async def on_message(sid: str, data: object) -> None:
        nonlocal received
        received += 1

    server.on("message", on_message)
    for _ in range(n):
        ws.incoming.put_nowait('42["x"]')
    t = time.process_time()
    while received < n:
        await asyncio.sleep(0)
    recv_us = (time.process_time() - t) / n * 1e6
    ws.incoming.put_nowait(None)
    await task

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    held = [connect(f"s{i}") for i in range(sockets)]
    for _ in range(3):
        await asyncio.sleep(0)
    per_socket = (tracemalloc.get_traced_memory()[0] - before) / sockets
    tracemalloc.stop()
    for _, w, _ in held:
        w.incoming.put_nowait(None)
    await asyncio.gather(*(t for _, _, t in held))
    return send_us, recv_us, per_socket


async def _emits(n: int, view: dict) -> tuple[float, float]:
    """CPU us per view sent to one socket: python-socketio's emit against SocketEmitter.send."""
    sio = SocketServer(async_mode="asgi", serializer=WirePacket, async_handlers=False)
    sock = _FramedSocket(sio.eio, "e1")
    sio.eio.sockets["e1"] = sock
    ws = FakeWebSocket()
    task = asyncio.ensure_future(sock._websocket_handler(ws))
    await asyncio.sleep(0)
    sid = await sio.manager.connect("e1", "/")
    emitter = SocketEmitter(sio)
    out = []
    for send in (lambda: sio.emit("room:view", view, to=sid), lambda: emitter.send(sid, "room:view", view)):
        best = float("inf")
        for _ in range(3):
            t = time.process_time()
            for _ in range(n):
                await send()
            best = min(best, (time.process_time() - t) / n * 1e6)
        out.append(best)
    ws.incoming.put_nowait(None)
    await task
    return out[0], out[1]


def transport(n: int, view: dict) -> None:
    """engine.io's websocket path, upstream's AsyncSocket against realtime/server.py's."""
    rows = {}
    for _ in range(3):  # alternate, keep the best of three (the least disturbed)
        for name, kind in (("before", async_socket.AsyncSocket), ("after", _FramedSocket)):
            got = asyncio.run(_transport(kind, n, 2000))
            rows[name] = got if name not in rows else tuple(min(a, b) for a, b in zip(rows[name], got, strict=True))
    print(f"engine.io websocket, CPU us per packet (best of 3 runs of {n}) and KiB per idle socket (2,000 sockets)")
    print(f"{'piece':32s} {'before':>9s} {'after':>9s} {'ratio':>8s}   before -> after")
    labels = ("a packet sent", "a packet received", "KiB per idle socket")
    how = (
        "queue + writer task -> written in the sender's coroutine",
        "a task + wait_for per read -> read in the connection's task",
        "writer, poll, read and ping tasks -> none (a ping timer)",
    )
    for i, label in enumerate(labels):
        before, after = rows["before"][i], rows["after"][i]
        if i == 2:
            before, after = before / 1024, after / 1024
        print(f"{label:32s} {before:9.2f} {after:9.2f} {before / after:7.1f}x   {how[i]}")
    before, after = asyncio.run(_emits(n, view))
    print(
        f"{'a view to one socket (emit)':32s} {before:9.2f} {after:9.2f} {before / after:7.1f}x"
        "   sio.emit (a task per recipient + asyncio.wait) -> SocketEmitter.send straight to the socket"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000, help="calls per round")
    n = ap.parse_args(argv).n
    state = guessing_room()
    raw = state.model_dump_json()
    members = list(state.members)
    now = 1001.0

    old_limiter, item = MovingWindowRateLimiter(MemoryStorage()), parse("20 per second")
    windows = Windows(item)
    keys = [f"sid{i}" for i in range(2000)]
    counter = iter(range(10**9))

    def old_hit() -> None:
        old_limiter.hit(item, "event", keys[next(counter) % 2000])

    def new_hit() -> None:
        windows.hit(keys[next(counter) % 2000])

    texts: dict[str, str] = {}
    stale: set[str] = set()

    view = RoomViews(state, now).of(members[1])
    data = ["room:view", view]

    def per_member_views() -> None:
        for m in members:
            RoomViews(state, now).of(m)

    def shared_views() -> None:
        views = RoomViews(state, now)
        for m in members:
            views.of(m)

    pieces: list[tuple[str, str, Callable[[], object], str, Callable[[], object]]] = [
        (
            "the room a command works on",
            "model_copy(deep=True)",
            lambda: state.model_copy(deep=True),
            "apply(owned=True): none",
            lambda: None,
        ),
        (
            "loading the room",
            "model_validate_json",
            lambda: RoomState.model_validate_json(raw),
            "MemoryStore keeps it: a dict lookup",
            lambda: {"ABCDEF": state}.get("ABCDEF"),
        ),
        (
            "saving the room",
            "model_dump_json per save",
            lambda: texts.__setitem__("ABCDEF", state.model_dump_json()),
            "MemoryStore: marked, written when read",
            lambda: stale.add("ABCDEF"),
        ),
        ("a rate-limit hit", "limits MemoryStorage", old_hit, "window.Windows", new_hit),
        ("views for 5 members", "each built whole", per_member_views, "RoomViews shared", shared_views),
        (
            "encoding a view packet",
            "socketio Packet (json + binary walk)",
            lambda: socketio.packet.Packet(2, data=data).encode(),
            "WirePacket (orjson, no walk)",
            lambda: WirePacket(2, data=data).encode(),
        ),
    ]
    print(f"hot path pieces, us per call (median of 5 rounds of {n}); room JSON {len(raw)} bytes")
    print(f"{'piece':32s} {'before':>9s} {'after':>9s} {'saved':>9s} {'ratio':>8s}   before -> after")
    for name, old_name, old, new_name, new in pieces:
        before, after = per_call(old, n), per_call(new, n)
        ratio = f"{before / after:7.1f}x" if after >= 0.5 else "       -"  # "-": next to nothing is left
        print(f"{name:32s} {before:9.2f} {after:9.2f} {before - after:9.2f} {ratio}   {old_name} -> {new_name}")
    print("(the old limiter's cost is mostly its expiry thread, which runs beside these calls and is not timed here)")
    print()
    transport(n, view)
    return 0


if __name__ == "__main__":
    sys.exit(main())
