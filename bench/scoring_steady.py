"""Scoring in a long-running server: guesses on the load bench's vocabulary, caches full.

    .venv/bin/python bench/scoring_steady.py            # fill, then measure; both evictions
    .venv/bin/python bench/scoring_steady.py --fill 20000 --guesses 5000

A short benchmark starts with empty caches and never sees what a server that has run
for an hour pays: every cache full, every miss evicting. This fills the similarity caches
with --fill guesses (random 1-3 word guesses from the theme packs' words against their
short prompts, as bench/load.py sends), then prints the CPU time per guess over the next
--guesses, with today's eviction (cache.py: two generations) and, in the same run, the
previous one (the oldest entry deleted one at a time), alternating, best of --repeat.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import _vocabulary  # noqa: E402

from imprompt.similarity import similarity, warm_up  # noqa: E402
from imprompt.similarity.cache import FloatCache  # noqa: E402
from imprompt.similarity.scoring import clear_caches  # noqa: E402


def _drain_get(self: FloatCache, key: str) -> float | None:
    return self._data.get(key)


def _drain_put(self: FloatCache, key: str, value: float) -> None:
    data = self._data
    if len(data) >= self._max:
        del data[next(iter(data))]
    data[key] = value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--fill", type=int, default=50_000, help="guesses scored before measuring")
    ap.add_argument("--guesses", type=int, default=10_000, help="guesses measured")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    warm_up()
    prompts, words = _vocabulary(4)
    rng = random.Random(1)
    stream = [
        (rng.choice(prompts), " ".join(rng.sample(words, rng.randint(1, 3)))) for _ in range(args.fill + args.guesses)
    ]
    evictions = {
        "two generations (today)": (FloatCache.get, FloatCache.put),
        "oldest first, one at a time": (_drain_get, _drain_put),
    }
    best: dict[str, float] = {}
    try:
        for _ in range(args.repeat):
            for name, (get, put) in evictions.items():
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
        FloatCache.get, FloatCache.put = evictions["two generations (today)"]  # type: ignore[method-assign]
    today, before = best.values()
    print(f"best of {args.repeat}: {today:.0f} against {before:.0f} µs per guess ({before / today:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
