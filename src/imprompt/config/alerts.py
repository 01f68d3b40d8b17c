"""Alert settings (ops/alerts.py): where alerts go, how often rules are evaluated, thresholds."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from .base import Group, blank_is_unset


class AlertSettings(Group):
    alert_webhook_url: SecretStr | None = None  # a secret: webhook URLs carry their own credentials
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

    @field_validator("alert_webhook_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return blank_is_unset(value)

    @field_validator("alert_webhook_url")
    @classmethod
    def _webhook(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value
