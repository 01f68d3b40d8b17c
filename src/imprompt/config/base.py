"""What every settings group shares: how it reads the environment, and how a bad value is told.

A group is a pydantic-settings class whose field names are the environment variable
names in lower case (no prefix), so `PORT` is `ServerSettings.port`. Every group reads
the same environment and the same optional `.env` file, and ignores the variables of
the other groups.
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(RuntimeError):
    """A setting in the environment is invalid; the message says which and why."""


class Group(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)


# Variables whose values are never repeated in an error message.
_SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "WEBHOOK", "REDIS_URL", "DATABASE_URL")


def is_secret(name: str) -> bool:
    return any(word in name for word in _SECRET_WORDS)


def problems_of(exc: ValidationError) -> list[str]:
    """One line per bad variable: `NAME: why (got 'value')`; secret values are never echoed."""
    problems = []
    for err in exc.errors():
        name = "_".join(str(part) for part in err["loc"]).upper()
        msg = err["msg"].removeprefix("Value error, ")
        if not name:  # a check across fields: its message names the variables itself
            problems.append(msg)
            continue
        shown = "" if is_secret(name) else f" (got {err.get('input')!r})"
        problems.append(f"{name}: {msg}{shown}")
    return problems


def settings_error(problems: list[str]) -> SettingsError:
    return SettingsError("invalid configuration:\n  " + "\n  ".join(problems))


def split_list(value: object, *, lower: bool = False) -> object:
    """`a, b,c` -> ["a", "b", "c"] (an environment variable holding a list)."""
    if isinstance(value, str):
        return [part.strip().lower() if lower else part.strip() for part in value.split(",") if part.strip()]
    return value


def blank_is_unset(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def check_rate(value: str) -> str:
    """A rate in the `limits` notation ("2/second", "5 per 10 seconds")."""
    from limits import parse

    try:
        parse(value)
    except ValueError:
        raise ValueError('must look like "2/second" or "5 per 10 seconds"') from None
    return value
