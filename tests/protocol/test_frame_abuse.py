"""Malformed Engine.IO / socket.io frames, written by hand over a raw websocket, never
wedge a socket and never write an error or a traceback: each is dropped (a binary event
that asks for an acknowledgement is answered `invalid_payload`), the socket goes on
answering, and the drops are logged as one warning line per interval, without the
frame's content (docs/protocol.md, "Frames")."""

from __future__ import annotations

import asyncio
import json

import httpx

from tests.support.logs import capture_logs
from tests.support.rawsocket import raw_socket
from tests.support.server import ADMIN, METRICS, ops_server, settings_for

PLACEHOLDER = '{"_placeholder":true,"num":0}'

# Each of these made python-socketio wait for an attachment that never comes: every later
# frame of the socket was taken as that attachment (or refused as one, with a traceback).
BINARY = [
    f'451-["guess:submit",{PLACEHOLDER}]',
    f'452-["chat:send",{PLACEHOLDER},{PLACEHOLDER}]',
    '450-["room:sync",{}]',
    "46",
    f"461-7[{PLACEHOLDER}]",
]

MALFORMED = [
    # socket.io packets that do not decode, or that a client never sends
    "42[",
    '42{"zebra-secret":',
    '42["chat:send",{"text":"zebra-secret"',
    "44",
    '44{"message":"x"}',
    "47",
    "49",
    "4x",
    "4999-[]",
    "4" + "9" * 12 + "-[]",
    "42" + "1" * 120 + '["room:sync",{}]',
    # Engine.IO packets that do not decode
    "",
    "x",
    "9",
    "b%%%",
]


async def test_a_binary_placeholder_without_its_attachment_does_not_wedge_the_socket() -> None:
    async with ops_server() as server, raw_socket(server) as sock:
        created = await sock.answer("room:create", {"name": "Raw"})
        assert created["ok"], created
        for frame in BINARY:
            await sock.ws.send_str(frame)
        await sock.ws.send_bytes(b"\x00\x01attachment")  # an attachment nobody asked for
        synced = await sock.answer("room:sync", {})
        assert synced["ok"], synced  # answered, not taken as an attachment
        # a binary event that asks for an acknowledgement is answered at once
        await sock.ws.send_str(f'451-7["guess:submit",{PLACEHOLDER}]')
        refused = (await sock.ack(7))[0]
        assert refused["ok"] is False and refused["error"]["code"] == "invalid_payload", refused
        assert "binary" in refused["error"]["message"].lower()
        chat = await sock.answer("chat:send", {"text": "still here"})
        assert chat["ok"], chat


JSON_LOGS = {
    "app_env": "production",  # JSON lines, as in production
    "log_level": "info",
    "cors_origins": ["https://play.example.com"],
    "admin_token": ADMIN,
    "metrics_token": METRICS,
    "socket_event_rate": "1000 per second",  # dropped frames count against it (test_ratelimit.py tests that)
}


async def test_malformed_frames_log_one_warning_per_interval_and_no_traceback() -> None:
    with capture_logs(settings_for(JSON_LOGS)) as logs:
        async with ops_server(JSON_LOGS) as server:
            async with raw_socket(server) as sock:
                assert (await sock.answer("room:create", {"name": "Raw"}))["ok"]
                for _ in range(4):
                    for frame in [*MALFORMED, *BINARY]:
                        await sock.ws.send_str(frame)
                    await sock.ws.send_bytes(b"\xff\x00")
                    synced = await sock.answer("room:sync", {})
                    assert synced["ok"], synced
            frames = server.app.services.sio.frames
            assert frames.total == 4 * (len(MALFORMED) + len(BINARY) + 1)
            first = [json.loads(line) for line in logs.lines()]

            # the next interval gets its own line, which counts what the first one did not show
            frames.interval = 0.2
            await asyncio.sleep(0.25)
            async with raw_socket(server) as sock:
                for frame in MALFORMED:
                    await sock.ws.send_str(frame)
                assert (await sock.answer("packs:list", {}))["ok"]
            lines = [json.loads(line) for line in logs.lines()]
    warnings = [line for line in first if line["event"] == "malformed_frames_dropped"]
    assert len(warnings) == 1, warnings
    assert warnings[0]["level"] == "warning"
    loud = [line for line in lines if line["level"] in ("error", "critical") or "exception" in line]
    assert not loud, loud
    assert "Traceback" not in logs.getvalue()
    assert "zebra-secret" not in logs.getvalue()  # the frame's content is not logged
    later = [line for line in lines if line["event"] == "malformed_frames_dropped"][1:]
    assert len(later) == 1, later
    assert sum(w["dropped"] for w in [*warnings, *later]) < frames.total  # folded in, not one line each


async def test_long_polling_payloads_that_do_not_decode_are_dropped_too() -> None:
    with capture_logs(settings_for(JSON_LOGS)) as logs:
        async with ops_server(JSON_LOGS) as server, httpx.AsyncClient(base_url=server.url + "/socket.io/") as http:
            opened = await http.get("/?EIO=4&transport=polling")
            sid = json.loads(opened.text[1:])["sid"]
            session = f"/?EIO=4&transport=polling&sid={sid}"
            assert (await http.post(session, content="40")).status_code == 200
            assert (await http.get(session)).text.startswith("40")
            bodies: list[str | bytes] = ["x", "9", "4\x1ex", b"\xff\xfe", "b%%%", *MALFORMED[:11], *BINARY]
            for body in bodies:
                assert (await http.post(session, content=body)).status_code == 200, body
            assert (await http.post(session, content='42777["packs:list",{}]')).status_code == 200
            answer = (await http.get(session)).text
            assert answer.startswith("43777") and json.loads(answer[5:])[0]["ok"], answer
    lines = [json.loads(line) for line in logs.lines()]
    assert not [line for line in lines if line["level"] in ("error", "critical") or "exception" in line]
    assert len([line for line in lines if line["event"] == "malformed_frames_dropped"]) == 1
    assert "Traceback" not in logs.getvalue()
