"""Plan -> SVG text. Layout is plain geometry; every random choice comes from `rng`.

The SVG never contains the prompt or pictogram names: guessers can read the file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from imprompt.images.pictogram.anchors import ANCHORS, DEFAULT_FIT, FITS, anchors_for
from imprompt.images.pictogram.catalogue import Catalogue
from imprompt.images.pictogram.plan import Plan, Thing
from imprompt.images.pictogram.scenes import SCENES, SKY_SCENES

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


@dataclass
class Box:
    cx: float
    cy: float
    size: float
    layer: float = 1.0
    angle: float = 0.0
    opacity: float = 1.0


# Where the second thing of a pair goes (cx, cy, size) when the first is placed against it.
REFERENCE = {
    "ride": (512, 640, 600),
    "on": (512, 660, 540),
    "in": (512, 600, 560),
    "under": (512, 320, 460),
    "above": (512, 720, 420),
    "fly": (512, 740, 400),
    "behind": (580, 600, 460),
    "beside": (744, 540, 430),
}
PLACED = frozenset(REFERENCE)
ATTACHED = frozenset({"wear", "hold", "mouth"})
# Things another thing goes in with only its top half showing.
CONTAINERS = frozenset(
    w.strip()
    for w in """bathtub, basket, toilet, top hat, womans hat, billed cap, flying saucer, canoe,
    sailboat, bowl with spoon, shopping cart, wastebasket, bucket, potted plant, pot of food""".split(",")
)
# Places one is "in" by standing in front of them: drawn small inside, a person would not show.
BUILDINGS = frozenset(
    w.strip()
    for w in """house, houses, school, hospital, castle, japanese castle, church, mosque, office building, hotel,
    bank, post office, department store, convenience store, factory, stadium, classical building, hut,
    house with garden, derelict house, circus tent, hindu temple, love hotel, tent""".split(",")
)
# Things one is "on" by being in front of them, not standing on their top.
FRONT_SURFACES = frozenset(
    {"spider web", "gloves", "t shirt", "framed picture", "window", "coat", "world map", "shield", "dress"}
)
INSTRUMENTS = frozenset({"guitar", "violin", "banjo", "drum", "long drum", "saxophone", "trumpet", "accordion"})


def _point(box: Box, x: float, y: float) -> tuple[float, float]:
    k = box.size / 72
    return box.cx + (x - 36) * k, box.cy + (y - 36) * k


Extent = tuple[float, float, float, float]  # a pictogram's drawing inside its 72-unit frame


def _relative(
    kind: str, ref: Box, ref_name: str, ratio: float, extent: Extent = (0, 0, 72, 72), ref_extent: Extent | None = None
) -> Box:
    """The first thing of a pair, placed against the second (already placed as `ref`)."""
    s = ref.size
    anchors = anchors_for(ref_name)
    if ref_name not in ANCHORS and ref_extent is not None:  # no measured top: the drawing's own top
        anchors = replace(anchors, top=ref_extent[1] + 1)
    bottom = (extent[3] - 36) / 72  # from the frame's centre to the drawing's lowest point, in sizes
    middle = ((extent[1] + extent[3]) / 2 - 36) / 72
    height = (extent[3] - extent[1]) / 72
    if kind == "ride":
        size = 0.5 * s * ratio
        ref.angle = anchors.tilt or ref.angle
        x, y = _point(ref, *anchors.seat)
        return Box(x, y - (bottom - 0.15 * height) * size, size, ref.layer + 1)  # sits a little into the seat
    if kind == "on" and ref_name in FRONT_SURFACES:
        return Box(ref.cx, ref.cy, 0.55 * s * ratio, ref.layer + 1)
    if kind == "on":
        size = 0.6 * s * ratio
        _, top = _point(ref, 36, anchors.top)
        return Box(ref.cx, top - (bottom - 0.03 * height) * size, size, ref.layer + 1)  # feet on the top
    if kind == "in" and ref_name in BUILDINGS:  # "teacher in a classroom": in front of it, full size
        size = 0.62 * s * ratio
        return Box(ref.cx + 0.28 * s, ref.cy + 0.5 * s - (bottom - 0.02 * height) * size, size, ref.layer + 1)
    if kind == "in":
        if ref_name in CONTAINERS:
            size = 0.62 * s * ratio
            _, top = _point(ref, 36, anchors.top)
            return Box(ref.cx, top - (middle + 0.25 * height) * size, size, ref.layer - 0.5)  # peeks out of the top
        return Box(ref.cx, ref.cy + 0.05 * s, 0.45 * s * ratio, ref.layer + 1)
    if kind == "under":
        size = 0.9 * s * ratio
        return Box(ref.cx, ref.cy + 0.45 * s + 0.45 * size, size, ref.layer)
    if kind in ("above", "fly"):
        size = 0.85 * s * ratio
        return Box(ref.cx, ref.cy - 0.5 * s - 0.42 * size, size, ref.layer)
    if kind == "behind":
        return Box(ref.cx - 0.32 * s, ref.cy - 0.22 * s, s * ratio, ref.layer - 1)
    size = s * ratio
    return Box(ref.cx - 1.08 * (s + size) / 2, ref.cy, size, ref.layer)


def _copies(thing: Thing, box: Box, rng: random.Random) -> list[Box]:
    k = max(1, thing.count)
    if k == 1:
        return [box]
    cols = math.ceil(math.sqrt(k))
    rows = math.ceil(k / cols)
    cell = box.size / max(cols, rows) * 1.15
    out = []
    for j in range(k):
        row, col = divmod(j, cols)
        in_row = min(cols, k - row * cols)
        x = box.cx + (col - (in_row - 1) / 2) * cell * 0.95
        y = box.cy + (row - (rows - 1) / 2) * cell * 0.9
        jitter = 0.03 * cell
        out.append(
            Box(x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter), cell, box.layer, rng.uniform(-7, 7))
        )
    return out


def _attach(kind: str, thing: Thing, owner: Box, owner_name: str, other: Box | None) -> list[Box]:
    """Boxes for a thing fitted to its owner: worn, held, at the mouth, or a prop."""
    a = anchors_for(owner_name)
    s = owner.size
    hx0, hy0 = _point(owner, a.head[0], a.head[1])
    hx1, hy1 = _point(owner, a.head[2], a.head[3])
    hw, hcx = hx1 - hx0, (hx0 + hx1) / 2
    up = owner.layer + 0.2
    name = thing.pictogram.name
    hand = (72 - a.hand[0], a.hand[1]) if a.facing < 0 else a.hand
    if kind == "wear":
        fit = FITS.get(name, DEFAULT_FIT)
        if fit.slot != "hand":
            kp = hw * fit.width * thing.scale / (fit.x1 - fit.x0)
            if fit.slot == "head":
                tx, ty = hcx, hy0 + fit.sink * (hy1 - hy0)
            elif fit.slot == "eyes":
                tx, ty = hcx, _point(owner, 36, a.eyes)[1]
            else:
                tx, ty = _point(owner, *a.neck)
            mid = (fit.x0 + fit.x1) / 2
            return [Box(tx - (mid - 36) * kp, ty - (fit.y - 36) * kp, 72 * kp, up)]
        kind = "hold"
    if kind == "hold" and "umbrella" in name:  # held up, over the head
        size = 0.62 * s * thing.scale
        return [Box(hcx + 0.12 * s, hy0 - 0.2 * size, size, up)]
    if kind == "hold":
        size = (0.55 if name in INSTRUMENTS else 0.42) * s * thing.scale
        x, y = _point(owner, *hand)
        return [Box(x, y - 0.1 * size, size, up)]
    if kind == "mouth":
        mx, my = _point(owner, *a.mouth)
        direction = a.facing or 1
        if name == "toothbrush":
            size = 0.5 * s
            kp = size / 72
            if a.facing < 0:  # the brush head (50, 14) at the mouth, the handle down and away
                return [Box(mx - 14 * kp, my + 22 * kp, size, up)]
            return [Box(mx + 22 * kp, my + 14 * kp, size, up, -90.0)]
        if name == "fire":
            size = 0.55 * s
            return [Box(mx + direction * 0.5 * size, my, size, up, 90.0 * direction)]
        size = 0.34 * s * thing.scale
        return [Box(mx + (a.facing * 0.25 * size), my + 0.2 * size, size, up)]
    if kind == "flames":
        return [
            Box(owner.cx, owner.cy - 0.12 * s, 0.95 * s, owner.layer - 0.1, 0, 0.95),
            Box(owner.cx - 0.3 * s, owner.cy + 0.3 * s, 0.38 * s, up),
            Box(owner.cx + 0.32 * s, owner.cy + 0.26 * s, 0.34 * s, up),
        ]
    if kind == "haunt":
        return [
            Box(owner.cx + 0.42 * s, owner.cy - 0.4 * s, 0.42 * s, up, 8, 0.9),
            Box(owner.cx - 0.44 * s, owner.cy - 0.3 * s, 0.3 * s, up, -10, 0.8),
        ]
    if kind == "frozen":
        return [Box(owner.cx, owner.cy + 0.02 * s, 1.08 * s, owner.layer + 0.3, 0, 0.45)]
    if kind == "melting":
        return [
            Box(owner.cx - 0.3 * s, owner.cy + 0.25 * s, 0.16 * s, up),
            Box(owner.cx + 0.33 * s, owner.cy + 0.1 * s, 0.14 * s, up),
        ]
    if kind == "sleep":
        return [Box(hx1 + 0.05 * s, hy0 - 0.02 * s, 0.3 * s, up)]
    if kind == "emote":  # a small face beside the head says how it feels
        return [Box(hx1 + 0.08 * s, hy0, 0.28 * s, up)]
    if kind == "trail":  # motion puffs behind one who runs
        back = -1 if a.facing >= 0 else 1
        return [Box(owner.cx + back * 0.55 * s, owner.cy + 0.15 * s, 0.42 * s, owner.layer - 0.1)]
    if kind == "sparkle":
        x, y = _point(owner, *hand)
        return [Box(x + 0.05 * s, y - 0.3 * s, 0.38 * s, up + 0.1)]
    if kind == "between" and other is not None:
        size = 0.3 * min(owner.size, other.size) + 60
        return [Box((owner.cx + other.cx) / 2, (owner.cy + other.cy) / 2 - 0.1 * s, size, 9)]
    return [Box(owner.cx + 0.5 * s, owner.cy + 0.22 * s, 0.5 * s * thing.scale, up)]  # "side"


@dataclass
class Layout:
    boxes: dict[int, list[Box]]
    relations: list[tuple[int, str, int]]  # the relations actually laid out
    shapes: list[tuple[str, int, Box]]


def layout(plan: Plan, rng: random.Random, catalogue: Catalogue | None = None) -> Layout:
    things = plan.things

    def extent(i: int) -> Extent:
        return catalogue.content_box(things[i].pictogram.code) if catalogue else (0.0, 0.0, 72.0, 72.0)

    parent: dict[int, tuple[int, str]] = {}
    for a, kind, b in plan.relations:
        if kind in ATTACHED and b >= 0 and b not in parent:
            parent[b] = (a, kind)
    for i, t in enumerate(things):
        if t.role == "prop" and t.owner is not None:
            parent[i] = (t.owner, t.attach or "side")
    mains = [i for i in plan.objects if i not in parent]
    main_boxes: dict[int, Box] = {}
    laid: list[tuple[int, str, int]] = []
    for a, kind, b in plan.relations:
        if kind not in PLACED or a not in mains or a in main_boxes:
            continue
        ta = things[a]
        if b == -1:
            main_boxes[a] = Box(512, 300, min(420 * ta.scale, 600))
            laid.append((a, kind, b))
            continue
        if b not in mains:
            continue
        tb = things[b]
        if b not in main_boxes:
            x, y, size = REFERENCE[kind]
            main_boxes[b] = Box(x, y, size * tb.scale)
        main_boxes[a] = _relative(kind, main_boxes[b], tb.pictogram.name, ta.scale / tb.scale, extent(a), extent(b))
        laid.append((a, kind, b))
    for i in mains:
        if i in main_boxes:
            continue
        t = things[i]
        if not main_boxes:
            main_boxes[i] = Box(512, 540, min(560 * t.scale, 760))
            continue
        right = max(b.cx + b.size / 2 for b in main_boxes.values())
        side = 430 * t.scale
        main_boxes[i] = Box(right + 0.54 * side, 540, side)
    boxes: dict[int, list[Box]] = {i: _copies(things[i], box, rng) for i, box in main_boxes.items()}
    for i, t in enumerate(things):
        if i in boxes or i not in parent:
            continue
        owner, kind = parent[i]
        if owner not in boxes:
            continue
        other = boxes[t.other][0] if t.other is not None and t.other in boxes else None
        placed: list[Box] = []
        for owner_box in boxes[owner]:
            for box in _attach(kind, t, owner_box, things[owner].pictogram.name, other):
                placed.extend(_copies(t, box, rng) if kind in ATTACHED else [box])
            if kind == "between":
                break
        boxes[i] = placed
        if kind in ATTACHED:
            laid.append((owner, kind, i))
    shapes = []
    for name, owner, _word in plan.shapes:
        if owner in boxes:  # a blanket spreads under everything standing
            group = [b for i in mains for b in boxes.get(i, [])] or boxes[owner]
            x0 = min(b.cx - 0.4 * b.size for b in group)
            x1 = max(b.cx + 0.4 * b.size for b in group)
            bottom = max(b.cy + 0.4 * b.size for b in group)
            width = (x1 - x0) * 1.15
            shapes.append((name, owner, Box((x0 + x1) / 2, bottom - 0.06 * width, width, -5)))
    _fit(boxes, shapes)
    return Layout(boxes, laid, shapes)


def _fit(boxes: dict[int, list[Box]], shapes: list[tuple[str, int, Box]]) -> None:
    """Scale and move the whole composition so it stays on the canvas."""
    every = [b for bs in boxes.values() for b in bs] + [b for _, _, b in shapes]
    if not every:
        return
    reach = 0.44  # pictograms leave a margin inside their 72-unit frame
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for b in every:  # one pass instead of four: the same values as min() and max() over each
        r = reach * b.size
        if b.cx - r < x0:
            x0 = b.cx - r
        if b.cx + r > x1:
            x1 = b.cx + r
        if b.cy - r < y0:
            y0 = b.cy - r
        if b.cy + r > y1:
            y1 = b.cy + r
    margin = 28
    room = CANVAS - 2 * margin
    f = min(1.0, room / max(x1 - x0, 1), room / max(y1 - y0, 1))
    gx = (x0 + x1) / 2
    # vertically: keep the composition where it is when it fits, else centre it
    gy = (y0 + y1) / 2
    ty = gy if f == 1.0 else CANVAS / 2
    if f == 1.0:
        ty = min(max(gy, margin + (y1 - y0) / 2), CANVAS - margin - (y1 - y0) / 2)
    for b in every:
        b.cx = CANVAS / 2 + (b.cx - gx) * f
        b.cy = ty + (b.cy - gy) * f
        b.size *= f


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
        sid = self.symbols.get(p.code) or self.symbol(p.code)
        half = p.size / 2
        side = f"{p.size:.1f}"
        use = f'<use href="#{sid}" x="{p.cx - half:.1f}" y="{p.cy - half:.1f}" width="{side}" height="{side}"'
        if abs(p.angle) > 0.01:
            use += f' transform="rotate({p.angle:.2f} {p.cx:.1f} {p.cy:.1f})"'
        if p.colour:
            use += f' filter="url(#{self.tint(p.colour)})"'
        if p.opacity < 1:
            use += f' opacity="{p.opacity:.2f}"'
        self.body.append(use + "/>")

    def svg(self, size: int) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS} {CANVAS}" '
            f'width="{size}" height="{size}"><defs>{"".join(self.defs)}</defs>'
            f"{''.join(self.body)}</svg>"
        )


def _in_sky_already(name: str, drawn: set[str]) -> bool:
    """A scene's little moon or sun is left out when the picture has its own: one moon in the sky."""
    for kind in ("moon", "sun"):
        if kind in name.split() and any(kind in d.split() for d in drawn):
            return True
    return name in drawn


