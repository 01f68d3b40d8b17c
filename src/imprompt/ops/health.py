"""Health, liveness and readiness.

- liveness (/livez): the process answers.
- readiness (/readyz): start-up has finished (models warmed), the server is not
  draining for shutdown, and every required dependency answers.
- health (/health): the summary an operator or a dashboard reads.

Dependencies are a list: adding one (the analytics database, later) is one
`health.add_dependency("database", check)` call, where `check` is a coroutine
function that raises when the dependency is down.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

Check = Callable[[], Awaitable[object]]


@dataclass
class Dependency:
    name: str
    check: Check | None  # None: not configured
    required: bool = True


CGROUP = Path("/sys/fs/cgroup")  # inside a container: the container's own cgroup


def _read_int(path: Path) -> int | None:
    try:
        raw = path.read_text().strip()
    except OSError:
        return None
    return int(raw) if raw.isdigit() else None  # cgroup v2 writes "max" for no limit


def cgroup_limit_bytes(root: Path = CGROUP) -> int | None:
    """The container's memory limit (cgroup v2 memory.max, or v1), None when there is none
    (no file, "max", or v1's "unlimited" number, larger than the machine)."""
    machine = psutil.virtual_memory().total
    for name in ("memory.max", "memory/memory.limit_in_bytes"):
        value = _read_int(root / name)
        if value is not None and 0 < value < machine:
            return value
    return None


def cgroup_used_bytes(root: Path = CGROUP) -> int | None:
    """What the container uses, as the kernel counts it against the limit, less the file
    cache it can drop (inactive_file), the same working set `docker stats` shows: every
    process in the container (workers, the shell), not only this one."""
    for usage, stat, inactive in (
        ("memory.current", "memory.stat", "inactive_file"),
        ("memory/memory.usage_in_bytes", "memory/memory.stat", "total_inactive_file"),
    ):
        used = _read_int(root / usage)
        if used is None:
            continue
        try:
            lines = (root / stat).read_text().splitlines()
        except OSError:
            lines = []
        for line in lines:
            name, _, value = line.partition(" ")
            if name == inactive and value.strip().isdigit():
                used = max(0, used - int(value))
                break
        return used
    return None


def memory_limit_bytes(root: Path = CGROUP) -> int:
    """The container's memory limit (cgroup v2 or v1) if there is one, else the machine's memory."""
    return cgroup_limit_bytes(root) or psutil.virtual_memory().total


class Health:
    def __init__(
        self,
        *,
        version: str,
        release: str | None,
        protocol: int | str | None = None,
        memory_warn_percent: float = 80.0,
        check_timeout: float = 2.0,
        cache_seconds: float = 1.0,
        clock: Callable[[], float] = time.time,
        cgroup_root: Path = CGROUP,
    ) -> None:
        self.version = version
        self.release = release
        self.protocol = protocol
        self.memory_warn_percent = memory_warn_percent
        self.check_timeout = check_timeout
        self.cache_seconds = cache_seconds
        self.clock = clock
        self.started_at = clock()
        self.started = False  # set when start-up (lifespan) has finished
        self.draining = False  # set by the shutdown sequence; readiness fails from then on
        self.accepting: Callable[[], bool] = lambda: True  # e.g. RoomService.accepting
        self.dependencies: list[Dependency] = []
        self.instance: str | None = None  # with Redis, the presence id (rooms/presence.py)
        self.process = psutil.Process(os.getpid())
        self.cgroup = cgroup_root
        self.limited = cgroup_limit_bytes(cgroup_root) is not None  # a container with a memory limit
        self.limit = memory_limit_bytes(cgroup_root)
        self.loop_lag = 0.0
        self.last_status = "pass"
        # Filled in by the app: counts and the image chain's provider states.
        self.connections: Callable[[], int] = lambda: 0
        self.rooms: Callable[[], Awaitable[int]] | None = None
        self.players: Callable[[], int] = lambda: 0
        self.providers: Callable[[], dict] = dict
        self._cache: tuple[float, dict] | None = None
        self._lock = asyncio.Lock()

    def add_dependency(self, name: str, check: Check | None, *, required: bool = True) -> None:
        self.dependencies = [d for d in self.dependencies if d.name != name]
        self.dependencies.append(Dependency(name, check, required))

    @property
    def is_draining(self) -> bool:
        return self.draining or not self.accepting()

    # ------------------------------------------------------------ pieces

    async def _run_check(self, dep: Dependency) -> dict:
        if dep.check is None:
            return {"status": "not configured", "required": False}
        started = time.perf_counter()
        try:
            await asyncio.wait_for(dep.check(), self.check_timeout)
        except Exception as exc:
            return {
                "status": "fail",
                "required": dep.required,
                "error": type(exc).__name__,
                "responseTime": round((time.perf_counter() - started) * 1000, 2),
            }
        return {
            "status": "pass",
            "required": dep.required,
            "responseTime": round((time.perf_counter() - started) * 1000, 2),
        }

    async def check_dependencies(self, *, fresh: bool = False) -> dict[str, dict]:
        """Each dependency's state and response time in ms (cached a second: probes are cheap)."""
        async with self._lock:
            now = time.monotonic()
            if not fresh and self._cache and now - self._cache[0] < self.cache_seconds:
                return self._cache[1]
            results = await asyncio.gather(*(self._run_check(d) for d in self.dependencies))
            out = {d.name: r for d, r in zip(self.dependencies, results, strict=True)}
            self._cache = (time.monotonic(), out)
            return out

    def memory(self) -> dict:
        """This process's RSS; `percent` (the HighMemory alert and the health warning) is of the
        container's limit, by what the whole container uses, when it has one; else this
        process's RSS of the machine's memory."""
        rss = self.process.memory_info().rss
        used = cgroup_used_bytes(self.cgroup) if self.limited else None
        scope = "container" if used is not None else "process"
        used = rss if used is None else used
        percent = round(used / self.limit * 100, 2) if self.limit else None
        return {"rss": rss, "used": used, "scope": scope, "limit": self.limit, "percent": percent}

    def status_of(self, deps: dict[str, dict], memory: dict, providers: dict) -> tuple[str, list[str]]:
        reasons: list[str] = []
        failed = [n for n, d in deps.items() if d["status"] == "fail" and d.get("required")]
        for name in failed:
            reasons.append(f"{name} is down")
        if failed:
            return "fail", reasons
        if not self.started:
            reasons.append("starting")
        if self.is_draining:
            reasons.append("draining")
        for name, d in deps.items():
            if d["status"] == "fail":
                reasons.append(f"{name} (optional) is down")
        if memory.get("percent") is not None and memory["percent"] >= self.memory_warn_percent:
            reasons.append(f"memory at {memory['percent']:.0f}%")
        for name, p in providers.items():
            if isinstance(p, dict) and p.get("state") not in (None, "healthy"):
                reasons.append(f"image provider {name} is {p.get('state')}")
        if self.loop_lag > 1.0:
            reasons.append(f"event loop lag {self.loop_lag:.1f} s")
        return ("warn" if reasons else "pass"), reasons

    async def status(self) -> str:
        """pass / warn / fail, for the alert evaluator."""
        deps = await self.check_dependencies()
        status, _ = self.status_of(deps, self.memory(), self._providers())
        self.last_status = status
        return status

    async def _rooms(self) -> int | None:
        if self.rooms is None:
            return 0
        try:
            return await asyncio.wait_for(self.rooms(), self.check_timeout)
        except Exception:
            return None  # the store is unreachable; its dependency entry says why

    def _providers(self) -> dict:
        try:
            return self.providers() or {}
        except Exception:
            return {}

    # ------------------------------------------------------------ endpoints

    async def report(self) -> tuple[dict, int]:
        deps = await self.check_dependencies()
        memory = self.memory()
        providers = self._providers()
        status, reasons = self.status_of(deps, memory, providers)
        self.last_status = status
        now = self.clock()
        body: dict[str, Any] = {
            "status": status,
            "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "uptime": round(now - self.started_at, 1),
            "version": self.version,
            "release": self.release,
            "protocol": self.protocol,
            "ready": self.started
            and not self.is_draining
            and not any(d["status"] == "fail" and d.get("required") for d in deps.values()),
            "draining": self.is_draining,
            "memory": memory,
            "activeConnections": self.connections(),
            "rooms": await self._rooms(),
            "players": self.players(),
            "eventLoopLag": round(self.loop_lag, 4),
            "aiProviderStatus": providers,
            "dependencies": deps,
        }
        if self.instance is not None:
            body["instance"] = self.instance
        if reasons:
            body["notes"] = reasons
        return body, (503 if status == "fail" else 200)

    async def readiness(self) -> tuple[bool, dict]:
        if not self.started:
            return False, {"status": "starting"}
        if self.is_draining:
            return False, {"status": "draining"}
        deps = await self.check_dependencies()
        down = [n for n, d in deps.items() if d["status"] == "fail" and d.get("required")]
        if down:
            return False, {"status": "dependency_down", "down": down}
        return True, {"status": "ready"}


async def watch_loop_lag(health: Health, set_gauge: Callable[[float], None], interval: float = 0.5) -> None:
    """Measure how late the event loop wakes a timer; forever (cancel to stop)."""
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(interval)
        lag = max(0.0, loop.time() - started - interval)
        health.loop_lag = lag
        set_gauge(lag)
