"""A relation read with what it joins ("with a hat" is worn), and the faces and bodies relations need."""

from __future__ import annotations

from imprompt.images.pictogram.anchors import BODY_OF, FACE_OF
from imprompt.images.pictogram.catalogue import Catalogue
from imprompt.images.pictogram.plan import Plan
from imprompt.images.pictogram.words.relations import HANDHELD, PLANTS, RIDEABLE, WEARABLE

_CONTAINER_HATS = frozenset({"top hat", "womans hat", "billed cap"})
_AIRCRAFT = frozenset({"airplane", "small airplane", "helicopter", "rocket", "flying saucer"})
_SKY_THINGS = frozenset({"sun", "sun with face", "star", "glowing star", "rainbow", "milky way", "comet"})
_PHONES = frozenset({"mobile phone", "telephone", "telephone receiver", "mobile phone with arrow"})


def fix_relation(plan: Plan, cat: Catalogue, a: int, kind: str, b: int) -> str:
    """A relation word read with what the second thing is: "with a hat" is worn."""
    name = plan.things[b].pictogram.name
    if kind == "beside" and name in WEARABLE:
        return "wear"
    if kind == "beside" and name in HANDHELD:
        return "hold"
    if kind == "in" and name in WEARABLE and name not in _CONTAINER_HATS:
        return "wear"
    if kind in ("fly", "on") and name in RIDEABLE and plan.things[a].pictogram.name not in RIDEABLE - {"dragon"}:
        return "ride"  # "witch on a broom", "flying on a dragon": seated
    if kind == "fly" and name in HANDHELD:
        return "hold"  # flying a kite
    if kind == "fly" and name in _AIRCRAFT:
        return "ride"
    if kind == "wear" and name not in WEARABLE and name in HANDHELD:
        return "hold"
    if kind == "in" and ("moon" in name.split() or name in _SKY_THINGS):
        return "under"  # "a wolf in the moonlight", "a cat in the sun": under it, not inside it
    if kind == "on" and name in _PHONES:
        return "hold"  # "talking on the phone": it is at the ear, not under the feet
    if kind == "in" and name == "potted plant" and plan.things[a].pictogram.name not in PLANTS:
        swap(plan, cat, b, {"potted plant": "pot of food"})
    return kind


def swap(plan: Plan, cat: Catalogue, index: int, table: dict[str, str]) -> None:
    thing = plan.things[index]
    other = table.get(thing.pictogram.name)
    if other and other in cat.by_name:
        thing.pictogram = cat.pictograms[cat.by_name[other]]


def use_faces_and_bodies(plan: Plan, cat: Catalogue) -> None:
    """Dress and feed faces, ride bodies: "pig wearing sunglasses" draws the pig's face."""
    for a, kind, b in plan.relations:
        if kind in ("wear", "mouth"):
            swap(plan, cat, a, FACE_OF)
        if kind == "ride" and b >= 0:
            swap(plan, cat, b, BODY_OF)
    for thing in plan.things:
        if thing.role == "prop" and thing.attach in ("mouth", "sleep", "wear") and thing.owner is not None:
            swap(plan, cat, thing.owner, FACE_OF)
