"""Run `imprompt serve` for the load benchmark: the real command, with diagnosis options.

    python bench/_server.py --port 5055 [--stub-images [--image-delay 1.0]] [--gc-stats] [GC experiments]

This runs the real command (`imprompt.cli.main(["serve", ...])`: settings from the
environment, logging, `create_app` with its image chain, the CLI's GC tuning, uvicorn with
the CLI's options). Images come from whatever the environment selects; bench/load.py sets
AI_PROVIDER=pictogram, the built-in offline generator, which draws in the server process.
It also raises its soft open-files limit to the hard limit (one file per socket).

Options (default off; they change nothing else):
  --stub-images       replace the image backend by a stub: a tiny SVG after --image-delay
                      seconds, kept in memory, which is how a remote image provider looks
                      to the game server (a wait, no CPU)
  --gc-stats          time every cyclic-GC collection; on SIGUSR1 and at exit print a
                      summary per generation and the most common tracked object types
  --gc-threshold A,B,C   gc.set_threshold after start-up
  --gc-freeze         gc.collect() + gc.freeze() after start-up (the app already does it)
  --gc-off            gc.disable() after start-up
  --old-gc            the collector as before ops/gc_policy.py: its freezing task stopped,
                      gc.set_threshold(100000, 50, 100); to measure what the policy does

bench/load.py starts this; it is not a production entry point.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import gc
import resource
import signal
import sys
import time
from collections import Counter


def _stub_backend(delay: float):
    from imprompt.images.base import GeneratedImage
    from imprompt.web.image_backend import MemoryImageBackend

    async def generate(prompt: str, seed: int, builtin: bool) -> GeneratedImage:
        if delay > 0:
            await asyncio.sleep(delay)
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
            f'<title>{seed}</title><rect width="64" height="64" fill="#{seed % 0xFFFFFF:06x}"/></svg>'
        )
        return GeneratedImage(svg.encode(), "image/svg+xml", "stub", "bench", elapsed=delay)

    return MemoryImageBackend(generate)


class GcStats:
    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self.collected: dict[int, int] = {0: 0, 1: 0, 2: 0}
        self._start = 0.0
        self.previous: Counter | None = None
        self.previous_at = 0.0

    def callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(time.perf_counter() - self._start)
            self.collected[info["generation"]] += info["collected"]

    def summary(self, *_: object) -> None:
        lines = [
            (
                f"gc: threshold {gc.get_threshold()}, frozen {gc.get_freeze_count()},"
                f" enabled {gc.isenabled()}, counts {gc.get_count()}"
            )
        ]
        for gen, times in self.pauses.items():
            if times:
                s = sorted(times)
                lines.append(
                    f"gc gen{gen}: {len(s)} collections, total {sum(s) * 1000:.0f} ms,"
                    f" p50 {s[len(s) // 2] * 1000:.2f} ms, max {s[-1] * 1000:.1f} ms,"
                    f" {self.collected[gen]} objects freed"
                )
        tracked = gc.get_objects()
        counts = Counter(type(o).__name__ for o in tracked)
        lines.append(
            f"gc tracked objects (not frozen): {len(tracked)}; "
            + ", ".join(f"{k} {v}" for k, v in counts.most_common(12))
        )
        if self.previous is not None:
            grown = (counts - self.previous).most_common(10)
            lines.append(
                f"gc growth since the last summary ({time.monotonic() - self.previous_at:.0f} s): "
                + ", ".join(f"{k} +{v}" for k, v in grown)
            )
        shapes = Counter(
            f"tuple[{len(o)}]({', '.join(type(x).__name__ for x in o[:3])})" for o in tracked if type(o) is tuple
        )
        lines.append("gc tuple shapes: " + "; ".join(f"{k} x{v}" for k, v in shapes.most_common(5)))
        errors = Counter(f"{type(o).__name__}" for o in tracked if isinstance(o, BaseException))
        if errors:
            lines.append("gc exceptions alive: " + ", ".join(f"{k} {v}" for k, v in errors.most_common(6)))
        tbs = Counter()
        for o in tracked:
            if type(o).__name__ == "traceback":
                tb = o
                while tb.tb_next is not None:
                    tb = tb.tb_next
                code = tb.tb_frame.f_code
                tbs[f"{code.co_name} ({code.co_filename.rsplit('site-packages/', 1)[-1]}:{tb.tb_lineno})"] += 1
        if tbs:
            lines.append(
                "gc tracebacks alive, innermost frame: " + "; ".join(f"{k} x{v}" for k, v in tbs.most_common(4))
            )
        self.previous, self.previous_at = counts, time.monotonic()
        del tracked
        print("\n".join(lines), file=sys.stderr, flush=True)


def _after_startup(app, args, stats: GcStats | None):
    """Wrap the ASGI app so GC settings apply once start-up (model loads, app's own freeze) is done.
    The result keeps the app's services (the CLI drains through `app.services.lifecycle`)."""
    from imprompt.web.app import App

    async def wrapped(scope, receive, send):
        if scope["type"] != "lifespan":
            return await app(scope, receive, send)

        async def send_hook(message):
            if message["type"] == "lifespan.startup.complete":
                if args.old_gc:
                    await app.services.gc.stop()
                    gc.set_threshold(100_000, 50, 100)
                if args.gc_threshold:
                    gc.set_threshold(*(int(x) for x in args.gc_threshold.split(",")))
                if args.gc_freeze:
                    gc.collect()
                    gc.freeze()
                if args.gc_off:
                    gc.disable()
                if stats is not None:
                    gc.callbacks.append(stats.callback)
                print(
                    f"gc: threshold {gc.get_threshold()}, frozen {gc.get_freeze_count()}, enabled {gc.isenabled()}",
                    file=sys.stderr,
                    flush=True,
                )
            await send(message)

        return await app(scope, receive, send_hook)

    return App(wrapped, app.services)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--stub-images", action="store_true", help="a stub image backend instead of the configured chain")
    ap.add_argument("--image-delay", type=float, default=1.0, help="seconds the stub waits (default 1.0)")
    ap.add_argument("--gc-stats", action="store_true")
    ap.add_argument("--gc-threshold")
    ap.add_argument("--gc-freeze", action="store_true")
    ap.add_argument("--gc-off", action="store_true")
    ap.add_argument("--old-gc", action="store_true")
    args = ap.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    import imprompt.web.app as web_app
    from imprompt import cli

    stats = GcStats() if args.gc_stats else None
    if stats is not None:
        atexit.register(stats.summary)
        signal.signal(signal.SIGUSR1, stats.summary)
    real_create_app = web_app.create_app

    def create_app(settings, **kwargs):
        if args.stub_images:
            kwargs.setdefault("images", _stub_backend(args.image_delay))
        app = real_create_app(settings, **kwargs)
        if stats is not None or args.gc_threshold or args.gc_freeze or args.gc_off or args.old_gc:
            return _after_startup(app, args, stats)
        return app

    web_app.create_app = create_app  # cli._serve imports it from the module at call time
    return cli.main(["serve", "--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
