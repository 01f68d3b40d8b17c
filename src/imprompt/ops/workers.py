"""`imprompt serve --workers N`: N server processes on one port, so one box uses all its cores.

This process binds the port once and starts N workers (`imprompt serve --fd F`), each a
whole server (its own event loop, models and sockets) accepting on the same listening
socket; the kernel hands each new connection to one of them. They share rooms, deadlines,
limits, images and socket.io messages through Redis exactly as instances on several boxes
do, which is why N > 1 needs REDIS_URL (cli.py refuses it without).

Nothing is loaded here before the workers start (no "preload"): python-socketio's Redis
manager and every connection pool must be made in the process that uses them. Connections
reach any worker, with no stickiness: fine for websocket clients (one TCP connection for
the whole session: the bundled client and `imprompt smoke` are websocket-only), but an
HTTP long-polling client would meet "session id unknown" on a worker it did not start on.

SIGTERM or SIGINT: every worker drains as a single server does (clients told, rooms
saved) within SHUTDOWN_GRACE_SECONDS; then this process exits 0. A worker that dies is
started again; one that dies within seconds of starting, three times in a row, stops all
(exit 3: the configuration or a dependency is wrong, and restarting will not mend it).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType

import structlog

log = structlog.get_logger("imprompt.workers")

QUICK_EXIT_SECONDS = 10.0  # a worker dying sooner than this after its start counts as a failed start
QUICK_EXITS_ALLOWED = 3


@dataclass
class Worker:
    slot: int
    proc: subprocess.Popen
    started: float


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def supervise(workers: int, *, host: str, port: int, grace: float) -> int:
    """Run `workers` workers on host:port until SIGTERM/SIGINT; the exit status."""
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        print(f"imprompt: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 3
    fd = sock.fileno()
    command = [sys.executable, "-m", "imprompt.cli", "serve", "--fd", str(fd)]
    stopping: list[int] = []

    def start(slot: int) -> Worker:
        proc = subprocess.Popen(command, pass_fds=[fd])  # noqa: S603 (our own command line)
        log.info("worker_started", worker=slot, pid=proc.pid)
        return Worker(slot, proc, time.monotonic())

    def stop(sig: int, frame: FrameType | None) -> None:
        if stopping:
            return
        stopping.append(sig)
        log.info("workers_stopping", signal=signal.Signals(sig).name, workers=len(running))
        for worker in running:
            if worker.proc.poll() is None:
                # SIGTERM even on SIGINT: a terminal's Ctrl-C already reached the workers, and a
                # second SIGINT would make them skip the drain
                worker.proc.send_signal(signal.SIGTERM)

    running: list[Worker] = []
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        running.extend(start(slot) for slot in range(workers))
        log.info("workers_listening", host=host, port=port, workers=workers)
        quick_exits = 0
        while not stopping:
            time.sleep(0.2)
            for i, worker in enumerate(running):
                status = worker.proc.poll()
                if status is None or stopping:
                    continue
                lived = time.monotonic() - worker.started
                log.warning(
                    "worker_exited", worker=worker.slot, pid=worker.proc.pid, status=status, seconds=round(lived, 1)
                )
                quick_exits = quick_exits + 1 if lived < QUICK_EXIT_SECONDS else 0
                if quick_exits >= QUICK_EXITS_ALLOWED:
                    log.error("workers_failing", quick_exits=quick_exits)
                    stop(signal.SIGTERM, None)
                    _wait_all(running, grace)
                    return 3
                running[i] = start(worker.slot)
        _wait_all(running, grace)
        log.info("workers_stopped")
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


def _wait_all(running: list[Worker], grace: float) -> None:
    """Every worker drains within its grace time; past it (and a margin), it is killed."""
    deadline = time.monotonic() + grace + 5.0
    for worker in running:
        try:
            worker.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.error("worker_killed", worker=worker.slot, pid=worker.proc.pid)
            worker.proc.kill()
            worker.proc.wait()
