"""A contact sheet of the offline pictogram composer: many prompts on one HTML page, to look at.

.venv/bin/python bench/pictures.py [--out bench/out/pictures.html] [--count 100] [--start 0] [--seed 0]

The prompts are the train part of bench/data/pictogram_prompts.tsv (never the held-out part),
followed by any given with --prompt. Each picture is embedded as an <img> (a data: URL), so
the SVGs stay separate documents as in the game. Under each: the prompt, what the composer
reports it drew, and in red the concepts the bench would count as missed.
"""

from __future__ import annotations

import argparse
import base64
import html
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from pictogram_bench import drawn_tokens, load_cases  # noqa: E402

from imprompt.images.pictogram import PictogramProvider  # noqa: E402

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imprompt pictograms: contact sheet</title>
<style>
body {{ font: 13px system-ui, sans-serif; margin: 12px; background: #f4f4f4; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, 300px); gap: 10px; }}
figure {{ margin: 0; background: #fff; padding: 6px; border-radius: 6px; }}
img {{ width: 288px; height: 288px; display: block; }}
figcaption b {{ display: block; font-size: 14px; }}
.drew {{ color: #555; }} .miss {{ color: #c62828; }}
</style></head><body>
<h1>Pictogram composer: {count} prompts</h1>
<p>{summary}</p>
<div class="grid">
{cells}
</div></body></html>
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="bench/out/pictures.html")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="skip this many train prompts (later batches)")
    parser.add_argument("--prompt", action="append", default=[], help="extra prompt (repeatable)")
    args = parser.parse_args()

    provider = PictogramProvider()
    cases = [c for c in load_cases() if c.split == "train"][args.start : args.start + args.count]
    items: list[tuple[str, dict[str, frozenset[str]]]] = [(c.prompt, c.concepts) for c in cases]
    items += [(prompt, {}) for prompt in args.prompt]
    cells, hit, total = [], 0, 0
    for prompt, concepts in items:
        drawing = provider.draw(prompt, seed=args.seed)
        report = drawing.report
        tokens = drawn_tokens(report)
        missed = [label for label, alternatives in concepts.items() if not tokens & alternatives]
        hit += len(concepts) - len(missed)
        total += len(concepts)
        drew = [p["name"] + (f" ×{p['count']}" if p.get("count", 1) > 1 else "") for p in report["pictograms"]]
        drew += [f"[{s}]" for s in report["scenes"]] + ([f"[{report['weather']}]"] if report["weather"] else [])
        relations = [f"{r['a']} {r['kind']} {r['b']}" for r in report["relations"]]
        src = "data:image/svg+xml;base64," + base64.b64encode(drawing.svg.encode()).decode()
        caption = f"<b>{html.escape(prompt)}</b><span class='drew'>{html.escape(', '.join(drew))}</span>"
        if relations:
            caption += f"<br><span class='drew'>{html.escape('; '.join(relations))}</span>"
        if missed:
            caption += f"<br><span class='miss'>missed: {html.escape(', '.join(missed))}</span>"
        cells.append(f'<figure><img alt="" src="{src}"><figcaption>{caption}</figcaption></figure>')
    summary = f"Concepts drawn: {hit}/{total}. Seed {args.seed}. Train prompts only."
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(PAGE.format(count=len(items), summary=summary, cells="\n".join(cells)), encoding="utf-8")
    print(f"wrote {out} ({len(items)} pictures; {summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
