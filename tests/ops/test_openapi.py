"""The HTTP API's OpenAPI document (web/openapi.py): it lists exactly the routes the app
mounts, the app serves it, and schemathesis finds a real server keeping to it (bounded:
well under a minute)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from starlette.routing import Route

from imprompt.web.app import CLIENT_DIST, create_app, routes
from imprompt.web.openapi import document
from tests.ops.served import production_env, served
from tests.support.players import play_one_turn
from tests.support.server import settings_for

ADMIN = "openapi-admin-token-0123456789abcdef"
METRICS = "openapi-metrics-token-0123456789abcdef"
SEED = os.environ.get("SCHEMATHESIS_SEED", "16")  # fixed, so CI is repeatable; change it to explore
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def _mounted() -> set[tuple[str, str]]:
    app = create_app(settings_for({"admin_token": ADMIN}))
    found = set()
    for route in routes(app.services):
        assert isinstance(route, Route), route
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # /assets/{name:path} -> /assets/{name}
        found |= {(path, method.lower()) for method in route.methods or ()}
    return found


def _documented() -> set[tuple[str, str]]:
    return {(path, method) for path, item in document()["paths"].items() for method in item}


def test_every_route_is_documented_and_nothing_else() -> None:
    mounted, documented = _mounted(), _documented()
    assert not mounted - documented, f"routes missing from the OpenAPI document: {sorted(mounted - documented)}"
    assert not documented - mounted, f"documented but not mounted: {sorted(documented - mounted)}"


def test_every_operation_has_an_id_and_answers_for_the_edge() -> None:
    ids = []
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            ids.append(operation["operationId"])
            codes = set(operation["responses"])
            assert {"400", "413", "500"} <= codes, (method, path)
            if path.startswith(("/api/", "/images/")):
                assert "429" in codes, (method, path)
            declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
            assert declared == set(re.findall(r"\{(\w+)\}", path)), (method, path)
    assert len(ids) == len(set(ids))


def _image_name(url: str) -> str:
    async def play() -> str:
        class At:
            pass

        at = At()
        at.url = url  # type: ignore[attr-defined]
        host, guest = await play_one_turn(at, prompt="red kite", guesses=("red kite",))  # type: ignore[arg-type]
        await host.close()
        await guest.close()
        found = re.search(r"/images/([0-9a-f]{32}\.(?:png|jpg|webp|svg))", json.dumps(host.views))
        assert found, "the turn had no image"
        return found.group(1)

    return asyncio.run(play())


def _schemathesis(server_url: str, config: Path, *args: str) -> subprocess.CompletedProcess:
    """The schemathesis CLI, run in the test's directory (it keeps a cache where it runs)."""
    command = [
        str(SCHEMATHESIS),
        "--no-color",
        "--config-file",
        str(config),
        "run",
        f"{server_url}/api/openapi.json",
        "--url",
        server_url,
        "--checks",
        "all",
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "10",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=config.parent)


@pytest.mark.skipif(not SCHEMATHESIS.exists(), reason="schemathesis is in the test extra: make setup")
def test_schemathesis_finds_the_server_keeping_to_its_document(tmp_path: Path) -> None:
    env = production_env(
        tmp_path,
        ADMIN_TOKEN=ADMIN,
        METRICS_TOKEN=METRICS,
        # the limits are part of the document (429), but here every request should reach the routes
        API_RATE_LIMIT="100000 per minute",
        IMAGE_RATE_LIMIT="100000 per minute",
    )
    assets = sorted(p.name for p in (CLIENT_DIST / "assets").glob("*.js")) if CLIENT_DIST.is_dir() else []
    with served(tmp_path, env) as server:
        with urllib.request.urlopen(server.url + "/api/openapi.json", timeout=10) as response:
            assert json.loads(response.read()) == document()
        image = _image_name(server.url)
        config = tmp_path / "schemathesis.toml"
        # The admin token for every operation, the metrics token for /metrics; a second run
        # with names that exist, so the 200 and 304 answers of images and assets are checked too.
        config.write_text(
            f'headers = {{ Authorization = "Bearer {ADMIN}" }}\n'
            "[[operations]]\n"
            'include-path = "/metrics"\n'
            f'headers = {{ Authorization = "Bearer {METRICS}" }}\n'
        )
        every = _schemathesis(server.url, config, "--max-examples", "25", "--max-time", "25")
        found = tmp_path / "found.toml"
        found.write_text(
            config.read_text()
            + '[[operations]]\ninclude-path = "/images/{name}"\n'
            + f'parameters = {{ name = "{image}" }}\n'
            + (
                f'[[operations]]\ninclude-path = "/assets/{{name}}"\nparameters = {{ name = "{assets[0]}" }}\n'
                if assets
                else ""
            )
        )
        only = ["--include-path-regex", "^/(images|assets)/"]
        existing = _schemathesis(server.url, found, *only, "--max-examples", "10", "--max-time", "10")
        alive = urllib.request.urlopen(server.url + "/livez", timeout=5).status
    assert every.returncode == 0, every.stdout[-6000:] + every.stderr[-2000:]
    assert existing.returncode == 0, existing.stdout[-6000:] + existing.stderr[-2000:]
    assert alive == 200
    for run in (every, existing):
        assert re.search(r"\d+ generated, \d+ passed", run.stdout), run.stdout[-2000:]
    records = server.records()
    assert not [r for r in records if r["level"] in ("error", "critical")], "errors in the server log"
