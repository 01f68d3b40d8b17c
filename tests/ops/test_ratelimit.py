"""Rate limits against the running app: HTTP /api and /images (429, Retry-After, RateLimit-*),
the trusted-proxy rule for HTTP and for the socket.io handshake, connections per IP,
rooms created per IP, chat per player, events per socket (flooders are cut off), the
rejection metric, Redis storage, and a flood from one client not slowing another room."""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import socketio

from imprompt.ops.clientip import ClientIP
from tests.support.metrics import parse, value
from tests.support.players import Player
from tests.support.server import http, ops_server
from tests.support.urls import REDIS_TEST_URL


async def _api(client, n: int, **headers: str) -> list:
    return [await client.get("/api/themes", headers=headers) for _ in range(n)]


async def test_api_limit_answers_429_with_retry_after() -> None:
    async with ops_server({"api_rate_limit": "3 per 15 minutes"}) as server, http(server) as client:
        replies = await _api(client, 4)
        probes = [await client.get("/livez") for _ in range(5)]  # not under /api
        metrics = parse((await client.get("/metrics")).text)
    assert [r.status_code for r in replies] == [200, 200, 200, 429]
    assert [r.headers["ratelimit-remaining"] for r in replies[:3]] == ["2", "1", "0"]
    assert all(r.headers["ratelimit-limit"] == "3" for r in replies)
    refused = replies[3]
    assert 0 < int(refused.headers["retry-after"]) <= 900
    assert refused.json()["error"]["code"] == "rate_limited" and refused.json()["error"]["retryAfter"] > 0
    assert refused.headers["content-security-policy"]  # refusals get the security headers too
    assert all(p.status_code == 200 for p in probes)
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="api") == 1
    assert value(metrics, "imprompt_http_request_duration_seconds_count", route="/api/themes", status="429") == 1


async def test_images_have_their_own_limit() -> None:
    async with (
        ops_server({"image_rate_limit": "2 per minute", "api_rate_limit": "100 per minute"}) as server,
        http(server) as client,
    ):
        images = [await client.get("/images/" + "0" * 32 + ".svg") for _ in range(3)]
        api = await client.get("/api/themes")
    assert [r.status_code for r in images] == [404, 404, 429] and "retry-after" in images[2].headers
    assert api.status_code == 200


async def test_spoofed_forwarding_headers_never_reset_a_limit() -> None:
    """Without TRUSTED_PROXIES the peer is the client, whatever the headers say."""
    async with ops_server({"api_rate_limit": "2 per 15 minutes"}) as server, http(server) as client:
        await _api(client, 2)
        spoofed = [
            await client.get("/api/themes", headers=h)
            for h in (
                {"X-Forwarded-For": "203.0.113.9"},
                {"X-Real-IP": "198.51.100.1"},
                {"X-Forwarded-For": "198.51.100.2, 203.0.113.10"},
            )
        ]
    assert [r.status_code for r in spoofed] == [429, 429, 429]


async def test_trusted_proxy_headers_name_the_client() -> None:
    async with (
        ops_server({"api_rate_limit": "2 per 15 minutes", "trusted_proxies": ["127.0.0.1/32"]}) as server,
        http(server) as client,
    ):
        a = await _api(client, 3, **{"X-Forwarded-For": "203.0.113.1"})
        b = await _api(client, 1, **{"X-Forwarded-For": "203.0.113.2"})
        # a client cannot escape by prepending a forged address: the nearest untrusted hop counts
        forged = await _api(client, 1, **{"X-Forwarded-For": "10.9.9.9, 203.0.113.1"})
        real_ip = await _api(client, 1, **{"X-Real-IP": "198.51.100.7"})
        direct = await _api(client, 3)  # the proxy itself, with no header
    assert [r.status_code for r in a] == [200, 200, 429]
    assert b[0].status_code == 200 and forged[0].status_code == 429 and real_ip[0].status_code == 200
    assert [r.status_code for r in direct] == [200, 200, 429]


def test_client_ip_rule() -> None:
    none = ClientIP([])
    assert none.resolve("10.0.0.5", "1.2.3.4", "5.6.7.8") == "10.0.0.5"
    trusted = ClientIP(["10.0.0.0/8", "::1"])
    assert trusted.resolve("10.0.0.5", "1.2.3.4") == "1.2.3.4"
    assert trusted.resolve("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.7") == "1.2.3.4"
    assert trusted.resolve("10.0.0.5", "10.0.0.8, 10.0.0.7") == "10.0.0.8"  # all ours: the first
    assert trusted.resolve("10.0.0.5", "not-an-ip, 1.2.3.4") == "10.0.0.5"  # malformed chain ignored
    assert trusted.resolve("10.0.0.5", None, "2001:db8::1") == "2001:db8::1"
    assert trusted.resolve("10.0.0.5", "[2001:db8::2]:443") == "2001:db8::2"
    assert trusted.resolve("10.0.0.5", "1.2.3.4:5678") == "1.2.3.4"
    assert trusted.resolve("192.0.2.1", "1.2.3.4") == "192.0.2.1"  # an untrusted peer
    assert trusted.resolve("::1", "1.2.3.4") == "1.2.3.4"


