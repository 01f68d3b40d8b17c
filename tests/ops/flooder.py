"""A hostile client for the flood test, run as its own process:

    python tests/ops/flooder.py URL SECONDS

It connects, creates a room, and sends events as fast as it can without waiting for
answers; when the server cuts it off it reconnects and starts again, until SECONDS have
passed. It prints one JSON line with what happened."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time

import socketio


async def main(url: str, seconds: float) -> dict:
    stats = {"connections": 0, "refused": 0, "sent": 0, "acks": 0, "rate_limited": 0, "cut": 0}
    deadline = time.monotonic() + seconds

    def ack(reply: dict | None = None) -> None:
        stats["acks"] += 1
        if isinstance(reply, dict) and not reply.get("ok") and reply.get("error", {}).get("code") == "rate_limited":
            stats["rate_limited"] += 1

    while time.monotonic() < deadline:
        sio = socketio.AsyncClient(reconnection=False)
        try:
            await sio.connect(url, transports=["websocket"], wait_timeout=5)
        except socketio.exceptions.ConnectionError:
            stats["refused"] += 1
            await asyncio.sleep(0.2)
            continue
        stats["connections"] += 1
        with contextlib.suppress(Exception):
            await sio.call("room:create", {"name": "Flood"}, timeout=5)
        while sio.connected and time.monotonic() < deadline:
            for i in range(50):
                event = ("room:sync", "chat:send", "guess:submit")[i % 3]
                try:
                    await sio.emit(event, {"text": f"spam {i}"}, callback=ack)
                except Exception:
                    break
                stats["sent"] += 1
            await asyncio.sleep(0)  # let the socket write; then straight on
        if not sio.connected:
            stats["cut"] += 1
        await sio.disconnect()
    return stats


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], float(sys.argv[2])))), flush=True)
