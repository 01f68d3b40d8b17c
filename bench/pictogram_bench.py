"""Time the built-in pictogram generator after start-up; prints p50/p99 per image.

.venv/bin/python bench/pictogram_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from imprompt.images.pictogram import PictogramProvider

PROMPTS = [
    "a cat riding a unicorn",
    "three red apples",
    "dog in space",
    "wizard holding a pizza",
    "tiny dragon on a giant banana",
    "two penguins at the beach",
    "firefighter in the rain",
    "robot under a tree",
    "many sheep on a farm",
    "hot dog with ice cream",
    "astronaut with a dog",
    "ninja vs pirate",
    "blue car in the city",
    "teacup",
    "zorblax quuxify",
    "ghost at night",
    "mermaid underwater",
    "chef holding a fish",
    "volcano in the desert",
    "alien in a ufo",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    start = time.perf_counter()
    provider = PictogramProvider()
    provider.warm_up()
    print(f"start-up: {(time.perf_counter() - start) * 1000:.0f} ms (index from disk cache when present)")
    times = []  # per image: plan (match words, embed unknown ones) + compose the SVG
    for r in range(args.rounds):
        for prompt in PROMPTS:
            t = time.perf_counter()
            provider.draw(prompt, seed=r)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"images: {len(times)}  p50: {p50:.2f} ms  p99: {p99:.2f} ms  max: {times[-1]:.2f} ms  (target < 50 ms)")


if __name__ == "__main__":
    main()
