"""Nouns drawn once or not at all: events, containers, words with no fitting pictogram."""

from __future__ import annotations

# After a sport or an activity, the event itself: "soccer game" is the ball, not a video game.
EVENT_WORDS = frozenset("game games match matches tournament championship contest competition practice".split())

# Containers and portions: "a bowl of soup", "a slice of cake" draw what is in them.
MEASURES = frozenset(
    "bowl bowls cup cups mug mugs glass glasses plate plates bottle bottles jar jars can cans piece slice bag".split()
)

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
