"""Image settings: defaults, provider order, fail-fast validation, secrets never shown."""

from __future__ import annotations

import pytest

from imprompt.config import SettingsError
from imprompt.images.settings import DEFAULT_PRICES, load_image_settings


def load(**kw):
    return load_image_settings(_env_file=None, **kw)


def test_defaults_need_no_key(monkeypatch):
    for var in ["TOGETHER_API_KEY", "REPLICATE_API_TOKEN", "FAL_KEY", "OPENAI_API_KEY", "AI_PROVIDER", "AI_FALLBACKS"]:
        monkeypatch.delenv(var, raising=False)
    s = load()
    assert s.provider_order() == ["pictogram"]
    assert s.image_timeout_seconds == 30 and s.image_dir == "data/images" and s.image_reuse and s.pictogram_fallback
    assert s.together_price_usd == DEFAULT_PRICES["together"]


def test_order_from_environment(monkeypatch):
    monkeypatch.setenv("AI_PROVIDER", "Replicate")
    monkeypatch.setenv("AI_FALLBACKS", "together, openai")
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_x")
    monkeypatch.setenv("TOGETHER_API_KEY", "tg_x")
    monkeypatch.setenv("OPENAI_API_KEY", "sk_x")
    assert load().provider_order() == ["replicate", "together", "openai", "pictogram"]
    monkeypatch.setenv("PICTOGRAM_FALLBACK", "false")
    assert load().provider_order() == ["replicate", "together", "openai"]


def test_first_keyed_provider_when_unset(monkeypatch):
    monkeypatch.delenv("AI_PROVIDER", raising=False)
    assert load(fal_key="fk").provider_order() == ["fal", "pictogram"]


@pytest.mark.parametrize(
    "kw, needle",
    [
        ({"ai_provider": "midjourney"}, "AI_PROVIDER"),
        ({"ai_provider": "together"}, "TOGETHER_API_KEY"),
        ({"ai_fallbacks": "fal,dalle"}, "AI_FALLBACKS"),
        ({"image_timeout_seconds": 0}, "IMAGE_TIMEOUT_SECONDS"),
        ({"ai_daily_budget_usd": -1}, "AI_DAILY_BUDGET_USD"),
        ({"fal_base_url": "file:///etc/passwd"}, "FAL_BASE_URL"),
        ({"ai_provider": "pictogram", "pictogram_fallback": False, "together_steps": 0}, "TOGETHER_STEPS"),
    ],
)
def test_invalid_values_fail_fast_with_the_variable_name(kw, needle):
    with pytest.raises(SettingsError) as caught:
        load(**kw)
    assert needle in str(caught.value)


def test_keys_never_show():
    s = load(together_api_key="sk-super-secret", ai_provider="together")
    assert "sk-super-secret" not in repr(s) and "sk-super-secret" not in str(s.model_dump())
    assert s.api_key("together") == "sk-super-secret"
    with pytest.raises(SettingsError) as caught:
        load(together_api_key="sk-super-secret", ai_provider="together", image_retries=-5)
    assert "sk-super-secret" not in str(caught.value)


def test_env_example_is_valid(monkeypatch):
    from pathlib import Path

    for var in ["TOGETHER_API_KEY", "REPLICATE_API_TOKEN", "FAL_KEY", "OPENAI_API_KEY", "AI_PROVIDER", "AI_FALLBACKS"]:
        monkeypatch.delenv(var, raising=False)
    example = Path(__file__).resolve().parents[3] / ".env.example"
    s = load_image_settings(_env_file=str(example))
    assert s.provider_order() == ["pictogram"] and s.ai_daily_budget_usd is None