def _background(canvas: Canvas, plan: Plan, rng: random.Random, lean: bool = False) -> None:
    scenes = [SCENES[name] for name in plan.scenes if name in SCENES]
    if not scenes:
        colour = plan.background
        top, bottom = (_lighten(colour, 0.55), _lighten(colour, 0.2)) if colour else ("#fdfbf6", "#eef3f8")
        canvas.defs.append(_gradient("bg", top, bottom))
        canvas.body.append(f'<rect width="{CANVAS}" height="{CANVAS}" fill="url(#bg)"/>')
        if not colour:
            canvas.body.append('<ellipse cx="512" cy="860" rx="360" ry="40" fill="#000" opacity="0.06"/>')
        return
    # A sky scene (night, sunset, space, sky) gives the sky and a place gives the ground:
    # "sunset over the sea", "forest at night".
    skies = [sc for name, sc in zip(plan.scenes, scenes, strict=False) if name in SKY_SCENES]
    places = [sc for name, sc in zip(plan.scenes, scenes, strict=False) if name not in SKY_SCENES]
    sky = skies[0] if skies else scenes[0]
    top, bottom = sky.top, sky.bottom
    if plan.background:
        top, bottom = _lighten(plan.background, 0.3), _lighten(plan.background, 0.7)
    canvas.defs.append(_gradient("bg", top, bottom))
    canvas.body.append(f'<rect width="{CANVAS}" height="{CANVAS}" fill="url(#bg)"/>')
    for _ in range(sky.stars):
        x, y, r = rng.uniform(0, CANVAS), rng.uniform(0, CANVAS * 0.8), rng.uniform(1.5, 4)
        canvas.body.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="#fff" opacity="0.85"/>')
    ground = next((sc for sc in places if sc.ground), None) or (sky if sky.ground else None)
    if ground is not None:
        canvas.body.append(
            f'<rect x="0" y="{ground.ground_y}" width="{CANVAS}" height="{CANVAS - ground.ground_y}" '
            f'fill="{ground.ground}"/>'
        )
    for _ in range(sky.bubbles):
        x, y, r = rng.uniform(0, CANVAS), rng.uniform(0, sky.ground_y), rng.uniform(6, 18)
        canvas.body.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="none" stroke="#fff" stroke-width="3" opacity="0.6"/>'
        )
    drawn = {t.pictogram.name for t in plan.things}
    for scene in [] if lean else scenes:
        for name, count, xs, ys, sizes in scene.decorations:
            index = canvas.cat.by_name.get(name)
            if index is None or _in_sky_already(name, drawn):
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


