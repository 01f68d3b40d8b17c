"""Score the hand-graded pairs in bench/data/similarity_graded.tsv and print how well the
scorer agrees with the human grades, plus how long one call takes.

    python bench/similarity_bench.py [--worst N]

Every 4th row is held out: the scorer's constants were tuned on the other rows only, so
the held-out figures are the honest ones. Targets: Spearman >= 0.85, pairwise >= 0.92,
MAE <= 12, p99 < 2 ms.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from imprompt.similarity import similarity, warm_up
from imprompt.similarity.scoring import clear_caches

DATA = Path(__file__).parent / "data" / "similarity_graded.tsv"
HOLD_OUT_EVERY = 4


def load(path: Path = DATA) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for i, row in enumerate(rows):
        row["grade"] = float(row["grade"])
        row["held_out"] = i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1
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
    }


def timing(rows: list[dict], cold: bool) -> tuple[float, float]:
    """p50/p99 of one call in ms; cold clears the word caches before every call."""
    times = []
    for _ in range(3):
        for r in rows:
            if cold:
                clear_caches()
            t = time.perf_counter()
            similarity(r["prompt"], r["guess"])
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worst", type=int, default=10, help="show the N rows furthest from their grade")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    warm_up()
    print(f"warm-up (model load + first score): {1000 * (time.perf_counter() - t):.0f} ms")
    rows = load()
    for r in rows:
        r["score"] = similarity(r["prompt"], r["guess"])

    print(f"\n{'set':<9}{'n':>5}{'spearman':>10}{'pairwise':>10}{'MAE':>7}")
    for name, subset in (
        ("train", [r for r in rows if not r["held_out"]]),
        ("held-out", [r for r in rows if r["held_out"]]),
        ("all", rows),
    ):
        f = figures(subset)
        print(f"{name:<9}{f['n']:>5}{f['spearman']:>10.3f}{f['pairwise']:>10.3f}{f['mae']:>7.1f}")

    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    print(f"\n{'category':<12}{'n':>4}{'MAE':>7}{'bias':>7}")
    for cat, sub in sorted(by_cat.items()):
        err = [r["score"] - r["grade"] for r in sub]
        print(f"{cat:<12}{len(sub):>4}{np.mean(np.abs(err)):>7.1f}{np.mean(err):>+7.1f}")

    if args.worst:
        print(f"\nworst {args.worst} (grade -> score):")
        for r in sorted(rows, key=lambda r: -abs(r["score"] - r["grade"]))[: args.worst]:
            tag = " [held-out]" if r["held_out"] else ""
            print(f"  {r['grade']:>3.0f} -> {r['score']:>3}  {r['prompt']!r} / {r['guess']!r}{tag}")

    warm50, warm99 = timing(rows, cold=False)
    cold50, cold99 = timing(rows, cold=True)
    print(
        f"\ntiming per call: warm caches p50 {warm50:.3f} ms p99 {warm99:.3f} ms; "
        f"cold word caches p50 {cold50:.3f} ms p99 {cold99:.3f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
