"""/health, /livez and /readyz: their shapes, and readiness through start-up, draining and
a Redis outage (a TCP proxy in front of the test Redis is cut and restored)."""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import urlsplit

import httpx

from imprompt.web.app import create_app
from imprompt.web.image_backend import MemoryImageBackend
from tests.support.images import FakeImages, chain_backend
from tests.support.players import Player
from tests.support.proxy import TcpProxy
from tests.support.server import http, ops_server, settings_for
from tests.support.urls import REDIS_TEST_URL


async def test_health_reports_everything_an_operator_reads() -> None:
    async with ops_server({"release_id": "rel-42"}, backend=chain_backend()) as server:
        host = await Player(server.url).connect()
        try:
            await host.create("Host")
            async with http(server) as client:
                reply = await client.get("/health")
        finally:
            await host.close()
    assert reply.status_code == 200 and reply.headers["cache-control"] == "no-store"
    body = reply.json()
    assert body["status"] == "pass"
    assert dt.datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00")).tzinfo is not None
    assert isinstance(body["uptime"], float) and body["uptime"] >= 0
    assert body["version"] and body["release"] == "rel-42"
    assert body["memory"]["rss"] > 0 and 0 < body["memory"]["percent"] < 100 and body["memory"]["limit"] > 0
    assert body["activeConnections"] == 1 and body["rooms"] == 1 and body["players"] == 1
    assert body["aiProviderStatus"]["together"]["state"] == "healthy"
    assert set(body["aiProviderStatus"]) == {"together", "pictogram"}
    # the database is always listed (an in-memory one under APP_ENV=test); Redis only when configured
    assert set(body["dependencies"]) == {"database"}
    assert body["dependencies"]["database"]["status"] in ("pass", "not configured")


async def test_health_lists_redis_with_its_response_time() -> None:
    async with ops_server({"redis_url": REDIS_TEST_URL}) as server, http(server) as client:
        body = (await client.get("/health")).json()
    redis = body["dependencies"]["redis"]
    assert redis["status"] == "pass" and redis["required"] is True and redis["responseTime"] >= 0


async def test_not_ready_while_starting() -> None:
    """Before the lifespan start-up has run (models not warmed), readiness is 503."""
    app = create_app(settings_for(), images=MemoryImageBackend(FakeImages()), score=lambda a, b: 0)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ready = await client.get("/readyz")
        live = await client.get("/livez")
        health = await client.get("/health")
    assert ready.status_code == 503 and ready.json() == {"status": "starting"}
    assert live.status_code == 200
    assert health.status_code == 200 and health.json()["status"] == "warn" and "starting" in health.json()["notes"]


async def test_ready_then_draining_then_ready_again() -> None:
    async with ops_server() as server, http(server) as client:
        assert (await client.get("/readyz")).status_code == 200
        server.app.services.ops.draining = True  # what the shutdown sequence does
        reply = await client.get("/readyz")
        assert reply.status_code == 503 and reply.json() == {"status": "draining"}
        assert (await client.get("/livez")).status_code == 200  # still alive while draining
        assert (await client.get("/health")).json()["draining"] is True
        server.app.services.ops.draining = False
        assert (await client.get("/readyz")).status_code == 200
        server.app.services.rooms.accepting = False  # the room service refusing new rooms counts too
        assert (await client.get("/readyz")).status_code == 503
        server.app.services.rooms.accepting = True


async def _wait_status(client: httpx.AsyncClient, path: str, status: int, timeout: float = 6.0) -> httpx.Response:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        reply = await client.get(path)
        if reply.status_code == status or asyncio.get_running_loop().time() > deadline:
            return reply
        await asyncio.sleep(0.1)


async def test_not_ready_while_redis_is_down() -> None:
    target = urlsplit(REDIS_TEST_URL)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 6379)
    await proxy.start()
    url = f"redis://127.0.0.1:{proxy.port}{target.path or ''}"
    try:
        async with ops_server({"redis_url": url}) as server, http(server) as client:
            assert (await client.get("/readyz")).status_code == 200
            await proxy.cut()
            ready = await _wait_status(client, "/readyz", 503)
            assert ready.status_code == 503
            assert ready.json()["status"] == "dependency_down"
            assert "redis" in ready.json()["down"]  # and "fanout" once its listener notices
            health = await client.get("/health")
            assert health.status_code == 503 and health.json()["status"] == "fail"
            assert health.json()["dependencies"]["redis"]["status"] == "fail"
            await proxy.start()  # Redis is back
            assert (await _wait_status(client, "/readyz", 200)).status_code == 200
    finally:
        await proxy.close()
