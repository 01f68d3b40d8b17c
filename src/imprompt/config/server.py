"""Server settings: where it listens, which environment, logs, allowed origins, shutdown."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode

from .base import Group, split_list


class ServerSettings(Group):
    # All interfaces: the server runs in a container or behind a proxy; HOST narrows it.
    host: str = "0.0.0.0"  # noqa: S104 - HOST=127.0.0.1 for a machine without that isolation
    port: int = Field(5000, ge=1, le=65535)
    app_env: Literal["development", "production", "test"] = "development"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])
    # On SIGTERM/SIGINT the process drains and exits within this time (ops/shutdown.py).
    shutdown_grace_seconds: float = Field(10, ge=1, le=600)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _list(cls, value: object) -> object:
        return split_list(value)

    @model_validator(mode="after")
    def _production_needs_origins(self) -> ServerSettings:
        if self.app_env == "production" and (not self.cors_origins or "*" in self.cors_origins):
            raise ValueError(
                "CORS_ORIGINS: in production, list the allowed origins (like https://play.example.com); * is refused"
            )
        return self
