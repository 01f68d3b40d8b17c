"""Prompt -> plan: which pictograms to draw, how many, how big, what colour, on what scene.

Words are matched in tiers: an exact name or keyword (score 1.0), the head word of a
longer name (0.85), then by meaning with the embedding model. A match by meaning below
THRESHOLD is left out: an unrelated pictogram would mislead the guessers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from imprompt.images.pictogram import words as W
from imprompt.images.pictogram.catalogue import KEYWORD, NAME, Catalogue, Pictogram

THRESHOLD = 0.6  # cosine; calibrated on everyday words vs. nonsense (see docs/images.md)
SUBWORD_THRESHOLD = 0.75  # words the model splits into pieces match on fragments: be stricter
HEAD_SCORE = 0.85
MAX_THINGS = 4


@dataclass
class Thing:
    word: str
    pictogram: Pictogram
    score: float
    count: int = 1
    scale: float = 1.0
    colour: str | None = None
    role: str = "object"  # "object": a thing the prompt names; "prop": drawn for a modifier or action
    owner: int | None = None  # a prop belongs to this thing
    attach: str | None = None  # how a prop sits on its owner (see compose.py)
    other: int | None = None  # "between" props: the second thing


@dataclass
class Plan:
    things: list[Thing] = field(default_factory=list)
    scenes: list[str] = field(default_factory=list)
    background: str | None = None  # a colour word not attached to any object
    weather: str | None = None  # rain, storm or snow: drawn over everything
    relations: list[tuple[int, str, int]] = field(default_factory=list)  # b == -1: the sky
    shapes: list[tuple[str, int, str]] = field(default_factory=list)  # (name, owner, word)
    concepts: list[dict] = field(default_factory=list)

    @property
    def scene(self) -> str | None:
        return self.scenes[0] if self.scenes else None

    @property
    def objects(self) -> list[int]:
        return [i for i, t in enumerate(self.things) if t.role == "object"]


@dataclass(frozen=True)
class Match:
    index: int
    score: float
    via: str


def tokens(prompt: str) -> list[str]:
    text = unicodedata.normalize("NFKD", prompt.lower().replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))  # "piñata", "café": plain letters
    found = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)
    return [t[:-2] if t.endswith("'s") else t for t in found]


class Matcher:
    def __init__(self, catalogue: Catalogue, is_word: Callable[[str], bool] | None = None) -> None:
        self.cat = catalogue
        self._is_word_fn = is_word

    def _is_word(self, word: str) -> bool:
        if self._is_word_fn is None:
            from imprompt.similarity.embeddings import is_vocab_word

            self._is_word_fn = is_vocab_word
        return self._is_word_fn(word)

    def exact(self, phrase: str) -> Match | None:
        owners = self.cat.exact.get(phrase)
        if not owners:
            return None
        term = owners[0]
        kind = self.cat.term_kind[term]
        via = "keyword" if kind == KEYWORD else "name" if kind == NAME else "alias"
        return Match(self.cat.term_owner[term], 1.0, via)

    def prefix(self, phrase: str) -> Match | None:
        """A name's first words ("magnifying glass" for "magnifying glass tilted left")."""
        owners = self.cat.prefixes.get(phrase)
        return Match(owners[0], HEAD_SCORE, "head") if owners else None

    def word(self, word: str) -> tuple[Match | None, bool, float]:
        """Best match for one content word: (match or None, plural?, best score seen)."""
        base, plural = W.singular(word, self.cat.exact)
        for candidate in dict.fromkeys((word, base)):
            hit = self.exact(candidate)
            if hit:
                return hit, plural, 1.0
        for plural_name in _plural_forms(base):  # "pancake": the name is "pancakes"
            hit = self.exact(plural_name)
            if hit and self.cat.pictograms[hit.index].name == plural_name:
                return hit, plural, 1.0
        heads = self.cat.heads.get(base)
        if heads:
            return Match(heads[0], HEAD_SCORE, "head"), plural, HEAD_SCORE
        query = np.asarray(self.cat.embed([base]), dtype=np.float32)[0]
        scores = np.where(self.cat.flag_terms, -1.0, self.cat.vectors @ query)
        best = int(np.argmax(scores))
        score = float(scores[best])
        if score < (THRESHOLD if self._is_word(base) else SUBWORD_THRESHOLD):
            return self.compound(base), plural, score
        return Match(self.cat.term_owner[best], score, "meaning"), plural, score

    def compound(self, word: str) -> Match | None:
        """A word made of two: "starfish" is a fish, "doghouse" a house (the last part names it)."""
        if word.endswith("ing"):
            return None  # "sinking" is no sin and a king
        known = self.cat.exact.keys() | W.SCENES.keys() | W.WEATHER.keys() | W.COLOURS.keys()
        for cut in range(3, len(word) - 3):
            head, tail = word[:cut], W.singular(word[cut:], self.cat.exact)[0]
            hit = self.exact(tail)
            if hit and head in known and tail not in W.NO_PICTOGRAM:  # both parts whole words ("carpet": no pet)
                return Match(hit.index, HEAD_SCORE, "compound")
        return None