async def _connect(url: str, headers: dict | None = None) -> tuple[socketio.AsyncClient, Any]:
    """(client, None) when connected, (client, refusal data) when refused."""
    sio = socketio.AsyncClient(reconnection=False)
    refusal: list[Any] = []

    @sio.event
    async def connect_error(data: Any) -> None:
        refusal.append(data)

    try:
        await sio.connect(url, transports=["websocket"], headers=headers or {}, wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        for _ in range(50):
            if refusal:
                break
            await asyncio.sleep(0.01)
        data = refusal[0] if refusal else {}
        return sio, (data.get("data") if isinstance(data, dict) else None) or {"code": "refused", "raw": data}
    return sio, None


async def test_socket_connections_per_ip_and_the_proxy_rule_in_the_handshake() -> None:
    overrides = {"connection_rate": "2 per minute", "trusted_proxies": ["127.0.0.1"]}
    opened: list[socketio.AsyncClient] = []
    async with ops_server(overrides) as server:
        try:
            results = []
            for ip in ("203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.6"):
                sio, refused = await _connect(server.url, {"X-Forwarded-For": ip})
                opened.append(sio)
                results.append(refused)
            async with http(server) as client:
                metrics = parse((await client.get("/metrics")).text)
        finally:
            for sio in opened:
                if sio.connected:
                    await sio.disconnect()
    assert results[0] is None and results[1] is None and results[3] is None, results
    assert results[2].get("code") == "rate_limited" and results[2]["retryAfter"] > 0, results
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="connection") == 1


async def test_spoofed_headers_in_the_handshake_are_ignored() -> None:
    opened: list[socketio.AsyncClient] = []
    async with ops_server({"connection_rate": "2 per minute"}) as server:
        try:
            results = []
            for ip in ("203.0.113.5", "203.0.113.6", "203.0.113.7"):
                sio, refused = await _connect(server.url, {"X-Forwarded-For": ip, "X-Real-IP": ip})
                opened.append(sio)
                results.append(refused)
        finally:
            for sio in opened:
                if sio.connected:
                    await sio.disconnect()
    assert results[0] is None and results[1] is None and results[2]["code"] == "rate_limited"


async def test_open_connections_per_ip() -> None:
    async with ops_server({"max_connections_per_ip": 2}) as server:
        a, _ = await _connect(server.url)
        b, _ = await _connect(server.url)
        c, refused = await _connect(server.url)
        assert refused and refused["code"] == "rate_limited"
        await a.disconnect()
        await asyncio.sleep(0.1)
        d, again = await _connect(server.url)
        assert again is None
        for sio in (b, c, d):
            if sio.connected:
                await sio.disconnect()


async def test_rooms_created_per_ip() -> None:
    async with ops_server({"room_create_rate": "2 per hour"}) as server:
        players = [await Player(server.url).connect() for _ in range(3)]
        try:
            replies = [await p.call("room:create", {"name": f"P{i}"}) for i, p in enumerate(players)]
            async with http(server) as client:
                metrics = parse((await client.get("/metrics")).text)
        finally:
            for p in players:
                await p.close()
    assert replies[0]["ok"] and replies[1]["ok"]
    error = replies[2]["error"]
    assert error["code"] == "rate_limited" and 0 < error["retryAfter"] <= 3600
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="room_create") == 1
    assert value(metrics, "imprompt_socket_events_total", event="room:create", outcome="rate_limited") == 1


async def test_chat_per_player() -> None:
    async with ops_server({"chat_rate": "2 per 5 seconds"}) as server:
        host = await Player(server.url).connect()
        try:
            await host.create("Host")
            replies = [await host.call("chat:send", {"text": f"hi {i}"}) for i in range(3)]
            async with http(server) as client:
                metrics = parse((await client.get("/metrics")).text)
        finally:
            await host.close()
    assert replies[0]["ok"] and replies[1]["ok"]
    assert replies[2]["error"]["code"] == "rate_limited" and 0 < replies[2]["error"]["retryAfter"] <= 5
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="chat") == 1


