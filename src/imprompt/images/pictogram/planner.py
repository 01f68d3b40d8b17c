"""Prompt -> plan: the prompt's words read left to right, each a thing, a modifier, a place or a relation."""

from __future__ import annotations

from imprompt.images.pictogram.anchors import BODY_OF
from imprompt.images.pictogram.match import Match, Matcher
from imprompt.images.pictogram.plan import Plan, Thing
from imprompt.images.pictogram.plan_props import add_dangling, add_prop, add_props, made_of
from imprompt.images.pictogram.plan_reading import ARTICLES, as_ing, colour_noun, noun_here
from imprompt.images.pictogram.plan_relations import fix_relation, use_faces_and_bodies
from imprompt.images.pictogram.scenes import SKY_SCENES
from imprompt.images.pictogram.words.actions import ACTIONS, ACTIVITIES, DANGLING, MOUNT_VERBS, VERB_NOUNS
from imprompt.images.pictogram.words.forms import STOPWORDS, singular, tokens
from imprompt.images.pictogram.words.modifiers import COLOURS, COUNT_NOUNS, COUNTS, SIZES
from imprompt.images.pictogram.words.nouns import EVENT_WORDS, MEASURES, NO_PICTOGRAM
from imprompt.images.pictogram.words.places import PHRASE_SCENES, SCENES, WEATHER
from imprompt.images.pictogram.words.props import COMPOSITES, MODIFIER_PROPS, NOUN_MODIFIERS, PROP_KINDS
from imprompt.images.pictogram.words.relations import RELATIONS

MAX_THINGS = 4
_SPECIFIC = frozenset({"ride", "fly", "hold", "mouth", "wear", "toward"})


def _subject(plan: Plan) -> int | None:
    objects = plan.objects
    return objects[0] if objects else None


