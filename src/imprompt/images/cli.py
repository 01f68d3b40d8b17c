"""`imprompt draw "PROMPT" -o out.svg [--seed N]`: draw with the built-in generator.

Prints what it drew as JSON: the pictograms (objects and props, with their boxes on the
1024-unit canvas), the scenes and weather, the relations laid out, the props, and one
entry per prompt word ("concepts").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def draw_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="imprompt draw", description="Draw a prompt with the offline pictogram generator."
    )
    parser.add_argument("prompt")
    parser.add_argument("-o", "--output", required=True, help="SVG file to write ('-' for standard output)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args(argv)

    from imprompt.images.registry import builtin_provider

    drawing = builtin_provider().draw(args.prompt, seed=args.seed, size=args.size)
    if args.output == "-":
        sys.stdout.write(drawing.svg + "\n")
        sys.stderr.write(json.dumps(drawing.report, ensure_ascii=False) + "\n")
        return 0
    Path(args.output).write_text(drawing.svg, encoding="utf-8")
    print(json.dumps(drawing.report, ensure_ascii=False, indent=2))
    if drawing.abstract:
        print("nothing in the prompt matched a pictogram: drew an abstract composition", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(draw_main(sys.argv[1:]))