def _plural_forms(word: str) -> list[str]:
    forms = [word + "s", word + "es"]
    if word.endswith("y") and len(word) > 2:
        forms.append(word[:-1] + "ies")
    return forms


def _prop(plan: Plan, cat: Catalogue, owner: int, name: str, attach: str, word: str, **kw: object) -> None:
    index = cat.by_name.get(name)
    if index is None:
        return
    if any(t.role == "prop" and t.owner == owner and t.pictogram.name == name for t in plan.things):
        return  # "a janitor mopping": the broom he already holds
    plan.things.append(Thing(word, cat.pictograms[index], 1.0, role="prop", owner=owner, attach=attach, **kw))  # type: ignore[arg-type]


# A modifier or action -> the props drawn for it: (pictogram, how it sits on the owner).
PROP_KINDS: dict[str, list[tuple[str, str]]] = {
    "flames": [("fire", "flames")],
    "haunt": [("ghost", "haunt")],
    "frozen": [("ice", "frozen")],
    "melting": [("droplet", "melting")],
    "sleep": [("zzz", "sleep")],
    "magic": [("magic wand", "hold"), ("sparkles", "sparkle")],
    "brush": [("toothbrush", "mouth")],
    "paint": [("artist palette", "hold")],
    "fix": [("wrench", "hold")],
    "knit": [("yarn", "hold")],
    "angry": [("angry face", "emote")],
    "happy": [("grinning face", "emote")],
    "sad": [("crying face", "emote")],
    "scared": [("fearful face", "emote")],
    "surprised": [("astonished face", "emote")],
    "hungry": [("face savoring food", "emote")],
    "sick": [("face with thermometer", "emote")],
    "kiss": [("kiss mark", "emote")],
    "dance": [("musical notes", "emote")],
    "evil": [("smiling face with horns", "emote")],
    "hot": [("hot face", "emote")],
    "cold": [("cold face", "emote")],
    "run": [("dashing away", "trail")],
    "pirate": [("skull and crossbones", "hold")],  # the pirate flag alone is 14 KB of markup
    "wet": [("sweat droplets", "melting")],
    "spicy": [("hot pepper", "side")],
    "talk": [("speech balloon", "emote")],
    "win": [("trophy", "hold")],
    "grill": [("fire", "side")],
    "royal": [("crown", "wear")],
    "drunk": [("woozy face", "emote")],
    "bored": [("yawning face", "emote")],
    "excited": [("star struck", "emote")],
    "nervous": [("anxious face with sweat", "emote")],
    "shy": [("flushed face", "emote")],
    "lonely": [("pensive face", "emote")],
    "love": [("smiling face with hearts", "emote")],
    "hurt": [("face with head bandage", "emote")],
    "strong": [("flexed biceps", "emote")],
    "gross": [("nauseated face", "emote")],
    "golf": [("flag in hole", "side")],
    "clean": [("broom", "hold")],
    "text": [("mobile phone", "hold")],
    "type": [("laptop", "side")],
    "study": [("books", "side")],
    "celebrate": [("party popper", "hold")],
    "dream": [("thought balloon", "emote")],
    "draw": [("crayon", "hold")],
    "garden": [("seedling", "side")],
    "wash": [("soap", "hold"), ("bubbles", "sparkle")],
    "eat": [("fork and knife", "hold")],
    "drink": [("cup with straw", "hold")],
    "read": [("open book", "hold")],
    "cook": [("cooking", "hold")],
    "bake": [("bread", "side")],
}
FROZEN_TINT = "#bfe6ff"
_CONTAINER_HATS = frozenset({"top hat", "womans hat", "billed cap"})
_AIRCRAFT = frozenset({"airplane", "small airplane", "helicopter", "rocket", "flying saucer"})
SKY_SCENES = frozenset({"night", "sunset", "space", "sky"})
_SKY_THINGS = frozenset({"sun", "sun with face", "star", "glowing star", "rainbow", "milky way", "comet"})
_PHONES = frozenset({"mobile phone", "telephone", "telephone receiver", "mobile phone with arrow"})
_SPECIFIC = frozenset({"ride", "fly", "hold", "mouth", "wear", "toward"})


