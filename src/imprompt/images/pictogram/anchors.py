"""Where things are inside a pictogram, so one thing can be fitted to another.

All numbers are in the pictogram's own 72x72 units, read off the OpenMoji drawings on a
6-unit grid. An owner (a wearer, a rider's mount, an eater) has:

- head: (x0, y0, x1, y1), the head or face; hats sit on y0, glasses on `eyes`
- eyes: the y of the eyes; mouth, hand, neck: (x, y) points
- seat: (x, y) where a rider's bottom goes; top: the y a standing thing's feet go on
- facing: -1 when the pictogram looks left, 1 right, 0 at the viewer (held things go in front)
- tilt: how far a mount is turned when ridden (a broom is flown lying down)

Pictograms that are not listed take the profile of their kind: a face filling the frame,
a person drawn head and shoulders, or any other object.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Anchors:
    head: tuple[float, float, float, float]
    eyes: float
    mouth: tuple[float, float]
    neck: tuple[float, float]
    hand: tuple[float, float]
    seat: tuple[float, float]
    top: float
    facing: int = 0
    tilt: float = 0.0  # degrees a mount is turned when ridden (a broom lies down); seat is then in the turned frame


FACE = Anchors((12, 12, 60, 60), 32, (36, 47), (36, 62), (62, 56), (36, 14), 12)
PERSON = Anchors((24, 10, 48, 40), 26, (36, 34), (36, 44), (60, 58), (36, 50), 10)
OBJECT = Anchors((16, 12, 56, 56), 32, (36, 44), (36, 56), (60, 48), (36, 14), 12)


def _a(base: Anchors, **kw: object) -> Anchors:
    return replace(base, **kw)  # type: ignore[arg-type]


ANCHORS: dict[str, Anchors] = {
    # faces
    "cat face": _a(FACE, head=(12, 14, 60, 60), eyes=34, mouth=(36, 47)),
    "dog face": _a(FACE, head=(10, 12, 62, 60), eyes=30, mouth=(36, 46)),
    "pig face": _a(FACE, head=(14, 14, 58, 62), eyes=30, mouth=(36, 50), neck=(36, 64)),
    "lion": _a(FACE, head=(10, 10, 62, 62), eyes=30, mouth=(36, 46), neck=(36, 64)),
    "monkey face": _a(FACE, head=(10, 10, 62, 62), eyes=30, mouth=(36, 48)),
    "frog": _a(FACE, head=(10, 16, 62, 56), eyes=22, mouth=(36, 44)),
    "sun with face": _a(FACE, head=(18, 14, 54, 58), eyes=32, mouth=(36, 42), neck=(36, 58)),
    "sun": _a(FACE, head=(18, 14, 54, 58), eyes=34, mouth=(36, 42), neck=(36, 58)),
    "ghost": _a(FACE, head=(24, 12, 48, 40), eyes=30, mouth=(35, 36), neck=(36, 42), hand=(54, 40)),
    "bear": _a(FACE, head=(10, 12, 62, 60), eyes=30, mouth=(36, 46)),
    "panda": _a(FACE, head=(10, 12, 62, 60), eyes=30, mouth=(36, 44)),
    "rabbit face": _a(FACE, head=(20, 30, 52, 64), eyes=46, mouth=(36, 56), neck=(36, 66)),
    "mouse face": _a(FACE, head=(12, 16, 60, 60), eyes=32, mouth=(36, 50)),
    "skull": _a(FACE, head=(18, 10, 54, 60), eyes=36, mouth=(36, 52), neck=(36, 64)),
    "robot": _a(FACE, head=(16, 12, 56, 60), eyes=32, mouth=(36, 46)),
    "alien": _a(FACE, head=(16, 8, 56, 64), eyes=36, mouth=(36, 54)),
    "dragon face": _a(FACE, head=(14, 8, 58, 60), eyes=30, mouth=(36, 50)),
    "fox": _a(FACE, head=(10, 10, 62, 62), eyes=32, mouth=(36, 52)),
    "wolf": _a(FACE, head=(10, 8, 62, 62), eyes=32, mouth=(36, 50)),
    "hamster": _a(FACE, head=(8, 16, 64, 60), eyes=30, mouth=(36, 38)),
    "tiger face": _a(FACE, head=(10, 10, 62, 62), eyes=32, mouth=(36, 50)),
    "cow face": _a(FACE, head=(14, 10, 58, 62), eyes=30, mouth=(36, 52)),
    "chicken": _a(FACE, head=(24, 12, 48, 60), eyes=26, mouth=(36, 36)),
    "cowboy hat face": _a(FACE, head=(12, 14, 60, 64), eyes=38, mouth=(36, 52)),
    "clown face": _a(FACE, head=(12, 12, 60, 62), eyes=32, mouth=(36, 48)),
    "unicorn": _a(FACE, head=(12, 8, 42, 42), eyes=26, mouth=(16, 44), seat=(44, 22), top=10, facing=-1),
    "horse face": _a(FACE, head=(18, 8, 48, 40), eyes=26, mouth=(16, 46), seat=(44, 24), facing=-1),
    "koala": _a(FACE, head=(14, 8, 40, 30), eyes=18, mouth=(24, 26), neck=(28, 32), facing=-1),
    "snowman": _a(FACE, head=(26, 6, 46, 30), eyes=22, mouth=(36, 28), neck=(36, 32), hand=(60, 40)),
    "pineapple": _a(OBJECT, head=(22, 26, 50, 60), eyes=38, mouth=(36, 48), neck=(36, 52)),
    # people (head and shoulders)
    "mage": _a(PERSON, head=(26, 20, 46, 44), eyes=30, mouth=(36, 38), neck=(36, 46), hand=(60, 46)),
    "zombie": _a(PERSON, head=(26, 12, 46, 40), mouth=(36, 32), neck=(36, 42)),
    "teacher": _a(PERSON, head=(24, 8, 48, 38), eyes=24),
    "vampire": _a(PERSON, head=(24, 12, 48, 40), eyes=28),
    "santa claus": _a(PERSON, head=(24, 8, 52, 40), eyes=28, mouth=(36, 38)),
    "police officer": _a(PERSON, head=(22, 12, 50, 40), eyes=28),
    "person with crown": _a(PERSON, head=(24, 16, 48, 42), eyes=30),
    "guard": _a(PERSON, head=(24, 4, 48, 40), eyes=30),
    "cook": _a(PERSON, head=(24, 14, 48, 40), eyes=30),
    "girl": _a(PERSON, head=(22, 10, 50, 40), eyes=28),
    "baby": _a(PERSON, head=(24, 8, 48, 40), eyes=26, mouth=(36, 36)),
    "merperson": _a(PERSON, head=(30, 6, 44, 24), eyes=14, mouth=(37, 18), neck=(37, 24), hand=(14, 30)),
    # bodies (looking left unless said)
    "owl": _a(FACE, head=(26, 8, 46, 22), eyes=14, mouth=(36, 18), neck=(36, 24), seat=(36, 10), top=8),
    "penguin": _a(FACE, head=(26, 2, 44, 16), eyes=8, mouth=(42, 10), neck=(36, 18), seat=(36, 6), top=4),
    "giraffe": _a(FACE, head=(14, 4, 28, 14), eyes=8, mouth=(16, 12), neck=(24, 22), seat=(44, 38), facing=-1),
    "ewe": _a(FACE, head=(4, 14, 18, 28), eyes=20, mouth=(8, 26), neck=(20, 28), seat=(42, 18), top=16, facing=-1),
    "ram": _a(FACE, head=(4, 14, 20, 30), eyes=20, mouth=(8, 26), neck=(20, 30), seat=(42, 20), facing=-1),
    "kangaroo": _a(FACE, head=(8, 4, 18, 14), eyes=8, mouth=(10, 12), neck=(16, 18), hand=(20, 30), facing=-1),
    "t rex": _a(FACE, head=(44, 16, 64, 30), eyes=22, mouth=(60, 28), neck=(46, 32), seat=(28, 38), top=20, facing=1),
    "sauropod": _a(FACE, head=(50, 4, 60, 12), eyes=8, mouth=(58, 10), seat=(30, 38), top=34, facing=1),
    "horse": _a(FACE, head=(6, 4, 22, 18), eyes=12, mouth=(8, 20), neck=(20, 22), seat=(40, 24), top=22, facing=-1),
    "cat": _a(FACE, head=(4, 18, 22, 32), eyes=26, mouth=(8, 30), neck=(20, 32), seat=(38, 28), top=26, facing=-1),
    "dog": _a(FACE, head=(10, 8, 26, 24), eyes=16, mouth=(12, 22), neck=(24, 26), seat=(40, 28), top=26, facing=-1),
    "pig": _a(FACE, head=(4, 24, 20, 38), eyes=30, mouth=(8, 36), neck=(22, 36), seat=(40, 24), top=22, facing=-1),
    "cow": _a(FACE, head=(4, 20, 20, 36), eyes=26, mouth=(8, 34), neck=(22, 30), seat=(40, 24), top=22, facing=-1),
    "elephant": _a(FACE, head=(12, 14, 32, 34), eyes=22, mouth=(18, 34), seat=(42, 16), top=12, facing=-1),
    "monkey": _a(FACE, head=(22, 14, 34, 28), eyes=20, mouth=(24, 26), seat=(42, 30), facing=-1),
    "dragon": _a(FACE, head=(24, 4, 40, 18), eyes=10, mouth=(36, 16), seat=(30, 36), facing=1),
    "shark": _a(FACE, head=(48, 20, 64, 34), eyes=26, mouth=(60, 32), seat=(36, 24), top=22, facing=1),
    "duck": _a(FACE, head=(20, 4, 36, 20), eyes=10, mouth=(18, 14), seat=(44, 30), facing=-1),
    "rabbit": _a(FACE, head=(26, 12, 40, 30), eyes=20, mouth=(28, 28), seat=(46, 40), facing=-1),
    "mouse": _a(FACE, head=(14, 16, 30, 34), eyes=24, mouth=(14, 30), seat=(44, 28), facing=-1),
    "bird": _a(FACE, head=(50, 6, 62, 18), eyes=10, mouth=(62, 14), seat=(36, 22), facing=1),
    "turtle": _a(FACE, head=(52, 24, 66, 38), eyes=30, mouth=(64, 34), seat=(34, 22), top=20, facing=1),
    "camel": _a(FACE, head=(4, 12, 18, 24), eyes=16, mouth=(6, 22), seat=(40, 22), top=20, facing=-1),
    "two hump camel": _a(FACE, head=(4, 12, 18, 24), eyes=16, mouth=(6, 22), seat=(40, 22), top=20, facing=-1),
    # things one rides or stands on
    "bicycle": _a(OBJECT, seat=(26, 18), top=18),
    "motorcycle": _a(OBJECT, seat=(34, 22), top=22),
    "motor scooter": _a(OBJECT, seat=(36, 24), top=24),
    "skateboard": _a(OBJECT, seat=(36, 30), top=30),
    "sled": _a(OBJECT, seat=(40, 28), top=28),
    "broom": _a(OBJECT, seat=(45, 35), top=34, tilt=63.0),
    "house": _a(OBJECT, seat=(36, 14), top=14),
    "house with garden": _a(OBJECT, seat=(36, 16), top=16),
    "derelict house": _a(OBJECT, seat=(36, 16), top=16),
    "chair": _a(OBJECT, seat=(40, 40), top=38),
    "bed": _a(OBJECT, seat=(40, 44), top=44),
    "wood": _a(OBJECT, seat=(36, 12), top=12),
    "water wave": _a(OBJECT, seat=(36, 20), top=18),
    "ice": _a(OBJECT, seat=(36, 20), top=20),
    "crescent moon": _a(OBJECT, seat=(30, 40), top=40),
    "jack o lantern": _a(OBJECT, seat=(36, 16), top=16),
    "flying saucer": _a(OBJECT, seat=(36, 30), top=30),
    "top hat": _a(OBJECT, seat=(36, 10), top=10),
    "womans hat": _a(OBJECT, seat=(36, 30), top=30),
    "package": _a(OBJECT, seat=(36, 18), top=18),
    "bathtub": _a(OBJECT, seat=(36, 34), top=34),
    "basket": _a(OBJECT, seat=(36, 30), top=30),
    "toilet": _a(OBJECT, seat=(36, 30), top=30),
    "bowl with spoon": _a(OBJECT, seat=(36, 34), top=34),
    "wastebasket": _a(OBJECT, seat=(36, 20), top=20),
    "potted plant": _a(OBJECT, seat=(36, 40), top=40),
    "sailboat": _a(OBJECT, seat=(40, 50), top=50),
    "ship": _a(OBJECT, seat=(36, 36), top=36),
    "canoe": _a(OBJECT, seat=(36, 40), top=40),
    "automobile": _a(OBJECT, seat=(36, 28), top=26),
    "racing car": _a(OBJECT, seat=(36, 34), top=32),
}

# Full-body animals have a face pictogram that is easier to dress: used when they wear,
# eat or brush. The other way round for mounts: a horse's face is not ridden.
FACE_OF = {
    "cat": "cat face",
    "dog": "dog face",
    "pig": "pig face",
    "horse": "horse face",
    "monkey": "monkey face",
    "rabbit": "rabbit face",
    "mouse": "mouse face",
    "cow": "cow face",
    "tiger": "tiger face",
    "dragon": "dragon face",
}
BODY_OF = {face: body for body, face in FACE_OF.items()}

_PEOPLE_WORDS = (
    "person",
    "man",
    "woman",
    "boy",
    "girl",
    "baby",
    "child",
    "older",
    "old",
    "prince",
    "princess",
    "mx",
    "mrs",
    "superhero",
    "supervillain",
    "ninja",
    "vampire",
    "zombie",
    "elf",
    "genie",
    "fairy",
    "mage",
    "troll",
)
_PEOPLE_NAMES = frozenset(
    """astronaut cook farmer teacher student singer artist scientist technologist mechanic
    firefighter pilot judge detective guard health worker office worker factory worker
    construction worker police officer santa claus""".split()
)


def anchors_for(name: str) -> Anchors:
    if name in ANCHORS:
        return ANCHORS[name]
    words = name.split()
    if words and (words[0] in _PEOPLE_WORDS or name in _PEOPLE_NAMES or words[-1] in _PEOPLE_NAMES):
        return PERSON
    if name in _PEOPLE_NAMES or " ".join(words[-2:]) in _PEOPLE_NAMES:
        return PERSON
    if name.endswith(" face"):
        return FACE
    return OBJECT


@dataclass(frozen=True)
class Fit:
    """How a worn thing fits: the slot, the span (x0, x1) to match and the y to align."""

    slot: str  # head (its y goes on the head's top), eyes, neck (its y goes at the neck), body
    x0: float
    x1: float
    y: float
    width: float = 1.0  # of the head's width
    sink: float = 0.1  # head slot: how far below the top of the head its y goes, in head heights


FITS: dict[str, Fit] = {
    "top hat": Fit("head", 6, 66, 58, 0.9, 0.08),
    "crown": Fit("head", 12, 60, 60, 0.75, 0.2),
    "womans hat": Fit("head", 8, 64, 46, 1.1, 0.22),
    "billed cap": Fit("head", 14, 60, 48, 0.95, 0.3),
    "military helmet": Fit("head", 14, 62, 46, 1.0, 0.36),
    "graduation cap": Fit("head", 10, 62, 40, 1.0, 0.2),
    "rescue workers helmet": Fit("head", 10, 62, 50, 1.0, 0.3),
    "sunglasses": Fit("eyes", 8, 64, 30, 0.8),
    "glasses": Fit("eyes", 8, 64, 30, 0.8),
    "goggles": Fit("eyes", 8, 64, 36, 0.8),
    "scarf": Fit("neck", 14, 58, 14, 0.9),
    "necktie": Fit("neck", 16, 56, 10, 0.8),
    "coat": Fit("neck", 18, 54, 8, 0.9),
    "lab coat": Fit("neck", 18, 54, 8, 0.9),
    "t shirt": Fit("neck", 10, 62, 12, 0.9),
    "dress": Fit("neck", 20, 52, 8, 0.8),
    "gloves": Fit("hand", 10, 62, 36, 0.6),
    "boxing glove": Fit("hand", 12, 54, 36, 0.6),
    "socks": Fit("hand", 10, 62, 36, 0.6),
}
DEFAULT_FIT = Fit("head", 8, 64, 60, 1.0)
