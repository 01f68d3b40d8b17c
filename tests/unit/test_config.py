"""Settings fail fast with a message that names the variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imprompt.config import Settings, SettingsError, load_settings


def test_defaults_are_the_embedded_ones(monkeypatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    s = load_settings(_env_file=None)
    assert (s.host, s.port, s.redis_url) == ("0.0.0.0", 5000, None)


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("PORT", "abc", "PORT"), ("PORT", "70000", "PORT"), ("APP_ENV", "staging", "APP_ENV"),
    ("GUESS_RATE", "lots", "GUESS_RATE"), ("REDIS_URL", "http://x", "REDIS_URL"),
    ("SEAT_HOLD_SECONDS", "-1", "SEAT_HOLD_SECONDS"),
])
def test_invalid_values_name_the_variable(monkeypatch, name, value, needle) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=needle):
        load_settings(_env_file=None)


def test_lists_are_comma_separated(monkeypatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    assert load_settings(_env_file=None).cors_origins == ["https://a.example", "https://b.example"]


def test_every_setting_is_documented_in_env_example() -> None:
    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.M))
    missing = {name.upper() for name in Settings.model_fields} - documented
    assert not missing, f"settings missing from .env.example: {sorted(missing)}"
