"""Scoring in a long-running server: guesses on the load bench's vocabulary, caches full.

    .venv/bin/python bench/scoring_steady.py --baseline /tmp/base/src   # this tree against another
    .venv/bin/python bench/scoring_steady.py                            # the two cache evictions
    .venv/bin/python bench/scoring_steady.py --fill 20000 --guesses 5000

A short benchmark starts with empty caches and never sees what a server that has run
for an hour pays: every cache full, every miss evicting. This fills the similarity caches
with --fill guesses (random 1-3 word guesses from the theme packs' words against their
short prompts, as bench/load.py sends), then prints the CPU time per guess over the next
--guesses.

With --baseline SRC, the similarity package of another checkout (SRC/imprompt/similarity,
loaded under another name, so both live in this one process) is measured against this
tree's: both fill their caches on the same stream, then take turns on the same chunks of
the measured guesses (AB, BA, ...), so a busy machine slows both alike. It prints CPU per
guess with full caches and cold (every cache emptied, then --cold guesses), the p99 of a
guess's wall time, the RSS that filling each one's caches added, and the CPU of
explain() and details() (as at the reveal) for --explain guesses already scored. Give --baseline
twice (an older tree and the last round's) to measure all three in one run: the turns
then rotate (ABC, BCA, CAB, ...).

Without --baseline it compares, in the same run, today's eviction (cache.py: two
generations) with the previous one (the oldest entry deleted one at a time), alternating,
best of --repeat.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import _vocabulary  # noqa: E402

import imprompt.similarity  # noqa: E402
from imprompt.similarity import similarity, warm_up  # noqa: E402
from imprompt.similarity.cache import FloatCache  # noqa: E402
from imprompt.similarity.scoring import clear_caches  # noqa: E402

Stream = list[tuple[str, str]]


def _drain_get(self: FloatCache, key: str) -> float | None:
    return self._data.get(key)


def _drain_put(self: FloatCache, key: str, value: float) -> None:
    data = self._data
    if len(data) >= self._max:
        del data[next(iter(data))]
    data[key] = value


def _stream(n: int) -> Stream:
    prompts, words = _vocabulary(4)
    rng = random.Random(1)
    return [(rng.choice(prompts), " ".join(rng.sample(words, rng.randint(1, 3)))) for _ in range(n)]


def evictions(args: argparse.Namespace) -> int:
    warm_up()
    stream = _stream(args.fill + args.guesses)
    kinds = {
        "two generations (today)": (FloatCache.get, FloatCache.put),
        "oldest first, one at a time": (_drain_get, _drain_put),
    }
    best: dict[str, float] = {}
    try:
        for _ in range(args.repeat):
            for name, (get, put) in kinds.items():
                FloatCache.get, FloatCache.put = get, put  # type: ignore[method-assign]
                clear_caches()
                for p, g in stream[: args.fill]:
                    similarity(p, g)
                t = time.process_time()
                for p, g in stream[args.fill :]:
                    similarity(p, g)
                us = (time.process_time() - t) / args.guesses * 1e6
                best[name] = min(us, best.get(name, us))
                print(f"  {name:<30} {us:8.0f} µs CPU per guess")
    finally:
        FloatCache.get, FloatCache.put = kinds["two generations (today)"]  # type: ignore[method-assign]
    today, before = best.values()
    print(f"best of {args.repeat}: {today:.0f} against {before:.0f} µs per guess ({before / today:.2f}x)")
    return 0


def load_package(src: Path, name: str) -> ModuleType:
    """SRC/imprompt/similarity as a top-level package called `name` (its imports are relative)."""
    root = src / "imprompt" / "similarity"
    spec = importlib.util.spec_from_file_location(name, root / "__init__.py", submodule_search_locations=[str(root)])
    if spec is None or spec.loader is None:
        raise SystemExit(f"no similarity package in {root}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _rss() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _run(score: Callable[[str, str], int], chunk: Stream, walls: list[float]) -> float:
    t = time.process_time()
    for p, g in chunk:
        w = time.perf_counter()
        score(p, g)
        walls.append(time.perf_counter() - w)
    return time.process_time() - t


def versus(args: argparse.Namespace) -> int:
    sides: dict[str, ModuleType] = {}
    for k, src in enumerate(args.baseline):
        name = "baseline" if len(args.baseline) == 1 else f"baseline {k + 1}"
        sides[name] = load_package(Path(src), f"baseline_similarity_{k}")
    sides["this tree"] = imprompt.similarity
    for name, src in zip(sides, args.baseline, strict=False):
        print(f"{name}: {src}")
    clears = {name: sys.modules[m.__name__ + ".scoring"].clear_caches for name, m in sides.items()}
    for m in sides.values():
        m.warm_up()
    stream = _stream(args.fill + args.guesses)
    fill, measured = stream[: args.fill], stream[args.fill :]
    rss: dict[str, float] = {}
    for name, m in sides.items():
        clears[name]()
        before = _rss()
        for p, g in fill:
            m.similarity(p, g)
        rss[name] = _rss() - before
    cpu = dict.fromkeys(sides, 0.0)
    walls: dict[str, list[float]] = {name: [] for name in sides}
    ratios: dict[str, list[float]] = {name: [] for name in sides if name != "this tree"}
    size = max(1, args.guesses // args.chunks)
    names = list(sides)

    def turn(r: int) -> list[str]:
        if len(names) == 2:
            return names if r % 2 == 0 else names[::-1]
        k = r % len(names)
        return names[k:] + names[:k]

    for k in range(0, len(measured), size):
        chunk = measured[k : k + size]
        spent = {name: _run(sides[name].similarity, chunk, walls[name]) for name in turn(k // size)}
        for name in sides:
            cpu[name] += spent[name]
        for name in ratios:
            ratios[name].append(spent[name] / spent["this tree"])
    # the reveal: explain() (and details()) of guesses already scored, caches still full
    shown = dict.fromkeys(sides, 0.0)
    detailed = dict.fromkeys(sides, 0.0)
    told = measured[: args.explain]
    for r, k in enumerate(range(0, len(told), size)):
        chunk = told[k : k + size]
        for name in turn(r):
            t = time.process_time()
            for p, g in chunk:
                sides[name].explain(p, g)
            shown[name] += time.process_time() - t
            t = time.process_time()
            for p, g in chunk:
                sides[name].details(p, g)
            detailed[name] += time.process_time() - t
    # cold: every cache emptied, then the first guesses of the measured stream
    cold = dict.fromkeys(sides, 0.0)
    cold_walls: dict[str, list[float]] = {name: [] for name in sides}
    for r in range(args.repeat):
        chunk = measured[r * args.cold : (r + 1) * args.cold]
        for name in turn(r):
            clears[name]()
            cold[name] += _run(sides[name].similarity, chunk, cold_walls[name])

    def p99(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=100)[98] * 1e6

    print(f"{args.fill} guesses to fill the caches, {args.guesses} measured in chunks of {size}, alternating")
    print(f"{'':<10} {'full µs':>9} {'p99 µs':>8} {'cold µs':>9} {'p99 µs':>8} {'fill RSS':>9}")
    for name in sides:
        print(
            f"{name:<10} {cpu[name] / len(measured) * 1e6:9.0f} {p99(walls[name]):8.0f}"
            f" {cold[name] / (args.cold * args.repeat) * 1e6:9.0f} {p99(cold_walls[name]):8.0f}"
            f" {rss[name]:+8.1f}M"
        )
    if told:
        print(f"explain / details of {len(told)} guesses already scored (full caches), µs CPU each:")
        for name in sides:
            print(f"  {name:<10} {shown[name] / len(told) * 1e6:7.1f} {detailed[name] / len(told) * 1e6:7.1f}")
    for name, rs in ratios.items():
        print(
            f"against {name}: full caches {cpu[name] / cpu['this tree']:.2f}x (median of chunks"
            f" {statistics.median(rs):.2f}x); cold: {cold[name] / cold['this tree']:.2f}x"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--fill", type=int, default=50_000, help="guesses scored before measuring")
    ap.add_argument("--guesses", type=int, default=10_000, help="guesses measured")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument(
        "--baseline", action="append", help="another checkout's src/ to measure this tree against (at most twice)"
    )
    ap.add_argument("--chunks", type=int, default=20, help="with --baseline: turns each side takes")
    ap.add_argument("--explain", type=int, default=3000, help="with --baseline: guesses explained at the end")
    ap.add_argument("--cold", type=int, default=1000, help="with --baseline: guesses after emptying the caches")
    args = ap.parse_args(argv)
    return versus(args) if args.baseline else evictions(args)


if __name__ == "__main__":
    sys.exit(main())
