"""A whole game on the built-in pictogram generator, images fetched over HTTP."""

from __future__ import annotations

import httpx

from imprompt.images.backend import build_backend
from imprompt.images.settings import load_image_settings
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.server import running_server


async def test_full_game_with_pictograms(tmp_path) -> None:
    backend = build_backend(
        image_settings=load_image_settings(image_dir=str(tmp_path / "images"), ai_provider="pictogram")
    )
    async with running_server({"reveal_seconds": 1}, Clock(), FakeImages(), backend) as server:
        a, b = Player(server.url), Player(server.url)
        await a.connect()
        await b.connect()
        try:
            await a.create("Ann", settings={"rounds": 1})
            await b.join(a.code, "Ben")
            await a.ok("game:start")
            for number, prompt in enumerate(["red apple on a table", "two cats in the snow"], 1):
                v = await a.wait_for(lambda v, n=number: v["phase"] == "prompting" and v["turn"]["number"] == n)
                giver, guesser = (a, b) if v["turn"]["giverId"] == a.id else (b, a)
                await giver.ok("prompt:submit", {"text": prompt})
                v = await guesser.wait_for(lambda v: v["phase"] == "guessing", timeout=15)
                url = v["turn"]["imageUrl"]
                assert url.startswith("/images/") and url.endswith(".svg")
                async with httpx.AsyncClient(base_url=server.url) as http:
                    got = await http.get(url)
                    assert got.status_code == 200
                    assert got.headers["content-type"].startswith("image/svg+xml")
                    assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
                    assert got.headers["x-content-type-options"] == "nosniff"
                    again = await http.get(url, headers={"If-None-Match": got.headers["etag"]})
                    assert again.status_code == 304
                    assert b"<script" not in got.content and prompt.encode() not in got.content
                await guesser.ok("guess:submit", {"text": prompt})
                await a.wait_for(lambda v: v["phase"] == "reveal")
                await server.advance(2)
            v = await a.wait_for(lambda v: v["phase"] == "finished")
            assert [e["imageUrl"] for e in v["album"]] and all(e["imageUrl"] for e in v["album"])
        finally:
            await a.close()
            await b.close()