def make_plan(prompt: str, matcher: Matcher) -> Plan:
    cat = matcher.cat
    plan = Plan()
    words = [as_ing(w, cat) for w in tokens(prompt)]
    count: int | None = None
    scale = 1.0
    colour: str | None = None
    relation: str | None = None
    pending_props: list[tuple[str, str]] = []  # (kind, word) for the next object
    between: str | None = None  # "fighting": crossed swords between the next two
    consumed: frozenset[str] = frozenset()
    after_of = False  # "the roof of a house", "coffee cup": one thing, already drawn
    dangling: tuple[int, str] | None = None  # "a cat eating" and nothing eaten: (eater, verb)
    i = 0
    while i < len(words):
        word = words[i]
        if word in DANGLING and plan.objects:
            dangling = (plan.objects[0], word)
        if word == "of":
            after_of = True
        if word in consumed and word not in RELATIONS:
            i += 1
            continue
        consumed = frozenset() if word not in STOPWORDS else consumed
        if word in ("made", "built", "carved") and words[i + 1 : i + 2] in (["of"], ["from"], ["out"]):
            i = made_of(plan, cat, words, i)
            continue
        if word == "out" and words[i + 1 : i + 2] == ["of"] and plan.objects:
            relation = "in"  # "a rabbit out of a hat": peeking out of it
            i += 2
            continue
        # "on fire" after an object: flames on it
        if word == "on" and i + 1 < len(words) and words[i + 1] == "fire" and plan.objects:
            add_props(plan, cat, plan.objects[-1], "flames", "on fire")
            i += 2
            continue
        pair = " ".join(words[i : i + 2])
        if pair in PHRASE_SCENES:
            place = PHRASE_SCENES[pair]
            if place not in plan.scenes and len(plan.scenes) < 2:
                plan.scenes.append(place)
            plan.concepts.append({"word": pair, "scene": place})
            relation = None if relation in ("in", "on", "beside", "above", "under") else relation
            i += 2
            continue
        if word in MOUNT_VERBS and not plan.objects:
            pending_props.append(("mount:" + MOUNT_VERBS[word], word))  # "surfing dog"
            plan.concepts.append({"word": word, "relation": "ride"})
            i += 1
            continue
        # Multi-word names first ("ice cream", "hot dog", "fire engine").
        phrase_hit = None
        modifier = word in COLOURS or word in SIZES or word in COUNTS
        for n in (3, 2):
            # "red car" is an alias of "automobile": read the colour as a colour instead.
            if i + n <= len(words) and not modifier:
                phrase = " ".join(words[i : i + n])
                base, plural = singular(words[i + n - 1], cat.exact)
                for candidate in (phrase, " ".join(words[i : i + n - 1] + [base])):
                    hit = matcher.exact(candidate) or matcher.prefix(candidate)
                    if hit:
                        phrase_hit = (phrase, hit, plural and candidate != phrase)
                        break
            if phrase_hit:
                break
        if phrase_hit is None and (word in STOPWORDS):
            i += 1
            continue
        subject = _subject(plan)
        after = words[i + 1] if i + 1 < len(words) else None
        if phrase_hit is None and word in COUNT_NOUNS and (after is None or after in RELATIONS):
            count = COUNT_NOUNS[word]  # "twins on a bike": two people
            phrase_hit = (word, Match(cat.by_name["person"], 1.0, "keyword"), False)
        if phrase_hit is None and word.isdigit():
            count = max(1, min(int(word), 9))
            plan.concepts.append({"word": word, "modifier": "count", "value": count})
        elif phrase_hit is None and word in COUNTS:
            count = COUNTS[word]
            plan.concepts.append({"word": word, "modifier": "count", "value": count})
        elif phrase_hit is None and word in SIZES and not noun_here(words, i, cat):
            scale = SIZES[word]
            plan.concepts.append({"word": word, "modifier": "size", "value": scale})
        elif phrase_hit is None and word in COLOURS and not colour_noun(words, i, cat):
            colour = COLOURS[word]
            plan.concepts.append({"word": word, "modifier": "colour", "value": colour})
        elif phrase_hit is None and word in ACTIONS and subject is not None:
            kind, consumed = ACTIONS[word]
            if kind == "fight":
                relation, between = "beside", word
                plan.concepts.append({"word": word, "relation": "beside", "props": ["crossed swords"]})
            elif kind == "make":
                relation = "hold"
                plan.concepts.append({"word": word, "relation": "hold"})
            else:
                add_props(plan, cat, subject, kind, word)
                if kind == "magic":
                    relation = "toward"  # "casting a spell on a frog": at the frog, not standing on it
                if kind in ("paint", "fix"):
                    relation = "beside"
                if kind == "knit":
                    relation = "hold"
                if kind == "kiss":
                    relation = "beside"
        elif phrase_hit is None and word in ACTIONS and ACTIONS[word][0] not in ("fight", "make", "magic"):
            pending_props.append((ACTIONS[word][0], word))  # "a running dog": the dog's, once named
            plan.concepts.append({"word": word, "modifier": "prop", "value": ACTIONS[word][0]})
        elif phrase_hit is None and word in NOUN_MODIFIERS and not noun_here(words, i, cat):
            pending_props.append((NOUN_MODIFIERS[word], word))
            plan.concepts.append({"word": word, "modifier": "prop", "value": NOUN_MODIFIERS[word]})
        elif phrase_hit is None and word in MODIFIER_PROPS:
            pending_props.append((MODIFIER_PROPS[word], word))
            plan.concepts.append({"word": word, "modifier": "prop", "value": MODIFIER_PROPS[word]})
        elif phrase_hit is None and word in WEATHER:
            plan.weather = plan.weather or WEATHER[word]
            if relation in ("in", "on", "beside", "above", "under"):
                relation = None
            plan.concepts.append({"word": word, "weather": WEATHER[word]})
        elif phrase_hit is None and word in SCENES:
            scene: str = SCENES[word] or ""
            if scene == "sea" and relation == "under":
                scene = "underwater"
            if scene not in plan.scenes and len(plan.scenes) >= 2 and "snow" in plan.scenes and not plan.weather:
                plan.scenes.remove("snow")  # "a snowy night in the city": snow falls, the city is the place
                plan.weather = "snow"
            if scene not in plan.scenes and len(plan.scenes) < 2:
                plan.scenes.append(scene)
            if colour and not plan.background:
                plan.background, colour = colour, None
            if relation in ("fly", "above") and plan.objects:
                plan.relations.append((plan.objects[-1], relation, -1))
            if relation in ("in", "on", "beside", "above", "under", "fly", "ride"):
                relation = None  # "cat in space": the scene is the place, not a second object
            plan.concepts.append({"word": word, "scene": scene})
        elif phrase_hit is None and word in RELATIONS and RELATIONS[word] == "fly" and not plan.objects:
            pending_props.append(("fly", word))  # "flying pig": the pig is up in the sky
            plan.concepts.append({"word": word, "relation": "fly"})
        elif phrase_hit is None and word in RELATIONS:
            if plan.objects:
                new = RELATIONS[word]
                if relation in _SPECIFIC and new in ("on", "above", "in", "beside", "under"):
                    pass  # "riding on", "flying over": the first word says more
                else:
                    relation = new
                plan.concepts.append({"word": word, "relation": relation})
        else:
            match: Match | None
            composite = COMPOSITES.get(word) if phrase_hit is None else None
            if phrase_hit:
                phrase, match, plural = phrase_hit
                i += len(phrase.split()) - 1
            elif composite:
                phrase, plural = word, word.endswith("s") and COMPOSITES.get(word[:-1]) is not None
                main = composite[0]
                match = Match(cat.by_name[main], 1.0, "composite") if main in cat.by_name else None
            elif word in VERB_NOUNS and plan.objects and after in ARTICLES | {"his", "her", "their", "its"}:
                relation = "beside"  # "a bird building a nest": what is built is drawn, not a building
                plan.concepts.append({"word": word, "relation": relation})
                i += 1
                continue
            elif word in EVENT_WORDS and plan.objects and relation is None:
                plan.concepts.append({"word": word, "same_as": plan.things[plan.objects[-1]].word})
                i += 1
                continue
            elif word in NO_PICTOGRAM:
                plan.concepts.append({"word": word, "pictogram": None, "score": 0.0})
                i += 1
                continue
            else:
                phrase = word
                match, plural, best = matcher.word(word)
                if match is None:
                    plan.concepts.append({"word": word, "pictogram": None, "score": round(best, 3)})
                    i += 1
                    continue
            if (
                match is not None
                and subject is not None
                and not phrase_hit
                and word.endswith(("ing", "ed"))
                and cat.pictograms[match.index].name.endswith(" face")
                and cat.pictograms[match.index].name not in BODY_OF
            ):  # "cat thinking": a thinking face by the cat's head, not a second character
                name = cat.pictograms[match.index].name
                add_prop(plan, cat, subject, name, "emote", word)
                plan.concepts.append({"word": word, "props": [name], "on": plan.things[subject].word})
                i += 1
                continue
            held = [t for t in plan.things if t.role == "prop" and t.attach in ("hold", "side") and t.owner is not None]
            same = next((t for t in held if match is not None and t.pictogram == cat.pictograms[match.index]), None)
            if same is not None and same.owner is not None:  # "mailman with a letter": the letter he holds
                plan.concepts.append({"word": phrase, "pictogram": same.pictogram.name, "same_as": same.word})
                relation = None
                i += 1
                continue
            last = plan.things[plan.objects[-1]].pictogram if plan.objects else None
            if match is not None and (after_of or relation is None) and cat.pictograms[match.index] == last:
                plan.concepts.append(
                    {"word": phrase, "pictogram": last.name, "same_as": plan.things[plan.objects[-1]].word}
                )
                after_of = False
                i += 1
                continue
            if match is not None and after_of and plan.objects and plan.things[plan.objects[-1]].word in MEASURES:
                container = plan.things[plan.objects[-1]]  # "a bowl of soup": the soup is what to draw
                for entry in plan.concepts:
                    if entry.get("word") == container.word and entry.get("pictogram") == container.pictogram.name:
                        entry.update(pictogram=None, emoji=None, holds=phrase)  # the bowl itself is not drawn
                container.pictogram, container.word = cat.pictograms[match.index], phrase
                plan.concepts.append({"word": phrase, "pictogram": container.pictogram.name, "via": match.via})
                after_of = False
                i += 1
                continue
            if match is not None and len(plan.objects) < MAX_THINGS:
                picto = cat.pictograms[match.index]
                thing = Thing(
                    phrase,
                    picto,
                    match.score,
                    count=count if count is not None else (3 if plural else 1),
                    scale=scale,
                    colour=colour,
                )
                previous = plan.objects[-1] if plan.objects else None
                plan.things.append(thing)
                index = len(plan.things) - 1
                entry = {
                    "word": phrase,
                    "pictogram": picto.name,
                    "emoji": picto.char,
                    "score": round(match.score, 3),
                    "via": match.via,
                }
                plan.concepts.append(entry)
                if composite:
                    entry["props"] = [name for name, _ in composite[1]]
                    for name, attach in composite[1]:
                        if name in cat.by_name:
                            add_prop(plan, cat, index, name, attach, phrase)
                        else:
                            plan.shapes.append((name, index, phrase))
                for kind, mword in pending_props:
                    if kind.startswith("mount:") and kind[6:] == picto.name:
                        continue  # "surfing a wave": the wave is what is ridden
                    if kind.startswith("mount:") and kind[6:] in cat.by_name:
                        plan.things.append(Thing(kind[6:], cat.pictograms[cat.by_name[kind[6:]]], 1.0))
                        plan.relations.append((index, "ride", len(plan.things) - 1))
                        continue
                    if kind == "fly":
                        plan.relations.append((index, "fly", -1))
                        if not plan.scenes:
                            plan.scenes.append("sky")
                        continue
                    add_props(plan, cat, index, kind, mword)
                pending_props = []
                dangling = None
                if relation and previous is not None:
                    a = subject if relation in ("hold", "mouth", "wear") and subject is not None else previous
                    carried = {b: owner for owner, k, b in plan.relations if k in ("hold", "mouth", "wear")}
                    a = carried.get(a, a)  # "cat with a rod on a boat": the cat is on the boat
                    kind = fix_relation(plan, cat, a, "beside" if relation == "toward" else relation, index)
                    plan.relations.append((a, kind, index))
                    if between:
                        add_prop(plan, cat, a, "crossed swords", "between", between, other=index)
                elif previous is not None:
                    kind = fix_relation(plan, cat, previous, "beside", index)
                    if kind != "beside":  # "owl top hat": still worn
                        plan.relations.append((previous, kind, index))
                between = None
                after_of = False
            count, scale, colour, relation = None, 1.0, None, None
        i += 1
    if relation == "fly" and plan.objects and not any(k == "fly" for _, k, _ in plan.relations):
        plan.relations.append((plan.objects[-1], "fly", -1))  # "pigs flying": up in the sky
        if not plan.scenes:
            plan.scenes.append("sky")
    if pending_props and not plan.objects:  # "surfing in the ocean": someone surfing
        for kind, mword in pending_props:
            doing = ACTIVITIES.get(mword, "")
            if kind.startswith("mount:") and doing in cat.by_name:
                plan.things.append(Thing(mword, cat.pictograms[cat.by_name[doing]], 1.0))
                plan.concepts.append({"word": mword, "pictogram": doing})
    if pending_props and plan.objects:  # "a dog that is happy": the last thing named
        for kind, mword in pending_props:
            if kind == "fly":
                plan.relations.append((plan.objects[-1], "fly", -1))
            elif not kind.startswith("mount:"):
                add_props(plan, cat, plan.objects[-1], kind, mword)
        pending_props = []
    if pending_props and plan.scenes and not plan.objects:
        for kind, mword in pending_props:  # "spooky forest": the ghost haunts the place itself
            for name, _attach in PROP_KINDS.get(kind, [])[-1:]:
                if name in cat.by_name:
                    plan.things.append(Thing(mword, cat.pictograms[cat.by_name[name]], 1.0))
                    plan.concepts.append({"word": mword, "props": [name], "on": plan.scenes[0]})
    if dangling is not None:
        add_dangling(plan, cat, *dangling)
    if between and plan.objects:
        add_prop(plan, cat, plan.objects[0], "crossed swords", "side", between)
    if colour and not plan.background:
        plan.background = colour
    moon = any("moon" in plan.things[k].pictogram.name for k in plan.objects)
    if moon and len(plan.scenes) < 2 and not SKY_SCENES & set(plan.scenes):
        plan.scenes.append("night")  # "full moon over the sea": the moon is out at night
    use_faces_and_bodies(plan, cat)
    return plan
