"""Real parts for the cluster tests: a redis-server of the test's own (so it can be killed),
`imprompt serve` processes on it, and Debian's nginx in front as the load balancer.

Everything started here is stopped when its context ends, whatever happened."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.ports import free_port
from tests.support.process import clean_env, imprompt_command

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 10.0) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _wait_port(port: int, proc: subprocess.Popen, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while True:
        assert proc.poll() is None, f"{what} exited with {proc.returncode}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        assert time.monotonic() < deadline, f"{what} did not listen on {port} within {within} s"
        time.sleep(0.05)


class RedisProcess:
    """A redis-server of the test's own on a fixed free port, which a test may stop and start
    again. `persist`: an append-only file in `workdir` (kept across restarts); without it
    nothing is written, so a restart comes back empty."""

    def __init__(self, workdir: Path, *, persist: bool = False) -> None:
        self.workdir = workdir
        self.persist = persist
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        workdir.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persist else ["--appendonly", "no"]
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", str(self.workdir)]
            + persistence,
            cwd=self.workdir,
            stdout=open(self.workdir / "redis.log", "a"),  # noqa: SIM115 (closed with the process)
            stderr=subprocess.STDOUT,
        )
        _wait_port(self.port, self.proc, 10, "redis-server")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None:
            _stop(self.proc, sig)
            self.proc = None


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A redis-server on a free port, no persistence; yields its URL."""
    server = RedisProcess(workdir)
    try:
        server.start()
        yield server.url
    finally:
        server.stop()


@dataclass
class Instance:
    url: str
    port: int
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def instance_env(workdir: Path, redis_url: str, **extra: str) -> dict[str, str]:
    settings = {
        "APP_ENV": "test",
        "LOG_LEVEL": "warning",
        "REDIS_URL": redis_url,
        "DATABASE_URL": "sqlite://",
        "AI_PROVIDER": "pictogram",
        "IMAGE_DIR": str(workdir / "images"),  # unused with Redis images; each its own, to prove it
        "TRUSTED_PROXIES": "127.0.0.1",
        "SHUTDOWN_GRACE_SECONDS": "3",
        "PYTHONUNBUFFERED": "1",
    }
    return clean_env(**{**settings, **extra})


def spawn_instance(home: Path, redis_url: str, port: int, **extra: str) -> Instance:
    """One `imprompt serve` on `port` (a restart passes the same port), not waited for;
    its output is appended to `home`/server.log."""
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    proc = subprocess.Popen(
        [*imprompt_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=home,
        env=instance_env(home, redis_url, **extra),
        stdout=open(log, "a"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
    )
    return Instance(f"http://127.0.0.1:{port}", port, proc, log)


@contextlib.contextmanager
def instances(
    workdir: Path, redis_url: str, count: int, *, ready_within: float = 40, **extra: str
) -> Iterator[list[Instance]]:
    """`count` real `imprompt serve` processes on one Redis, started together, each in its own
    working directory with its own IMAGE_DIR; yields them once every one is ready. A test may
    replace an entry of the list (a restart): whatever the list holds at the end is stopped."""
    started: list[Instance] = []
    try:
        for n in range(count):
            started.append(spawn_instance(workdir / f"instance{n}", redis_url, free_port(), **extra))
        deadline = time.monotonic() + ready_within
        for one in started:
            wait_ready(one.url, one.proc, deadline, one.output)
        yield started
    finally:
        for one in started:  # SIGTERM to all first, then wait: they drain in parallel
            if one.proc.poll() is None:
                one.proc.send_signal(signal.SIGTERM)
        for one in started:
            _stop(one.proc)


def wait_ready(url: str, proc: subprocess.Popen, deadline: float, output=lambda: "") -> None:
    while True:
        assert proc.poll() is None, f"exited with {proc.returncode}: " + output()[-3000:]
        with contextlib.suppress(OSError), urllib.request.urlopen(url + "/readyz", timeout=1) as r:
            if r.status == 200:
                return
        assert time.monotonic() < deadline, "not ready in time: " + output()[-3000:]
        time.sleep(0.1)


NGINX_CONF = """\
# The cluster tests' load balancer: round robin over the instances, websocket only, no
# sticky sessions (any connection may land anywhere, as on Railway).
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
{user}
events {{ worker_connections {connections}; }}
http {{
    log_format upstream '$remote_addr "$request" $status $upstream_addr';
    access_log {work}/access.log upstream;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    upstream imprompt {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_connect_timeout 2s;
        location /socket.io/ {{
            # websocket only: HTTP long-polling would need sticky sessions
            if ($http_upgrade !~* ^websocket$) {{ return 400; }}
            # a location's own proxy_set_header drops every one inherited: set them all again
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 120s;
            proxy_pass http://imprompt;
        }}
        location / {{
            proxy_pass http://imprompt;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(workdir: Path, upstreams: list[int], *, connections: int = 1024) -> Iterator[str]:
    """Debian's nginx on a free port, in front of the instances on `upstreams`; yields its URL.
    `connections`: its worker's limit (each proxied socket takes two)."""
    assert Path(NGINX).exists(), "nginx is not installed: `make nginx` (Debian's nginx package)"
    work = workdir / "nginx"
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstreams)
    import os

    user = "user root;" if os.geteuid() == 0 else ""  # as root, workers would be 'nobody', locked out of workdir
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=work, port=port, servers=servers, user=user, connections=connections))
    proc = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log"), "-g", "daemon off;"],
        stdout=open(work / "stdout.log", "w"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_port(port, proc, 10, "nginx")
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc, signal.SIGQUIT)  # graceful stop
