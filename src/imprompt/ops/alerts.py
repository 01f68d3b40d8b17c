"""Built-in alerts: rules over rolling windows of the server's own measurements.

Every `ALERT_EVALUATION_SECONDS` the evaluator takes a Sample (cumulative request and
error counts, the response-time histogram, AI image calls and failures, memory, the
health status), keeps a rolling history, and evaluates each rule the way Prometheus
would: a ratio or quantile over the rule's window must stay past its threshold for
the rule's duration before the alert fires. Firing and resolving are logged, kept for
GET /api/alerts and POSTed to ALERT_WEBHOOK_URL. deploy/prometheus/alerts.yml holds
the same rules for operators who run Prometheus.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import structlog

from ..config import AlertSettings
from .metrics import LATENCY_BUCKETS

log = structlog.get_logger("imprompt.alerts")


@dataclass(frozen=True)
class Sample:
    """One reading. Counters are cumulative since start; the rest are instantaneous."""

    at: float
    requests: float = 0.0  # HTTP requests (probes excluded) + socket events
    errors: float = 0.0  # HTTP 5xx + socket events that failed on our side
    latency: tuple[float, ...] = ()  # observations per LATENCY_BUCKETS slot (+Inf last)
    ai_requests: float = 0.0
    ai_failures: float = 0.0
    memory_percent: float | None = None
    health: str = "pass"  # pass | warn | fail


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str  # warning | critical
    measure: str  # error_rate | p95_seconds | ai_failure_rate | memory_percent | health_failing
    threshold: float
    for_seconds: float
    window: float  # seconds of history a ratio or quantile is computed over
    summary: str
    rollback: bool = False  # a critical alert that should roll the last deploy back


def rules_from(settings: AlertSettings) -> list[Rule]:
    s = settings
    return [
        Rule(
            "HighErrorRate",
            "warning",
            "error_rate",
            s.alert_error_rate_warning,
            s.alert_error_rate_for_seconds,
            s.alert_error_rate_for_seconds,
            "Error rate above {threshold:.0%}",
        ),
        Rule(
            "CriticalErrorRate",
            "critical",
            "error_rate",
            s.alert_error_rate_critical,
            s.alert_error_rate_for_seconds,
            s.alert_error_rate_for_seconds,
            "Error rate above {threshold:.0%}",
            rollback=True,
        ),
        Rule(
            "HighMemory",
            "warning",
            "memory_percent",
            s.alert_memory_percent,
            s.alert_memory_for_seconds,
            0,
            "Memory above {threshold:.0f}% of the limit",
        ),
        Rule(
            "AIImageFailures",
            "warning",
            "ai_failure_rate",
            s.alert_ai_failure_rate,
            s.alert_ai_failure_for_seconds,
            s.alert_ai_failure_for_seconds,
            "AI image failures above {threshold:.0%}",
        ),
        Rule(
            "SlowResponses",
            "warning",
            "p95_seconds",
            s.alert_p95_warning_seconds,
            s.alert_p95_warning_for_seconds,
            max(60.0, s.alert_p95_warning_for_seconds),
            "Response time (p95) above {threshold:g} s",
        ),
        Rule(
            "VerySlowResponses",
            "critical",
            "p95_seconds",
            s.alert_p95_critical_seconds,
            s.alert_p95_critical_for_seconds,
            max(60.0, s.alert_p95_critical_for_seconds),
            "Response time (p95) above {threshold:g} s",
            rollback=True,
        ),
        Rule(
            "HealthFailing",
            "critical",
            "health_failing",
            0.5,
            s.alert_health_fail_for_seconds,
            0,
            "Health check failing",
            rollback=True,
        ),
    ]


def histogram_quantile(q: float, counts: list[float], bounds: tuple[float, ...] = LATENCY_BUCKETS) -> float:
    """Prometheus' estimate: linear interpolation inside the bucket holding the q-quantile."""
    total = sum(counts)
    rank = q * total
    seen = 0.0
    for i, n in enumerate(counts):
        if n > 0 and seen + n >= rank:
            if i >= len(bounds):
                return bounds[-1]  # in the +Inf bucket: the highest finite bound
            lower = bounds[i - 1] if i > 0 else 0.0
            return lower + (bounds[i] - lower) * ((rank - seen) / n)
        seen += n
    return 0.0


