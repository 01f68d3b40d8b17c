"""The chain: order, fallback, retries with Retry-After, breaker, budget, cache, costs."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from imprompt.images.base import GeneratedImage, ImageError
from imprompt.images.chain import ImageChain
from imprompt.images.registry import build_chain
from imprompt.images.settings import load_image_settings
from imprompt.images.store import MemoryStore

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


class Fake:
    """A provider that plays back a script of results: an ImageError to raise, "hang", or "ok"."""

    def __init__(self, name, script=("ok",), price=0.0):
        self.name, self.model, self.script, self.price = name, f"{name}-model", list(script), price
        self.calls = 0

    async def generate(self, prompt, *, seed, size=1024):
        step = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        if step == "hang":
            await asyncio.sleep(10)
        if isinstance(step, ImageError):
            raise step
        return GeneratedImage(PNG, "image/png", self.name, self.model, cost_usd=self.price)


class Clock:
    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self):
        return self.now

    async def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def chain(providers, clock=None, **kw):
    clock = clock or Clock()
    kw.setdefault("prices", {p.name: p.price for p in providers if p.price})
    return ImageChain(providers, clock=clock, sleep=clock.sleep, today=lambda: "2025-01-01", **kw)


def err(kind, retry_after=None, retryable=True):
    return ImageError(f"{kind} happened", kind=kind, retry_after=retry_after, retryable=retryable)


async def test_first_provider_wins():
    a, b = Fake("a", price=0.01), Fake("pictogram")
    image = await chain([a, b]).generate("cat", seed=1)
    assert image.provider == "a" and b.calls == 0


async def test_falls_back_in_order():
    a = Fake("a", [err("auth", retryable=False)], price=0.01)
    b = Fake("b", [err("bad_response", retryable=False)], price=0.01)
    c = Fake("pictogram")
    image = await chain([a, b, c]).generate("cat", seed=1)
    assert image.provider == "pictogram" and (a.calls, b.calls, c.calls) == (1, 1, 1)


async def test_retries_honour_retry_after_then_succeed():
    clock = Clock()
    a = Fake("a", [err("rate_limited", retry_after=2.0), err("server_error"), "ok"], price=0.01)
    ch = chain([a, Fake("pictogram")], clock=clock, retries=2, retry_base=0.5)
    image = await ch.generate("cat", seed=1)
    assert image.provider == "a" and a.calls == 3
    assert clock.slept == [2.0, 1.0]  # Retry-After first, then exponential backoff (0.5 * 2**1)
    day = ch.costs()["providers"]["a"]
    assert day["requests"] == 3 and day["successes"] == 1 and day["failures"] == {"rate_limited": 1, "server_error": 1}


async def test_no_retry_past_the_time_budget():
    clock = Clock()
    a = Fake("a", [err("rate_limited", retry_after=100.0)], price=0.01)
    pic = Fake("pictogram")
    image = await chain([a, pic], clock=clock, total_timeout=30).generate("cat", seed=1)
    assert image.provider == "pictogram" and clock.slept == [] and a.calls == 1


async def test_hanging_provider_is_cut_at_the_budget():
    a, pic = Fake("a", ["hang"], price=0.01), Fake("pictogram")
    ch = ImageChain([a, pic], prices={"a": 0.01}, total_timeout=0.05)
    image = await ch.generate("cat", seed=1)
    assert image.provider == "pictogram"
    assert ch.status()["a"]["last_error"] == "timeout"


async def test_total_failure_raises_reason_for_player():
    a = Fake(
        "a", [ImageError("The image service is not available right now.", kind="auth", retryable=False)], price=0.01
    )
    with pytest.raises(ImageError) as caught:
        await chain([a]).generate("cat", seed=1)
    assert caught.value.reason == "The image service is not available right now."


async def test_blocked_stops_the_chain():
    a = Fake("a", [ImageError("Refused. Please try another prompt.", kind="blocked", retryable=False)], price=0.01)
    pic = Fake("pictogram")
    with pytest.raises(ImageError) as caught:
        await chain([a, pic]).generate("cat", seed=1)
    assert "try another prompt" in caught.value.reason and pic.calls == 0


async def test_circuit_breaker_opens_and_recovers():
    clock = Clock()
    a = Fake("a", [err("auth", retryable=False)] * 3 + ["ok"], price=0.01)
    pic = Fake("pictogram")
    ch = chain([a, pic], clock=clock, breaker_failures=3, breaker_cooldown=60)
    for _ in range(3):
        await ch.generate("cat", seed=1)
    assert ch.status()["a"]["state"] == "open"
    await ch.generate("cat", seed=2)
    assert a.calls == 3  # skipped while open
    clock.now += 61
    image = await ch.generate("cat", seed=3)  # half-open: one trial, which succeeds
    assert image.provider == "a" and ch.status()["a"]["breaker"] == "closed"


async def test_daily_budget_skips_paid_providers_and_counts_exactly():
    day = {"value": "2025-01-01"}
    a, pic = Fake("a", price=0.004), Fake("pictogram")
    ch = ImageChain([a, pic], prices={"a": 0.004}, daily_budget_usd=0.01, today=lambda: day["value"])
    providers = [(await ch.generate("cat", seed=s)).provider for s in range(4)]
    assert providers == ["a", "a", "pictogram", "pictogram"]  # a third would pass 0.01
    costs = ch.costs()
    assert costs["spent_usd"] == 0.008 and costs["providers"]["a"]["images"] == 2
    assert costs["providers"]["a"]["usd"] == 0.008 and costs["providers"]["pictogram"]["images"] == 2
    assert ch.status()["a"]["over_budget"] is True
    day["value"] = "2025-01-02"  # a new UTC day resets the budget
    assert (await ch.generate("cat", seed=9)).provider == "a"
    assert set(ch.costs()["history"]) == {"2025-01-01", "2025-01-02"}


async def test_jobs_started_together_stay_within_the_daily_budget():
    class Slow(Fake):
        async def generate(self, prompt, *, seed, size=1024):
            await asyncio.sleep(0.01)  # every job has passed the budget check before one is paid
            return await super().generate(prompt, seed=seed, size=size)

    a, pic = Slow("a", price=0.004), Fake("pictogram")
    ch = ImageChain([a, pic], prices={"a": 0.004}, daily_budget_usd=0.01)
    images = await asyncio.gather(*(ch.generate("cat", seed=s) for s in range(6)))
    assert sorted(i.provider for i in images) == ["a", "a", *["pictogram"] * 4]
    assert a.calls == 2 and ch.costs()["spent_usd"] == 0.008  # never past 0.01
    assert (await ch.generate("dog", seed=9)).provider == "pictogram"  # nothing is left held


async def test_cache_reuses_and_can_be_turned_off():
    store = MemoryStore()
    a = Fake("a", price=0.01)
    ch = chain([a], store=store)
    first = await ch.generate("A  Cat", seed=1)
    again = await ch.generate("a cat", seed=1)
    assert a.calls == 1 and again.details["cached"] and again.details["key"] == first.details["key"]
    assert ch.costs()["providers"]["a"]["cache_hits"] == 1
    await ch.generate("a cat", seed=2)
    assert a.calls == 2  # another seed is another image
    off = chain([a], store=store, reuse=False)
    await off.generate("a cat", seed=1)
    assert a.calls == 3


async def test_a_local_generator_keeps_one_file_per_drawing_not_per_seed():
    class Drawer(Fake):
        async def generate(self, prompt, *, seed, size=1024):
            self.calls += 1
            body = b"<svg>%d</svg>" % (seed % 2)  # two seeds of five draw alike: two drawings
            return GeneratedImage(body, "image/svg+xml", self.name, self.model)

    store = MemoryStore()
    local = Drawer("pictogram")
    ch = chain([local], store=store)
    keys = [(await ch.generate("a cat", seed=s)).details["key"] for s in range(5)]
    assert local.calls == 5  # drawn every time: a local drawing is never looked up
    assert len(set(keys)) == 2 and len(store.items) == 2
    assert keys[0] == keys[2] == keys[4] and keys[1] == keys[3] != keys[0]


async def test_concurrency_cap():
    running, peak = 0, 0

    class Slow(Fake):
        async def generate(self, prompt, *, seed, size=1024):
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1
            return await super().generate(prompt, seed=seed, size=size)

    ch = ImageChain([Slow("a", price=0.01)], prices={"a": 0.01}, concurrency=2)
    await asyncio.gather(*(ch.generate("cat", seed=s) for s in range(6)))
    assert peak == 2


async def test_build_chain_from_settings(tmp_path):
    settings = load_image_settings(
        _env_file=None, together_api_key="k1", ai_fallbacks="fal", fal_key="k2", ai_daily_budget_usd=1
    )
    async with httpx.AsyncClient() as http:
        ch = build_chain(settings, http)
    assert [p.name for p in ch.providers] == ["together", "fal", "pictogram"]
    assert ch.prices == {"together": settings.together_price_usd, "fal": settings.fal_price_usd}
    assert set(ch.status()) == {"together", "fal", "pictogram"}
