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
    "jumbo": 1.5,
    "fat": 1.3,
    "chubby": 1.2,
    "tall": 1.3,
    "short": 0.8,
}

COUNTS = {
    "one": 1,
    "single": 1,
    "two": 2,
    "pair": 2,
    "couple": 2,
    "twin": 2,
    "double": 2,
    "triple": 3,
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
    "pile": 5,
    "heap": 5,
    "stack": 4,
    "swarm": 7,
    "army": 7,
    "team": 4,
    "group": 4,
    "hundred": 9,
    "hundreds": 9,
    "thousand": 9,
    "thousands": 9,
    "dozen": 9,
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
    "ocean": "sea",
    "sea": "sea",
    "seas": "sea",
    "lake": "sea",
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
    "mountains": "mountain",
    "mountain": "mountain",
    "hills": "mountain",
    "hill": "mountain",
    "valley": "mountain",
    "farm": "farm",
    "field": "farm",
    "meadow": "farm",
    "garden": "farm",
    "pond": "sea",
    "river": "sea",
    "stream": "sea",
    "creek": "sea",
    "brook": "sea",
    "kitchen": "kitchen",
    "water": "sea",
    "summer": "beach",
    "sand": "beach",
    "sandy": "beach",
    "mars": "space",
    "sunset": "sunset",
    "sunrise": "sunset",
    "dawn": "sunset",
    "dusk": "sunset",
    "morning": "sunset",
    "evening": "sunset",
    "starry": "night",
    "moonlit": "night",
    "nighttime": "night",
    "london": "city",
    "paris": "city",
    "tokyo": "city",
    "mud": "farm",
    "muddy": "farm",
    "barn": "farm",
    "swamp": "forest",
    "cliff": "mountain",
    "canyon": "mountain",
    "backyard": "farm",
    "lawn": "farm",
    "yard": "farm",
    "prom": "party",
    "parade": "party",
    "vacation": "beach",
    "holiday": "beach",
    "party": "party",
    "birthday": "party",
    "disco": "party",
}
SCENES = {word: scene for word, scene in SCENES.items() if scene}

# Relation words between two objects, mapped to a layout kind (compose.py lays each out):
# ride (seated on top), on (standing on the top surface), under, above, in, behind, beside,
# fly (up in the sky, over the other), hold (in hand), mouth (at the mouth), wear (fitted
# to the head, face, neck or body, depending on the worn thing).
RELATIONS = {
    "on": "on",
    "onto": "on",
    "atop": "on",
    "upon": "on",
    "sitting": "on",
    "standing": "on",
    "sits": "on",
    "stands": "on",
    "balancing": "on",
    "perched": "on",
    "lying": "on",
    "resting": "on",
    "climbing": "on",
    "sliding": "on",
    "skating": "ride",
    "skiing": "ride",
    "swimming": "in",
    "swims": "in",
    "hiding": "behind",
    "crossing": "on",
    "landing": "on",
    "lands": "on",
    "catching": "hold",
    "catches": "hold",
    "kissing": "beside",
    "kicking": "beside",
    "riding": "ride",
    "rides": "ride",
    "ride": "ride",
    "surfing": "ride",
    "driving": "ride",
    "cycling": "ride",
    "biking": "ride",
    "skateboarding": "ride",
    "sailing": "ride",
    "under": "under",
    "below": "under",
    "beneath": "under",
    "underneath": "under",
    "above": "above",
    "over": "above",
    "jumping": "above",
    "in": "in",
    "inside": "in",
    "into": "in",
    "within": "in",
    "holding": "hold",
    "holds": "hold",
    "hold": "hold",
    "carrying": "hold",
    "carries": "hold",
    "playing": "hold",
    "plays": "hold",
    "throwing": "hold",
    "reading": "hold",
    "flying": "fly",
    "flies": "fly",
    "fly": "fly",
    "soaring": "fly",
    "floating": "fly",
    "eating": "mouth",
    "eats": "mouth",
    "eat": "mouth",
    "drinking": "mouth",
    "drinks": "mouth",
    "licking": "mouth",
    "nibbling": "mouth",
    "chewing": "mouth",
    "biting": "mouth",
    "breathing": "mouth",
    "wearing": "wear",
    "wears": "wear",
    "wear": "wear",
    "dressed": "wear",
    "behind": "behind",
    "with": "beside",
    "and": "beside",
    "next": "beside",
    "beside": "beside",
    "near": "beside",
    "by": "beside",
    "chasing": "beside",
    "chases": "beside",
    "vs": "beside",
    "versus": "beside",
    "meets": "beside",
    "meeting": "beside",
    "hugging": "beside",
    "loves": "beside",
    "against": "beside",
    "walking": "beside",
    "racing": "beside",
    "fighting": "beside",
    "fights": "beside",
    "battling": "beside",
    "attacking": "beside",
    "guarding": "beside",
    "rescuing": "beside",
    "saving": "beside",
    "waiting": "beside",
    "waits": "beside",
    "feeding": "beside",
    "feeds": "beside",
    "without": "beside",
    "stealing": "hold",
    "steals": "hold",
    "grabbing": "hold",
    "taking": "hold",
    "collecting": "hold",
    "picking": "hold",
    "delivering": "hold",
    "serving": "hold",
    "selling": "hold",
    "watching": "beside",
    "watches": "beside",
    "looking": "beside",
    "staring": "beside",
    "observing": "beside",
}

