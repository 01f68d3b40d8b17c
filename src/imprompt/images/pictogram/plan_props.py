"""Props added to a plan: what an action, a feeling or a material puts on the thing it is about."""

from __future__ import annotations

from imprompt.images.pictogram.catalogue import Catalogue
from imprompt.images.pictogram.plan import Plan, Thing
from imprompt.images.pictogram.words.actions import DANGLING
from imprompt.images.pictogram.words.modifiers import COLOURS
from imprompt.images.pictogram.words.props import MATERIAL_COLOURS, MATERIAL_PROPS, PROP_KINDS

FROZEN_TINT = "#bfe6ff"


def add_prop(plan: Plan, cat: Catalogue, owner: int, name: str, attach: str, word: str, **kw: object) -> None:
    index = cat.by_name.get(name)
    if index is None:
        return
    if any(t.role == "prop" and t.owner == owner and t.pictogram.name == name for t in plan.things):
        return  # "a janitor mopping": the broom he already holds
    plan.things.append(Thing(word, cat.pictograms[index], 1.0, role="prop", owner=owner, attach=attach, **kw))  # type: ignore[arg-type]


def add_props(plan: Plan, cat: Catalogue, owner: int, kind: str, word: str) -> None:
    for name, attach in PROP_KINDS.get(kind, []):
        if name == "magic wand" and plan.things[owner].pictogram.name == "mage":
            continue  # the mage already holds a staff
        add_prop(plan, cat, owner, name, attach, word)
    if kind == "frozen" and plan.things[owner].colour is None:
        plan.things[owner].colour = FROZEN_TINT
    if kind == "haunt" and not plan.scenes:
        plan.scenes.append("night")
    props = [name for name, _ in PROP_KINDS.get(kind, [])]
    plan.concepts.append({"word": word, "props": props, "on": plan.things[owner].word})


def add_dangling(plan: Plan, cat: Catalogue, owner: int, verb: str) -> None:
    """What a verb with nothing after it needs: "dog surfing" rides a wave, "cat eating" gets a fork."""
    kind = DANGLING[verb]
    if kind.startswith("scene:"):
        if not plan.scenes:
            plan.scenes.append(kind[6:])
            plan.concepts.append({"word": verb, "scene": kind[6:]})
    elif kind.startswith("mount:"):
        if kind[6:] in cat.by_name and not any(a == owner and k == "ride" for a, k, _ in plan.relations):
            plan.things.append(Thing(verb, cat.pictograms[cat.by_name[kind[6:]]], 1.0))
            plan.relations.append((owner, "ride", len(plan.things) - 1))
            plan.concepts.append({"word": verb, "pictogram": kind[6:], "relation": "ride"})
    else:
        add_props(plan, cat, owner, kind, verb)


def made_of(plan: Plan, cat: Catalogue, words: list[str], i: int) -> int:
    """ "a castle made of ice": the castle frozen, "a trumpet made of gold" golden; returns where to go on."""
    j = i + 2 + (words[i + 1 : i + 3] == ["out", "of"])
    material = words[j] if j < len(words) else None
    if not plan.objects or material is None:
        return j
    target = plan.objects[-1]
    colour = COLOURS.get(material) or MATERIAL_COLOURS.get(material)
    if material in MATERIAL_PROPS:
        add_props(plan, cat, target, MATERIAL_PROPS[material], material)
    elif colour:
        plan.things[target].colour = colour
        plan.concepts.append({"word": material, "modifier": "colour", "value": colour, "on": plan.things[target].word})
    else:
        return j  # "a house made of candy": the candy is drawn too
    return j + 1
