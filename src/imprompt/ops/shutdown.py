"""Graceful shutdown: SIGTERM/SIGINT drain the server and exit 0 within the grace time.

uvicorn on its own, on SIGTERM, closes every websocket at once (code 1012), then runs
the app's lifespan shutdown, and finally re-raises the signal (so the exit status is
143, not 0). `GracefulServer` changes three things:

1. At the signal, `Lifecycle.begin()` runs synchronously: readiness turns 503 and the
   room service refuses new rooms and joins, before anything else happens.
2. The app's drain hooks run *before* uvicorn closes the connections: every client is
   told `server:restarting`, in-flight images get a moment to land, sockets are
   detached from their rooms and every live room is saved.
3. Then uvicorn's own shutdown runs with `timeout_graceful_shutdown` set to what is left
   of `SHUTDOWN_GRACE_SECONDS` (keeping a reserve for the lifespan shutdown: final save,
   analytics flush, pools closed), and the process exits 0. A watchdog thread ends the
   process if anything still hangs when the grace time is over.

A second SIGINT (Ctrl-C twice) forces an immediate exit, as in uvicorn.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from types import FrameType
from typing import Any

import structlog
import uvicorn

from ..realtime import dispatch

log = structlog.get_logger("imprompt.shutdown")

Hook = Callable[[], Awaitable[None]]


class Lifecycle:
    """What the app knows about shutting down: are we draining, and how long is left."""

    def __init__(self, grace: float = 10.0) -> None:
        self.grace = grace
        self.draining = False
        self.started_at: float | None = None  # time.monotonic() of the signal
        self._on_begin: list[Callable[[], None]] = []
        self._drain_hooks: list[tuple[str, Hook]] = []

    def on_begin(self, callback: Callable[[], None]) -> None:
        """A synchronous step run at once when draining starts (flip a flag)."""
        self._on_begin.append(callback)

    def on_drain(self, name: str, hook: Hook) -> None:
        """An async step run while clients are still connected, in registration order."""
        self._drain_hooks.append((name, hook))

    def begin(self) -> None:
        if self.draining:
            return
        self.draining = True
        self.started_at = time.monotonic()
        for callback in self._on_begin:
            try:
                callback()
            except Exception:  # pragma: no cover - a flag setter
                log.exception("drain_begin_failed")

    def remaining(self) -> float:
        """Seconds left of the grace time (the whole grace time when not draining)."""
        if self.started_at is None:
            return self.grace
        return max(0.0, self.grace - (time.monotonic() - self.started_at))

    async def drain(self, budget: float) -> None:
        self.begin()
        deadline = time.monotonic() + budget
        for name, hook in self._drain_hooks:
            left = deadline - time.monotonic()
            if left <= 0:
                log.warning("drain_step_skipped", step=name)
                continue
            try:
                await asyncio.wait_for(hook(), timeout=left)
            except TimeoutError:
                log.warning("drain_step_timed_out", step=name)
            except Exception:
                log.exception("drain_step_failed", step=name)


class GracefulServer(uvicorn.Server):
    # Share of the grace time for the drain hooks, and what is kept for the lifespan shutdown.
    DRAIN_SHARE = 0.5
    LIFESPAN_SHARE = 0.3

    def __init__(self, config: uvicorn.Config, lifecycle: Lifecycle) -> None:
        super().__init__(config)
        self.lifecycle = lifecycle
        self._loop: asyncio.AbstractEventLoop | None = None
        self._draining_task: asyncio.Task | None = None
        self.exit_signal: int | None = None

    async def serve(self, sockets: Any = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Unlike uvicorn, the signal is not recorded for re-raising: we exit 0 ourselves.
        if self.exit_signal is not None:
            if sig == signal.SIGINT:
                self.force_exit = True
            return
        self.exit_signal = sig
        if not self.started or self._loop is None:
            self.should_exit = True  # still starting: nothing to drain
            return
        self.lifecycle.begin()
        _Watchdog(self.lifecycle.grace).start()
        self._loop.call_soon_threadsafe(self._start_drain)

    def _start_drain(self) -> None:
        self._draining_task = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        grace = self.lifecycle.grace
        log.info(
            "shutdown_started",
            signal=signal.Signals(self.exit_signal).name if self.exit_signal else None,
            grace_seconds=grace,
        )
        try:
            await self.lifecycle.drain(grace * self.DRAIN_SHARE)
        finally:
            left = self.lifecycle.remaining()
            # uvicorn declares an int but waits with asyncio.wait_for, which takes fractions
            self.config.timeout_graceful_shutdown = max(0.2, left - grace * self.LIFESPAN_SHARE)  # type: ignore[assignment]
            self.should_exit = True


class _Watchdog(threading.Thread):
    """Ends the process if the graceful path overruns the grace time."""

    def __init__(self, grace: float) -> None:
        super().__init__(name="shutdown-watchdog", daemon=True)
        self.grace = grace

    def run(self) -> None:
        time.sleep(max(0.5, self.grace - 0.25))
        print(f"imprompt: shutdown took longer than {self.grace:g} s; exiting now", file=sys.stderr, flush=True)
        os._exit(0)


def serve(app: Any, *, host: str, port: int, lifecycle: Lifecycle, **uvicorn_options: Any) -> int:
    """Run `app` under uvicorn until SIGTERM/SIGINT, draining through `lifecycle` (the app's,
    `app.services.lifecycle`, whose grace is SHUTDOWN_GRACE_SECONDS); returns the exit status."""
    grace = lifecycle.grace
    config = uvicorn.Config(app, host=host, port=port, timeout_graceful_shutdown=max(1, int(grace)), **uvicorn_options)
    server = GracefulServer(config, lifecycle)
    server.run()
    if not server.started:
        return 3  # uvicorn's status for "could not start" (port taken, start-up failed)
    log.info("shutdown_complete", seconds=round(time.monotonic() - (lifecycle.started_at or time.monotonic()), 2))
    return 0


def _notice(answer: dict[str, Any]) -> dict[str, Any]:
    """The `server:restarting` notice saying what the refusal of a later event says."""
    return {"message": answer["error"]["message"], "retryAfter": answer["error"]["retryAfter"]}


RESTARTING = _notice(dispatch.RESTARTING)  # to a socket that holds a seat
RESTARTING_UNSEATED = _notice(dispatch.RESTARTING_UNSEATED)  # to one that holds none: no seat is held


def wire(lifecycle: Lifecycle, *, service: Any, sio: Any, data: Any = None, rooms_in_process: bool = True) -> None:
    """The app's drain, in order: refuse new rooms and joins (at once), tell every client
    on this instance, give in-flight images a moment, detach the sockets from their rooms
    (in-process rooms only: their closing must not change the saved rooms; from then on an
    event that needs a seat is answered `server_restarting`, see realtime/dispatch.py and
    docs/protocol.md), save the rooms,
    let the queued messages reach the sockets, and answer pending long polls, before
    uvicorn closes the connections."""
    lifecycle.on_begin(lambda: setattr(service, "accepting", False))

    async def notify() -> None:
        for sid, _ in list(sio.manager.get_participants("/", None)):  # this instance's clients only
            try:
                seated = bool((await sio.get_session(sid)).get("code"))
            except KeyError:
                continue  # gone meanwhile
            notice = RESTARTING if seated else RESTARTING_UNSEATED
            await sio.emit("server:restarting", notice, to=sid, ignore_queue=True)

    async def images() -> None:
        jobs = getattr(service, "images", None)
        if jobs is not None and hasattr(jobs, "drain"):
            await jobs.drain(timeout=min(2.0, lifecycle.grace * 0.2))

    async def detach() -> None:
        for sid, _ in list(sio.manager.get_participants("/", None)):
            try:
                async with sio.session(sid) as session:
                    code = session.get("code")
                    session.clear()
                    if code:  # the dispatcher tells this socket its seat is held (realtime/dispatch.py)
                        session[dispatch.DETACHED] = code
            except KeyError:
                pass  # gone meanwhile

    async def end_long_polls() -> None:
        # A long-polling client's pending request would hold uvicorn's shutdown until its
        # graceful timeout; closing its Engine.IO session answers it now (the client sees a
        # transport close and reconnects). Websocket clients are closed by uvicorn (1012).
        for eio_sid, eio_socket in list(sio.eio.sockets.items()):
            if not eio_socket.upgraded:
                try:
                    await eio_socket.close(wait=False)
                except Exception:
                    log.debug("long_poll_close_failed", eio_sid=eio_sid)

    async def flush() -> None:
        await asyncio.sleep(0.3)

    lifecycle.on_drain("notify_clients", notify)
    lifecycle.on_drain("images", images)
    if rooms_in_process:
        lifecycle.on_drain("detach_sockets", detach)
    if data is not None:
        lifecycle.on_drain("save_rooms", data.drain)
    lifecycle.on_drain("flush_sends", flush)
    lifecycle.on_drain("end_long_polls", end_long_polls)