# Words that change what a "with"/"in" means when the other thing is worn or held.
WEARABLE = frozenset(
    w.strip()
    for w in """top hat, crown, sunglasses, glasses, scarf, necktie, womans hat, billed cap, military helmet,
    graduation cap, rescue workers helmet, coat, dress, t shirt, gloves, boxing glove, lab coat,
    socks, goggles""".split(",")
)
HANDHELD = frozenset(
    w.strip()
    for w in """syringe, stethoscope, microphone, magic wand, umbrella, umbrella with rain drops,
    closed umbrella, white cane, baby bottle, magnifying glass tilted left, magnifying glass tilted right,
    bow and arrow, trident emblem, guitar, violin, trumpet, saxophone, banjo, drum, long drum, balloon,
    triangular flag, white flag, chequered flag, dagger, crossed swords, shield, hammer, wrench,
    open book, closed book, mobile phone, red apple, green apple, ice cream, soft ice cream, honey pot,
    kite, sword, lollipop, teddy bear, basket, artist palette, paintbrush, toothbrush, broom,
    hot beverage, newspaper, rolled up newspaper, pizza, hamburger, hot dog, banana, carrot, rose,
    tulip, bouquet, wine glass, beer mug, tropical drink, teacup without handle, cup with straw,
    glass of milk, microscope, telescope, camera, flashlight, candle, fishing pole, baseball, soccer ball,
    american football, basketball, tennis, cricket game, ice hockey, flag in hole, kitchen knife, spoon,
    fork and knife, axe, pencil, crayon, fountain pen, paintbrush, key, old key, trophy, sparkler, yarn,
    fishing pole, megaphone, bone, maracas, flute, hourglass done, magic wand, skull, red heart,
    flying disc, chestnut, world map, red paper lantern, briefcase, handbag, shopping bags, camera with flash, books,
    envelope, wrapped gift, thermometer, joker, coin, money bag, gem stone, crystal ball, light bulb, compass, scroll,
    memo, screwdriver, pick, carpentry saw, test tube, yo yo, boomerang, joystick, studio microphone, bell, accordion,
    softball, badminton, ping pong, pirate flag, rainbow flag, scissors, sewing needle, sponge, ticket,
    admission tickets, credit card, dollar banknote, party popper""".split(",")
)

# After a sport or an activity, the event itself: "soccer game" is the ball, not a video game.
EVENT_WORDS = frozenset("game games match matches tournament championship contest competition practice".split())

# Containers and portions: "a bowl of soup", "a slice of cake" draw what is in them.
MEASURES = frozenset(
    "bowl bowls cup cups mug mugs glass glasses plate plates bottle bottles jar jars can cans piece slice bag".split()
)

# What grows in a flower pot; anything else "in a pot" is in a cooking pot ("lobster in a pot").
PLANTS = frozenset(
    w.strip()
    for w in """rose, tulip, sunflower, hibiscus, blossom, cherry blossom, white flower, wilted flower, seedling,
    herb, cactus, evergreen tree, deciduous tree, palm tree, four leaf clover, shamrock, bouquet, lotus,
    leafy green, sheaf of rice, maple leaf, fallen leaf, mushroom""".split(",")
)

