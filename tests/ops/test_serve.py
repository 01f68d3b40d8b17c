"""`imprompt serve` itself, in production mode: every log line is JSON (uvicorn's too),
no Server header, HSTS, readiness, and secrets kept out of the log."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.support.ports import free_port
from tests.support.process import clean_env, imprompt_command

ADMIN = "serve-admin-token-abcdef0123456789"


def test_serve_in_production(tmp_path: Path) -> None:
    command = imprompt_command()
    port = free_port()
    env = clean_env(
        **{
            "APP_ENV": "production",
            "CORS_ORIGINS": "https://play.example.com",
            "LOG_LEVEL": "info",
            "DATABASE_URL": "sqlite://",
            "AI_PROVIDER": "pictogram",
            "IMAGE_DIR": str(tmp_path / "images"),
            "ADMIN_TOKEN": ADMIN,
            "RELEASE_ID": "test-release",
            "PYTHONUNBUFFERED": "1",
        }
    )
    log_path = tmp_path / "server.log"
    with open(log_path, "w+") as log:
        proc = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                assert proc.poll() is None, log_path.read_text()[-3000:]
                try:
                    with urllib.request.urlopen(url + "/readyz", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "server did not get ready"
                time.sleep(0.1)
            with urllib.request.urlopen(url + "/health", timeout=5) as r:
                headers = {k.lower(): v for k, v in r.headers.items()}
                health = json.loads(r.read())
            request = urllib.request.Request(
                url + "/api/alerts", headers={"Authorization": f"Bearer {ADMIN}", "X-Request-ID": "serve-test-1"}
            )
            with urllib.request.urlopen(request, timeout=5) as r:
                alerts = json.loads(r.read())
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(20)
        text = log_path.read_text()

    assert "server" not in headers
    assert headers["strict-transport-security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert health["status"] == "pass" and health["release"] == "test-release"
    assert len(alerts["alerts"]) == 7
    lines = [ln for ln in text.splitlines() if ln.strip()]
    parsed = [json.loads(ln) for ln in lines]  # every line, uvicorn's included, is JSON
    assert any(p["event"] == "started" for p in parsed)
    assert any(p.get("logger", "").startswith("uvicorn") for p in parsed)
    assert any(p["event"] == "http_request" and p.get("request_id") == "serve-test-1" for p in parsed)
    assert all(p["environment"] == "production" and p["level"] and p["timestamp"] for p in parsed)
    assert ADMIN not in text
