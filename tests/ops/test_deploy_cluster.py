"""The deployment files for several instances: compose trusts exactly its proxy's address,
limits the app's memory, keeps images in Redis; the proxy's nginx config is valid for
Debian's nginx and websocket only; railway.toml says how to set TRUSTED_PROXIES."""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import yaml

from imprompt.config import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_compose_trusts_its_proxy_and_limits_memory() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())
    app, proxy = compose["services"]["app"], compose["services"]["proxy"]
    address = ipaddress.ip_address(proxy["networks"]["default"]["ipv4_address"])
    subnet = ipaddress.ip_network(compose["networks"]["default"]["ipam"]["config"][0]["subnet"])
    assert address in subnet
    env = app["environment"]
    assert env["TRUSTED_PROXIES"] == str(address)
    assert "ports" not in app, "players reach the app only through the proxy"
    assert proxy["ports"] == ["5000:80"] and "./nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert app["deploy"]["resources"]["limits"]["memory"].endswith(("m", "g"))
    settings = load_settings(
        _env_file=None,
        redis_url=env["REDIS_URL"],
        image_store=env["IMAGE_STORE"],
        trusted_proxies=env["TRUSTED_PROXIES"],
    )
    assert settings.storage.image_store_kind() == "redis" and settings.ops.trusted_proxies == [str(address)]


def test_the_proxy_config_is_valid_and_websocket_only(tmp_path: Path) -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "if ($http_upgrade !~* ^websocket$) { return 400; }" in text
    assert "ip_hash" not in text and "sticky" not in text.replace("sticky sessions", "")
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in text
    # a location with a proxy_set_header of its own inherits none: each must forward the address
    for block in re.split(r"\n\s*location\s+\S+\s*\{", text)[1:]:
        body = block.split("proxy_pass", 1)[0]
        if "proxy_set_header" in body:
            assert "X-Forwarded-For $proxy_add_x_forwarded_for" in body, block[:80]
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is not installed: `make nginx`"
    # `app` is compose's service name: stand in for it, and log to files, to check the rest
    local = text.replace("server app:5000", "server 127.0.0.1:5000")
    local = local.replace("/dev/stdout", str(tmp_path / "access.log")).replace("/dev/stderr", str(tmp_path / "e.log"))
    (tmp_path / "nginx.conf").write_text(local)
    check = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert check.returncode == 0, check.stderr


def test_railway_documents_trusted_proxies() -> None:
    text = (ROOT / "railway.toml").read_text()
    tomllib.loads(text)
    assert "TRUSTED_PROXIES" in text and "X-Real-IP" in text