def _add_props(plan: Plan, cat: Catalogue, owner: int, kind: str, word: str) -> None:
    for name, attach in PROP_KINDS.get(kind, []):
        if name == "magic wand" and plan.things[owner].pictogram.name == "mage":
            continue  # the mage already holds a staff
        _prop(plan, cat, owner, name, attach, word)
    if kind == "frozen" and plan.things[owner].colour is None:
        plan.things[owner].colour = FROZEN_TINT
    if kind == "haunt" and not plan.scenes:
        plan.scenes.append("night")
    props = [name for name, _ in PROP_KINDS.get(kind, [])]
    plan.concepts.append({"word": word, "props": props, "on": plan.things[owner].word})


def _add_dangling(plan: Plan, cat: Catalogue, owner: int, verb: str) -> None:
    """What a verb with nothing after it needs: "dog surfing" rides a wave, "cat eating" gets a fork."""
    kind = W.DANGLING[verb]
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
        _add_props(plan, cat, owner, kind, verb)


def _made_of(plan: Plan, cat: Catalogue, words: list[str], i: int) -> int:
    """ "a castle made of ice": the castle frozen, "a trumpet made of gold" golden; returns where to go on."""
    j = i + 2 + (words[i + 1 : i + 3] == ["out", "of"])
    material = words[j] if j < len(words) else None
    if not plan.objects or material is None:
        return j
    target = plan.objects[-1]
    colour = W.COLOURS.get(material) or W.MATERIAL_COLOURS.get(material)
    if material in W.MATERIAL_PROPS:
        _add_props(plan, cat, target, W.MATERIAL_PROPS[material], material)
    elif colour:
        plan.things[target].colour = colour
        plan.concepts.append({"word": material, "modifier": "colour", "value": colour, "on": plan.things[target].word})
    else:
        return j  # "a house made of candy": the candy is drawn too
    return j + 1


def _verb_tables() -> tuple[dict, ...]:
    return (W.RELATIONS, W.ACTIONS, W.DANGLING, W.MOUNT_VERBS, W.MODIFIER_PROPS)


def _as_ing(word: str, cat: Catalogue) -> str:
    """ "drives", "swims", "flies": the -ing form the verb tables know, when the word is no noun."""
    if len(word) < 4 or not word.endswith("s") or any(word in t for t in _verb_tables()):
        return word
    if W.singular(word, cat.exact)[0] in cat.exact or word in W.SCENES or word in W.WEATHER:
        return word
    stem = word[:-1]
    forms = [stem + "ing", word[:-2] + "ing", stem + stem[-1] + "ing"]
    if word.endswith("ies"):
        forms.append(word[:-3] + "ying")
    return next((f for f in forms if any(f in t for t in _verb_tables())), word)


def _noun_here(words: list[str], i: int, cat: Catalogue) -> bool:
    """A size word that names a pictogram ("baby") is the thing itself when no noun follows."""
    if words[i] not in cat.exact:
        return False
    after = words[i + 1] if i + 1 < len(words) else None
    return after is None or after in W.RELATIONS or after in W.STOPWORDS


_ARTICLES = frozenset({"a", "an", "the", "some", "of"})


