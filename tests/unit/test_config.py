"""Settings fail fast with a message that names the variable, whichever group holds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imprompt.config import Settings, SettingsError, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch) -> None:
    for name in Settings.variables():
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_the_embedded_ones() -> None:
    s = load_settings(_env_file=None)
    assert (s.server.host, s.server.port, s.storage.redis_url) == ("0.0.0.0", 5000, None)
    assert s.data.database_url == "sqlite:///data/imprompt.db" and s.images.provider_order() == ["pictogram"]
    assert s.rooms.max_rooms == 2000 and s.limits.guess_rate == "2/second" and s.ops.admin_token is None


def test_each_variable_lives_in_one_group_under_its_own_name() -> None:
    variables = Settings.variables()
    assert variables["PORT"][0] == "server" and variables["DATABASE_URL"][0] == "data"
    assert variables["AI_PROVIDER"][0] == "images" and variables["ALERT_MIN_EVENTS"][0] == "alerts"
    assert len(variables) == sum(len(kind.model_fields) for kind in Settings.groups().values())


def test_environment_and_overrides_reach_their_group(monkeypatch) -> None:
    monkeypatch.setenv("PORT", "5050")
    monkeypatch.setenv("REVEAL_SECONDS", "3")
    s = load_settings(_env_file=None, database_url="sqlite://", image_retries=5)
    assert (s.server.port, s.rooms.reveal_seconds, s.data.database_url, s.images.image_retries) == (
        5050,
        3,
        "sqlite://",
        5,
    )
    with pytest.raises(TypeError, match="nope"):
        load_settings(_env_file=None, nope=1)


def test_tests_get_a_private_database(monkeypatch) -> None:
    assert load_settings(_env_file=None, app_env="test").data.database_url == "sqlite://"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    assert load_settings(_env_file=None, app_env="test").data.database_url == "sqlite:///x.db"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "abc"),
        ("PORT", "70000"),
        ("APP_ENV", "staging"),
        ("GUESS_RATE", "lots"),
        ("REDIS_URL", "http://x"),
        ("SEAT_HOLD_SECONDS", "-1"),
        ("DATABASE_URL", "mysql://u@h/db"),
        ("TRUSTED_PROXIES", "not-a-network"),
        ("ALERT_MIN_EVENTS", "0"),
        ("CONTENT_BLOCKLIST_FILE", "/no/such/file"),
        ("IMAGE_RETRIES", "abc"),
        ("AI_PROVIDER", "nope"),
        ("AI_FALLBACKS", "fal,dalle"),
    ],
)
def test_invalid_values_name_the_variable(monkeypatch, name, value) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name) as caught:
        load_settings(_env_file=None)
    assert str(caught.value).startswith("invalid configuration:")


def test_a_selected_provider_needs_its_key(monkeypatch) -> None:
    monkeypatch.setenv("AI_PROVIDER", "together")
    with pytest.raises(SettingsError, match="TOGETHER_API_KEY is not set"):
        load_settings(_env_file=None)


def test_every_bad_variable_of_every_group_in_one_message(monkeypatch) -> None:
    monkeypatch.setenv("PORT", "abc")
    monkeypatch.setenv("IMAGE_RETRIES", "abc")
    monkeypatch.setenv("ALERT_MIN_EVENTS", "0")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    lines = str(caught.value).splitlines()
    assert lines[0] == "invalid configuration:" and len(lines) == 4
    assert [ln.split(":")[0].strip() for ln in lines[1:]] == ["PORT", "ALERT_MIN_EVENTS", "IMAGE_RETRIES"]


def test_secrets_are_never_echoed(monkeypatch) -> None:
    monkeypatch.setenv("ADMIN_TOKEN", "short-secret")
    monkeypatch.setenv("ALERT_WEBHOOK_URL", "ftp://hook-secret")
    monkeypatch.setenv("DATABASE_URL", "mysql://u:db-secret@h/db")
    monkeypatch.setenv("AI_PROVIDER", "together")
    monkeypatch.setenv("TOGETHER_API_KEY", "tg-secret")
    monkeypatch.setenv("IMAGE_RETRIES", "-5")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    for name in ("ADMIN_TOKEN", "ALERT_WEBHOOK_URL", "DATABASE_URL", "IMAGE_RETRIES"):
        assert name in message
    assert "secret" not in message


def test_lists_are_comma_separated(monkeypatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    assert load_settings(_env_file=None).server.cors_origins == ["https://a.example", "https://b.example"]


def test_content_blocklist_file_adds_its_lines(tmp_path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# a comment\nzebra\n\n  llama  \n", encoding="utf-8")
    s = load_settings(_env_file=None, content_blocklist="ant", content_blocklist_file=str(words))
    assert s.content.extra_words() == ["ant", "zebra", "llama"]


def test_every_setting_is_documented_in_env_example() -> None:
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), flags=re.M))
    missing = set(Settings.variables()) - documented
    assert not missing, f"settings missing from .env.example: {sorted(missing)}"
    # IMPROMPT_CACHE_DIR is read by the pictogram index itself, not by the settings.
    unknown = documented - set(Settings.variables()) - {"IMPROMPT_CACHE_DIR"}
    assert not unknown, f".env.example documents variables no setting reads: {sorted(unknown)}"


def test_env_example_loads_as_is() -> None:
    s = load_settings(_env_file=str(EXAMPLE))
    assert s.server.port == 5000 and s.images.provider_order() == ["pictogram"]
    assert s.data.backup_interval_hours is None and s.ops.admin_token is None
