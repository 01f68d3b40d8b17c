"""Scene backgrounds: a sky gradient, an optional ground band, and a few small decorations.

Decorations stay near the edges and the top, where the main objects are not drawn.
Each is (pictogram name, how many, x range, y range, size range) in canvas units.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scene:
    top: str
    bottom: str
    ground: str | None = None
    ground_y: int = 800
    stars: int = 0  # small white dots
    bubbles: int = 0  # small rings
    decorations: tuple = field(default_factory=tuple)


# Scenes that are a sky; the others are a place on the ground.
SKY_SCENES = frozenset({"night", "sunset", "space", "sky"})

SCENES: dict[str, Scene] = {
    "beach": Scene(
        "#8fd3ff",
        "#e6f6ff",
        "#f3d9a4",
        820,
        decorations=(
            ("sun", 1, (800, 900), (90, 150), (130, 160)),
            ("palm tree", 1, (40, 120), (560, 620), (240, 280)),
            ("water wave", 2, (650, 960), (700, 760), (90, 110)),
        ),
    ),
    "space": Scene(
        "#0b1030",
        "#2b1e5c",
        stars=60,
        decorations=(
            ("ringed planet", 1, (60, 160), (60, 140), (150, 190)),
            ("star", 2, (760, 960), (60, 260), (50, 70)),
        ),
    ),
    "night": Scene(
        "#0d1b3d",
        "#2f4a86",
        "#1d2b4f",
        840,
        stars=40,
        decorations=(("crescent moon", 1, (780, 900), (60, 130), (140, 170)),),
    ),
    "forest": Scene(
        "#cfeec0",
        "#eef9e6",
        "#5aa34a",
        830,
        decorations=(
            ("evergreen tree", 2, (0, 130), (560, 640), (220, 260)),
            ("deciduous tree", 1, (840, 930), (560, 620), (220, 260)),
        ),
    ),
    "underwater": Scene(
        "#5ec8f0",
        "#0a5fa0",
        "#e4c98f",
        900,
        bubbles=14,
        decorations=(
            ("coral", 2, (20, 960), (780, 820), (110, 140)),
            ("tropical fish", 1, (780, 920), (80, 180), (90, 110)),
        ),
    ),
    "city": Scene(
        "#bfe3ff",
        "#eef7ff",
        "#9e9e9e",
        840,
        decorations=(
            ("office building", 2, (0, 140), (520, 600), (230, 270)),
            ("office building", 1, (850, 930), (540, 600), (220, 250)),
        ),
    ),
    "snow": Scene(
        "#dbeefc", "#ffffff", "#f4f8fb", 820, decorations=(("snowflake", 5, (20, 960), (30, 260), (50, 80)),)
    ),
    "desert": Scene(
        "#ffe0a3",
        "#fff4dc",
        "#f0c27a",
        810,
        decorations=(
            ("sun", 1, (800, 900), (80, 140), (130, 160)),
            ("cactus", 2, (20, 960), (600, 660), (160, 200)),
        ),
    ),
    "sky": Scene("#7cc7ff", "#e2f3ff", decorations=(("cloud", 3, (20, 940), (40, 300), (120, 170)),)),
    "sea": Scene(
        "#8fd3ff",
        "#e6f6ff",
        "#2f86c9",
        760,
        decorations=(("water wave", 4, (40, 980), (740, 800), (110, 140)),),
    ),
    "mountain": Scene(
        "#a7d8ff",
        "#e8f6ff",
        "#7fb069",
        840,
        decorations=(("snow capped mountain", 2, (0, 900), (420, 520), (300, 360)),),
    ),
    "farm": Scene(
        "#bde8ff",
        "#f0fbff",
        "#8cc152",
        820,
        decorations=(
            ("sun", 1, (800, 900), (80, 140), (120, 150)),
            ("sunflower", 2, (10, 960), (640, 700), (120, 150)),
        ),
    ),
    "sunset": Scene(
        "#ff8a50",
        "#ffd59a",
        "#6b4f7a",
        830,
        decorations=(("sun", 1, (380, 640), (640, 700), (230, 270)), ("sunset", 1, (40, 120), (40, 120), (120, 150))),
    ),
    "kitchen": Scene(
        "#fff3e0",
        "#ffe0b2",
        "#bcaaa4",
        820,
        decorations=(
            ("cooking", 1, (40, 120), (700, 760), (120, 140)),
            ("fork and knife with plate", 1, (880, 960), (700, 760), (120, 140)),
        ),
    ),
    "party": Scene(
        "#ffe3f1",
        "#fff6d6",
        decorations=(
            ("balloon", 2, (20, 960), (40, 260), (120, 150)),
            ("confetti ball", 1, (60, 900), (40, 140), (100, 120)),
            ("party popper", 1, (20, 960), (700, 800), (110, 130)),
        ),
    ),
}
