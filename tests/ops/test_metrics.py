"""/metrics: the names, units and labels, and that the numbers move when a game is played."""

from __future__ import annotations

from imprompt.images.base import ImageError
from tests.support.images import chain_backend
from tests.support.metrics import has, parse, value
from tests.support.players import play_one_turn
from tests.support.server import METRICS, http, ops_server


async def test_metrics_move_when_a_game_is_played() -> None:
    backend = chain_backend()
    async with ops_server(backend=backend) as server, http(server) as client:
        before = parse((await client.get("/metrics")).text)
        host, guest = await play_one_turn(server, chat="hello")
        try:
            image = host.view["turn"]["imageUrl"]
            assert (await client.get(image)).status_code == 200
            assert (await client.get("/api/themes")).status_code == 200
            # the same prompt and seed again comes from the image cache
            meter = server.app.services.ops.images
            await meter.generate("a red kite", 7, False)
            await meter.generate("a red kite", 7, False)
            # a failing paid provider: the chain falls back, and the failure is counted
            backend.providers["together"].fail = ImageError("boom", kind="server_error")
            await meter.generate("a blue kite", 8, False)
            response = await client.get("/metrics")
            during = parse(response.text)
        finally:
            await host.close()
            await guest.close()
    assert response.headers["content-type"].startswith("text/plain; version=")

    # HTTP: by route template, method and status, with 2 s and 5 s buckets
    h = "imprompt_http_request_duration_seconds"
    assert value(during, h + "_count", route="/images/{name}", method="GET", status="200") == 1
    assert value(during, h + "_count", route="/api/themes", method="GET", status="200") == 1
    assert has(during, h + "_bucket", route="/api/themes", le="2.0") and has(during, h + "_bucket", le="5.0")
    # socket.io
    assert value(during, "imprompt_socket_connections") == 2
    assert value(during, "imprompt_socket_events_total", event="guess:submit", outcome="ok") == 2
    assert value(during, "imprompt_socket_events_total", event="chat:send", outcome="ok") == 1
    assert value(during, "imprompt_socket_events_total", event="room:create", outcome="ok") == 1
    assert value(during, "imprompt_socket_event_duration_seconds_count", event="guess:submit") == 2
    assert has(during, "imprompt_socket_event_duration_seconds_bucket", event="guess:submit", le="2.0")
    assert value(before, "imprompt_socket_events_total") == 0
    # rooms and players by phase
    assert value(during, "imprompt_rooms", phase="reveal") == 1
    assert value(during, "imprompt_players", phase="reveal") == 2
    assert value(before, "imprompt_rooms") == 0
    # AI images: requests by provider and outcome, duration, spend, cache
    assert value(during, "imprompt_ai_image_requests_total", provider="together", outcome="success") == 2
    assert value(during, "imprompt_ai_image_requests_total", provider="together", outcome="server_error") == 1
    assert value(during, "imprompt_ai_image_requests_total", provider="pictogram", outcome="success") == 1
    assert value(during, "imprompt_ai_image_generation_duration_seconds_count", provider="together") == 2
    assert abs(value(during, "imprompt_ai_spend_usd_total", provider="together") - 2 * 0.0027) < 1e-9
    assert value(during, "imprompt_image_cache_hits_total") == 1
    assert value(during, "imprompt_image_cache_misses_total") == 3
    # the process
    assert value(during, "process_resident_memory_bytes") > 0
    assert has(during, "process_cpu_seconds_total")
    assert has(during, "imprompt_event_loop_lag_seconds")
    assert value(during, "imprompt_memory_limit_bytes") > 0
    assert value(before, "imprompt_health_status") == 0
    assert value(during, "imprompt_health_status") == 1  # warn: a provider failed lately ("degraded")
    assert has(during, "imprompt_alerts_firing", alert="CriticalErrorRate", severity="critical")


async def test_metrics_token() -> None:
    async with ops_server({"metrics_token": METRICS}) as server, http(server) as client:
        assert (await client.get("/metrics")).status_code == 401
        assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
        ok = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS}"})
    assert ok.status_code == 200 and "imprompt_socket_connections" in ok.text
