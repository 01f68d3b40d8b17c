"""Redis out of reach while players play (many instances): each event is answered
`server_busy` (try again), and the log holds warnings that count them, never a traceback
per event (the deadline loop logs one per outage); once Redis is back the same events go through."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from tests.support.logs import capture_logs
from tests.support.players import Player
from tests.support.proxy import TcpProxy
from tests.support.server import ops_server, settings_for
from tests.support.urls import REDIS_TEST_URL


async def test_events_while_redis_is_unreachable_are_try_again() -> None:
    target = urlsplit(REDIS_TEST_URL)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 6379)
    await proxy.start()
    url = f"redis://127.0.0.1:{proxy.port}{target.path or ''}"
    with capture_logs(settings_for({"redis_url": url, "log_level": "info"})) as logs:
        try:
            async with ops_server({"redis_url": url}) as server:
                host = await Player(server.url).connect()
                try:
                    await host.create("Host")
                    await proxy.cut()
                    answers = [await host.call("chat:send", {"text": f"hello {i}"}) for i in range(5)]
                    await proxy.start()  # Redis is back
                    for _ in range(50):
                        back = await host.call("chat:send", {"text": "back"})
                        if back.get("ok"):
                            break
                        await asyncio.sleep(0.1)
                finally:
                    await host.close()
        finally:
            await proxy.close()
    codes = [a["error"]["code"] for a in answers]
    assert codes == ["server_busy"] * 5, answers
    assert back.get("ok"), back
    text = logs.getvalue()
    assert "event_failed" not in text, "no traceback per event"
    assert text.count("Traceback") <= 1, "at most the deadline loop's one per outage"
    warned = [line for line in logs.lines() if "store_unreachable" in line]
    assert 1 <= len(warned) < 5 and "refused=1" in warned[0], warned
