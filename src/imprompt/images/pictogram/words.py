"""Small closed word lists the composer interprets instead of drawing."""

from __future__ import annotations

STOPWORDS = frozenset(
    """a an the of to at is are was were be been being it its this that these those my your
    his her their our some very really so just top front middle side from for as than
    while during who which what there here out up down off away""".split()
)

COLOURS = {
    "red": "#e53935",
    "orange": "#fb8c00",
    "yellow": "#fdd835",
    "green": "#43a047",
    "blue": "#1e88e5",
    "purple": "#8e24aa",
    "violet": "#8e24aa",
    "pink": "#ec407a",
    "brown": "#8d6e63",
    "black": "#424242",
    "white": "#fafafa",
    "grey": "#9e9e9e",
    "gray": "#9e9e9e",
    "gold": "#ffc107",
    "golden": "#ffc107",
    "silver": "#b0bec5",
    "teal": "#00897b",
    "turquoise": "#26c6da",
    "cyan": "#26c6da",
}

SIZES = {
    "tiny": 0.5,
    "little": 0.7,
    "small": 0.7,
    "mini": 0.6,
    "baby": 0.7,
    "big": 1.3,
    "large": 1.3,
    "huge": 1.5,
    "giant": 1.6,
    "enormous": 1.6,
    "gigantic": 1.6,
    "massive": 1.5,
    "tall": 1.3,
}

COUNTS = {
    "one": 1,
    "single": 1,
    "two": 2,
    "pair": 2,
    "couple": 2,
    "twin": 2,
    "twins": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 9,
    "many": 7,
    "several": 4,
    "lots": 7,
    "lot": 7,
    "dozens": 9,
    "crowd": 7,
    "some": 3,
    "few": 3,
    "multiple": 4,
    "bunch": 5,
    "herd": 6,
    "flock": 6,
    "pack": 5,
}

# Scene words become a background, not an object.
SCENES = {
    "beach": "beach",
    "seaside": "beach",
    "shore": "beach",
    "island": "beach",
    "space": "space",
    "outer": None,
    "galaxy": "space",
    "cosmos": "space",
    "universe": "space",
    "night": "night",
    "midnight": "night",
    "dark": "night",
    "forest": "forest",
    "woods": "forest",
    "jungle": "forest",
    "park": "forest",
    "underwater": "underwater",
    "ocean": "underwater",
    "sea": "underwater",
    "aquarium": "underwater",
    "city": "city",
    "town": "city",
    "street": "city",
    "downtown": "city",
    "snow": "snow",
    "snowy": "snow",
    "winter": "snow",
    "arctic": "snow",
    "ice": None,
    "desert": "desert",
    "sahara": "desert",
    "sky": "sky",
    "clouds": "sky",
    "air": "sky",
    "flying": "sky",
    "rain": "rain",
    "rainy": "rain",
    "storm": "rain",
    "stormy": "rain",
    "mountains": "mountain",
    "mountain": "mountain",
    "hills": "mountain",
    "farm": "farm",
    "field": "farm",
    "meadow": "farm",
    "garden": "farm",
    "sunset": "sunset",
    "sunrise": "sunset",
    "dawn": "sunset",
    "dusk": "sunset",
    "party": "party",
    "birthday": "party",
    "disco": "party",
}
SCENES = {word: scene for word, scene in SCENES.items() if scene}

# Relation words between two objects, mapped to a layout.
RELATIONS = {
    "on": "on",
    "onto": "on",
    "atop": "on",
    "riding": "on",
    "rides": "on",
    "ride": "on",
    "surfing": "on",
    "sitting": "on",
    "standing": "on",
    "sits": "on",
    "stands": "on",
    "under": "under",
    "below": "under",
    "beneath": "under",
    "underneath": "under",
    "above": "above",
    "over": "above",
    "in": "in",
    "inside": "in",
    "into": "in",
    "within": "in",
    "holding": "holding",
    "holds": "holding",
    "hold": "holding",
    "carrying": "holding",
    "carries": "holding",
    "eating": "holding",
    "eats": "holding",
    "drinking": "holding",
    "playing": "holding",
    "wearing": "holding",
    "throwing": "holding",
    "reading": "holding",
    "with": "with",
    "and": "with",
    "next": "with",
    "beside": "with",
    "near": "with",
    "by": "with",
    "chasing": "with",
    "chases": "with",
    "vs": "with",
    "versus": "with",
    "meets": "with",
    "meeting": "with",
    "hugging": "with",
    "fighting": "with",
    "loves": "with",
    "behind": "with",
    "against": "with",
    "without": "with",
}

IRREGULAR_PLURALS = {
    "mice": "mouse",
    "geese": "goose",
    "feet": "foot",
    "teeth": "tooth",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    "sheep": "sheep",
    "fish": "fish",
    "deer": "deer",
    "oxen": "ox",
    "cacti": "cactus",
    "wolves": "wolf",
    "knives": "knife",
    "leaves": "leaf",
    "loaves": "bread",
    "elves": "elf",
    "dwarves": "dwarf",
    "fairies": "fairy",
    "puppies": "puppy",
    "ponies": "pony",
    "bunnies": "bunny",
}

# Words that look plural but are not.
NOT_PLURAL = frozenset("bus cactus octopus glass grass dress chess news boss class princess".split())


def singular(word: str, known: set[str] | dict) -> tuple[str, bool]:
    """Return (singular form, was plural). Only strips endings when the result is known."""
    if word in IRREGULAR_PLURALS:
        base = IRREGULAR_PLURALS[word]
        return base, base != word or word in ("sheep", "fish", "deer")
    if word in NOT_PLURAL or len(word) < 4 or not word.endswith("s"):
        return word, False
    candidates = []
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("ves"):
        candidates += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("es"):
        candidates.append(word[:-2])
    candidates.append(word[:-1])
    for candidate in candidates:
        if candidate in known:
            return candidate, True
    if word in known:
        return word, False
    if word.endswith("ss") or word.endswith("us") or word.endswith("is"):
        return word, False
    return candidates[-1], True
