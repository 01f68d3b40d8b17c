"""Logs: one JSON object per line in production, with request id / socket id / room, and
exceptions as type, message and stack; secrets never reach a line, prompts and guesses
never at info level. Fake keys and tokens are configured, a game is played with a
provider that leaks its key into an exception, and the captured lines are scanned."""

from __future__ import annotations

import json
import logging

import structlog

from tests.support.images import ChainTestBackend, FakeProvider
from tests.support.logs import capture_logs
from tests.support.players import Player
from tests.support.server import ADMIN, METRICS, http, ops_server, settings_for

FAKE_KEYS = {
    "TOGETHER_API_KEY": "tg-fake-key-6f1d2c3b4a5e",
    "REPLICATE_API_TOKEN": "r8-fake-token-91ab7c3d",
    "FAL_KEY": "fal-fake-key-0c9d8e7f",
    "OPENAI_API_KEY": "sk-fake-openai-55aa66bb",
}
WEBHOOK = "https://hooks.example.com/services/T000/B000/fakewebhooksecret"
PROMPT = "purple elephant dancing"
GUESSES = ("grey mouse sleeping", PROMPT)


class LeakyProvider(FakeProvider):
    """A provider whose error message carries its key, as a careless HTTP client's might."""

    async def generate(self, prompt: str, *, seed: int, size: int):
        key = FAKE_KEYS["TOGETHER_API_KEY"]
        raise RuntimeError(
            f"401 from https://api.together.xyz/v1/images?api_key={key}: "
            f"Authorization: Bearer {key} refused; raw key {key}"
        )


async def test_logs_are_json_with_context_and_never_hold_secrets(monkeypatch) -> None:
    for name, key in FAKE_KEYS.items():
        monkeypatch.setenv(name, key)
    overrides = {
        "app_env": "production",
        "log_level": "debug",
        "cors_origins": ["https://play.example.com"],
        "admin_token": ADMIN,
        "metrics_token": METRICS,
        "alert_webhook_url": WEBHOOK,
    }
    backend = ChainTestBackend([LeakyProvider("together", 0.003), FakeProvider("pictogram")], {"together": 0.003})
    with capture_logs(settings_for(overrides)) as logs:
        async with ops_server(overrides, backend=backend) as server:
            host, guest = Player(server.url), Player(server.url)
            await host.connect()
            await guest.connect()
            try:
                await host.create("Host")
                await guest.join(host.code, "Guest")
                await host.ok("game:start")
                v = await host.wait_for(lambda v: v["phase"] == "prompting")
                giver, other = (host, guest) if v["turn"]["giverId"] == host.id else (guest, host)
                await giver.ok("prompt:submit", {"text": PROMPT})
                await other.wait_for(lambda v: v["phase"] == "guessing")
                for text in GUESSES:
                    await other.ok("guess:submit", {"text": text})
                await host.wait_for(lambda v: v["phase"] == "reveal")
                # a reconnect sends the player token back to the server
                await guest.close()
                again = await Player(server.url).connect()
                await again.ok("room:resume", {"code": host.code, "token": guest.token})
                await again.close()
                async with http(server) as client:
                    reply = await client.get("/api/themes", headers={"X-Request-ID": "req-abc-123"})
                    await client.get("/api/costs", headers={"Authorization": f"Bearer {ADMIN}"})
                    await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS}"})
                # a handler that crashes: the error is logged with the socket and room
                real_view = server.app.services.rooms.view

                async def broken_view(code: str, member_id: str) -> dict:
                    raise ValueError("view exploded")

                server.app.services.rooms.view = broken_view
                assert (await host.call("room:sync"))["error"]["code"] == "internal"
                server.app.services.rooms.view = real_view
                # careless log calls, from structlog and from the standard library
                structlog.get_logger("test").info(
                    "careless",
                    token=host.token,
                    headers={"authorization": f"Bearer {ADMIN}"},
                    url=f"redis://:{METRICS}@redis:6379/0",
                )
                logging.getLogger("test.stdlib").warning("calling %s with %s", WEBHOOK, FAKE_KEYS["FAL_KEY"])
                try:
                    raise KeyError(f"admin {ADMIN} metrics {METRICS}")
                except KeyError:
                    structlog.get_logger("test").exception("careless_exception")
            finally:
                await host.close()
                await guest.close()
        text = logs.getvalue()
        lines = [json.loads(line) for line in logs.lines()]  # every line is one JSON object

    # secrets: none of them anywhere, and the scrubber visibly did its work
    secrets = [*FAKE_KEYS.values(), ADMIN, METRICS, WEBHOOK, "fakewebhooksecret", host.token, guest.token]
    leaked = [s for s in secrets if s and s in text]
    assert not leaked, f"secrets in logs: {leaked}"
    assert text.count("[REDACTED]") >= 5

    # the shape of every line
    for line in lines:
        assert {"level", "event", "timestamp", "environment"} <= set(line), line
        assert line["environment"] == "production" and line["timestamp"].endswith("Z")

    # prompts and guesses are not logged at info level (nor above)
    loud = [json.dumps(line) for line in lines if line["level"] != "debug"]
    for secret_text in (PROMPT, *GUESSES):
        assert not any(secret_text in line for line in loud), secret_text

    # context: the request id comes back and is on the request's line
    assert reply.headers["x-request-id"] == "req-abc-123"
    assert any(ln["event"] == "http_request" and ln.get("request_id") == "req-abc-123" for ln in lines)
    # socket events carry the socket id and the room code
    events = [ln for ln in lines if ln["event"] == "socket_event" and ln.get("socket_event") == "guess:submit"]
    assert events and all(ln.get("room") == host.code and ln.get("sid") for ln in events)
    # exceptions: type, message and stack, with the socket and room
    crash = next(ln for ln in lines if ln["event"] == "event_failed")
    assert crash["exception"]["type"] == "ValueError" and crash["exception"]["message"] == "view exploded"
    assert "Traceback" in crash["exception"]["stack"] and crash["room"] == host.code and crash["sid"]
    leak = next(ln for ln in lines if "crashed" in ln["event"])  # the image chain's stdlib log line
    assert leak["exception"]["type"] == "RuntimeError" and "[REDACTED]" in leak["exception"]["message"]
    assert leak["logger"] == "imprompt.images.chain"