# What one sits on to ride: "on" and "flying on" mean riding, seated.
RIDEABLE = frozenset(
    w.strip()
    for w in """horse, unicorn, bicycle, motorcycle, motor scooter, kick scooter, skateboard, sled, broom,
    t rex, sauropod, dragon, elephant, camel, two hump camel, cow, pig, ewe, ram, llama, zebra, tiger, lion,
    shark, spouting whale, whale, dolphin, turtle, flying saucer, rocket, canoe, roller skate, ox, water buffalo,
    giraffe, dog, goat, deer, moose""".split(",")
)

# Modifiers drawn as a prop on the object they qualify (before it, or after it: "house on fire").
MODIFIER_PROPS = {
    "burning": "flames",
    "flaming": "flames",
    "blazing": "flames",
    "fiery": "flames",
    "haunted": "haunt",
    "spooky": "haunt",
    "cursed": "haunt",
    "frozen": "frozen",
    "icy": "frozen",
    "freezing": "frozen",
    "melted": "melting",
    "sleepy": "sleep",
    "angry": "angry",
    "furious": "angry",
    "grumpy": "angry",
    "happy": "happy",
    "cheerful": "happy",
    "sad": "sad",
    "crying": "sad",
    "scared": "scared",
    "afraid": "scared",
    "frightened": "scared",
    "surprised": "surprised",
    "shocked": "surprised",
    "hungry": "hungry",
    "smiling": "happy",
    "laughing": "happy",
    "joyful": "happy",
    "evil": "evil",
    "wicked": "evil",
    "hot": "hot",
    "sweaty": "hot",
    "cold": "cold",
    "chilly": "cold",
    "sick": "sick",
    "ill": "sick",
    "spicy": "spicy",
    "dripping": "melting",
    "leaky": "melting",
    "leaking": "melting",
    "stressed": "nervous",
    "wet": "wet",
    "soaked": "wet",
    "soaking": "wet",
    "drenched": "wet",
    "royal": "royal",
    "drunk": "drunk",
    "dizzy": "drunk",
    "bored": "bored",
    "boring": "bored",
    "excited": "excited",
    "amazed": "excited",
    "nervous": "nervous",
    "anxious": "nervous",
    "worried": "nervous",
    "shy": "shy",
    "embarrassed": "shy",
    "lonely": "lonely",
    "lovesick": "love",
    "lovestruck": "love",
    "injured": "hurt",
    "hurt": "hurt",
    "wounded": "hurt",
    "strong": "strong",
    "muscular": "strong",
    "buff": "strong",
    "disgusted": "gross",
    "stinky": "gross",
    "smelly": "gross",
    "creepy": "haunt",
    "fast": "run",
    "speedy": "run",
    "magical": "magic",
    "magic": "magic",
    "enchanted": "magic",
}

# "made of ice", "made of gold": what a thing is made of changes how it looks.
MATERIAL_PROPS = {"ice": "frozen", "snow": "frozen", "fire": "flames", "lava": "flames"}
# Materials that are a look rather than a thing (a castle made of candy draws the candy too).
MATERIAL_COLOURS = {
    "wood": "#8d6e63",
    "glass": "#b3e5fc",
    "stone": "#9e9e9e",
    "metal": "#b0bec5",
    "steel": "#b0bec5",
    "paper": "#fafafa",
}
# Counts that are people when no noun follows: "twins on a bike".
COUNT_NOUNS = {"twins": 2, "triplets": 3, "quadruplets": 4}

# Nouns that are a verb when someone does them to something: "a bird building a nest".
VERB_NOUNS = frozenset({"building", "builds"})

# Nouns that qualify the noun after them ("pirate ship"), and are the thing itself otherwise ("a pirate").
NOUN_MODIFIERS = {"pirate": "pirate", "pirates": "pirate"}