def _colour_noun(words: list[str], i: int, cat: Catalogue) -> bool:
    """A colour word that names a thing ("an orange", "stealing gold") when no noun follows it."""
    if words[i] not in cat.exact or not _noun_here(words, i, cat):
        return False
    return i == 0 or words[i - 1] in _ARTICLES or words[i - 1] in W.RELATIONS


def _subject(plan: Plan) -> int | None:
    objects = plan.objects
    return objects[0] if objects else None


def _fix_relation(plan: Plan, cat: Catalogue, a: int, kind: str, b: int) -> str:
    """A relation word read with what the second thing is: "with a hat" is worn."""
    name = plan.things[b].pictogram.name
    if kind == "beside" and name in W.WEARABLE:
        return "wear"
    if kind == "beside" and name in W.HANDHELD:
        return "hold"
    if kind == "in" and name in W.WEARABLE and name not in _CONTAINER_HATS:
        return "wear"
    if kind in ("fly", "on") and name in W.RIDEABLE and plan.things[a].pictogram.name not in W.RIDEABLE - {"dragon"}:
        return "ride"  # "witch on a broom", "flying on a dragon": seated
    if kind == "fly" and name in W.HANDHELD:
        return "hold"  # flying a kite
    if kind == "fly" and name in _AIRCRAFT:
        return "ride"
    if kind == "wear" and name not in W.WEARABLE and name in W.HANDHELD:
        return "hold"
    if kind == "in" and ("moon" in name.split() or name in _SKY_THINGS):
        return "under"  # "a wolf in the moonlight", "a cat in the sun": under it, not inside it
    if kind == "on" and name in _PHONES:
        return "hold"  # "talking on the phone": it is at the ear, not under the feet
    if kind == "in" and name == "potted plant" and plan.things[a].pictogram.name not in W.PLANTS:
        _swap(plan, cat, b, {"potted plant": "pot of food"})
    return kind


def _swap(plan: Plan, cat: Catalogue, index: int, table: dict[str, str]) -> None:
    thing = plan.things[index]
    other = table.get(thing.pictogram.name)
    if other and other in cat.by_name:
        thing.pictogram = cat.pictograms[cat.by_name[other]]


