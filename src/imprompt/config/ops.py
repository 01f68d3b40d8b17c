"""Operations settings (ops/): the release shown, which proxies to believe, access tokens."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from .base import Group, blank_is_unset, split_list


class OpsSettings(Group):
    release_id: str | None = None
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_token: SecretStr | None = None  # /api/costs, /api/alerts, /api/analytics; empty: 404
    metrics_token: SecretStr | None = None  # /metrics; empty: open

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _list(cls, value: object) -> object:
        return split_list(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (like 10.0.0.0/8)") from None
        return value

    @field_validator("admin_token", "metrics_token", "release_id", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return blank_is_unset(value)

    @field_validator("admin_token", "metrics_token")
    @classmethod
    def _long_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (use a long random value)")
        return value
