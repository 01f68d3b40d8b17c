"""python-socketio's AsyncServer with one method changed: every event frame is answered.

Upstream `AsyncServer._handle_event` takes `data[0]` as the event name and looks it up
in a dict. A frame whose name is not a string (`42[123,{}]`, `[null]`, `[{"a":1}]`,
`[["x"]]`, `[true]`), or that has no name at all (`42[]`, `42`), then fails inside the
library: no acknowledgement, and a "Task exception was never retrieved" traceback. A
client can also name a reserved event (`42["disconnect"]`), which upstream hands to the
server's own `connect`/`disconnect` handler as if the connection had changed.

`SocketServer` dispatches all of those as the event named `INVALID_EVENT` (the empty
string), with the frame's other arguments, so they reach the catch-all handler like any
other frame: the dispatcher answers `invalid_event` (docs/protocol.md), after the
per-socket flood limit. Everything else is upstream's code path unchanged.
"""

from __future__ import annotations

from typing import Any

import socketio

INVALID_EVENT = ""


class SocketServer(socketio.AsyncServer):
    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None, data: Any) -> None:
        name = data[0] if isinstance(data, list) and data else None
        if not isinstance(name, str) or name in self.reserved_events:
            data = [INVALID_EVENT, *(data[1:] if isinstance(data, list) else [])]
        await super()._handle_event(eio_sid, namespace, id, data)
