"""load.py --instances N: N servers on one Redis behind nginx, the cluster tests' load balancer
(tests/cluster/support.py: round robin, websocket only, no sticky sessions).

`Balanced` stands in for load.py's `Server`: it starts the N servers (the first empties the
Redis database; all pinned to --server-cpu unless --no-pin), puts nginx in front, and
answers for all of them: `pid` is the servers' and nginx's pids (load.py sums their CPU
and RSS), the log is every server's."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.cluster.support import nginx, wait_ready  # noqa: E402 (after the path above)


class Balanced:
    def __init__(self, args: argparse.Namespace, rooms: int, server_class: Any) -> None:
        self.args = args
        self.servers = [server_class(args, rooms) for _ in range(args.instances)]
        self.pin = False
        self.pid: tuple[int, ...] | None = None
        self.proc = None  # no single process: load.py's GC-stats signal is for one server
        self._stack = contextlib.ExitStack()
        self._work = tempfile.mkdtemp(prefix="imprompt-bench-nginx-")

    def start(self) -> str:
        urls = []
        for i, server in enumerate(self.servers):
            server.pin = self.pin
            urls.append(server.start(flush=i == 0))
        deadline = time.monotonic() + 120
        for server, base in zip(self.servers, urls, strict=True):  # every one ready before nginx sends it anyone
            wait_ready(base, server.proc, deadline, server.tail)
        ports = [urlsplit(u).port or 0 for u in urls]
        players = self.args.rooms * self.args.room_size
        url = self._stack.enter_context(nginx(Path(self._work), ports, connections=2 * players + 1024))
        pids = [s.pid for s in self.servers if isinstance(s.pid, int)]
        self.pid = tuple(pids + _nginx_pids(Path(self._work)))
        print(f"nginx: {url} in front of {len(ports)} servers (ports {ports}); pids {self.pid}")
        return url

    def alive(self) -> bool:
        return all(s.alive() for s in self.servers)

    def exit_status(self) -> str:
        return "; ".join(s.exit_status() for s in self.servers)

    def tail(self, n: int = 30) -> str:
        return "".join(s.tail(n) for s in self.servers)

    def log_lines(self) -> list[str] | None:
        lines = [s.log_lines() for s in self.servers]
        return None if any(x is None for x in lines) else [ln for x in lines for ln in x or []]

    def stop(self) -> None:
        self._stack.close()
        for server in self.servers:
            server.stop()
        if not self.args.keep_server_dir:
            shutil.rmtree(self._work, ignore_errors=True)


def _nginx_pids(work: Path) -> list[int]:
    """nginx's master (its pid file) and its worker (the master's child, which does the proxying)."""
    with contextlib.suppress(OSError, ValueError):
        master = int((work / "nginx" / "nginx.pid").read_text().strip())
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [master, *(int(c) for c in children)]
    return []
