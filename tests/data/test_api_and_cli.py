"""/api/analytics on the real app (admin-only), and the db/backup/restore commands."""

from __future__ import annotations

import asyncio

import httpx

from imprompt.cli import main
from imprompt.data.backup import list_backups
from tests.support.clock import Clock
from tests.support.images import FakeImages
from tests.support.players import Player
from tests.support.server import running_server

from .test_backup import _fill

TOKEN = "an-admin-token-long-enough"


async def _play_one_game(srv) -> None:
    ann, bob = [await Player(srv.url).connect() for _ in range(2)]
    try:
        await ann.create("Ann", settings={"rounds": 1, "hints": False})
        await bob.join(ann.code, "Bob")
        await ann.ok("game:start")
        for number in (1, 2):
            view = await ann.wait_for(lambda v, n=number: v["phase"] == "prompting" and v["turn"]["number"] == n)
            giver, guesser = (ann, bob) if view["turn"]["giverId"] == ann.id else (bob, ann)
            await giver.ok("prompt:submit", {"text": "red kite"})
            await guesser.wait_for(lambda v: v["phase"] == "guessing")
            await guesser.ok("guess:submit", {"text": "red kite"})
            await ann.wait_for(lambda v, n=number: v["phase"] in ("reveal", "finished") and v["turn"]["number"] == n)
            await srv.advance(9)  # past the reveal
        await ann.wait_for(lambda v: v["phase"] == "finished")
    finally:
        await ann.close()
        await bob.close()


async def test_analytics_api_is_admin_only_and_reports_the_games() -> None:
    async with (
        running_server({"admin_token": TOKEN}, Clock(), FakeImages()) as srv,
        httpx.AsyncClient(base_url=srv.url) as http,
    ):
        assert (await http.get("/api/analytics")).status_code == 401
        wrong = await http.get("/api/analytics", headers={"Authorization": "Bearer " + "x" * len(TOKEN)})
        assert wrong.status_code == 401
        await _play_one_game(srv)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for _ in range(50):
            body = (await http.get("/api/analytics", headers=auth)).json()
            if body["totals"]["games"] == 1:
                break
            await asyncio.sleep(0.1)
        r = await http.get("/api/analytics?days=7", headers=auth)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
        body = r.json()
        totals = body["totals"]
        assert (totals["games"], totals["turns"], totals["avgPlayers"]) == (1, 2, 2.0)
        assert totals["avgTurnSeconds"] is not None and totals["costPerGame"] == 0.0
        assert [p["provider"] for p in body["providers"]] == ["test"]
        async with srv.app.services.data.engine.connect() as conn:
            from sqlalchemy import select

            from imprompt.data.models import turns

            rows = (await conn.execute(select(turns.c.avg_similarity, turns.c.prompt))).all()
        assert [r.avg_similarity for r in rows] == [100.0, 100.0] and {r.prompt for r in rows} == {None}
        assert body["perDay"][0]["games"] == 1 and body["days"] == 7
        assert body["writer"]["dropped"] == 0 and body["writer"]["databaseOk"] is True
        assert body["database"] == "ok"
        assert body["now"]["rooms"] == 1 and body["now"]["players"] == 0  # the finished room stays a while
        assert (await http.get("/api/analytics?days=x", headers=auth)).status_code == 400
        health = (await http.get("/health")).json()
        assert health["dependencies"]["database"]["status"] == "pass"
        metrics = (await http.get("/metrics")).text
        assert "imprompt_analytics_dropped_total 0.0" in metrics


async def test_analytics_api_does_not_exist_without_an_admin_token() -> None:
    async with running_server({}, Clock(), FakeImages()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        r = await http.get("/api/analytics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 404


async def test_games_go_on_when_the_database_is_down() -> None:
    down = "postgresql://nobody@127.0.0.1:1/nothing"
    async with running_server({"admin_token": TOKEN, "database_url": down}, Clock(), FakeImages()) as srv:
        await _play_one_game(srv)
        async with httpx.AsyncClient(base_url=srv.url) as http:
            assert (await http.get("/readyz")).status_code == 200, "an analytics outage does not stop traffic"
            health = (await http.get("/health")).json()
            assert health["dependencies"]["database"]["status"] == "fail"
            body = (await http.get("/api/analytics", headers={"Authorization": f"Bearer {TOKEN}"})).json()
            assert body["database"].startswith("unavailable")
            assert body["writer"]["queued"] == 3 and body["writer"]["dropped"] == 0  # 2 turns + 1 game, kept


def _cli(*argv: str) -> int:
    return main(list(argv))


async def test_db_backup_and_restore_commands(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    src, dst = f"sqlite:///{tmp_path}/src.db", f"sqlite:///{tmp_path}/dst.db"
    assert await asyncio.to_thread(_cli, "db", "upgrade", "--database-url", src) == 0
    assert "-> 0001" in capsys.readouterr().out
    assert await asyncio.to_thread(_cli, "db", "current", "--database-url", src) == 0
    assert "0001 (latest: 0001)" in capsys.readouterr().out

    from imprompt.data.db import create_engine

    engine = create_engine(src)
    await _fill(engine)
    await engine.dispose()
    assert await asyncio.to_thread(_cli, "backup", "--dir", str(tmp_path / "bk"), "--database-url", src) == 0
    assert "verified" in capsys.readouterr().out
    [file] = list_backups(tmp_path / "bk")

    assert await asyncio.to_thread(_cli, "restore", str(file), "--database-url", dst) == 0
    assert "games 3" in capsys.readouterr().out
    assert await asyncio.to_thread(_cli, "restore", str(file), "--database-url", dst) == 1
    assert "--force" in capsys.readouterr().err
    assert await asyncio.to_thread(_cli, "restore", str(file), "--force", "--database-url", dst) == 0

    assert await asyncio.to_thread(_cli, "restore", str(tmp_path / "missing.gz"), "--database-url", dst) == 1
    assert "no backup file" in capsys.readouterr().err
    assert await asyncio.to_thread(_cli, "db", "upgrade", "--database-url", "mysql://x@y/z") == 2
    down = "postgresql://nobody:secret@127.0.0.1:1/nothing"
    assert await asyncio.to_thread(_cli, "backup", "--dir", str(tmp_path), "--database-url", down) == 1
    err = capsys.readouterr().err
    assert "127.0.0.1" in err and "secret" not in err


async def test_backup_keeps_backup_keep_from_the_environment(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/a.db")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "auto"))
    monkeypatch.setenv("BACKUP_KEEP", "2")
    for _ in range(3):
        assert await asyncio.to_thread(_cli, "backup") == 0
        await asyncio.sleep(0.002)
    assert len(list_backups(tmp_path / "auto")) == 2
