"""`imprompt serve` as a real subprocess on loopback, its stdout and stderr kept apart."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.ports import free_port
from tests.support.process import clean_env, imprompt_command


@dataclass
class Served:
    url: str
    proc: subprocess.Popen
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def lines(self) -> list[tuple[str, str]]:
        """(stream, line) for every non-empty line written so far."""
        out = []
        for name, path in (("stdout", self.stdout), ("stderr", self.stderr)):
            out += [(name, ln) for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
        return out

    def records(self) -> list[dict]:
        return [json.loads(line) for _, line in self.lines()]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    settings = {
        "APP_ENV": "production",
        "CORS_ORIGINS": "https://play.example.com",
        "LOG_LEVEL": "info",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'imprompt.db'}",
        "AI_PROVIDER": "pictogram",
        "IMAGE_DIR": str(tmp_path / "images"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "ROOM_SAVE_INTERVAL_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONWARNINGS": "default",  # warnings are logged too: they must be JSON as well
    }
    return clean_env(**{**settings, **extra})


@contextlib.contextmanager
def served(tmp_path: Path, env: dict[str, str], *, ready_within: float = 90) -> Iterator[Served]:
    port = free_port()
    out_path, err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(
            [*imprompt_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=err,
        )
        server = Served(f"http://127.0.0.1:{port}", proc, out_path, err_path)
        try:
            deadline = time.monotonic() + ready_within
            while True:
                assert proc.poll() is None, server.output()[-3000:]
                try:
                    with urllib.request.urlopen(server.url + "/readyz", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "server did not get ready: " + server.output()[-3000:]
                time.sleep(0.1)
            yield server
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
