"""What each socket hears once the drain has detached the sockets from their rooms (run
in-process, so the sockets stay open after it and every answer can be read): a seated
socket's events, room:leave included, are answered `server_restarting` with "your seat is
held"; a socket that never held a seat hears `server_restarting` too, and is never told
a seat of its is held (docs/protocol.md, "Restarts")."""

from __future__ import annotations

from tests.support.players import Player
from tests.support.server import ops_server


def notice(player: Player) -> dict:
    return next(data for name, data in player.events if name == "server:restarting")


async def test_after_the_detach_events_are_told_the_server_restarts_and_only_seats_are_held() -> None:
    async with ops_server() as server:
        host, stranger = await Player(server.url).connect(), await Player(server.url).connect()
        try:
            await host.create("Host")
            assert (await stranger.call("packs:list", {}))["ok"]
            await server.app.services.lifecycle.drain(5.0)  # notify, detach, save, flush
            seated = [await host.call(event, {}) for event in ("room:sync", "room:leave", "game:start")]
            unseated = [await stranger.call(event, {}) for event in ("room:sync", "room:leave")]
            joined = await stranger.call("room:join", {"code": host.code, "name": "Late"})
        finally:
            await host.close()
            await stranger.close()
    for reply in seated:
        assert reply["error"]["code"] == "server_restarting", reply
        assert "seat is held" in reply["error"]["message"] and reply["error"]["retryAfter"] > 0
    for reply in [*unseated, joined]:
        assert reply["error"]["code"] == "server_restarting", reply
        assert "held" not in reply["error"]["message"], reply
    assert "seat is held" in notice(host)["message"]
    assert "held" not in notice(stranger)["message"] and notice(stranger)["retryAfter"] > 0
