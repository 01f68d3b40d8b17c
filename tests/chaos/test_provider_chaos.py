"""Image providers misbehaving while whole games are played on a real server: the real
provider chain (Together first, then OpenAI, then the built-in pictogram generator) over
local HTTP servers speaking each provider's documented shapes (tests/unit/images/).

Each turn Together misbehaves another way: it hangs, answers 5xx, 429 with Retry-After,
a garbage body, a result trickled slowly, a 50 MB image, a page sent as an image, or an
image that is not one; OpenAI is down for some turns and draws others. Every turn ends
in a picture and a reveal (the pictogram when both fail), the day's costs count only the
pictures paid for, Together's circuit breaker opens and, once it answers again, closes."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Any

import pytest

from imprompt.images.backend import build_backend
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.server import running_server, settings_for
from tests.unit.images.conftest import PNG, Answer, FakeService

PRICES = {"together": 0.002, "openai": 0.011}
GENERATIONS = "/images/generations"
BIG = b"\x89PNG\r\n\x1a\n" + b"\x00" * (50 * 1024 * 1024)


def b64(data: bytes) -> dict:
    return {"data": [{"b64_json": base64.b64encode(data).decode()}]}


def result_url(service: FakeService, name: str) -> dict:
    return {"data": [{"url": f"{service.base}/files/{name}"}]}


# (what Together does, whether OpenAI draws): the provider expected to draw the turn follows
def scripts(together: FakeService) -> list[tuple[str, list[tuple[str, str, Answer]], bool]]:
    return [
        ("hang", [("POST", GENERATIONS, Answer(200, b64(PNG), delay=3.0))], False),
        ("5xx", [("POST", GENERATIONS, Answer(503, {"error": "overloaded"}))], True),
        ("429", [("POST", GENERATIONS, Answer(429, {"error": "slow down"}, {"Retry-After": "1"}))], False),
        ("garbage", [("POST", GENERATIONS, Answer(200, b"{not json", {"Content-Type": "application/json"}))], True),
        (
            "trickle",
            [
                ("POST", GENERATIONS, Answer(200, result_url(together, "slow.png"))),
                ("GET", "/files/slow.png", Answer(200, PNG, {"Content-Type": "image/png"}, trickle=0.3)),
            ],
            False,
        ),
        (
            "50 MB",
            [
                ("POST", GENERATIONS, Answer(200, result_url(together, "big.png"))),
                ("GET", "/files/big.png", Answer(200, BIG, {"Content-Type": "image/png"})),
            ],
            True,
        ),
        (
            "wrong type",
            [
                ("POST", GENERATIONS, Answer(200, result_url(together, "page.png"))),
                ("GET", "/files/page.png", Answer(200, b"<html>login</html>", {"Content-Type": "image/png"})),
            ],
            False,
        ),
        ("not an image", [("POST", GENERATIONS, Answer(200, b64(b"GIF? no: " + b"\x01" * 64)))], False),
        ("works again", [("POST", GENERATIONS, Answer(200, b64(PNG)))], False),
    ]


@pytest.fixture
def providers():
    together, openai = FakeService(), FakeService()
    yield together, openai
    together.close()
    openai.close()


async def test_every_turn_completes_while_the_providers_misbehave(providers, tmp_path) -> None:
    together, openai = providers
    plan = scripts(together)
    overrides: dict[str, Any] = {
        "ai_provider": "together",
        "ai_fallbacks": ["openai"],
        "pictogram_fallback": True,
        "together_api_key": "sk-together-test",
        "openai_api_key": "sk-openai-test",
        "together_base_url": together.base,
        "openai_base_url": openai.base,
        "together_price_usd": PRICES["together"],
        "openai_price_usd": PRICES["openai"],
        "image_timeout_seconds": 2.5,
        "image_request_timeout_seconds": 1.0,
        "image_retries": 1,
        "image_retry_base_seconds": 0.1,
        "image_breaker_failures": 3,
        "image_breaker_cooldown_seconds": 1.0,
        "image_max_download_mb": 10,
        "image_reuse": False,
        "image_dir": str(tmp_path / "images"),
    }
    backend = build_backend(settings_for(overrides).images)
    breaker_seen: list[str] = []
    drawn_by: list[tuple[str, str | None]] = []
    started = time.monotonic()
    async with running_server(overrides, Clock(), FakeImages(), backend) as server:
        host, guest = await Player(server.url).connect(), await Player(server.url).connect()
        try:
            await host.create("Host", settings={"rounds": 5, "hints": False})
            await guest.join(host.code, "Guest")
            await host.ok("game:start")
            for number, (name, routes, openai_draws) in enumerate(plan, 1):
                view = await host.wait_for(lambda v, n=number: v["phase"] == "prompting" and v["turn"]["number"] == n)
                for method, path, answer in routes:
                    together.on(method, path, answer)
                if openai_draws:
                    openai.on("POST", GENERATIONS, Answer(200, b64(PNG)))
                else:
                    openai.on("POST", GENERATIONS, Answer(500, {"error": {"message": "down"}}))
                if name == "works again":
                    await asyncio.sleep(1.1)  # past the breaker's cooldown: one trial goes through
                giver, other = (host, guest) if view["turn"]["giverId"] == host.id else (guest, host)
                prompt = ["red kite", "blue whale", "sleepy cat", "old castle", "fast car"][number % 5] + f" {number}"
                await giver.ok("prompt:submit", {"text": prompt.rsplit(" ", 1)[0]})
                await other.wait_for(lambda v: v["phase"] == "guessing", timeout=10)
                breaker_seen.append(backend.status()["together"]["breaker"])
                await other.ok("guess:submit", {"text": prompt.rsplit(" ", 1)[0]})
                revealed = await host.wait_for(lambda v: v["phase"] == "reveal")
                drawn_by.append((name, revealed["turn"]["imageProvider"]))
                assert revealed["turn"]["failures"] == 0 and not revealed["turn"]["skipped"], (name, revealed["turn"])
                await server.advance(9)  # past the reveal
            costs = backend.costs()
            status = backend.status()
        finally:
            await host.close()
            await guest.close()
    elapsed = time.monotonic() - started
    expected = [
        (name, "openai" if draws else ("together" if name == "works again" else "pictogram")) for name, _, draws in plan
    ]
    assert drawn_by == expected, drawn_by
    day = costs["providers"]
    paid_openai = sum(1 for _, by in drawn_by if by == "openai")
    assert day["together"]["images"] == 1 and day["together"]["usd"] == pytest.approx(PRICES["together"])
    assert day["openai"]["images"] == paid_openai
    assert day["openai"]["usd"] == pytest.approx(PRICES["openai"] * paid_openai)
    assert day.get("pictogram", {}).get("usd", 0) == 0
    assert costs["spent_usd"] == pytest.approx(PRICES["together"] + PRICES["openai"] * paid_openai)
    assert "open" in breaker_seen, breaker_seen  # three failures in a row opened it
    assert status["together"]["breaker"] == "closed", status  # ...and the trial that worked closed it
    assert elapsed < 40, elapsed
