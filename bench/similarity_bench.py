"""Score the hand-graded pairs in bench/data/similarity_graded.tsv and print how well the
scorer agrees with the human grades, plus how long one call takes and the memory it adds.

    python bench/similarity_bench.py [--worst N] [--split train|held|all]

The file's `split` column was fixed before any tuning: constants are tuned on `train`
rows only, so the `held` figures are the honest ones. The `subset` column tells the
everyday-meaning rows (`paraphrase`: synonyms, paraphrases, hypernyms, compounds,
antonyms, related-but-wrong) from the rest (`broad`: typos, plurals, order, partial,
extra and wrong words, role swaps, noise); `all` is both.

Targets (issue 14): all rows Spearman >= 0.90, pairwise >= 0.95, MAE <= 9; paraphrase
Spearman >= 0.85, pairwise >= 0.92, MAE <= 10, and no row graded >= 75 scored < 30;
p99 <= 5 ms a guess cold and warm (the server's own budget asks mean <= 0.1 ms warm).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import psutil

DATA = Path(__file__).parent / "data" / "similarity_graded.tsv"


def load(path: Path = DATA) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row["grade"] = float(row["grade"])
        row["held_out"] = row["split"] == "held"
        row["guess"] = row["guess"] or ""
    return rows


def ranks(values: np.ndarray) -> np.ndarray:
    """Ranks with ties averaged, as Spearman needs."""
    order = np.argsort(values, kind="mergesort")
    r = np.empty(len(values), dtype=float)
    r[order] = np.arange(len(values), dtype=float)
    for v in np.unique(values):
        tie = values == v
        r[tie] = r[tie].mean()
    return r


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = ranks(a), ranks(b)
    return float(np.corrcoef(ra, rb)[0, 1])


def pairwise(grades: np.ndarray, scores: np.ndarray, min_gap: float = 10) -> float:
    """Share of row pairs whose grades differ by >= min_gap that the scorer orders the same
    way (a tie in score counts half)."""
    g = grades[:, None] - grades[None, :]
    s = scores[:, None] - scores[None, :]
    mask = g >= min_gap
    agree = (s[mask] > 0).sum() + 0.5 * (s[mask] == 0).sum()
    return float(agree / mask.sum()) if mask.any() else float("nan")


def figures(rows: list[dict]) -> dict[str, float]:
    g = np.array([r["grade"] for r in rows])
    s = np.array([r["score"] for r in rows], dtype=float)
    return {
        "n": len(rows),
        "spearman": spearman(g, s),
        "pairwise": pairwise(g, s),
        "mae": float(np.abs(g - s).mean()),
        "missed": int(((g >= 75) & (s < 30)).sum()),
    }


def timing(rows: list[dict], score: Callable[[str, str], int], clear: Callable[[], None] | None) -> dict[str, float]:
    """Per-call times in ms; with `clear`, every cache is emptied before each call (cold)."""
    times = []
    for _ in range(3):
        for r in rows:
            if clear is not None:
                clear()
            t = time.perf_counter()
            score(r["prompt"], r["guess"])
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "mean": statistics.fmean(times),
        "p50": statistics.median(times),
        "p99": times[int(0.99 * (len(times) - 1))],
        "max": times[-1],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--worst", type=int, default=10, help="show the N rows furthest from their grade")
    ap.add_argument("--split", choices=("train", "held", "all"), default="train", help="which rows --worst lists")
    args = ap.parse_args(argv)

    proc = psutil.Process(os.getpid())
    rss0 = proc.memory_info().rss
    t = time.perf_counter()
    from imprompt.similarity import similarity, warm_up
    from imprompt.similarity.scoring import clear_caches

    warm_up()
    load_ms = 1000 * (time.perf_counter() - t)
    rows = load()
    for r in rows:
        r["score"] = similarity(r["prompt"], r["guess"])
    rss1 = proc.memory_info().rss
    print(f"import + model load + first score: {load_ms:.0f} ms; RSS added {(rss1 - rss0) / 2**20:.0f} MiB")

    print(f"\n{'subset':<11}{'split':<7}{'n':>5}{'spearman':>10}{'pairwise':>10}{'MAE':>7}{'>=75 <30':>10}")
    for subset in ("all", "broad", "paraphrase"):
        for split in ("train", "held"):
            sub = [r for r in rows if (subset == "all" or r["subset"] == subset) and (r["split"] == split)]
            f = figures(sub)
            print(
                f"{subset:<11}{split:<7}{f['n']:>5}{f['spearman']:>10.3f}{f['pairwise']:>10.3f}"
                f"{f['mae']:>7.1f}{f['missed']:>10}"
            )

    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    print(f"\n{'category':<12}{'n':>4}{'MAE':>7}{'bias':>7}")
    for cat, sub in sorted(by_cat.items()):
        err = [r["score"] - r["grade"] for r in sub]
        print(f"{cat:<12}{len(sub):>4}{np.mean(np.abs(err)):>7.1f}{np.mean(err):>+7.1f}")

    if args.worst:
        shown = [r for r in rows if args.split == "all" or r["split"] == args.split]
        print(f"\nworst {args.worst} of {args.split} (grade -> score):")
        for r in sorted(shown, key=lambda r: -abs(r["score"] - r["grade"]))[: args.worst]:
            tag = " [held]" if r["held_out"] else ""
            print(f"  {r['grade']:>3.0f} -> {r['score']:>3}  {r['prompt']!r} / {r['guess']!r}{tag}")

    gc.collect()
    from imprompt.similarity import scoring

    modes = (
        ("repeat", None),  # the same guess again: the score cache answers
        ("warm", scoring._scores.clear),  # a new guess made of words already seen
        ("cold", clear_caches),  # every cache emptied before each call: new words
    )
    print("\ntime per guess (ms):")
    for name, clear in modes:
        tm = timing(rows, similarity, clear)
        print(f"  {name:<7} mean {tm['mean']:.3f}  p50 {tm['p50']:.3f}  p99 {tm['p99']:.3f}  max {tm['max']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
