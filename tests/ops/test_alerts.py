"""Alerts: every rule fires and resolves from injected measurements, after its duration and
not before; the running app lists them at /api/alerts, logs them, and POSTs them to a
webhook (a local HTTP server); real failed events drive the error-rate rule; and
deploy/prometheus/alerts.yml carries the same rules (checked with promtool when installed)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from imprompt.ops.alerts import AlertEvaluator, Sample, histogram_quantile, rules_from
from imprompt.ops.metrics import LATENCY_BUCKETS
from tests.support.logs import capture_logs
from tests.support.players import Player
from tests.support.server import ADMIN, http, ops_server, settings_for

RULES_DIR = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
STEP = 15.0  # seconds between evaluations, as ALERT_EVALUATION_SECONDS defaults
N_BUCKETS = len(LATENCY_BUCKETS) + 1


def _latency(counts: dict[int, float]) -> tuple[float, ...]:
    return tuple(counts.get(i, 0.0) for i in range(N_BUCKETS))


BUCKET_OF = {s: LATENCY_BUCKETS.index(s) for s in LATENCY_BUCKETS}


class Feed:
    """Cumulative measurements moving forward in time, as the server's own would."""

    def __init__(self) -> None:
        self.sample = Sample(at=1_000_000.0, latency=_latency({}), memory_percent=30.0)

    def step(
        self,
        *,
        requests: int = 100,
        errors: int = 0,
        slow_bucket: float | None = None,
        ai_requests: int = 10,
        ai_failures: int = 0,
        memory: float | None = None,
        health: str | None = None,
    ) -> Sample:
        s = self.sample
        latency = list(s.latency)
        latency[BUCKET_OF[slow_bucket] if slow_bucket else 0] += requests
        self.sample = replace(
            s,
            at=s.at + STEP,
            requests=s.requests + requests,
            errors=s.errors + errors,
            latency=tuple(latency),
            ai_requests=s.ai_requests + ai_requests,
            ai_failures=s.ai_failures + ai_failures,
            memory_percent=s.memory_percent if memory is None else memory,
            health=health or s.health,
        )
        return self.sample