# Actions drawn as props held by (or at) the one who acts. word -> (prop kind, words it uses up)
ACTIONS = {
    "brushing": ("brush", frozenset("teeth tooth its his her their hair".split())),
    "brushes": ("brush", frozenset("teeth tooth its his her their hair".split())),
    "casting": ("magic", frozenset("a spell spells magic".split())),
    "casts": ("magic", frozenset("a spell spells magic".split())),
    "spell": ("magic", frozenset()),
    "spells": ("magic", frozenset()),
    "fighting": ("fight", frozenset()),
    "fights": ("fight", frozenset()),
    "battling": ("fight", frozenset()),
    "attacking": ("fight", frozenset()),
    "painting": ("paint", frozenset()),
    "paints": ("paint", frozenset()),
    "fixing": ("fix", frozenset()),
    "repairing": ("fix", frozenset()),
    "knitting": ("knit", frozenset()),
    "kissing": ("kiss", frozenset()),
    "dancing": ("dance", frozenset()),
    "dances": ("dance", frozenset()),
    "singing": ("dance", frozenset()),
    "making": ("make", frozenset()),
    "cooking": ("make", frozenset()),
    "cooks": ("make", frozenset()),
    "baking": ("make", frozenset()),
    "sleeping": ("sleep", frozenset()),
    "melting": ("melting", frozenset()),
    "yelling": ("angry", frozenset()),
    "yells": ("angry", frozenset()),
    "shouting": ("angry", frozenset()),
    "shouts": ("angry", frozenset()),
    "screaming": ("scared", frozenset()),
    "screams": ("scared", frozenset()),
    "talking": ("talk", frozenset()),
    "winning": ("win", frozenset()),
    "wins": ("win", frozenset()),
    "ruling": ("royal", frozenset()),
    "roasting": ("grill", frozenset()),
    "grilling": ("grill", frozenset()),
    "barbecuing": ("grill", frozenset()),
    "chatting": ("talk", frozenset()),
    "gossiping": ("talk", frozenset()),
    "running": ("run", frozenset()),
    "runs": ("run", frozenset()),
    "jogging": ("run", frozenset()),
    "sprinting": ("run", frozenset()),
    "fleeing": ("run", frozenset()),
    "golfing": ("golf", frozenset()),
    "cleaning": ("clean", frozenset()),
    "sweeping": ("clean", frozenset()),
    "mopping": ("clean", frozenset()),
    "tidying": ("clean", frozenset()),
    "texting": ("text", frozenset()),
    "typing": ("type", frozenset()),
    "studying": ("study", frozenset()),
    "shivering": ("cold", frozenset()),
    "snoring": ("sleep", frozenset()),
    "napping": ("sleep", frozenset()),
    "celebrating": ("celebrate", frozenset()),
    "partying": ("celebrate", frozenset()),
    "dreaming": ("dream", frozenset()),
    "daydreaming": ("dream", frozenset()),
    "drawing": ("draw", frozenset()),
    "sketching": ("draw", frozenset()),
    "colouring": ("draw", frozenset()),
    "coloring": ("draw", frozenset()),
    "gardening": ("garden", frozenset()),
    "planting": ("garden", frozenset()),
    "washing": ("wash", frozenset()),
    "scrubbing": ("wash", frozenset()),
}

# Verbs that take an object ("eating pizza"); with none after them, the one who acts gets a tool.
DANGLING = {
    "eating": "eat",
    "eats": "eat",
    "drinking": "drink",
    "drinks": "drink",
    "reading": "read",
    "reads": "read",
    "cooking": "cook",
    "cooks": "cook",
    "baking": "bake",
    "bakes": "bake",
    "surfing": "mount:water wave",
    "skiing": "mount:skis",
    "skating": "mount:ice skate",
    "sledding": "mount:sled",
    "cycling": "mount:bicycle",
    "biking": "mount:bicycle",
    "skateboarding": "mount:skateboard",
    "driving": "mount:automobile",
    "swimming": "scene:sea",
    "sailing": "mount:sailboat",
}