async def test_a_socket_flooding_events_is_refused_then_cut_off() -> None:
    async with ops_server({"socket_event_rate": "5 per second"}) as server:
        p = await Player(server.url).connect()
        disconnected = asyncio.Event()
        p.sio.on("disconnect", lambda *a: disconnected.set())
        await p.create("Host")
        replies = await asyncio.gather(
            *(p.sio.call("room:sync", {}, timeout=5) for _ in range(12)), return_exceptions=True
        )
        limited = [r for r in replies if isinstance(r, dict) and not r["ok"]]
        assert limited and limited[0]["error"]["code"] == "rate_limited"
        assert not disconnected.is_set()
        for _ in range(30):  # keep going far past the limit
            if not p.sio.connected:
                break
            await p.sio.emit("room:sync", {})
        await asyncio.wait_for(disconnected.wait(), 5)
        async with http(server) as client:
            metrics = parse((await client.get("/metrics")).text)
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="flood_disconnect") == 1
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="socket_event") >= 5


async def test_limits_are_shared_through_redis() -> None:
    """Two instances on one Redis count one client's requests together."""
    from redis.asyncio import Redis

    r = Redis.from_url(REDIS_TEST_URL)
    async for key in r.scan_iter("imprompt:limits*"):
        await r.delete(key)
    await r.aclose()
    overrides = {"redis_url": REDIS_TEST_URL, "api_rate_limit": "3 per 15 minutes"}
    async with ops_server(overrides) as a, ops_server(overrides) as b, http(a) as ca, http(b) as cb:
        codes = [(await c.get("/api/themes")).status_code for c in (ca, cb, ca, cb)]
    assert codes == [200, 200, 200, 429]


async def _probe_latencies(player: Player, n: int) -> list[float]:
    out = []
    for i in range(n):
        started = time.perf_counter()
        reply = await player.call("guess:submit", {"text": f"probe {i}"})
        out.append(time.perf_counter() - started)
        assert reply["ok"] or reply["error"]["code"] == "guess_limit", reply
        await asyncio.sleep(0.08)  # well under the per-socket event limit
    return out


async def test_a_flood_from_one_client_does_not_slow_other_rooms() -> None:
    async with ops_server({"connection_rate": "30 per minute"}) as server:
        host, guest = await Player(server.url).connect(), await Player(server.url).connect()
        try:
            await host.create("Host")
            await guest.join(host.code, "Guest")
            await host.ok("game:start")
            v = await host.wait_for(lambda v: v["phase"] == "prompting")
            giver, other = (host, guest) if v["turn"]["giverId"] == host.id else (guest, host)
            await giver.ok("prompt:submit", {"text": "sleepy cat"})
            await other.wait_for(lambda v: v["phase"] == "guessing")
            baseline = await _probe_latencies(other, 15)

            flooder = Path(__file__).with_name("flooder.py")
            proc = await asyncio.create_subprocess_exec(
                sys.executable, str(flooder), server.url, "3", stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            await asyncio.sleep(0.8)  # the flood is under way (the client needs a moment to start)
            during = await _probe_latencies(other, 25)
            out, err = await asyncio.wait_for(proc.communicate(), 30)
            stats = json.loads(out.decode().strip().splitlines()[-1]) if out.strip() else {}
            async with http(server) as client:
                metrics = parse((await client.get("/metrics")).text)
        finally:
            await host.close()
            await guest.close()
    assert stats, err.decode()[-2000:]
    # the flood really happened, and the server pushed back
    assert stats["sent"] > 200 and stats["cut"] >= 1, stats
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="socket_event") > 50
    # ...while the other room's guesses were answered about as fast as before
    base_median, flood_median = statistics.median(baseline), statistics.median(during)
    assert flood_median < max(5 * base_median, base_median + 0.05), (baseline, during, stats)
    assert max(during) < 1.0, (during, stats)


async def test_a_socket_flooding_binary_or_malformed_frames_is_refused_then_cut_off() -> None:
    """Frames the server drops (binary, undecodable) count against the per-socket event limit."""
    from tests.support.rawsocket import raw_socket

    placeholder = '{"_placeholder":true,"num":0}'
    async with ops_server({"socket_event_rate": "5 per second"}) as server, raw_socket(server) as sock:
        assert (await sock.answer("room:create", {"name": "Raw"}))["ok"]
        for _ in range(6):
            await sock.send("42[")  # undecodable: dropped, but counted
        await sock.send(f'451-9["guess:submit",{placeholder}]')
        refused = (await sock.ack(9))[0]
        assert refused["error"]["code"] == "rate_limited" and refused["error"]["retryAfter"] > 0, refused
        closed = False
        try:
            async with asyncio.timeout(5):
                for _ in range(200):  # keep going far past the limit: the server cuts the socket off
                    await sock.ws.send_bytes(b"\x00attachment")
                    await asyncio.sleep(0.005)
                while True:
                    msg = await sock.ws.receive()
                    if msg.type.name in ("CLOSE", "CLOSED", "CLOSING", "ERROR") or msg.data == "41":
                        closed = True
                        break
        except (ConnectionError, RuntimeError):
            closed = True
        async with http(server) as client:
            metrics = parse((await client.get("/metrics")).text)
    assert closed, "the flooding socket was not cut off"
    assert value(metrics, "imprompt_rate_limit_rejections_total", limit="flood_disconnect") == 1


