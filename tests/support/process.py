"""`imprompt` as a subprocess: the command, and an environment without the developer's settings."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# Settings a developer's shell may carry that would change what a test server does.
_OWN_SETTINGS = re.compile(
    r"^(REDIS_URL|DATABASE_URL|AI_|IMAGE_|.*_API_(KEY|TOKEN)$|FAL_KEY$|ADMIN_TOKEN$|"
    r"METRICS_TOKEN$|PORT$|HOST$)"
)


def imprompt_command() -> list[str]:
    """The installed `imprompt` script beside this Python, or the module when it is not there."""
    exe = Path(sys.executable).with_name("imprompt")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "imprompt.cli"]


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without imprompt settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not _OWN_SETTINGS.match(k)}
    env.update(settings)
    return env