def _rain(canvas: Canvas, rng: random.Random, count: int) -> None:
    for _ in range(count):
        x, y = rng.uniform(0, CANVAS), rng.uniform(160, CANVAS - 40)
        canvas.body.append(
            f'<line x1="{x:.0f}" y1="{y:.0f}" x2="{x - 12:.0f}" y2="{y + 44:.0f}" stroke="#3d6fb5" '
            'stroke-width="5" stroke-linecap="round" opacity="0.55"/>'
        )


def _shape_cloud(canvas: Canvas, x: float, y: float, size: float, dark: bool) -> None:
    fill = "#8d99ae" if dark else "#dfe6ee"
    for dx, dy, r in ((-0.28, 0.05, 0.2), (0.0, -0.08, 0.27), (0.3, 0.06, 0.19)):
        canvas.body.append(
            f'<circle cx="{x + dx * size:.0f}" cy="{y + dy * size:.0f}" r="{r * size:.0f}" fill="{fill}" '
            'stroke="#000" stroke-width="3"/>'
        )


def _weather(canvas: Canvas, weather: str, rng: random.Random, lean: bool = False) -> None:
    """Drawn last, over the objects: the weather is everywhere."""
    if weather == "storm":
        canvas.body.append(f'<rect width="{CANVAS}" height="{CANVAS}" fill="#101a33" opacity="0.22"/>')
    _rain(canvas, rng, 0 if weather == "snow" else 34)
    if weather == "snow":
        for _ in range(40):
            x, y, r = rng.uniform(0, CANVAS), rng.uniform(150, CANVAS), rng.uniform(5, 10)
            canvas.body.append(
                f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="#fff" stroke="#9fb6cc" stroke-width="2"/>'
            )
    cloud = {"rain": "cloud with rain", "storm": "cloud with lightning and rain", "snow": "cloud with snow"}[weather]
    for xs in ((40, 300), (700, 960)):
        x, y, size = rng.uniform(*xs), rng.uniform(70, 120), rng.uniform(190, 220)
        if lean:  # plain shapes instead of pictograms when the picture is near its size budget
            _shape_cloud(canvas, x, y, size, weather == "storm")
        else:
            _decorate(canvas, cloud, x, y, size, rng)
    if weather == "storm":
        _decorate(canvas, "high voltage", rng.uniform(420, 600), rng.uniform(90, 130), 150, rng)


