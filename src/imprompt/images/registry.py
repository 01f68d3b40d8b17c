"""Build providers and the chain from settings."""

from __future__ import annotations

from functools import lru_cache

import httpx

from imprompt.config.images import ImageSettings
from imprompt.images.base import ImageProvider
from imprompt.images.chain import ImageChain
from imprompt.images.pictogram import PictogramProvider
from imprompt.images.providers.services import FalProvider, OpenAIProvider, ReplicateProvider, TogetherProvider
from imprompt.images.store import AnyImageStore


@lru_cache(maxsize=1)
def builtin_provider() -> PictogramProvider:
    """The offline pictogram generator, built once per process (it holds the index)."""
    return PictogramProvider()


def build_provider(name: str, settings: ImageSettings, http: httpx.AsyncClient) -> ImageProvider:
    if name == "pictogram":
        return builtin_provider()
    common = dict(
        key=settings.api_key(name) or "",
        price=settings.price(name),
        timeout=settings.image_request_timeout_seconds,
        max_bytes=int(settings.image_max_download_mb * 1024 * 1024),
    )
    if name == "together":
        return TogetherProvider(
            http,
            base_url=settings.together_base_url,
            model=settings.together_model,
            steps=settings.together_steps,
            **common,
        )
    if name == "replicate":
        return ReplicateProvider(
            http,
            base_url=settings.replicate_base_url,
            model=settings.replicate_model,
            output_format=settings.replicate_output_format,
            poll_interval=settings.replicate_poll_seconds,
            **common,
        )
    if name == "fal":
        return FalProvider(
            http, base_url=settings.fal_base_url, model=settings.fal_model, steps=settings.fal_steps, **common
        )
    if name == "openai":
        return OpenAIProvider(
            http,
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            quality=settings.openai_quality,
            **common,
        )
    raise ValueError(f"unknown image provider {name!r}")


def build_chain(settings: ImageSettings, http: httpx.AsyncClient, store: AnyImageStore | None = None) -> ImageChain:
    order = settings.provider_order()
    return ImageChain(
        [build_provider(name, settings, http) for name in order],
        prices={name: settings.price(name) for name in order if name != "pictogram"},
        store=store,
        reuse=settings.image_reuse,
        total_timeout=settings.image_timeout_seconds,
        retries=settings.image_retries,
        retry_base=settings.image_retry_base_seconds,
        breaker_failures=settings.image_breaker_failures,
        breaker_cooldown=settings.image_breaker_cooldown_seconds,
        concurrency=settings.image_concurrency,
        daily_budget_usd=settings.ai_daily_budget_usd,
    )
