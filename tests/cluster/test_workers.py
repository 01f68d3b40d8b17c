"""`imprompt serve --workers N`: N processes on one port and one Redis (the test's own);
refused without REDIS_URL; a killed worker is replaced; SIGTERM drains them all."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import psutil

from tests.cluster.support import instance_env, redis_server, wait_ready
from tests.support.ports import free_port
from tests.support.process import clean_env, imprompt_command


def test_more_than_one_worker_needs_redis(tmp_path: Path) -> None:
    refused = subprocess.run(
        [*imprompt_command(), "serve", "--workers", "2", "--port", str(free_port())],
        cwd=tmp_path,
        env=clean_env(APP_ENV="test", IMAGE_DIR=str(tmp_path / "images")),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "imprompt: --workers 2 needs REDIS_URL: each worker is its own process, and they share rooms, "
        "deadlines, images and socket.io messages only through Redis"
    ]


def workers_of(proc: subprocess.Popen) -> list[psutil.Process]:
    return [p for p in psutil.Process(proc.pid).children() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_two_workers_share_the_port_and_play_through_redis(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with redis_server(tmp_path / "redis") as redis_url:
        log = tmp_path / "server.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [*imprompt_command(), "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
                cwd=tmp_path,
                env=instance_env(tmp_path, redis_url, LOG_LEVEL="info"),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_ready(url, proc, time.monotonic() + 45, log.read_text)
            first = workers_of(proc)
            assert len(first) == 2
            # both bots may land on either worker: the game goes through Redis
            smoke = subprocess.run(
                [*imprompt_command(), "smoke", url, "--timeout", "15", "--quiet"],
                env=clean_env(),
                capture_output=True,
                text=True,
                timeout=40,
            )
            assert smoke.returncode == 0, smoke.stdout + smoke.stderr

            first[0].kill()  # a worker dies: another takes its place
            deadline = time.monotonic() + 30
            while True:
                now = workers_of(proc)
                if len(now) == 2 and first[0].pid not in {p.pid for p in now}:
                    break
                assert time.monotonic() < deadline, "the killed worker was not replaced: " + log.read_text()[-2000:]
                time.sleep(0.2)
            while log.read_text().count("Application startup complete") < 3:  # the new one is serving too
                assert time.monotonic() < deadline, "the new worker did not start: " + log.read_text()[-2000:]
                time.sleep(0.2)

            proc.send_signal(signal.SIGTERM)
            assert proc.wait(20) == 0
            text = log.read_text()
            assert "worker_exited" in text and text.count("shutdown_complete") == 2, text[-3000:]
            assert not [p for p in now if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        finally:
            if proc.poll() is None:
                for child in psutil.Process(proc.pid).children():
                    child.kill()
                proc.kill()
                proc.wait(5)
