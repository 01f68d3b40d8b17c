"""Scores and explanations of many (prompt, guess) pairs, one line each, to compare two trees.

    .venv/bin/python bench/scoring_identity.py --out /tmp/new.tsv
    PYTHONPATH=/tmp/base/src .venv/bin/python bench/scoring_identity.py --out /tmp/old.tsv
    cmp /tmp/old.tsv /tmp/new.tsv

A speed change to the scorer must not move a score. The pairs: --load guesses as
bench/load.py sends them (1-3 random words of the theme packs against their short
prompts), --mixed harder ones (any theme prompt; guesses with function words,
prepositions, typos, the prompt's own words reordered or repeated), and every row of
bench/data/similarity_graded.tsv. Each line holds `similarity()` as a server calls it
(caches filling in stream order) and `details()` (score, matches, reason), computed
afterwards, so the two also see different cache states.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import _vocabulary  # noqa: E402
from similarity_bench import load as graded  # noqa: E402

from imprompt.game.suggestions import THEMES  # noqa: E402
from imprompt.similarity import details, similarity, warm_up  # noqa: E402

SMALL = "a an the of and is in on under with without over near inside outside into at".split()


def _typo(rng: random.Random, w: str) -> str:
    if len(w) < 3:
        return w
    i = rng.randrange(len(w) - 1)
    k = rng.randrange(3)
    if k == 0:
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :]  # swap
    if k == 1:
        return w[:i] + w[i + 1 :]  # drop
    return w[:i] + rng.choice("aeioulnrst") + w[i:]  # insert


def pairs(n_load: int, n_mixed: int, seed: int = 1) -> list[tuple[str, str]]:
    prompts, words = _vocabulary(4)
    rng = random.Random(seed)
    out = [(rng.choice(prompts), " ".join(rng.sample(words, rng.randint(1, 3)))) for _ in range(n_load)]
    every = sorted({p for ps in THEMES.values() for p in ps})
    for _ in range(n_mixed):
        p = rng.choice(every)
        own = [w.strip(".,!?'\"").lower() for w in p.split()]
        k = rng.randrange(5)
        if k == 0:  # the prompt's words, some kept, some typed wrong, shuffled
            g = [_typo(rng, w) if rng.random() < 0.3 else w for w in own if rng.random() < 0.8]
            rng.shuffle(g)
        elif k == 1:  # a sentence: vocabulary and function words
            g = [rng.choice(SMALL) if rng.random() < 0.4 else rng.choice(words) for _ in range(rng.randint(2, 7))]
        elif k == 2:  # a word list
            g = rng.sample(words, rng.randint(3, 6))
            if rng.random() < 0.5:
                g = [w + "," for w in g]
        elif k == 3:  # the prompt with a word swapped for vocabulary
            g = list(own)
            g[rng.randrange(len(g))] = rng.choice(words)
        else:  # the prompt's words mixed with others
            g = own[: rng.randint(1, len(own))] + rng.sample(words, rng.randint(0, 2))
        out.append((p, " ".join(g)))
    out += [(row["prompt"], row["guess"]) for row in graded()]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--load", type=int, default=50_000)
    ap.add_argument("--mixed", type=int, default=10_000)
    args = ap.parse_args(argv)
    warm_up()
    stream = pairs(args.load, args.mixed)
    scores = [similarity(p, g) for p, g in stream]
    with open(args.out, "w", encoding="utf-8") as f:
        for (p, g), s in zip(stream, scores, strict=True):
            d = json.dumps(details(p, g), sort_keys=True, ensure_ascii=False)
            f.write(f"{p}\t{g}\t{s}\t{d}\n")
    print(f"{len(stream)} pairs -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