def _decorate(canvas: Canvas, name: str, x: float, y: float, size: float, rng: random.Random) -> None:
    index = canvas.cat.by_name.get(name)
    if index is not None:
        canvas.place(Placement(canvas.cat.pictograms[index].code, x, y, size, angle=rng.uniform(-4, 4)))


def _blanket(canvas: Canvas, box: Box) -> None:
    """A checked picnic blanket in perspective, from plain polygons."""
    w, h = box.size, box.size * 0.28
    top, bottom = box.cy - h / 2, box.cy + h / 2
    cols, rows = 6, 3

    def at(u: float, v: float) -> tuple[float, float]:
        half = w * (0.38 + 0.12 * v)  # wider at the front
        return box.cx + (u - 0.5) * 2 * half, top + v * (bottom - top)

    for r in range(rows):
        for c in range(cols):
            corners = [at(c / cols, r / rows), at((c + 1) / cols, r / rows)]
            corners += [at((c + 1) / cols, (r + 1) / rows), at(c / cols, (r + 1) / rows)]
            points = " ".join(f"{x:.0f},{y:.0f}" for x, y in corners)
            fill = "#e53935" if (r + c) % 2 else "#fafafa"
            canvas.body.append(f'<polygon points="{points}" fill="{fill}" stroke="#b71c1c" stroke-width="2"/>')


