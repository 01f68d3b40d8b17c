"""The provider chain: cache, order, time budget, retries, breaker, concurrency, costs.

Providers are tried in order; the first image wins. Failures fall through to the next
provider, and the built-in generator (always last unless disabled) answers in
milliseconds, so a turn never stalls on a slow or broken service.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from imprompt.images.base import GeneratedImage, ImageError, ImageProvider
from imprompt.images.health import CircuitBreaker, CostBook, ProviderHealth, utc_day
from imprompt.images.store import AnyImageStore, cache_key, read_image, write_image

log = logging.getLogger(__name__)

RETRY_KINDS = {"rate_limited", "server_error", "network"}
BUSY = "The image service is busy right now. Try again in a moment."


def styled_key(prompt: str, drawn: dict[str, str]) -> str:
    """What the cache keys a picture on: the prompt, and its style when it has one."""
    return f"{prompt}\x00{drawn['style']}" if drawn.get("style") else prompt


class ImageChain:
    def __init__(
        self,
        providers: list[ImageProvider],
        *,
        prices: dict[str, float] | None = None,
        store: AnyImageStore | None = None,
        reuse: bool = True,
        total_timeout: float = 30.0,
        retries: int = 2,
        retry_base: float = 0.5,
        breaker_failures: int = 3,
        breaker_cooldown: float = 60.0,
        concurrency: int = 4,
        daily_budget_usd: float | None = None,
        local: frozenset[str] = frozenset({"pictogram"}),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        today: Callable[[], str] = utc_day,
    ) -> None:
        if not providers:
            raise ValueError("an image chain needs at least one provider")
        self.providers = providers
        self.prices = prices or {}
        self.store = store
        self.reuse = reuse
        self.total_timeout = total_timeout
        self.retries = retries
        self.retry_base = retry_base
        self.daily_budget_usd = daily_budget_usd
        self.local = local
        self.clock = clock
        self.sleep = sleep
        self.costbook = CostBook(today)
        self.health = {
            p.name: ProviderHealth(CircuitBreaker(breaker_failures, breaker_cooldown, clock)) for p in providers
        }
        self._slots = {p.name: asyncio.Semaphore(concurrency) for p in providers}
        # Paid calls in flight: their price is held against the budget from the check until
        # they end, or jobs started together would all pass the check and overrun it.
        self._reserved = 0.0

    def _is_paid(self, name: str) -> bool:
        return name not in self.local and self.prices.get(name, 0.0) > 0

    def _over_budget(self, name: str) -> bool:
        if self.daily_budget_usd is None or not self._is_paid(name):
            return False
        return self.costbook.spent_today() + self._reserved + self.prices[name] > self.daily_budget_usd + 1e-9

    async def generate(self, prompt: str, *, seed: int, size: int = 1024, style: str = "none") -> GeneratedImage:
        deadline = self.clock() + self.total_timeout
        last: ImageError | None = None
        for provider in self.providers:
            name = provider.name
            local = name in self.local
            drawn = {} if local or style == "none" else {"style": style}  # the pictogram draws no styles
            # A local generator's picture is keyed by what it drew (see _keep): nothing to look up.
            cached = None if local else await self._cached(provider, styled_key(prompt, drawn), seed, size)
            if cached is not None:
                return cached
            if self._over_budget(name):
                log.info("image provider %s skipped: daily budget reached", name)
                continue
            if not local and self.clock() >= deadline:
                continue
            if not self.health[name].breaker.allow():
                continue
            held = self.prices[name] if self.daily_budget_usd is not None and self._is_paid(name) else 0.0
            self._reserved += held  # no await since the check: nothing else ran in between
            try:
                image = await self._call(provider, prompt, seed, size, None if local else deadline, drawn)
            except ImageError as exc:
                if exc.kind == "blocked":
                    raise  # the prompt giver must change the prompt; another provider won't help
                last = exc
                continue
            finally:
                self._reserved -= held
            return await self._keep(provider, image, styled_key(prompt, drawn), seed, size)
        raise ImageError(last.reason if last else BUSY, retryable=True, kind=last.kind if last else "unavailable")

    async def _cached(self, provider: ImageProvider, prompt: str, seed: int, size: int) -> GeneratedImage | None:
        if self.store is None or not self.reuse:
            return None
        key = cache_key(f"{provider.name}:{getattr(provider, 'model', '')}", prompt, seed, size)
        found = await read_image(self.store, key)
        if found is None:
            return None
        self.costbook.counters(provider.name).cache_hits += 1
        data, media_type = found
        return GeneratedImage(
            data, media_type, provider.name, getattr(provider, "model", ""), details={"cached": True, "key": key}
        )

    async def _keep(
        self, provider: ImageProvider, image: GeneratedImage, prompt: str, seed: int, size: int
    ) -> GeneratedImage:
        if self.store is None:
            return image
        if provider.name in self.local:
            # The built-in generator draws many prompts alike for every seed: keyed by the
            # drawing, a turn that draws the same picture again writes no new file and no
            # new entry in the store's index (one a turn grew the soak's RSS, bench/README.md).
            seed = int.from_bytes(hashlib.sha256(image.data).digest()[:8], "big")
        key = cache_key(f"{provider.name}:{getattr(provider, 'model', '')}", prompt, seed, size)
        await write_image(self.store, image.data, image.media_type, key)
        return replace(image, details={**image.details, "key": key})

    async def _call(
        self,
        provider: ImageProvider,
        prompt: str,
        seed: int,
        size: int,
        deadline: float | None,
        drawn: dict[str, str] | None = None,
    ) -> GeneratedImage:
        name = provider.name
        health = self.health[name]
        counters = self.costbook.counters
        attempt = 0
        while True:
            remaining = None if deadline is None else deadline - self.clock()
            started = self.clock()
            counters(name).requests += 1
            try:
                if remaining is not None and remaining <= 0:
                    raise ImageError("The image took too long to draw.", kind="timeout")
                async with self._slots[name]:
                    image = await asyncio.wait_for(
                        provider.generate(prompt, seed=seed, size=size, **(drawn or {})), remaining
                    )
            except (TimeoutError, ImageError) as exc:
                error = (
                    exc
                    if isinstance(exc, ImageError)
                    else ImageError("The image took too long to draw.", kind="timeout")
                )
                wait = self._retry_wait(error, attempt, deadline)
                if wait is not None:
                    attempt += 1
                    counters(name).failures[error.kind] = counters(name).failures.get(error.kind, 0) + 1
                    await self.sleep(wait)
                    continue
                self._failed(name, error)
                raise error from None
            except Exception as exc:  # a provider bug must not take the turn down with it
                log.exception("image provider %s crashed", name)
                error = ImageError("The image generator had a problem.", kind="crash")
                self._failed(name, error)
                raise error from exc
            elapsed = self.clock() - started
            health.latencies.append(elapsed)
            health.recent_failures.append(False)
            health.breaker.success()
            day = counters(name)
            day.successes += 1
            day.images += 1
            day.usd += image.cost_usd
            return replace(image, elapsed=image.elapsed or elapsed)

    def _retry_wait(self, error: ImageError, attempt: int, deadline: float | None) -> float | None:
        if attempt >= self.retries or not error.retryable or error.kind not in RETRY_KINDS:
            return None
        wait = max(error.retry_after or 0.0, self.retry_base * (2**attempt))
        if deadline is not None and self.clock() + wait >= deadline:
            return None  # no time left to wait: fall through to the next provider now
        return wait

    def _failed(self, name: str, error: ImageError) -> None:
        health = self.health[name]
        day = self.costbook.counters(name)
        day.failures[error.kind] = day.failures.get(error.kind, 0) + 1
        health.last_error = error.kind
        health.recent_failures.append(True)
        if error.kind != "blocked":
            health.breaker.failure()
        log.warning("image provider %s failed: %s (%s)", name, error.kind, error.reason)

    def status(self) -> dict:
        out = {}
        for provider in self.providers:
            entry = self.health[provider.name].status()
            entry["model"] = getattr(provider, "model", "")
            entry["paid"] = self._is_paid(provider.name)
            entry["over_budget"] = self._over_budget(provider.name)
            out[provider.name] = entry
        return out

    def costs(self) -> dict:
        today = self.costbook.today()
        return {
            "day": today,
            "budget_usd": self.daily_budget_usd,
            "spent_usd": round(self.costbook.spent_today(), 6),
            "prices_usd": dict(self.prices),
            "providers": {n: c.as_dict() for n, c in self.costbook.days.get(today, {}).items()},
            "history": self.costbook.as_dict(),
        }
