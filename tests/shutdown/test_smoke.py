"""`imprompt smoke URL` against a locally started server."""

from __future__ import annotations

import asyncio

from imprompt.cli import main
from imprompt.ops.smoke import run_smoke
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.ports import free_port
from tests.support.server import running_server


async def test_smoke_passes_against_a_healthy_server(capsys) -> None:
    async with running_server({}, Clock(), FakeImages()) as srv:
        assert await asyncio.to_thread(main, ["smoke", srv.url]) == 0
        out = capsys.readouterr().out
        for step in ("livez", "readyz", "health", "room", "turn", "image/svg+xml", "immutable", "passed"):
            assert step in out
        assert await srv.app.services.store.count() == 0, "the smoke room closes once the bots leave"


async def test_smoke_fails_clearly_when_the_server_is_draining(capsys) -> None:
    async with running_server({}, Clock(), FakeImages()) as srv:
        srv.app.services.ops.draining = True
        assert await run_smoke(srv.url) == 1
        err = capsys.readouterr().err
        assert "FAIL  readyz" in err and "503" in err


async def test_smoke_fails_clearly_when_images_do_not_come(capsys) -> None:
    fake = FakeImages()
    fake.plan = ["hang"]
    async with running_server({}, Clock(), fake) as srv:
        assert await run_smoke(srv.url, timeout=1.0) == 1
        assert "waited 1 s for the image" in capsys.readouterr().err


async def test_smoke_fails_clearly_when_nothing_listens(capsys) -> None:
    assert await run_smoke(f"http://127.0.0.1:{free_port()}") == 1
    err = capsys.readouterr().err
    assert "FAIL  livez" in err and "ConnectError" in err
    assert main(["smoke", "ftp://example.com"]) == 2
