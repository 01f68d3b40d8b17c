"""Flood benchmark: other rooms' guess→ack p99 with and without a flood from one client.

    .venv/bin/python bench/flood.py                    # 40 rooms of 5, 2 flooders
    .venv/bin/python bench/flood.py --rooms 80 --flooders 4 --json out.json

It starts one server as bench/load.py does (`bench/_server.py`: the real `imprompt serve`,
production settings and limits, built-in pictogram images), then runs load.py's
workload against it twice (`--url`): first as it is, then while --flooders hostile
clients (tests/ops/flooder.py, each its own process, all from one IP) send events as fast
as they can, reconnecting whenever the server cuts them off. It prints the guesses'
ack latency (p50, p99, max) of both runs and what the flood sent and had refused.
The flood must cost the other rooms little: a flooding socket is refused, then cut off,
after its per-socket event limit (SOCKET_EVENT_RATE).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - bench/load.py, beside this file

FLOODER = load.ROOT / "tests" / "ops" / "flooder.py"


async def ready(url: str, server: load.Server) -> None:
    async with aiohttp.ClientSession() as session:
        await load.wait_ready(session, url, server)


def workload(args: argparse.Namespace, url: str, pid: int | None) -> list[str]:
    return [
        "--rooms", str(args.rooms),
        "--duration", str(args.duration),
        "--window-start", "20",
        "--stagger", "10",
        "--no-pin",
        "--url", url,
        *(["--server-pid", str(pid)] if pid else []),
    ]  # fmt: skip


def measure(args: argparse.Namespace, url: str, pid: int | None, label: str) -> dict:
    print(f"\n=== {label}", flush=True)
    report = asyncio.run(load.run(load.parse_args(workload(args, url, pid))))
    return report


def figures(report: dict) -> dict:
    found: dict = {}

    def walk(d: object) -> None:
        if isinstance(d, dict):
            for k, v in d.items():
                if k == "guess_ack_ms":
                    found.update(v)
                else:
                    walk(v)

    walk(report)
    return found


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rooms", type=int, default=40)
    p.add_argument("--flooders", type=int, default=2, help="hostile client processes, each one socket at a time")
    p.add_argument("--duration", type=float, default=22.0, help="seconds measured in each run")
    p.add_argument("--json", help="also write both reports' figures here")
    args = p.parse_args()

    seconds = 10 + 20 + args.duration + 25  # seating, stagger, window start, window, a margin: the whole run
    server = load.Server(load.parse_args(["--rooms", str(args.rooms), "--no-pin"]), args.rooms)
    url = server.start()
    try:
        asyncio.run(ready(url, server))
        calm = measure(args, url, server.pid, "no flood")
        time.sleep(5)
        flooders = [
            subprocess.Popen(
                [sys.executable, str(FLOODER), url, str(seconds)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(args.flooders)
        ]
        try:
            time.sleep(2)  # the flood is under way
            flooded = measure(args, url, server.pid, f"{args.flooders} flooders")
            flood = [f.communicate(timeout=seconds + 30) for f in flooders]
        finally:
            for f in flooders:
                if f.poll() is None:
                    f.kill()
    finally:
        server.stop()
    sent = [json.loads(out.decode().strip().splitlines()[-1]) if out.strip() else {} for out, _ in flood]
    a, b = figures(calm), figures(flooded)
    print("\n=== other rooms' guess→ack latency (ms)")
    print(f"{'':12}{'p50':>9}{'p99':>9}{'max':>9}{'guesses':>9}")
    for name, f in (("no flood", a), ("flood", b)):
        print(f"{name:12}{f.get('p50', 0):9.1f}{f.get('p99', 0):9.1f}{f.get('max', 0):9.1f}{f.get('n', 0):9}")
    print(f"flooders ({seconds:g} s each, from 2 s before the flooded run): {sent}")
    print(f"p99 with the flood / without: {b.get('p99', 0) / max(a.get('p99', 0), 1e-9):.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"calm": a, "flood": b, "flooders": sent}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
