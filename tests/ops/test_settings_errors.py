"""`imprompt serve` with a bad setting, in any group (image settings included): one clear
message on stderr naming the variable, a non-zero exit, no Python traceback, no secret."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.support.process import clean_env, imprompt_command

SECRET = "tg-key-never-shown-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"AI_PROVIDER": "nope"}, "AI_PROVIDER: unknown provider 'nope'"),
        ({"AI_PROVIDER": "together"}, "TOGETHER_API_KEY is not set"),
        ({"IMAGE_RETRIES": "abc"}, "IMAGE_RETRIES: "),
        ({"PORT": "abc"}, "PORT: "),
        ({"AI_PROVIDER": "together", "TOGETHER_API_KEY": SECRET, "IMAGE_RETRIES": "-1"}, "IMAGE_RETRIES: "),
    ],
)
def test_a_bad_setting_stops_serve_with_one_message(tmp_path: Path, env: dict[str, str], needle: str) -> None:
    clean = clean_env(APP_ENV="test", IMAGE_DIR=str(tmp_path / "images"), **env)
    done = subprocess.run(
        [*imprompt_command(), "serve", "--host", "127.0.0.1", "--port", str(free_port())],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert done.stderr.startswith("imprompt: invalid configuration:\n"), done.stderr
    assert needle in done.stderr
    assert SECRET not in done.stderr
    assert not (tmp_path / "images").exists() and not (tmp_path / "data").exists()  # nothing started
