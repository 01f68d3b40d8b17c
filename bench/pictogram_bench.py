"""The built-in pictogram generator: concept recall on everyday prompts, time and size per picture.

.venv/bin/python bench/pictogram_bench.py [--rounds N] [--misses]
.venv/bin/python bench/pictogram_bench.py --baseline /tmp/base/src [--reps N]

--baseline SRC: CPU per picture over the theme packs' prompts for this tree and another one
(a clean clone's src), in processes alternated in one run: cold (the provider's memos empty,
the pictograms' markup already loaded) and warm (more seeds of the same prompts); and whether
both trees drew byte-identical SVGs for every prompt and seed, also when drawn twice.

Recall: bench/data/pictogram_prompts.tsv lists prompts with the concepts a fair picture must
show, each with the drawings that would count for it. A concept counts only when what the
composer reports it drew (`Drawing.report`, the JSON `imprompt draw` prints) contains one of
them: a pictogram's name (an object or a prop), `scene:NAME` for the background or weather,
`rel:KIND` for a relation laid out between two objects, `tint`, `scale:up`, `scale:down` or
`count` for modifiers applied to a drawn object. The prompt's own words are never looked at.
The held-out splits are reported but their misses are not printed: tune on train only.
heldout is the first batch's; held2 is every 4th prompt of a second batch written later,
so a gain on train that does not carry over shows up there too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from imprompt.images.pictogram import PictogramProvider

DATA = Path(__file__).with_name("data") / "pictogram_prompts.tsv"


@dataclass(frozen=True)
class Case:
    split: str
    prompt: str
    concepts: dict[str, frozenset[str]]  # label -> drawings that count for it


def load_cases(path: Path = DATA) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("split\t"):
            continue
        split, prompt, spec = line.split("\t")
        concepts = {}
        for part in spec.split(";"):
            label, _, alternatives = part.strip().partition("=")
            concepts[label.strip()] = frozenset(a.strip() for a in alternatives.split("|") if a.strip())
        cases.append(Case(split, prompt, concepts))
    return cases


def drawn_tokens(report: dict) -> set[str]:
    """What the picture shows, as tokens comparable with the alternatives in the data file."""
    out: set[str] = set()
    for p in report.get("pictograms", []):
        out.add(p["name"])
        if p.get("colour"):
            out.add("tint")
        if p.get("scale", 1.0) > 1.0:
            out.add("scale:up")
        if p.get("scale", 1.0) < 1.0:
            out.add("scale:down")
        if p.get("count", 1) > 1:
            out.add("count")
    out.update(p["name"] for p in report.get("props", []))
    out.update(f"scene:{scene}" for scene in report.get("scenes", []))
    if report.get("weather"):
        out.add(f"scene:{report['weather']}")
    for r in report.get("relations", []):
        out.add(f"rel:{r['kind']}")
    return out


def recall(provider: PictogramProvider, cases: list[Case]) -> dict[str, tuple[int, int, list[str]]]:
    """split -> (concepts drawn, concepts, misses as 'prompt: label')."""
    result: dict[str, tuple[int, int, list[str]]] = {}
    for case in cases:
        tokens = drawn_tokens(provider.draw(case.prompt).report)
        hit, total, misses = result.get(case.split, (0, 0, []))
        for label, alternatives in case.concepts.items():
            total += 1
            if tokens & alternatives:
                hit += 1
            else:
                misses.append(f"{case.prompt}: {label}")
        result[case.split] = (hit, total, misses)
    return result


def pack_prompts() -> list[str]:
    from imprompt.game.suggestions import THEMES

    return list(dict.fromkeys(p for prompts in THEMES.values() for p in prompts))


def worker(rounds: int) -> dict:
    """One tree's figures: CPU seconds per picture (cold, warm) and each picture's digest."""
    provider = PictogramProvider()
    provider.warm_up()
    prompts = pack_prompts() + [c.prompt for c in load_cases()]
    for prompt in prompts:
        provider.draw(prompt, seed=0)  # the pictograms' markup, read once by either tree
    clear = getattr(provider, "clear_caches", None)
    if clear is not None:
        clear()
    cold: list[float] = []
    warm: list[float] = []
    digests: dict[str, str] = {}
    for seed in range(1, rounds + 2):
        for prompt in prompts:
            c = time.thread_time()
            svg = provider.draw(prompt, seed=seed).svg
            (cold if seed == 1 else warm).append(time.thread_time() - c)
            digests[f"{seed}\x00{prompt}"] = hashlib.sha256(svg.encode()).hexdigest()
    again = sum(
        hashlib.sha256(provider.draw(prompt, seed=1).svg.encode()).hexdigest() != digests[f"1\x00{prompt}"]
        for prompt in prompts
    )
    return {"cold": cold, "warm": warm, "digests": digests, "redrawn_differently": again}


def _q(values: list[float], f: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * f))] * 1000


def compare(baseline: str, reps: int, rounds: int) -> int:
    trees = {"baseline": os.path.abspath(baseline), "this tree": str(Path(__file__).resolve().parents[1] / "src")}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for rep in range(reps):
        for name in list(trees)[:: 1 if rep % 2 == 0 else -1]:
            env = {**os.environ, "PYTHONPATH": trees[name]}
            out = subprocess.run(
                [sys.executable, __file__, "--worker", "--rounds", str(rounds)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs[name].append(json.loads(out.splitlines()[-1]))
    for name, results in runs.items():
        cold = [t for r in results for t in r["cold"]]
        warm = [t for r in results for t in r["warm"]]
        print(
            f"{name:9}: cold p50 {statistics.median(cold) * 1000:.3f} ms p99 {_q(cold, 0.99):.3f} ms"
            f"  warm p50 {statistics.median(warm) * 1000:.3f} ms p99 {_q(warm, 0.99):.3f} ms"
            f" mean {statistics.mean(warm) * 1000:.3f} ms  ({len(cold)} cold, {len(warm)} warm)"
        )
    base, now = runs["baseline"][0], runs["this tree"][0]
    differ = [k for k in base["digests"] if base["digests"][k] != now["digests"].get(k)]
    print(
        f"SVGs: {len(base['digests'])} compared, {len(differ)} differ;"
        f" drawn twice and different: baseline {base['redrawn_differently']}, this tree {now['redrawn_differently']}"
    )
    for key in differ[:10]:
        seed, _, prompt = key.partition("\x00")
        print(f"  differs: seed {seed} {prompt!r}")
    return 1 if differ or now["redrawn_differently"] else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="seeds per prompt for the timing")
    parser.add_argument("--misses", action="store_true", help="list the train misses")
    parser.add_argument("--baseline", metavar="SRC", help="compare with another tree's src directory")
    parser.add_argument("--reps", type=int, default=4, help="processes per tree with --baseline")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.rounds)))
        return 0
    if args.baseline:
        return compare(args.baseline, args.reps, args.rounds)
    start = time.perf_counter()
    provider = PictogramProvider()
    provider.warm_up()
    print(f"start-up: {(time.perf_counter() - start) * 1000:.0f} ms (index from disk cache when present)")

    cases = load_cases()
    scores = recall(provider, cases)
    for split in ("train", "heldout", "held2"):
        hit, total, misses = scores.get(split, (0, 0, []))
        prompts = sum(1 for c in cases if c.split == split)
        print(f"recall {split:8}: {hit}/{total} = {100 * hit / max(total, 1):.1f} %  ({prompts} prompts)")
        if split == "train" and args.misses:
            for miss in misses:
                print(f"  missed  {miss}")

    times, cpu, sizes = [], [], []  # per picture: plan (match words, embed unknown ones) + compose the SVG
    for r in range(args.rounds):
        for case in cases:
            t, c = time.perf_counter(), time.thread_time()
            svg = provider.draw(case.prompt, seed=r).svg
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)  # the same without waiting for a busy CPU
            sizes.append(len(svg.encode()))
    times.sort()
    cpu.sort()
    sizes.sort()
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(
        f"time per picture ({len(times)}): p50 {p50:.2f} ms  p99 {p99:.2f} ms  max {times[-1]:.2f} ms"
        "  (target p99 < 50 ms)"
    )
    cpu99 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))]
    print(f"CPU time per picture: p50 {statistics.median(cpu):.2f} ms  p99 {cpu99:.2f} ms")
    print(f"SVG size: median {statistics.median(sizes) / 1024:.1f} KB  max {sizes[-1] / 1024:.1f} KB  (target < 20 KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
