"""Three real instances on a Redis of the test's own, behind Debian's nginx (round robin,
websocket only, no sticky sessions): a picture drawn on one instance loads through every
instance and through nginx, with the same caching, and `imprompt smoke` passes through
nginx. Bounded: the whole test gives up after 60 s, and stops everything it started."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import httpx

from imprompt.ops.smoke import Bot
from tests.cluster.support import instances, nginx, redis_server
from tests.support.process import clean_env, imprompt_command

BUDGET = 60.0
PROMPT = "red kite over sea"


async def draw_on(base: str) -> str:
    """Two bots on one instance play up to the picture; its URL."""
    host, guest = Bot(base, "host"), Bot(base, "guest")
    try:
        for bot in (host, guest):
            await bot.connect()
        created = await host.call("room:create", {"name": "Host", "settings": {"rounds": 1, "hints": False}})
        host.id = created["playerId"]
        guest.id = (await guest.call("room:join", {"code": created["code"], "name": "Guest"}))["playerId"]
        await host.call("game:start", {})
        view = await host.wait_for("the prompt phase", lambda v: v["phase"] == "prompting", 10)
        giver, guesser = (host, guest) if view["turn"]["giverId"] == host.id else (guest, host)
        await giver.call("prompt:submit", {"text": PROMPT})
        view = await guesser.wait_for("the picture", lambda v: v["phase"] == "guessing" and v["turn"]["imageUrl"], 20)
        for bot in (host, guest):
            await bot.call("room:leave", {})
        return view["turn"]["imageUrl"]
    finally:
        for bot in (host, guest):
            await bot.close()


def test_pictures_load_everywhere_and_smoke_passes_through_nginx(tmp_path: Path) -> None:
    started = time.monotonic()
    with (
        redis_server(tmp_path / "redis") as redis_url,
        instances(tmp_path, redis_url, 3, ready_within=BUDGET - 15, LOG_LEVEL="info") as servers,
        nginx(tmp_path, [s.port for s in servers]) as balancer,
    ):
        image_url = asyncio.run(asyncio.wait_for(draw_on(servers[0].url), 25))
        assert image_url.startswith("/images/")
        bodies = set()
        with httpx.Client(timeout=5) as http:
            for base in [s.url for s in servers] + [balancer] * 3:  # nginx: each instance in turn
                r = http.get(base + image_url)
                assert r.status_code == 200, f"{base}{image_url}: {r.status_code}"
                assert r.headers["content-type"].startswith("image/")
                assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
                etag = r.headers["etag"]
                assert etag == '"' + image_url.split("/")[-1].split(".")[0] + '"'
                bodies.add(r.content)
                again = http.get(base + image_url, headers={"If-None-Match": etag})
                assert again.status_code == 304 and again.content == b""
            assert len(bodies) == 1 and len(next(iter(bodies))) > 0
            # the pictures are in Redis, not on any instance's disk
            assert not [p for n in range(3) for p in (tmp_path / f"instance{n}" / "images").glob("*")]
            # websocket only: a long-polling handshake is refused by the balancer
            assert http.get(balancer + "/socket.io/?EIO=4&transport=polling").status_code == 400
            # TRUSTED_PROXIES=127.0.0.1 (nginx): the address nginx forwards is the client's, not nginx's
            for _ in range(3):
                assert http.get(balancer + "/api/themes", headers={"X-Forwarded-For": "203.0.113.7"}).is_success
        logged = "".join(s.output() for s in servers)
        assert "client_ip=203.0.113.7" in logged, logged[-2000:]

        left = BUDGET - (time.monotonic() - started)
        assert left > 10, f"{BUDGET - left:.0f} s gone before the smoke test"
        smoke = subprocess.run(
            [*imprompt_command(), "smoke", balancer, "--timeout", "15"],
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=left - 5,
        )
        assert smoke.returncode == 0, smoke.stdout + smoke.stderr
        assert "smoke test passed" in smoke.stdout
        # round robin, no stickiness: every instance answered through nginx
        upstreams = {line.split()[-1] for line in (tmp_path / "nginx" / "access.log").read_text().splitlines()}
        assert {f"127.0.0.1:{s.port}" for s in servers} <= upstreams
    assert time.monotonic() - started < BUDGET
