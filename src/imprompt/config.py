"""Settings, read once from the environment (and an optional .env file).

Every setting is documented in .env.example. Invalid values stop the process at start
with a message naming the variable, instead of failing later in the middle of a game.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated


class SettingsError(RuntimeError):
    """A setting in the environment is invalid; the message says which and why."""


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    # Server
    host: str = "0.0.0.0"
    port: int = Field(5000, ge=1, le=65535)
    app_env: Literal["development", "production", "test"] = "development"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])

    # Rooms and timing
    seat_hold_seconds: float = Field(120, ge=5, le=3600)
    empty_room_ttl_seconds: float = Field(300, ge=10, le=86400)
    finished_room_ttl_seconds: float = Field(1800, ge=10, le=86400)
    generation_timeout_seconds: float = Field(30, ge=1, le=600)
    reveal_seconds: float = Field(8, ge=1, le=60)
    max_rooms: int = Field(2000, ge=1, le=1_000_000)

    # Abuse limits on the socket, per player, in the `limits` notation ("2/second", "5 per 10 seconds")
    guess_rate: str = "2/second"
    chat_rate: str = "3 per 5 seconds"

    # Content filter: extra words to block (comma separated), or a file with one per line
    content_blocklist: Annotated[list[str], NoDecode] = Field(default_factory=list)
    content_blocklist_file: str | None = None

    # Storage
    redis_url: str | None = None
    # Image settings (IMAGE_DIR, AI_PROVIDER, keys...) live in images/settings.py.

    @field_validator("cors_origins", "content_blocklist", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("guess_rate", "chat_rate")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError('must look like "2/second" or "5 per 10 seconds"') from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value


def settings_error(exc: ValidationError, title: str) -> SettingsError:
    """One readable message naming each bad variable; secret values are never echoed."""
    problems = []
    for err in exc.errors():
        name = "_".join(str(part) for part in err["loc"]).upper()
        msg = err["msg"].removeprefix("Value error, ")
        if not name:
            problems.append(msg)
            continue
        secret = any(word in name for word in ("KEY", "TOKEN", "SECRET", "PASSWORD"))
        shown = "" if secret else f" (got {err.get('input')!r})"
        problems.append(f"{name}: {msg}{shown}")
    return SettingsError(f"{title}:\n  " + "\n  ".join(problems))


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation failure into one readable message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise settings_error(exc, "invalid configuration") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