@dataclass
class AlertState:
    rule: Rule
    state: str = "inactive"  # inactive | pending | firing
    value: float | None = None
    since: float | None = None  # pending or firing since
    fired_at: float | None = None

    def describe(self) -> dict:
        r = self.rule
        return {
            "name": r.name,
            "severity": r.severity,
            "state": self.state,
            "rollback": r.rollback,
            "summary": r.summary.format(threshold=r.threshold),
            "measure": r.measure,
            "value": None if self.value is None else round(self.value, 4),
            "threshold": r.threshold,
            "forSeconds": r.for_seconds,
            "windowSeconds": r.window,
            "since": _iso(self.since),
            "firedAt": _iso(self.fired_at),
        }


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _increase(new: float, old: float) -> float:
    return new if new < old else new - old  # a drop means the counter was reset


class AlertEvaluator:
    def __init__(
        self,
        rules: list[Rule],
        sampler: Callable[[], Awaitable[Sample]] | None = None,
        *,
        min_events: int = 20,
        clock: Callable[[], float] = time.time,
        notify: Callable[[dict], Coroutine[Any, Any, None]] | None = None,
        on_change: Callable[[AlertState], None] | None = None,
    ) -> None:
        self.rules = rules
        self.sampler = sampler
        self.min_events = min_events
        self.clock = clock
        self.notify = notify
        self.on_change = on_change
        self.states = {r.name: AlertState(r) for r in rules}
        self.history: deque[Sample] = deque()
        self.events: deque[dict] = deque(maxlen=100)  # recent firing/resolved transitions
        self.keep = max([r.window for r in rules] + [r.for_seconds for r in rules] + [60.0]) + 120
        self._tasks: set[asyncio.Task] = set()

    # ------------------------------------------------------------ measures

    def _base(self, now: float, window: float) -> Sample | None:
        """The newest sample at least `window` old, else the oldest one (a partial window).
        A window of 0 means "since the previous evaluation"."""
        if len(self.history) < 2:
            return None
        if window <= 0:
            return self.history[-2]
        base = self.history[0]
        for s in self.history:
            if s.at <= now - window:
                base = s
            else:
                break
        return base if base is not self.history[-1] else None

    def measure(self, rule: Rule, now: float) -> float | None:
        latest = self.history[-1]
        if rule.measure == "memory_percent":
            return latest.memory_percent
        if rule.measure == "health_failing":
            return 1.0 if latest.health == "fail" else 0.0
        base = self._base(now, rule.window)
        if base is None:
            return None
        if rule.measure == "error_rate":
            total = _increase(latest.requests, base.requests)
            bad = _increase(latest.errors, base.errors)
        elif rule.measure == "ai_failure_rate":
            total = _increase(latest.ai_requests, base.ai_requests)
            bad = _increase(latest.ai_failures, base.ai_failures)
        elif rule.measure == "p95_seconds":
            if not latest.latency:
                return None
            old = base.latency or tuple(0.0 for _ in latest.latency)
            counts = [_increase(n, o) for n, o in zip(latest.latency, old, strict=False)]
            if sum(counts) < self.min_events:
                return None
            return histogram_quantile(0.95, counts)
        else:
            raise ValueError(f"unknown measure {rule.measure!r}")
        if total < self.min_events:
            return None  # too little traffic to judge a ratio
        return bad / total

    # ------------------------------------------------------------ evaluation

    async def evaluate(self, sample: Sample | None = None) -> list[dict]:
        """Take (or accept) one sample and move every rule's state; returns the transitions."""
        if sample is None:
            if self.sampler is None:
                raise RuntimeError("no sampler configured")
            sample = await self.sampler()
        self.history.append(sample)
        now = sample.at
        while len(self.history) > 2 and self.history[1].at < now - self.keep:
            self.history.popleft()
        changes = []
        for state in self.states.values():
            rule = state.rule
            value = self.measure(rule, now)
            state.value = value
            active = value is not None and value > rule.threshold
            if active and state.state == "inactive":
                state.state, state.since = "pending", now
            if active and state.state == "pending" and now - (state.since or now) >= rule.for_seconds:
                state.state, state.fired_at = "firing", now
                changes.append(self._transition(state, "firing", now))
            elif not active and state.state == "pending":
                state.state, state.since = "inactive", None
            elif not active and state.state == "firing":
                changes.append(self._transition(state, "resolved", now))
                state.state, state.since, state.fired_at = "inactive", None, None
        return changes

    def _transition(self, state: AlertState, status: str, now: float) -> dict:
        rule = state.rule
        summary = rule.summary.format(threshold=rule.threshold)
        shown = _format_value(rule, state.value)
        text = (
            f"[{status.upper()}] {rule.severity} {rule.name}: {summary}"
            + (f" (now {shown})" if status == "firing" and shown else "")
            + (" for " + _duration(rule.for_seconds) if status == "firing" and rule.for_seconds else "")
            + (". Rollback trigger." if rule.rollback and status == "firing" else ".")
        )
        event = {
            "status": status,
            "alert": rule.name,
            "severity": rule.severity,
            "rollback": rule.rollback,
            "summary": summary,
            "value": state.value,
            "threshold": rule.threshold,
            "startsAt": _iso(state.fired_at),
            "endsAt": _iso(now) if status == "resolved" else None,
            "at": _iso(now),
            "text": text,
        }
        self.events.append(event)
        fields = {k: event[k] for k in ("alert", "severity", "rollback", "value", "threshold")}
        if status == "firing":
            (log.error if rule.severity == "critical" else log.warning)("alert_firing", **fields)
        else:
            log.info("alert_resolved", **fields)
        if self.on_change is not None:
            self.on_change(state)
        if self.notify is not None:
            task = asyncio.create_task(self.notify(event), name=f"alert-webhook:{rule.name}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return event

    def snapshot(self) -> dict:
        alerts = [s.describe() for s in self.states.values()]
        return {
            "firing": [a["name"] for a in alerts if a["state"] == "firing"],
            "rollback": any(a["state"] == "firing" and a["rollback"] for a in alerts),
            "alerts": alerts,
            "recent": list(self.events)[::-1],
        }

    async def run(self, interval: float) -> None:
        """Evaluate every `interval` seconds, forever (cancel to stop)."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.evaluate()
            except Exception:
                log.exception("alert_evaluation_failed")

    async def drain(self, timeout: float = 5.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def _format_value(rule: Rule, value: float | None) -> str:
    if value is None:
        return ""
    if rule.measure.endswith("_rate"):
        return f"{value:.1%}"
    if rule.measure == "p95_seconds":
        return f"{value:.2f} s"
    if rule.measure == "memory_percent":
        return f"{value:.0f}%"
    return ""


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


class Webhook:
    """POSTs each alert event as JSON (with a `text` field chat webhooks display)."""

    def __init__(self, url: str, *, extra: dict | None = None, timeout: float = 5.0) -> None:
        import httpx

        self.url = url
        self.extra = extra or {}
        self.http = httpx.AsyncClient(timeout=timeout, headers={"User-Agent": "imprompt-alerts"})

    async def __call__(self, event: dict) -> None:
        try:
            response = await self.http.post(self.url, json={**event, **self.extra})
            if response.status_code >= 300:
                log.warning("alert_webhook_refused", status=response.status_code, alert=event.get("alert"))
        except Exception as exc:
            log.warning("alert_webhook_failed", error=type(exc).__name__, alert=event.get("alert"))

    async def close(self) -> None:
        await self.http.aclose()


__all__ = ["AlertEvaluator", "AlertState", "Rule", "Sample", "Webhook", "histogram_quantile", "rules_from"]