def _box(b: Box) -> list[int]:
    """[x, y, width, height] of a pictogram's frame on the canvas."""
    return [round(b.cx - b.size / 2), round(b.cy - b.size / 2), round(b.size), round(b.size)]


MAX_BYTES = 19_500  # a picture stays under 20 KB


def compose(plan: Plan, catalogue: Catalogue, rng: random.Random, size: int = CANVAS) -> tuple[str, dict]:
    """The SVG, and a report of what it shows: pictograms (with their boxes), props, relations.

    A picture over MAX_BYTES is drawn again without scene decorations and with weather
    clouds made of plain shapes; what the prompt names is never dropped.
    """
    state = rng.getstate()

    def from_the_start() -> random.Random:  # the lean redraw starts from the same numbers
        rng.setstate(state)
        return rng

    return compose_fresh(plan, catalogue, from_the_start, size, None)


def compose_fresh(
    plan: Plan, catalogue: Catalogue, new_rng: Callable[[], random.Random], size: int, laid: Layout | None
) -> tuple[str, dict]:
    """compose(plan, catalogue, new_rng(), size), with `laid` from `seed_free_layout` when there is one.

    A second picture draws from a second rng made the same way rather than from a saved state:
    Random.getstate copies 625 numbers for a picture that is nearly never redrawn.
    """
    svg, report = _compose(plan, catalogue, new_rng(), size, lean=False, laid=laid)
    if _too_big(svg):
        svg, report = _compose(plan, catalogue, new_rng(), size, lean=True, laid=laid)
    return svg, report


