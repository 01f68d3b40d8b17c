"""Security: headers on every response, CORS for HTTP and socket.io, production refusing
to start without an origin list, request body and socket message caps, admin access."""

from __future__ import annotations

import asyncio

import pytest
import socketio

from imprompt.cli import main as cli_main
from imprompt.config import SettingsError, load_settings
from tests.support.images import chain_backend
from tests.support.players import Player, play_one_turn
from tests.support.server import ADMIN, http, ops_server

ORIGIN = "https://play.example.com"


def _csp(headers) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in headers["content-security-policy"].split(";")}


async def test_security_headers_on_every_response() -> None:
    async with ops_server() as server, http(server) as client:
        replies = [
            await client.get(path)
            for path in (
                "/",
                "/api/themes",
                "/health",
                "/metrics",
                "/nowhere",
                "/images/" + "a" * 32 + ".png",
                "/socket.io/?EIO=4&transport=polling",
            )
        ]
    host = server.url.removeprefix("http://")
    for reply in replies:
        h = reply.headers
        csp = _csp(h)
        assert csp["default-src"] == "default-src 'self'"
        for directive in ("script-src", "style-src"):
            assert csp[directive] == f"{directive} 'self'", (reply.url, csp[directive])
        assert csp["img-src"].startswith("img-src 'self'") and "http" not in csp["img-src"]
        assert csp["connect-src"] == f"connect-src 'self' ws://{host} wss://{host}"
        assert csp["frame-ancestors"] == "frame-ancestors 'none'" and csp["object-src"] == "object-src 'none'"
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"
        assert "camera=()" in h["permissions-policy"] and "microphone=()" in h["permissions-policy"]
        assert "server" not in h
        assert "strict-transport-security" not in h  # HSTS only in production
        assert len(h["x-request-id"]) >= 16


async def test_hsts_in_production_and_an_images_own_csp_wins() -> None:
    overrides = {"app_env": "production", "cors_origins": [ORIGIN]}
    async with ops_server(overrides, backend=chain_backend()) as server:
        host, guest = await play_one_turn(server)
        try:
            async with http(server) as client:
                page = await client.get("/")
                image = await client.get(host.view["turn"]["imageUrl"])
        finally:
            await host.close()
            await guest.close()
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert image.status_code == 200 and image.headers["content-type"] == "image/svg+xml"
    # the SVG's stricter policy (no scripts at all, sandboxed) is kept, not replaced
    assert image.headers["content-security-policy"].startswith("default-src 'none'")
    assert "sandbox" in image.headers["content-security-policy"]


async def test_cors_for_http() -> None:
    async with ops_server({"cors_origins": [ORIGIN]}) as server, http(server) as client:
        ours = await client.get("/api/themes", headers={"Origin": ORIGIN})
        foreign = await client.get("/api/themes", headers={"Origin": "https://evil.example"})
        preflight = await client.options(
            "/api/themes", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
        )
        good_preflight = await client.options(
            "/api/themes", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
        )
    assert ours.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in foreign.headers
    assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers
    assert good_preflight.status_code == 200


async def _try_connect(url: str, headers: dict) -> bool:
    sio = socketio.AsyncClient(reconnection=False)
    try:
        await sio.connect(url, transports=["websocket"], headers=headers, wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        return False
    await sio.disconnect()
    return True


@pytest.mark.parametrize("transport", ["websocket", "polling"])
async def test_socketio_handshake_from_a_foreign_origin_is_refused(transport: str) -> None:
    async with ops_server({"cors_origins": [ORIGIN]}) as server:
        if transport == "polling":
            async with http(server) as client:
                refused = await client.get(
                    "/socket.io/?EIO=4&transport=polling", headers={"Origin": "https://evil.example"}
                )
                allowed = await client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": ORIGIN})
            assert refused.status_code == 400 and allowed.status_code == 200
            return
        assert not await _try_connect(server.url, {"Origin": "https://evil.example"})
        assert not await _try_connect(server.url, {"Origin": "null"})
        assert await _try_connect(server.url, {"Origin": ORIGIN})
        assert await _try_connect(server.url, {})  # no Origin: not a browser, nothing to protect


def test_production_refuses_to_start_without_an_origin_list(monkeypatch, capsys) -> None:
    with pytest.raises(SettingsError, match="CORS_ORIGINS"):
        load_settings(_env_file=None, app_env="production")
    with pytest.raises(SettingsError, match="CORS_ORIGINS"):
        load_settings(_env_file=None, app_env="production", cors_origins=["*"])
    assert load_settings(_env_file=None, app_env="production", cors_origins=[ORIGIN]).server.cors_origins == [ORIGIN]
    # and `imprompt serve` stops at once with a message naming it
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("CORS_ORIGINS", "*")
    monkeypatch.chdir("/")  # no developer .env
    assert cli_main(["serve", "--port", "1"]) == 2
    assert "CORS_ORIGINS" in capsys.readouterr().err


def test_tokens_must_be_long() -> None:
    with pytest.raises(SettingsError, match="ADMIN_TOKEN"):
        load_settings(_env_file=None, admin_token="short")
    with pytest.raises(SettingsError) as info:
        load_settings(_env_file=None, metrics_token="tiny-secret")
    assert "tiny-secret" not in str(info.value)  # a rejected secret is never echoed


async def test_request_body_cap() -> None:
    async with ops_server({"max_request_body_bytes": 4096}) as server, http(server) as client:
        big = await client.post("/api/themes", content=b"x" * 10_000)

        async def chunks():
            for _ in range(10):
                yield b"y" * 1000

        chunked = await client.post("/api/themes", content=chunks())
        small = await client.post("/api/themes", content=b"{}")
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    assert chunked.status_code == 413
    assert small.status_code == 405  # within the cap: the app answers (GET only here)
    assert big.headers["x-content-type-options"] == "nosniff"


async def test_socket_message_cap() -> None:
    async with ops_server({"max_socket_message_bytes": 2048}) as server:
        player = await Player(server.url).connect()
        gone = asyncio.Event()
        player.sio.on("disconnect", lambda *a: gone.set())
        await player.create("Host")
        await player.sio.emit("chat:send", {"text": "z" * 5000})
        await asyncio.wait_for(gone.wait(), 5)
        ok = await Player(server.url).connect()  # the server itself is fine
        await ok.create("Next")
        await ok.close()


async def test_costs_endpoint_needs_the_admin_token() -> None:
    async with ops_server(backend=chain_backend()) as server, http(server) as client:
        assert (await client.get("/api/costs")).status_code == 404  # no ADMIN_TOKEN: no endpoint
        assert (await client.get("/api/costs", headers={"Authorization": f"Bearer {ADMIN}"})).status_code == 404
    async with ops_server({"admin_token": ADMIN}, backend=chain_backend()) as server:
        host, guest = await play_one_turn(server)
        await host.close()
        await guest.close()
        async with http(server) as client:
            missing = await client.get("/api/costs")
            wrong = await client.get("/api/costs", headers={"Authorization": "Bearer " + "x" * len(ADMIN)})
            right = await client.get("/api/costs", headers={"Authorization": f"Bearer {ADMIN}"})
    assert missing.status_code == 401 and wrong.status_code == 401
    assert right.status_code == 200 and right.headers["cache-control"] == "no-store"
    costs = right.json()
    assert costs["providers"]["together"]["images"] == 1
    assert costs["spent_usd"] == pytest.approx(0.0027)