# rule -> (measurements that should make it fire, measurements under every threshold)
SCENARIOS = {
    "HighErrorRate": (dict(errors=7), dict()),
    "CriticalErrorRate": (dict(errors=12), dict()),
    "HighMemory": (dict(memory=85.0), dict(memory=40.0)),
    "AIImageFailures": (dict(ai_requests=10, ai_failures=2), dict()),
    "SlowResponses": (dict(slow_bucket=5.0), dict()),  # p95 in the 2-5 s bucket
    "VerySlowResponses": (dict(slow_bucket=10.0), dict()),  # p95 in the 5-10 s bucket
    "HealthFailing": (dict(health="fail"), dict(health="pass")),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_each_rule_fires_after_its_duration_and_resolves(name: str) -> None:
    settings = settings_for()
    sent: list[dict] = []

    async def notify(event: dict) -> None:
        sent.append(event)

    evaluator = AlertEvaluator(rules_from(settings.alerts), min_events=settings.alerts.alert_min_events, notify=notify)
    rule = evaluator.states[name].rule
    bad, good = SCENARIOS[name]
    feed = Feed()
    await evaluator.evaluate(feed.sample)
    for _ in range(10):  # a quiet start: nothing fires
        await evaluator.evaluate(feed.step(**good))
    assert evaluator.snapshot()["firing"] == []

    became_active = None
    fired_at = None
    for _ in range(int((rule.for_seconds + rule.window) / STEP) + 10):
        await evaluator.evaluate(feed.step(**bad))
        state = evaluator.states[name]
        if state.state != "inactive" and became_active is None:
            became_active = feed.sample.at
        if state.state == "firing":
            fired_at = feed.sample.at
            break
    assert fired_at is not None, f"{name} never fired"
    assert fired_at - became_active >= rule.for_seconds  # held for its duration first
    assert fired_at - became_active < rule.for_seconds + STEP
    snapshot = evaluator.snapshot()
    assert name in snapshot["firing"]
    assert snapshot["rollback"] == rule.rollback
    await asyncio.sleep(0)
    firing = [e for e in sent if e["alert"] == name and e["status"] == "firing"]
    assert len(firing) == 1 and name in firing[0]["text"] and firing[0]["severity"] == rule.severity

    for _ in range(int(rule.window / STEP) + 4):
        await evaluator.evaluate(feed.step(**good))
    assert evaluator.states[name].state == "inactive"
    await asyncio.sleep(0)
    resolved = [e for e in sent if e["alert"] == name and e["status"] == "resolved"]
    assert len(resolved) == 1 and resolved[0]["text"].startswith("[RESOLVED]")


async def test_a_short_blip_does_not_fire() -> None:
    evaluator = AlertEvaluator(rules_from(settings_for().alerts))
    feed = Feed()
    await evaluator.evaluate(feed.sample)
    for _ in range(3):
        await evaluator.evaluate(feed.step(errors=50))
    for _ in range(30):
        await evaluator.evaluate(feed.step())
    assert evaluator.snapshot()["firing"] == [] and not evaluator.events


def test_quantile_matches_prometheus_interpolation() -> None:
    counts = [0.0] * N_BUCKETS
    counts[LATENCY_BUCKETS.index(5.0)] = 10  # all between 2 and 5 s
    assert histogram_quantile(0.95, counts) == pytest.approx(2 + 3 * 0.95)
    counts = [0.0] * N_BUCKETS
    counts[-1] = 10  # all above the last bound
    assert histogram_quantile(0.95, counts) == LATENCY_BUCKETS[-1]


async def _webhook_server():
    received: list[dict] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/hook", received


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_running_app_lists_logs_and_posts_alerts() -> None:
    runner, url, received = await _webhook_server()
    overrides = {
        "admin_token": ADMIN,
        "alert_webhook_url": url,
        "app_env": "production",
        "cors_origins": ["https://play.example.com"],
        "log_level": "info",
    }
    auth = {"Authorization": f"Bearer {ADMIN}"}
    try:
        with capture_logs(settings_for(overrides)) as logs:
            async with ops_server(overrides) as server:
                evaluator = server.app.services.ops.alerts
                evaluator.history.clear()
                feed = Feed()
                await evaluator.evaluate(feed.sample)
                for _ in range(int(300 / STEP) + 2):
                    await evaluator.evaluate(feed.step(errors=20))
                async with http(server) as client:
                    listed = (await client.get("/api/alerts", headers=auth)).json()
                    metrics = (await client.get("/metrics")).text
                    await _until(lambda: len(received) >= 2)
                    for _ in range(int(300 / STEP) + 2):
                        await evaluator.evaluate(feed.step())
                    after = (await client.get("/api/alerts", headers=auth)).json()
                    await _until(lambda: len(received) >= 4)
            lines = [json.loads(line) for line in logs.lines()]
    finally:
        await runner.cleanup()

    assert set(listed["firing"]) == {"HighErrorRate", "CriticalErrorRate"} and listed["rollback"] is True
    critical = next(a for a in listed["alerts"] if a["name"] == "CriticalErrorRate")
    assert critical["state"] == "firing" and critical["severity"] == "critical" and critical["value"] == 0.2
    assert critical["threshold"] == 0.1 and critical["forSeconds"] == 300 and critical["firedAt"]
    assert {a["name"] for a in listed["alerts"]} == set(SCENARIOS)
    assert 'imprompt_alerts_firing{alert="CriticalErrorRate",severity="critical"} 1.0' in metrics
    assert after["firing"] == [] and after["recent"][0]["status"] == "resolved"

    posted = {(e["alert"], e["status"]) for e in received}
    assert posted == {(n, s) for n in ("HighErrorRate", "CriticalErrorRate") for s in ("firing", "resolved")}
    first = next(e for e in received if e["alert"] == "CriticalErrorRate" and e["status"] == "firing")
    assert first["text"].startswith("[FIRING] critical CriticalErrorRate") and "Rollback" in first["text"]
    assert first["environment"] == "production" and first["rollback"] is True

    fired = [ln for ln in lines if ln["event"] == "alert_firing"]
    assert {ln["alert"] for ln in fired} == {"HighErrorRate", "CriticalErrorRate"}
    assert next(ln for ln in fired if ln["alert"] == "CriticalErrorRate")["level"] == "error"
    assert {ln["alert"] for ln in lines if ln["event"] == "alert_resolved"} == {"HighErrorRate", "CriticalErrorRate"}


async def test_real_failures_drive_the_error_rate_rule() -> None:
    overrides = {"alert_error_rate_for_seconds": 0, "alert_min_events": 5}
    async with ops_server(overrides) as server:
        evaluator = server.app.services.ops.alerts
        player = await Player(server.url).connect()
        try:
            await player.create("Host")
            await evaluator.evaluate()
            real_view = server.app.services.rooms.view

            async def broken(code: str, member_id: str) -> dict:
                raise RuntimeError("store exploded")

            server.app.services.rooms.view = broken
            for _ in range(6):
                assert (await player.call("room:sync"))["error"]["code"] == "internal"
            server.app.services.rooms.view = real_view
            await evaluator.evaluate()
            assert {"HighErrorRate", "CriticalErrorRate"} <= set(evaluator.snapshot()["firing"])
            sample = await server.app.services.ops.sample()
            assert sample.errors == 6 and sample.requests >= 7 and sample.health == "pass"
            assert 0 < (sample.memory_percent or 0) < 100
            for _ in range(6):
                await player.ok("room:sync")
            await evaluator.evaluate()
            assert evaluator.snapshot()["firing"] == []
        finally:
            await player.close()


async def test_alerts_endpoint_needs_the_admin_token() -> None:
    async with ops_server() as server, http(server) as client:  # no ADMIN_TOKEN: the endpoint does not exist
        assert (await client.get("/api/alerts")).status_code == 404
    async with ops_server({"admin_token": ADMIN}) as server, http(server) as client:
        assert (await client.get("/api/alerts")).status_code == 401
        wrong = await client.get("/api/alerts", headers={"Authorization": f"Bearer {ADMIN}x"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Bearer")
        assert (await client.get("/api/alerts", headers={"Authorization": f"Basic {ADMIN}"})).status_code == 401
        assert (await client.get("/api/alerts", headers={"Authorization": f"Bearer {ADMIN}"})).status_code == 200


# ------------------------------------------------------------ deploy/prometheus/alerts.yml


def _prometheus_rules() -> dict[str, dict]:
    doc = yaml.safe_load((RULES_DIR / "alerts.yml").read_text())
    return {r["alert"]: r for g in doc["groups"] for r in g["rules"] if "alert" in r}


def _seconds(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units[text[-1]]


def test_prometheus_rules_match_the_built_in_ones() -> None:
    prom = _prometheus_rules()
    built_in = {r.name: r for r in rules_from(settings_for().alerts)}
    assert set(prom) == set(built_in)
    for name, rule in built_in.items():
        p = prom[name]
        assert p["labels"]["severity"] == rule.severity, name
        assert p["labels"]["rollback"] == ("true" if rule.rollback else "false"), name
        assert _seconds(p["for"]) == rule.for_seconds, name
        assert p["annotations"]["summary"] == rule.summary.format(threshold=rule.threshold), name
        if rule.measure != "health_failing":
            assert f"> {rule.threshold:g}" in p["expr"], (name, p["expr"])


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed (apt-get install prometheus)")
def test_promtool_checks_and_unit_tests_the_rules() -> None:
    check = subprocess.run(
        ["promtool", "check", "rules", "alerts.yml"], cwd=RULES_DIR, capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stdout + check.stderr
    unit = subprocess.run(
        ["promtool", "test", "rules", "alerts.test.yml"], cwd=RULES_DIR, capture_output=True, text=True, timeout=60
    )
    assert unit.returncode == 0, unit.stdout + unit.stderr