# Nouns with no pictogram of their own, drawn as a small group of pictograms (and shapes).
# word -> (main pictogram or None, [(prop pictogram or shape, how it attaches)])
COMPOSITES: dict[str, tuple[str | None, list[tuple[str, str]]]] = {
    "knight": ("person", [("military helmet", "wear"), ("shield", "hold")]),
    "knights": ("person", [("military helmet", "wear"), ("shield", "hold")]),
    "breakfast": ("cooking", [("bread", "side")]),
    "brunch": ("cooking", [("bread", "side")]),
    "picnic": ("basket", [("sandwich", "side"), ("picnic blanket", "ground")]),
    "boxer": ("person", [("boxing glove", "hold")]),
    "magician": ("mage", [("magic wand", "hold")]),
    # Jobs with no pictogram: a person with the tool of the trade.
    "mailman": ("person", [("envelope", "hold")]),
    "postman": ("person", [("envelope", "hold")]),
    "courier": ("person", [("package", "hold")]),
    "photographer": ("person", [("camera", "hold")]),
    "tourist": ("person", [("camera", "hold")]),
    "journalist": ("person", [("newspaper", "hold")]),
    "reporter": ("person", [("microphone", "hold")]),
    "writer": ("person", [("fountain pen", "hold")]),
    "author": ("person", [("fountain pen", "hold")]),
    "poet": ("person", [("fountain pen", "hold")]),
    "hunter": ("person", [("bow and arrow", "hold")]),
    "lumberjack": ("person", [("axe", "hold")]),
    "electrician": ("person", [("light bulb", "hold")]),
    "librarian": ("person", [("books", "hold")]),
    "bartender": ("person", [("cocktail glass", "hold")]),
    "barista": ("person", [("hot beverage", "hold")]),
    "butcher": ("cook", [("cut of meat", "hold")]),
    "banker": ("office worker", [("money bag", "hold")]),
    "cashier": ("person", [("coin", "hold")]),
    "explorer": ("person", [("world map", "hold")]),
    "waiter": ("person in tuxedo", [("fork and knife with plate", "hold")]),
    "waitress": ("person", [("fork and knife with plate", "hold")]),
    "janitor": ("person", [("broom", "hold")]),
    "cleaner": ("person", [("broom", "hold")]),
    "goalie": ("person", [("goal net", "side")]),
    "goalkeeper": ("person", [("goal net", "side")]),
}

# Two-word places read as one scene word.
PHRASE_SCENES: dict[str, str] = {
    "north pole": "snow",
    "south pole": "snow",
    "outer space": "space",
    "under water": "underwater",
    "deep sea": "underwater",
    "new york": "city",
    "los angeles": "city",
    "las vegas": "city",
    "big city": "city",
    "hong kong": "city",
}

# Leading verbs that need a mount: "surfing dog" rides a wave.
MOUNT_VERBS = {
    "surfing": "water wave",
    "skiing": "skis",
    "skating": "ice skate",
    "sledding": "sled",
    "cycling": "bicycle",
    "biking": "bicycle",
    "skateboarding": "skateboard",
}
# The same verbs with no one named to do them: the pictogram of someone doing it ("surfing in the ocean").
ACTIVITIES = {
    "surfing": "person surfing",
    "skiing": "skier",
    "skating": "ice skate",
    "sledding": "sled",
    "cycling": "person biking",
    "biking": "person biking",
    "skateboarding": "skateboard",
}

# Weather is drawn over everything, whatever the place.
WEATHER = {
    "rain": "rain",
    "rainy": "rain",
    "raining": "rain",
    "rainstorm": "storm",
    "storm": "storm",
    "stormy": "storm",
    "thunderstorm": "storm",
    "thunder": "storm",
    "snowstorm": "snow",
    "snowing": "snow",
    "snowfall": "snow",
    "blizzard": "snow",
    "hail": "snow",
    "hailstorm": "snow",
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

# Everyday words with no pictogram whose nearest one by meaning is unrelated ("pillow" -> pill).
NO_PICTOGRAM = frozenset(
    {"pillow", "pillows", "old", "elderly", "ancient", "moss", "hedge", "hedges", "sign", "closet", "wardrobe"}
    | {"desk", "desks", "earring", "earrings", "vine", "vines", "dragonfly", "mole", "broken", "metal", "metallic"}
    | {"cowardly", "coward", "high", "low", "toaster", "toasters", "nail", "nails", "club", "clubs", "stand", "lift"}
    | {"crowded", "flat", "upside", "thorn", "thorns", "built", "no", "not", "none", "swinging", "falling"}
    | {"antler", "antlers", "left", "right", "machine", "machines", "room", "rooms", "board", "line", "watering"}
    | {"capital", "cut", "died", "french", "hose", "makes", "make", "mustard", "new", "open", "closed", "empty"}
    | {"rocking", "shows", "tax", "bullet", "bullets", "claw", "claws", "deck", "ditch", "dust", "gravy", "motor"}
    | {"spade", "steam", "towel", "towels", "horseshoe", "horseshoes"}
)

# Words that look plural but are not.
NOT_PLURAL = frozenset("bus cactus octopus glass grass dress chess news boss class princess".split())


def singular(word: str, known: set[str] | dict) -> tuple[str, bool]:
    """Return (singular form, was plural). Only strips endings when the result is known."""
    if word in IRREGULAR_PLURALS:
        base = IRREGULAR_PLURALS[word]
        return base, base != word  # "sheep", "fish": one, unless a count says more
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
