"""How a word is read from its neighbours: "drives" as driving, "an orange" as the fruit."""

from __future__ import annotations

from imprompt.images.pictogram.catalogue import Catalogue
from imprompt.images.pictogram.words.actions import ACTIONS, DANGLING, MOUNT_VERBS
from imprompt.images.pictogram.words.forms import STOPWORDS, singular
from imprompt.images.pictogram.words.places import SCENES, WEATHER
from imprompt.images.pictogram.words.props import MODIFIER_PROPS
from imprompt.images.pictogram.words.relations import RELATIONS


def _verb_tables() -> tuple[dict, ...]:
    return (RELATIONS, ACTIONS, DANGLING, MOUNT_VERBS, MODIFIER_PROPS)


def as_ing(word: str, cat: Catalogue) -> str:
    """ "drives", "swims", "flies": the -ing form the verb tables know, when the word is no noun."""
    if len(word) < 4 or not word.endswith("s") or any(word in t for t in _verb_tables()):
        return word
    if singular(word, cat.exact)[0] in cat.exact or word in SCENES or word in WEATHER:
        return word
    stem = word[:-1]
    forms = [stem + "ing", word[:-2] + "ing", stem + stem[-1] + "ing"]
    if word.endswith("ies"):
        forms.append(word[:-3] + "ying")
    return next((f for f in forms if any(f in t for t in _verb_tables())), word)


def noun_here(words: list[str], i: int, cat: Catalogue) -> bool:
    """A size word that names a pictogram ("baby") is the thing itself when no noun follows."""
    if words[i] not in cat.exact:
        return False
    after = words[i + 1] if i + 1 < len(words) else None
    return after is None or after in RELATIONS or after in STOPWORDS


ARTICLES = frozenset({"a", "an", "the", "some", "of"})


def colour_noun(words: list[str], i: int, cat: Catalogue) -> bool:
    """A colour word that names a thing ("an orange", "stealing gold") when no noun follows it."""
    if words[i] not in cat.exact or not noun_here(words, i, cat):
        return False
    return i == 0 or words[i - 1] in ARTICLES or words[i - 1] in RELATIONS
