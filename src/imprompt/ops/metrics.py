"""Prometheus metrics, in a registry of the app's own (two apps in one process never clash).

Names follow Prometheus conventions: a `imprompt_` prefix, base units (seconds, bytes,
US dollars) in the name, `_total` on counters. Besides the Prometheus objects, the
few totals the built-in alert evaluator needs are kept as plain numbers, so an
evaluation never parses the exposition format.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter as Tally
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from ..images.base import GeneratedImage, ImageError

# Response-time buckets, shared by HTTP and socket events so the evaluator can merge them.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
IMAGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0)
# Routes that are probes, not traffic: kept out of the error rate and response time.
PROBE_ROUTES = frozenset({"/livez", "/readyz", "/health", "/metrics"})
CONTENT_TYPE = CONTENT_TYPE_LATEST

disable_created_metrics()  # no `_created` series: they double the output and nothing here reads them


class Metrics:
    def __init__(self, *, version: str = "", release: str | None = None) -> None:
        self.registry = reg = CollectorRegistry()
        ProcessCollector(registry=reg)  # process_resident_memory_bytes, process_cpu_seconds_total, ...
        PlatformCollector(registry=reg)
        GCCollector(registry=reg)
        Gauge(
            "imprompt_build_info",
            "Version and release of the running server (always 1).",
            ["version", "release"],
            registry=reg,
        ).labels(version, release or "").set(1)
        self.http_duration = Histogram(
            "imprompt_http_request_duration_seconds",
            "HTTP request handling time, by route template.",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.socket_connections = Gauge("imprompt_socket_connections", "Open socket.io connections.", registry=reg)
        self.socket_events = Counter(
            "imprompt_socket_events",
            "socket.io events handled, by event and outcome.",
            ["event", "outcome"],
            registry=reg,
        )
        self.socket_duration = Histogram(
            "imprompt_socket_event_duration_seconds",
            "socket.io event handling time, from receipt to acknowledgement.",
            ["event"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.image_duration = Histogram(
            "imprompt_ai_image_generation_duration_seconds",
            "Time to get one image, by the provider that delivered it.",
            ["provider"],
            buckets=IMAGE_BUCKETS,
            registry=reg,
        )
        self.cache_hits = Counter("imprompt_image_cache_hits", "Images served from the image cache.", registry=reg)
        self.cache_misses = Counter("imprompt_image_cache_misses", "Images that had to be generated.", registry=reg)
        self.rate_limited = Counter(
            "imprompt_rate_limit_rejections", "Requests and events refused by a rate limit.", ["limit"], registry=reg
        )
        self.loop_lag = Gauge(
            "imprompt_event_loop_lag_seconds", "How late the event loop woke a timer, last check.", registry=reg
        )
        self.memory_limit = Gauge(
            "imprompt_memory_limit_bytes",
            "Memory available to the process (container limit, else machine).",
            registry=reg,
        )
        self.health_status = Gauge("imprompt_health_status", "Health: 0 pass, 1 warn, 2 fail.", registry=reg)
        self.alerts_firing = Gauge(
            "imprompt_alerts_firing", "Built-in alerts now firing (1) or not (0).", ["alert", "severity"], registry=reg
        )
        # Plain totals for the alert evaluator (probes excluded).
        self.requests = 0
        self.errors = 0
        self.latency_counts = [0] * (len(LATENCY_BUCKETS) + 1)
        self._http_children: dict[tuple[str, str, str], Any] = {}
        self._event_children: dict[tuple[str, str], tuple[Any, Any]] = {}
        self._limit_children: dict[str, Any] = {}

    # ------------------------------------------------------------ recording

    def _latency(self, seconds: float) -> None:
        self.latency_counts[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1

    def http(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, str(status))
        child = self._http_children.get(key)
        if child is None:
            child = self._http_children[key] = self.http_duration.labels(*key)
        child.observe(seconds)
        if route not in PROBE_ROUTES:
            self.requests += 1
            if status >= 500:
                self.errors += 1
            self._latency(seconds)

    def event(self, event: str, outcome: str, seconds: float) -> None:
        children = self._event_children.get((event, outcome))
        if children is None:
            children = self._event_children[(event, outcome)] = (
                self.socket_events.labels(event, outcome),
                self.socket_duration.labels(event),
            )
        children[0].inc()
        children[1].observe(seconds)
        self.requests += 1
        if outcome == "error":
            self.errors += 1
        self._latency(seconds)

    def limited(self, limit: str) -> None:
        child = self._limit_children.get(limit)
        if child is None:
            child = self._limit_children[limit] = self.rate_limited.labels(limit)
        child.inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


class RoomTracker:
    """Rooms and players by phase: a RoomService observer, told of every room it saves or deletes.

    With Redis, an instance counts the rooms it has written (reconciled against the
    shared room list), so the sum over instances approximates the whole."""

    def __init__(self) -> None:
        self.rooms: dict[str, tuple[str, int]] = {}  # code -> (phase, players)

    def room_saved(self, state: Any) -> None:
        phase = getattr(state.phase, "value", state.phase)
        players = sum(1 for m in state.members.values() if m.role == "player")
        self.rooms[state.code] = (str(phase), players)

    def room_deleted(self, code: str) -> None:
        self.rooms.pop(code, None)

    async def reconcile(self, codes: Callable[[], Awaitable[set[str]]]) -> None:
        live = await codes()
        for code in [c for c in self.rooms if c not in live]:
            del self.rooms[code]

    def by_phase(self) -> tuple[Tally, Tally]:
        rooms: Tally[str] = Tally()
        players: Tally[str] = Tally()
        for phase, n in list(self.rooms.values()):
            rooms[phase] += 1
            players[phase] += n
        return rooms, players

    def totals(self) -> tuple[int, int]:
        values = list(self.rooms.values())
        return len(values), sum(n for _, n in values)


class RoomCollector(Collector):
    def __init__(self, tracker: RoomTracker) -> None:
        self.tracker = tracker

    def collect(self) -> Iterable[Any]:
        rooms, players = self.tracker.by_phase()
        g_rooms = GaugeMetricFamily("imprompt_rooms", "Live rooms, by phase.", labels=["phase"])
        g_players = GaugeMetricFamily(
            "imprompt_players", "Seated players (connected or holding a seat), by phase.", labels=["phase"]
        )
        for phase in sorted(rooms):
            g_rooms.add_metric([phase], rooms[phase])
            g_players.add_metric([phase], players[phase])
        yield g_rooms
        yield g_players


class ImageMeter:
    """Wraps an image backend's `generate`: durations and cache use, and (for backends
    without the chain's own accounting) requests and spend per provider."""

    def __init__(self, backend: Any, metrics: Metrics, clock: Callable[[], float] = time.perf_counter) -> None:
        self.backend = backend
        self.metrics = metrics
        self.clock = clock
        self.requests: Tally = Tally()  # (provider, outcome) -> n; used when backend has no costs()
        self.spend: dict[str, float] = {}

    async def generate(self, prompt: str, seed: int, builtin: bool, style: str = "none") -> GeneratedImage:
        started = self.clock()
        try:
            image = await self.backend.generate(prompt, seed, builtin, style)
        except ImageError as exc:
            self.requests[("unknown", exc.kind or "failed")] += 1
            raise
        cached = bool(image.details.get("cached"))
        (self.metrics.cache_hits if cached else self.metrics.cache_misses).inc()
        if not cached:
            self.metrics.image_duration.labels(image.provider).observe(self.clock() - started)
        self.requests[(image.provider, "cached" if cached else "success")] += 1
        if image.cost_usd:
            self.spend[image.provider] = self.spend.get(image.provider, 0.0) + image.cost_usd
        return image

    def accounting(self) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
        """Cumulative (provider, outcome) -> requests, and provider -> US dollars.

        From the provider chain's own books when the backend keeps them (every attempt,
        retries and fall-throughs included), else from what this wrapper saw."""
        costs = getattr(self.backend, "costs", None)
        if costs is None:
            return {k: float(v) for k, v in self.requests.items() if k[1] != "cached"}, dict(self.spend)
        requests: dict[tuple[str, str], float] = {}
        spend: dict[str, float] = {}
        for providers in costs().get("history", {}).values():
            for name, day in providers.items():
                requests[(name, "success")] = requests.get((name, "success"), 0) + day.get("successes", 0)
                for kind, n in (day.get("failures") or {}).items():
                    requests[(name, kind)] = requests.get((name, kind), 0) + n
                spend[name] = spend.get(name, 0.0) + float(day.get("usd", 0.0))
        return requests, spend

    def totals(self) -> tuple[float, float]:
        """(requests, failures) over all providers, for the AI failure alert."""
        requests, _ = self.accounting()
        total = sum(requests.values())
        failed = sum(n for (_, outcome), n in requests.items() if outcome != "success")
        return total, failed


class ImageCollector(Collector):
    def __init__(self, meter: ImageMeter) -> None:
        self.meter = meter

    def collect(self) -> Iterable[Any]:
        requests, spend = self.meter.accounting()
        c_req = CounterMetricFamily(
            "imprompt_ai_image_requests",
            "Calls to image providers, by provider and outcome (success, or the kind of failure).",
            labels=["provider", "outcome"],
        )
        for (provider, outcome), n in sorted(requests.items()):
            c_req.add_metric([provider, outcome], n)
        c_usd = CounterMetricFamily(
            "imprompt_ai_spend_usd", "Money spent on image providers, in US dollars.", labels=["provider"]
        )
        for provider, usd in sorted(spend.items()):
            c_usd.add_metric([provider], usd)
        yield c_req
        yield c_usd