# ---------------------------------------------------------------- floods at full size, default limits


async def _raw_connect(session: Any, url: str) -> tuple[Any, dict | None]:
    """A websocket at socket.io's connect step: (ws, None) when admitted, (ws, refusal data) when not."""
    ws = await session.ws_connect(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket")
    assert (await ws.receive_str()).startswith("0")
    await ws.send_str("40")
    reply = await ws.receive_str()
    if reply.startswith("40"):
        return ws, None
    assert reply.startswith("44"), reply  # CONNECT_ERROR
    return ws, json.loads(reply[2:]).get("data")


async def test_two_hundred_connections_from_one_ip_are_throttled_with_a_clear_error() -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)  # no pool limit: every socket stays open
    async with ops_server() as server, aiohttp.ClientSession(connector=connector) as session:  # default limits
        opened = await asyncio.gather(*(_raw_connect(session, server.url) for _ in range(200)))
        try:
            async with http(server) as client:
                assert (await client.get("/livez")).status_code == 200  # the server still answers
        finally:
            for ws, _ in opened:
                await ws.close()
    admitted = [r for _, r in opened if r is None]
    refused = [r for _, r in opened if r is not None]
    assert 0 < len(admitted) <= 64 and len(refused) >= 136, (len(admitted), len(refused))
    assert all(r["code"] == "rate_limited" and r["retryAfter"] > 0 and r["message"] for r in refused), refused[:3]


async def test_a_thousand_events_a_second_from_one_socket_are_refused_and_the_socket_cut_off() -> None:
    from tests.support.rawsocket import raw_socket

    async with ops_server() as server, raw_socket(server) as flood, raw_socket(server) as calm:
        assert (await flood.answer("room:create", {"name": "Flood"}))["ok"]
        assert (await calm.answer("room:create", {"name": "Calm"}))["ok"]
        started = time.monotonic()
        sent = 0
        with contextlib.suppress(ConnectionError, RuntimeError):
            for i in range(1000):  # 1,000 events in about a second
                await flood.send(f"42{1000 + i}" + json.dumps(["room:sync", {}]))
                sent += 1
                if i % 10 == 9:
                    await asyncio.sleep(max(0.0, started + (i + 1) / 1000 - time.monotonic()))
        codes: list[str] = []
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError, TypeError):
            async with asyncio.timeout(3):
                while True:
                    msg = await flood.ws.receive_str()
                    if msg.startswith("43"):
                        reply = json.loads(msg[msg.index("[") :])[0]
                        codes.append("ok" if reply["ok"] else reply["error"]["code"])
        calm_reply = await calm.answer("room:sync", {})
    assert calm_reply["ok"], calm_reply  # another socket is served meanwhile
    assert codes.count("ok") <= 25 and codes.count("rate_limited") >= 10, (sent, codes[:30])
    assert set(codes) <= {"ok", "rate_limited"}, set(codes)
    assert flood.ws.closed or len(codes) < sent, "the flooding socket was never cut off"


async def test_a_room_creation_flood_is_throttled_with_a_clear_error() -> None:
    async with ops_server({"connection_rate": "1000 per minute"}) as server:  # the default room limit
        players = await asyncio.gather(*(Player(server.url).connect() for _ in range(40)))
        try:
            replies = await asyncio.gather(*(p.call("room:create", {"name": f"P{i}"}) for i, p in enumerate(players)))
            async with http(server) as client:
                health = (await client.get("/health")).json()
        finally:
            for p in players:
                await p.close()
    made = [r for r in replies if r["ok"]]
    refused = [r["error"] for r in replies if not r["ok"]]
    assert len(made) == 30 and len(refused) == 10, (len(made), refused[:2])  # ROOM_CREATE_RATE: 30 per hour
    assert all(e["code"] == "rate_limited" and 0 < e["retryAfter"] <= 3600 for e in refused), refused[:2]
    assert all("new rooms" in e["message"] for e in refused)
    assert health["rooms"] == 30


async def test_a_seats_windows_are_forgotten_when_it_was_left_before_the_socket_closed() -> None:
    """Games that end with room:leave then a disconnect (every game, in the soak) leave no windows behind."""
    async with ops_server() as server:
        windows = server.app.services.realtime.limits.windows
        for i in range(3):
            p = await Player(server.url).connect()
            await p.create(f"P{i}")
            await p.ok("chat:send", {"text": "hello"})
            await p.ok("room:leave")
            await p.close()
        await asyncio.sleep(0.2)
        assert len(windows["chat"]) == 0 and len(windows["event"]) == 0, (len(windows["chat"]), len(windows["event"]))
