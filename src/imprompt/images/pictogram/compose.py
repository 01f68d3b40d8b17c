"""Plan -> SVG text. Layout is plain geometry; every random choice comes from `rng`.

The SVG never contains the prompt or pictogram names: guessers can read the file.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from imprompt.images.pictogram.catalogue import Catalogue
from imprompt.images.pictogram.plan import Plan, Thing
from imprompt.images.pictogram.scenes import SCENES

CANVAS = 1024
PALETTES = [
    ("#ffd6e0", "#ffefb5", ["#ff8fab", "#ffc857", "#7bdff2", "#b8f2e6"]),
    ("#cde7ff", "#e9d5ff", ["#5e60ce", "#64dfdf", "#f4a261", "#ffafcc"]),
    ("#d8f3dc", "#fefae0", ["#52b788", "#f4a259", "#e76f51", "#2a9d8f"]),
    ("#fde2e4", "#e2ece9", ["#e5989b", "#6d6875", "#b5838d", "#ffcdb2"]),
    ("#1d3557", "#457b9d", ["#e63946", "#f1faee", "#a8dadc", "#ffb703"]),
]


@dataclass
class Placement:
    code: str
    cx: float
    cy: float
    size: float
    angle: float = 0.0
    colour: str | None = None
    opacity: float = 1.0


def _slots(plan: Plan) -> list[tuple[float, float, float]]:
    """(cx, cy, size) for each thing: sizes after size words, places from the first relation."""
    things = plan.things
    n = len(things)
    if n == 0:
        return []
    if n == 1:
        return [(512, 540, min(560 * things[0].scale, 760))]
    if n > 2:
        size = min(440, 980 / n)
        step = CANVAS / n
        return [(step * (k + 0.5), 540 + (40 if k % 2 else -40), min(size * things[k].scale, 600)) for k in range(n)]
    relation = next((r for a, r, b in plan.relations if (a, b) == (0, 1)), "with")
    base: dict[str, tuple[float, float]] = {
        "on": (360, 460),
        "under": (360, 420),
        "above": (330, 420),
        "in": (280, 660),
        "holding": (520, 260),
    }
    sa, sb = base.get(relation, (430, 430))
    sa, sb = min(sa * things[0].scale, 700), min(sb * things[1].scale, 700)
    if relation in ("on", "above"):
        gap = -0.45 if relation == "on" else 0.05  # "on" overlaps: the rider sits on the mount
        total = sa + sb * (1 + gap)
        top = max(20.0, (CANVAS - total) / 2 + 40)
        a_cy = top + sa / 2
        b_cy = top + sa + gap * sb + sb / 2
        return [(512, a_cy, sa), (512, b_cy, sb)]
    if relation == "under":
        top = max(20.0, (CANVAS - sa - 0.7 * sb) / 2)
        return [(512, top + 0.7 * sb + sa / 2, sa), (512, top + sb / 2, sb)]
    if relation == "in":
        return [(512, 560, min(sa, sb * 0.45)), (512, 540, sb)]
    if relation == "holding":
        return [(430, 540, sa), (430 + sa * 0.5, 540 + sa * 0.2, min(sb, sa * 0.6))]
    return [(280, 540, min(sa, 470)), (744, 540, min(sb, 470))]


def _copies(thing: Thing, cx: float, cy: float, size: float, rng: random.Random) -> list[Placement]:
    k = max(1, thing.count)
    cols = math.ceil(math.sqrt(k))
    rows = math.ceil(k / cols)
    cell = size / max(cols, rows) * (1.0 if k == 1 else 1.15)
    out = []
    for j in range(k):
        row, col = divmod(j, cols)
        in_row = min(cols, k - row * cols)
        x = cx + (col - (in_row - 1) / 2) * cell * 0.95
        y = cy + (row - (rows - 1) / 2) * cell * 0.9
        jitter = 0.03 * cell if k > 1 else 0.0
        out.append(
            Placement(
                thing.pictogram.code,
                x + rng.uniform(-jitter, jitter),
                y + rng.uniform(-jitter, jitter),
                cell,
                angle=rng.uniform(-7, 7),
                colour=thing.colour,
            )
        )
    return out


def _tint_filter(fid: str, colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    k = 1.45  # maps a mid-light fill to the target colour; black outlines stay black
    rows = []
    for c in (r, g, b):
        rows.append(f"{0.299 * c * k:.3f} {0.587 * c * k:.3f} {0.114 * c * k:.3f} 0 0")
    rows.append("0 0 0 1 0")
    return (
        f'<filter id="{fid}" color-interpolation-filters="sRGB">'
        f'<feColorMatrix type="matrix" values="{" ".join(rows)}"/></filter>'
    )


def _lighten(colour: str, amount: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _gradient(gid: str, top: str, bottom: str) -> str:
    return (
        f'<linearGradient id="{gid}" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        "</linearGradient>"
    )


class Canvas:
    def __init__(self, catalogue: Catalogue) -> None:
        self.cat = catalogue
        self.defs: list[str] = []
        self.body: list[str] = []
        self.symbols: dict[str, str] = {}
        self.filters: dict[str, str] = {}

    def symbol(self, code: str) -> str:
        if code not in self.symbols:
            sid = f"p{len(self.symbols)}"
            self.symbols[code] = sid
            self.defs.append(f'<symbol id="{sid}" viewBox="0 0 72 72">{self.cat.svg_body(code)}</symbol>')
        return self.symbols[code]

    def tint(self, colour: str) -> str:
        if colour not in self.filters:
            fid = f"t{len(self.filters)}"
            self.filters[colour] = fid
            self.defs.append(_tint_filter(fid, colour))
        return self.filters[colour]

    def place(self, p: Placement) -> None:
        sid = self.symbol(p.code)
        half = p.size / 2
        attrs = [
            f'href="#{sid}"',
            f'x="{p.cx - half:.1f}"',
            f'y="{p.cy - half:.1f}"',
            f'width="{p.size:.1f}"',
            f'height="{p.size:.1f}"',
        ]
        if abs(p.angle) > 0.01:
            attrs.append(f'transform="rotate({p.angle:.2f} {p.cx:.1f} {p.cy:.1f})"')
        if p.colour:
            attrs.append(f'filter="url(#{self.tint(p.colour)})"')
        if p.opacity < 1:
            attrs.append(f'opacity="{p.opacity:.2f}"')
        self.body.append(f"<use {' '.join(attrs)}/>")

    def svg(self, size: int) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS} {CANVAS}" '
            f'width="{size}" height="{size}"><defs>{"".join(self.defs)}</defs>'
            f"{''.join(self.body)}</svg>"
        )


def _background(canvas: Canvas, plan: Plan, rng: random.Random) -> None:
    scene = SCENES.get(plan.scene or "")
    if scene is None:
        colour = plan.background
        top, bottom = (_lighten(colour, 0.55), _lighten(colour, 0.2)) if colour else ("#fdfbf6", "#eef3f8")
        canvas.defs.append(_gradient("bg", top, bottom))
        canvas.body.append(f'<rect width="{CANVAS}" height="{CANVAS}" fill="url(#bg)"/>')
        if not colour:
            canvas.body.append('<ellipse cx="512" cy="860" rx="360" ry="40" fill="#000" opacity="0.06"/>')
        return
    top, bottom = scene.top, scene.bottom
    if plan.background:
        top, bottom = _lighten(plan.background, 0.3), _lighten(plan.background, 0.7)
    canvas.defs.append(_gradient("bg", top, bottom))
    canvas.body.append(f'<rect width="{CANVAS}" height="{CANVAS}" fill="url(#bg)"/>')
    for _ in range(scene.stars):
        x, y, r = rng.uniform(0, CANVAS), rng.uniform(0, CANVAS * 0.8), rng.uniform(1.5, 4)
        canvas.body.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="#fff" opacity="0.85"/>')
    if scene.ground:
        canvas.body.append(
            f'<rect x="0" y="{scene.ground_y}" width="{CANVAS}" height="{CANVAS - scene.ground_y}" '
            f'fill="{scene.ground}"/>'
        )
    for _ in range(scene.bubbles):
        x, y, r = rng.uniform(0, CANVAS), rng.uniform(0, scene.ground_y), rng.uniform(6, 18)
        canvas.body.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="none" stroke="#fff" stroke-width="3" opacity="0.6"/>'
        )
    for name, count, xs, ys, sizes in scene.decorations:
        index = canvas.cat.by_name.get(name)
        if index is None:
            continue
        code = canvas.cat.pictograms[index].code
        for _ in range(count):
            canvas.place(
                Placement(
                    code,
                    rng.uniform(*xs),
                    rng.uniform(*ys),
                    rng.uniform(*sizes),
                    angle=rng.uniform(-5, 5),
                    opacity=0.95,
                )
            )


def _abstract(canvas: Canvas, rng: random.Random) -> None:
    top, bottom, colours = rng.choice(PALETTES)
    canvas.defs.append(_gradient("bg", top, bottom))
    canvas.body.append(f'<rect width="{CANVAS}" height="{CANVAS}" fill="url(#bg)"/>')
    for _ in range(rng.randint(6, 10)):
        colour = rng.choice(colours)
        opacity = rng.uniform(0.45, 0.85)
        x, y = rng.uniform(100, 924), rng.uniform(100, 924)
        shape = rng.random()
        if shape < 0.5:
            r = rng.uniform(40, 220)
            canvas.body.append(
                f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.0f}" fill="{colour}" opacity="{opacity:.2f}"/>'
            )
        elif shape < 0.8:
            w, h, a = rng.uniform(80, 320), rng.uniform(60, 240), rng.uniform(-30, 30)
            canvas.body.append(
                f'<rect x="{x - w / 2:.0f}" y="{y - h / 2:.0f}" width="{w:.0f}" height="{h:.0f}" '
                f'rx="{min(w, h) / 4:.0f}" '
                f'fill="{colour}" opacity="{opacity:.2f}" transform="rotate({a:.1f} {x:.0f} {y:.0f})"/>'
            )
        else:
            amp, wave_y = rng.uniform(30, 90), rng.uniform(200, 900)
            d = f"M0 {wave_y:.0f} " + " ".join(
                f"Q{128 + 256 * k} {wave_y + (amp if k % 2 else -amp):.0f} {256 * (k + 1)} {wave_y:.0f}"
                for k in range(4)
            )
            canvas.body.append(
                f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{rng.uniform(10, 28):.0f}" '
                f'stroke-linecap="round" opacity="{opacity:.2f}"/>'
            )


def render(plan: Plan, catalogue: Catalogue, rng: random.Random, size: int = CANVAS) -> str:
    canvas = Canvas(catalogue)
    if not plan.things and not plan.scene:
        _abstract(canvas, rng)
        return canvas.svg(size)
    _background(canvas, plan, rng)
    placements: list[Placement] = []
    for thing, (cx, cy, slot) in zip(plan.things, _slots(plan), strict=True):
        placements.extend(_copies(thing, cx, cy, slot, rng))
    # Larger first, so a small rider or passenger is drawn on top of what carries it.
    for p in sorted(placements, key=lambda p: -p.size):
        canvas.place(p)
    return canvas.svg(size)