class _Drew(Exception):
    pass


class _NoNumbers(random.Random):
    def random(self) -> float:
        raise _Drew

    def getrandbits(self, k: int) -> int:
        raise _Drew


def seed_free_layout(plan: Plan, catalogue: Catalogue) -> Layout | None:
    """The layout when it draws no random numbers (only copies of a thing counted more than once are
    jittered): the same for every seed, so it can be kept with the plan. compose does not change it."""
    if any(t.count > 1 for t in plan.things):
        return None
    try:
        return layout(plan, _NoNumbers(0), catalogue)
    except _Drew:  # a layout that came to draw one after all
        return None


def _too_big(svg: str) -> bool:
    return (len(svg) if svg.isascii() else len(svg.encode())) > MAX_BYTES  # isascii() is O(1)


def _compose(
    plan: Plan, catalogue: Catalogue, rng: random.Random, size: int, lean: bool, laid: Layout | None = None
) -> tuple[str, dict]:
    canvas = Canvas(catalogue)
    report: dict = {
        "pictograms": [],
        "props": [],
        "relations": [],
        "scene": plan.scene,  # the first of `scenes`
        "scenes": list(plan.scenes),
        "weather": plan.weather,
        "abstract": False,
    }
    if not plan.things and not plan.scenes and not plan.weather:
        _abstract(canvas, rng)
        report["abstract"] = True
        return canvas.svg(size), report
    _background(canvas, plan, rng, lean)
    if laid is None:
        laid = layout(plan, rng, catalogue)
    for name, _owner, box in laid.shapes:
        if name == "picnic blanket":
            _blanket(canvas, box)
    draws: list[tuple[float, int, Placement]] = []
    for i, boxes in laid.boxes.items():
        t = plan.things[i]
        for box in boxes:
            p = Placement(t.pictogram.code, box.cx, box.cy, box.size, box.angle, t.colour, box.opacity)
            draws.append((box.layer, len(draws), p))
    for _, _, p in sorted(draws, key=lambda d: (d[0], -d[2].size, d[1])):
        canvas.place(p)
    if plan.weather:
        _weather(canvas, plan.weather, rng, lean)

    words = {i: t.word for i, t in enumerate(plan.things)}
    for i, t in enumerate(plan.things):
        if i not in laid.boxes:
            continue
        entry = {
            "name": t.pictogram.name,
            "emoji": t.pictogram.char,
            "role": t.role,
            "for": t.word,
            "count": len(laid.boxes[i]) if t.role == "object" else t.count,
            "scale": t.scale,
            "colour": t.colour,
            "boxes": [_box(b) for b in laid.boxes[i]],
        }
        report["pictograms"].append(entry)
        if t.role == "prop" and t.owner is not None:
            report["props"].append({"name": t.pictogram.name, "for": t.word, "on": words[t.owner], "attach": t.attach})
    for name, owner, _shape_box in laid.shapes:
        word = next(w for n, o, w in plan.shapes if n == name and o == owner)
        report["props"].append({"name": name, "for": word, "on": words[owner], "attach": "ground"})
    for a, kind, b in laid.relations:
        other = "sky" if b < 0 else words[b] if plan.things[b].role == "object" else plan.things[b].pictogram.name
        report["relations"].append({"kind": kind, "a": words[a], "b": other})
    return canvas.svg(size), report


def render(plan: Plan, catalogue: Catalogue, rng: random.Random, size: int = CANVAS) -> str:
    return compose(plan, catalogue, rng, size)[0]
