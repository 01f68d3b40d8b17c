"""`imprompt serve` as a real subprocess, so signals, exit statuses and restarts are real."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.ports import free_port
from tests.support.process import clean_env, imprompt_command


class ServerProcess:
    def __init__(self, work: Path, port: int, env: dict[str, str]) -> None:
        self.work, self.port, self.env = work, port, env
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.log_path = work / "server.log"

    async def start(self, timeout: float = 60.0) -> ServerProcess:
        command = imprompt_command()
        self.starts += 1
        with open(self.log_path, "a") as log:
            log.write(f"\n----- start {self.starts}\n")
            log.flush()
            self.proc = subprocess.Popen(
                [*command, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=self.work,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=1.0) as http:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    pytest.fail(f"server exited with {self.proc.returncode}:\n{self.log()[-4000:]}", pytrace=False)
                try:
                    if (await http.get(self.url + "/readyz")).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        pytest.fail(f"server not ready in {timeout:g} s:\n{self.log()[-4000:]}", pytrace=False)

    def send(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    async def wait(self, timeout: float) -> int:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self.proc.poll() is None:
            self.proc.kill()
            pytest.fail(f"server still running {timeout:g} s after the signal:\n{self.log()[-3000:]}", pytrace=False)
        return self.proc.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)


@pytest.fixture
def make_server(tmp_path):
    made: list[ServerProcess] = []

    def make(**extra: str) -> ServerProcess:
        env = clean_env(
            **{
                "APP_ENV": "test",
                "LOG_LEVEL": "info",
                "PYTHONUNBUFFERED": "1",
                "AI_PROVIDER": "pictogram",
                "IMAGE_DIR": str(tmp_path / "images"),
                "DATABASE_URL": f"sqlite:///{tmp_path}/imprompt.db",
                "REVEAL_SECONDS": "1",
                "GUESS_RATE": "50/second",
                "CHAT_RATE": "50/second",
                "ROOM_CREATE_RATE": "1000 per hour",
                "CONNECTION_RATE": "1000 per minute",
                **extra,
            }
        )
        server = ServerProcess(tmp_path, free_port(), env)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()
