"""Settings, read once from the environment (and an optional .env file).

Every setting is documented in .env.example. Invalid values stop the process at start
with a message naming the variable, instead of failing later in the middle of a game.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
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

    # Data (data/): database, analytics, backups, saved rooms, graceful shutdown. See docs/operations.md.
    database_url: str = "sqlite:///data/imprompt.db"
    db_pool_size: int = Field(5, ge=1, le=100)
    db_max_overflow: int = Field(10, ge=0, le=100)
    db_pool_timeout_seconds: float = Field(10, gt=0, le=300)
    db_pool_recycle_seconds: float = Field(1800, ge=-1, le=86400)
    db_pool_pre_ping: bool = True
    db_migrate_on_start: bool = True
    analytics_enabled: bool = True
    analytics_store_prompts: bool = False
    analytics_retention_days: int = Field(365, ge=1, le=36500)
    analytics_queue_size: int = Field(10_000, ge=10, le=1_000_000)
    backup_dir: str = "data/backups"
    backup_keep: int = Field(7, ge=1, le=1000)
    backup_interval_hours: float | None = Field(None, gt=0, le=8760)
    room_save_interval_seconds: float = Field(5, ge=0.5, le=3600)
    shutdown_grace_seconds: float = Field(10, ge=1, le=600)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        from .data.db import async_url

        async_url(value)  # a ValueError with a readable message for anything unsupported
        return value

    @field_validator("backup_interval_hours", mode="before")
    @classmethod
    def _blank_is_off(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _tests_use_a_private_database(self) -> "Settings":
        # APP_ENV=test without a DATABASE_URL: an in-memory database per app, so test servers
        # never share the working directory's data/imprompt.db (nor restore its rooms).
        if self.app_env == "test" and "database_url" not in self.model_fields_set:
            self.database_url = "sqlite://"
        return self

    # Operations (ops/): health, metrics, alerts, rate limits, access. See docs/operations.md.
    release_id: str | None = None
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_token: SecretStr | None = None
    metrics_token: SecretStr | None = None
    api_rate_limit: str = "100 per 15 minutes"
    image_rate_limit: str = "1000 per minute"
    connection_rate: str = "60 per minute"
    max_connections_per_ip: int = Field(64, ge=1, le=100_000)
    room_create_rate: str = "30 per hour"
    socket_event_rate: str = "20 per second"
    max_request_body_bytes: int = Field(65536, ge=1024, le=100 * 1024 * 1024)
    max_socket_message_bytes: int = Field(16384, ge=1024, le=10 * 1024 * 1024)
    alert_webhook_url: SecretStr | None = None
    alert_evaluation_seconds: float = Field(15, ge=1, le=600)
    alert_min_events: int = Field(20, ge=1)
    alert_error_rate_warning: float = Field(0.05, gt=0, le=1)
    alert_error_rate_critical: float = Field(0.10, gt=0, le=1)
    alert_error_rate_for_seconds: float = Field(300, ge=0)
    alert_memory_percent: float = Field(80, gt=0, le=100)
    alert_memory_for_seconds: float = Field(60, ge=0)
    alert_ai_failure_rate: float = Field(0.10, gt=0, le=1)
    alert_ai_failure_for_seconds: float = Field(600, ge=0)
    alert_p95_warning_seconds: float = Field(2, gt=0)
    alert_p95_warning_for_seconds: float = Field(300, ge=0)
    alert_p95_critical_seconds: float = Field(5, gt=0)
    alert_p95_critical_for_seconds: float = Field(180, ge=0)
    alert_health_fail_for_seconds: float = Field(120, ge=0)

    @field_validator("cors_origins", "content_blocklist", "trusted_proxies", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("guess_rate", "chat_rate", "api_rate_limit", "image_rate_limit", "connection_rate",
                     "room_create_rate", "socket_event_rate")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError('must look like "2/second" or "5 per 10 seconds"') from None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (like 10.0.0.0/8)") from None
        return value

    @field_validator("admin_token", "metrics_token", "alert_webhook_url", "release_id", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("admin_token", "metrics_token")
    @classmethod
    def _long_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (use a long random value)")
        return value

    @field_validator("alert_webhook_url")
    @classmethod
    def _webhook(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _production_needs_origins(self) -> "Settings":
        if self.app_env == "production" and (not self.cors_origins or "*" in self.cors_origins):
            raise ValueError("CORS_ORIGINS: in production, list the allowed origins "
                             "(like https://play.example.com); * is refused")
        return self

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
        secret = any(word in name for word in ("KEY", "TOKEN", "SECRET", "PASSWORD", "WEBHOOK", "REDIS_URL", "DATABASE_URL"))
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
