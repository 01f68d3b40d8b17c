"""Image settings (images/): providers and their order, keys, models, prices, budget,
timeouts and retries, and the image cache. Documented in .env.example, "# Images".

API keys are SecretStr, so they never show up in a repr, a log line or an error.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from .base import Group, blank_is_unset, split_list

PAID_PROVIDERS = ("together", "replicate", "fal", "openai")
ALL_PROVIDERS = ("pictogram", *PAID_PROVIDERS)

# Default prices in US dollars for one 1024x1024 image with the default model and steps,
# from each provider's public price page. Checked on this date; override per provider.
PRICES_CHECKED = "2025-06-15"
DEFAULT_PRICES = {
    "together": 0.0027,  # FLUX.1-schnell, $0.0027 per megapixel
    "replicate": 0.003,  # black-forest-labs/flux-schnell, per output image
    "fal": 0.003,  # fal-ai/flux/schnell, $0.003 per megapixel
    "openai": 0.011,  # gpt-image-1, quality "low", 1024x1024
    "pictogram": 0.0,
}

_KEY_FIELDS = {
    "together": "together_api_key",
    "replicate": "replicate_api_token",
    "fal": "fal_key",
    "openai": "openai_api_key",
}


class ImageSettings(Group):
    # Which providers, in which order. Empty AI_PROVIDER: the first paid provider with a key,
    # else the pictogram generator.
    ai_provider: str | None = None
    ai_fallbacks: Annotated[list[str], NoDecode] = Field(default_factory=list)
    pictogram_fallback: bool = True  # pictogram generator as the last resort

    together_api_key: SecretStr | None = None
    replicate_api_token: SecretStr | None = None
    fal_key: SecretStr | None = None
    openai_api_key: SecretStr | None = None

    together_base_url: str = "https://api.together.xyz/v1"
    replicate_base_url: str = "https://api.replicate.com/v1"
    fal_base_url: str = "https://fal.run"
    openai_base_url: str = "https://api.openai.com/v1"

    together_model: str = "black-forest-labs/FLUX.1-schnell"
    together_steps: int = Field(4, ge=1, le=50)
    replicate_model: str = "black-forest-labs/flux-schnell"
    replicate_output_format: str = Field("webp", pattern="^(webp|png|jpg)$")
    fal_model: str = "fal-ai/flux/schnell"
    fal_steps: int = Field(4, ge=1, le=50)
    openai_model: str = "gpt-image-1"
    openai_quality: str = Field("low", pattern="^(low|medium|high|auto|standard|hd)$")
    image_size: int = Field(1024, ge=256, le=2048)

    # Price per image in US dollars (defaults in DEFAULT_PRICES, checked PRICES_CHECKED)
    together_price_usd: float = Field(DEFAULT_PRICES["together"], ge=0, le=10)
    replicate_price_usd: float = Field(DEFAULT_PRICES["replicate"], ge=0, le=10)
    fal_price_usd: float = Field(DEFAULT_PRICES["fal"], ge=0, le=10)
    openai_price_usd: float = Field(DEFAULT_PRICES["openai"], ge=0, le=10)
    ai_daily_budget_usd: float | None = Field(None, ge=0)  # empty: no cap

    # Robustness
    image_timeout_seconds: float = Field(30, gt=0, le=600)  # total per image, all tries
    image_request_timeout_seconds: float = Field(25, gt=0, le=600)  # one HTTP call
    image_retries: int = Field(2, ge=0, le=10)  # extra tries on 429/5xx per provider
    image_retry_base_seconds: float = Field(0.5, ge=0, le=30)
    image_breaker_failures: int = Field(3, ge=1, le=100)
    image_breaker_cooldown_seconds: float = Field(60, ge=0, le=3600)
    image_concurrency: int = Field(4, ge=1, le=256)  # at once, per provider
    image_max_download_mb: float = Field(10, gt=0, le=100)
    replicate_poll_seconds: float = Field(1.0, gt=0, le=30)

    # Cache and storage
    image_dir: str = "data/images"
    image_cache_max_mb: float = Field(512, gt=0)
    image_reuse: bool = True

    @field_validator("ai_fallbacks", mode="before")
    @classmethod
    def _fallbacks(cls, value: object) -> object:
        return split_list(value, lower=True)

    @field_validator(
        "ai_daily_budget_usd", "together_api_key", "replicate_api_token", "fal_key", "openai_api_key", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return blank_is_unset(value)

    @field_validator("ai_provider", mode="before")
    @classmethod
    def _provider(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            return value or None
        return value

    @field_validator("ai_fallbacks")
    @classmethod
    def _known_fallbacks(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in ALL_PROVIDERS:
                raise ValueError(f"unknown provider {name!r}; choose from {', '.join(ALL_PROVIDERS)}")
        return value

    @field_validator("together_base_url", "replicate_base_url", "fal_base_url", "openai_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _providers_usable(self) -> ImageSettings:
        if self.ai_provider is not None and self.ai_provider not in ALL_PROVIDERS:
            raise ValueError(
                f"AI_PROVIDER: unknown provider {self.ai_provider!r}; choose from {', '.join(ALL_PROVIDERS)}"
            )
        for name in [self.ai_provider, *self.ai_fallbacks]:
            if name in PAID_PROVIDERS and self.api_key(name) is None:
                raise ValueError(f"provider {name!r} is selected but {_KEY_FIELDS[name].upper()} is not set")
        if not self.provider_order():
            raise ValueError("no image provider left: set AI_PROVIDER or PICTOGRAM_FALLBACK=true")
        return self

    def api_key(self, provider: str) -> str | None:
        field = _KEY_FIELDS.get(provider)
        secret = getattr(self, field) if field else None
        return secret.get_secret_value() if secret and secret.get_secret_value() else None

    def price(self, provider: str) -> float:
        return float(getattr(self, f"{provider}_price_usd", 0.0))

    def provider_order(self) -> list[str]:
        """Providers in the order the chain tries them (no duplicates)."""
        first = self.ai_provider
        if first is None:
            first = next((p for p in PAID_PROVIDERS if self.api_key(p)), "pictogram")
        order: list[str] = []
        for name in [first, *self.ai_fallbacks]:
            if name not in order:
                order.append(name)
        if self.pictogram_fallback and "pictogram" not in order:
            order.append("pictogram")
        return order