def make_plan(prompt: str, matcher: Matcher) -> Plan:
    from imprompt.images.pictogram.anchors import BODY_OF, FACE_OF

    cat = matcher.cat
    plan = Plan()
    words = [_as_ing(w, cat) for w in tokens(prompt)]
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
        if word in W.DANGLING and plan.objects:
            dangling = (plan.objects[0], word)
        if word == "of":
            after_of = True
        if word in consumed and word not in W.RELATIONS:
            i += 1
            continue
        consumed = frozenset() if word not in W.STOPWORDS else consumed
        if word in ("made", "built", "carved") and words[i + 1 : i + 2] in (["of"], ["from"], ["out"]):
            i = _made_of(plan, cat, words, i)
            continue
        if word == "out" and words[i + 1 : i + 2] == ["of"] and plan.objects:
            relation = "in"  # "a rabbit out of a hat": peeking out of it
            i += 2
            continue
        # "on fire" after an object: flames on it
        if word == "on" and i + 1 < len(words) and words[i + 1] == "fire" and plan.objects:
            _add_props(plan, cat, plan.objects[-1], "flames", "on fire")
            i += 2
            continue
        pair = " ".join(words[i : i + 2])
        if pair in W.PHRASE_SCENES:
            place = W.PHRASE_SCENES[pair]
            if place not in plan.scenes and len(plan.scenes) < 2:
                plan.scenes.append(place)
            plan.concepts.append({"word": pair, "scene": place})
            relation = None if relation in ("in", "on", "beside", "above", "under") else relation
            i += 2
            continue
        if word in W.MOUNT_VERBS and not plan.objects:
            pending_props.append(("mount:" + W.MOUNT_VERBS[word], word))  # "surfing dog"
            plan.concepts.append({"word": word, "relation": "ride"})
            i += 1
            continue
        # Multi-word names first ("ice cream", "hot dog", "fire engine").
        phrase_hit = None
        modifier = word in W.COLOURS or word in W.SIZES or word in W.COUNTS
        for n in (3, 2):
            # "red car" is an alias of "automobile": read the colour as a colour instead.
            if i + n <= len(words) and not modifier:
                phrase = " ".join(words[i : i + n])
                base, plural = W.singular(words[i + n - 1], cat.exact)
                for candidate in (phrase, " ".join(words[i : i + n - 1] + [base])):
                    hit = matcher.exact(candidate) or matcher.prefix(candidate)
                    if hit:
                        phrase_hit = (phrase, hit, plural and candidate != phrase)
                        break
            if phrase_hit:
                break
        if phrase_hit is None and (word in W.STOPWORDS):
            i += 1
            continue
        subject = _subject(plan)
        after = words[i + 1] if i + 1 < len(words) else None
        if phrase_hit is None and word in W.COUNT_NOUNS and (after is None or after in W.RELATIONS):
            count = W.COUNT_NOUNS[word]  # "twins on a bike": two people
            phrase_hit = (word, Match(cat.by_name["person"], 1.0, "keyword"), False)
        if phrase_hit is None and word.isdigit():
            count = max(1, min(int(word), 9))
            plan.concepts.append({"word": word, "modifier": "count", "value": count})
        elif phrase_hit is None and word in W.COUNTS:
            count = W.COUNTS[word]
            plan.concepts.append({"word": word, "modifier": "count", "value": count})
        elif phrase_hit is None and word in W.SIZES and not _noun_here(words, i, cat):
            scale = W.SIZES[word]
            plan.concepts.append({"word": word, "modifier": "size", "value": scale})
        elif phrase_hit is None and word in W.COLOURS and not _colour_noun(words, i, cat):
            colour = W.COLOURS[word]
            plan.concepts.append({"word": word, "modifier": "colour", "value": colour})
        elif phrase_hit is None and word in W.ACTIONS and subject is not None:
            kind, consumed = W.ACTIONS[word]
            if kind == "fight":
                relation, between = "beside", word
                plan.concepts.append({"word": word, "relation": "beside", "props": ["crossed swords"]})
            elif kind == "make":
                relation = "hold"
                plan.concepts.append({"word": word, "relation": "hold"})
            else:
                _add_props(plan, cat, subject, kind, word)
                if kind == "magic":
                    relation = "toward"  # "casting a spell on a frog": at the frog, not standing on it
                if kind in ("paint", "fix"):
                    relation = "beside"
                if kind == "knit":
                    relation = "hold"
                if kind == "kiss":
                    relation = "beside"
        elif phrase_hit is None and word in W.ACTIONS and W.ACTIONS[word][0] not in ("fight", "make", "magic"):
            pending_props.append((W.ACTIONS[word][0], word))  # "a running dog": the dog's, once named
            plan.concepts.append({"word": word, "modifier": "prop", "value": W.ACTIONS[word][0]})
        elif phrase_hit is None and word in W.NOUN_MODIFIERS and not _noun_here(words, i, cat):
            pending_props.append((W.NOUN_MODIFIERS[word], word))
            plan.concepts.append({"word": word, "modifier": "prop", "value": W.NOUN_MODIFIERS[word]})
        elif phrase_hit is None and word in W.MODIFIER_PROPS:
            pending_props.append((W.MODIFIER_PROPS[word], word))
            plan.concepts.append({"word": word, "modifier": "prop", "value": W.MODIFIER_PROPS[word]})
        elif phrase_hit is None and word in W.WEATHER:
            plan.weather = plan.weather or W.WEATHER[word]
            if relation in ("in", "on", "beside", "above", "under"):
                relation = None
            plan.concepts.append({"word": word, "weather": W.WEATHER[word]})
        elif phrase_hit is None and word in W.SCENES:
            scene: str = W.SCENES[word] or ""
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
        elif phrase_hit is None and word in W.RELATIONS and W.RELATIONS[word] == "fly" and not plan.objects:
            pending_props.append(("fly", word))  # "flying pig": the pig is up in the sky
            plan.concepts.append({"word": word, "relation": "fly"})
        elif phrase_hit is None and word in W.RELATIONS:
            if plan.objects:
                new = W.RELATIONS[word]
                if relation in _SPECIFIC and new in ("on", "above", "in", "beside", "under"):
                    pass  # "riding on", "flying over": the first word says more
                else:
                    relation = new
                plan.concepts.append({"word": word, "relation": relation})
        else:
            match: Match | None
            composite = W.COMPOSITES.get(word) if phrase_hit is None else None
            if phrase_hit:
                phrase, match, plural = phrase_hit
                i += len(phrase.split()) - 1
            elif composite:
                phrase, plural = word, word.endswith("s") and W.COMPOSITES.get(word[:-1]) is not None
                main = composite[0]
                match = Match(cat.by_name[main], 1.0, "composite") if main in cat.by_name else None
            elif word in W.VERB_NOUNS and plan.objects and after in _ARTICLES | {"his", "her", "their", "its"}:
                relation = "beside"  # "a bird building a nest": what is built is drawn, not a building
                plan.concepts.append({"word": word, "relation": relation})
                i += 1
                continue
            elif word in W.EVENT_WORDS and plan.objects and relation is None:
                plan.concepts.append({"word": word, "same_as": plan.things[plan.objects[-1]].word})
                i += 1
                continue
            elif word in W.NO_PICTOGRAM:
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
                _prop(plan, cat, subject, name, "emote", word)
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
            if match is not None and after_of and plan.objects and plan.things[plan.objects[-1]].word in W.MEASURES:
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
                            _prop(plan, cat, index, name, attach, phrase)
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
                    _add_props(plan, cat, index, kind, mword)
                pending_props = []
                dangling = None
                if relation and previous is not None:
                    a = subject if relation in ("hold", "mouth", "wear") and subject is not None else previous
                    carried = {b: owner for owner, k, b in plan.relations if k in ("hold", "mouth", "wear")}
                    a = carried.get(a, a)  # "cat with a rod on a boat": the cat is on the boat
                    kind = _fix_relation(plan, cat, a, "beside" if relation == "toward" else relation, index)
                    plan.relations.append((a, kind, index))
                    if between:
                        _prop(plan, cat, a, "crossed swords", "between", between, other=index)
                elif previous is not None:
                    kind = _fix_relation(plan, cat, previous, "beside", index)
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
            doing = W.ACTIVITIES.get(mword, "")
            if kind.startswith("mount:") and doing in cat.by_name:
                plan.things.append(Thing(mword, cat.pictograms[cat.by_name[doing]], 1.0))
                plan.concepts.append({"word": mword, "pictogram": doing})
    if pending_props and plan.objects:  # "a dog that is happy": the last thing named
        for kind, mword in pending_props:
            if kind == "fly":
                plan.relations.append((plan.objects[-1], "fly", -1))
            elif not kind.startswith("mount:"):
                _add_props(plan, cat, plan.objects[-1], kind, mword)
        pending_props = []
    if pending_props and plan.scenes and not plan.objects:
        for kind, mword in pending_props:  # "spooky forest": the ghost haunts the place itself
            for name, _attach in PROP_KINDS.get(kind, [])[-1:]:
                if name in cat.by_name:
                    plan.things.append(Thing(mword, cat.pictograms[cat.by_name[name]], 1.0))
                    plan.concepts.append({"word": mword, "props": [name], "on": plan.scenes[0]})
    if dangling is not None:
        _add_dangling(plan, cat, *dangling)
    if between and plan.objects:
        _prop(plan, cat, plan.objects[0], "crossed swords", "side", between)
    if colour and not plan.background:
        plan.background = colour
    moon = any("moon" in plan.things[k].pictogram.name for k in plan.objects)
    if moon and len(plan.scenes) < 2 and not SKY_SCENES & set(plan.scenes):
        plan.scenes.append("night")  # "full moon over the sea": the moon is out at night
    # Dress and feed faces, ride bodies.
    for a, kind, b in plan.relations:
        if kind in ("wear", "mouth"):
            _swap(plan, cat, a, FACE_OF)
        if kind == "ride" and b >= 0:
            _swap(plan, cat, b, BODY_OF)
    for thing in plan.things:
        if thing.role == "prop" and thing.attach in ("mouth", "sleep", "wear") and thing.owner is not None:
            _swap(plan, cat, thing.owner, FACE_OF)
    return plan
