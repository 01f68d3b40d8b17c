"""Hypothesis strategies for hostile socket event payloads.

Text mixes plain letters with what breaks naive string handling: bidi overrides and
isolates, zero-width characters, NUL and other controls, lone surrogates, emoji (with
joiners and skin tones), letters from other alphabets that look Latin, combining marks,
right-to-left scripts, and very long runs. A payload for an event starts from its
schema's fields (so it often gets past validation and reaches the rules) and then has
fields dropped, added, or replaced by any JSON value."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from imprompt.realtime.events import EVENTS

NASTY = [
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",  # isolates
    "\u2067",
    "\u2069",
    "\u200b",  # zero width space, non-joiner, joiner, BOM
    "\u200c",
    "\u200d",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b",
    "\r",
    "\n",
    "\t",
    "\ud800",  # lone surrogates: valid JSON escapes, not valid UTF-8
    "\udfff",
    "😀",
    "👩‍👩‍👧",
    "👍🏽",
    "🏳️‍🌈",
    "а",  # Cyrillic a, e, o, p, c
    "е",
    "о",
    "р",
    "с",
    "Ｋ",  # fullwidth
    "ǅ",
    "ß",
    "İ",
    "e\u0301",  # combining acute
    "\u0301",
    "ﷺ",
    "مرحبا",
    "שלום",
    "𝔸",
    "\U0010ffff",
    "<script>",
    "%s%n",
    "{{x}}",
    "'; --",
]

WORDS = ["cat", "dog", "red kite", "sleepy cat", "blue", "K7QX2M", "", " ", "null", "true", "0"]

text = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NASTY),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(NASTY), st.sampled_from(WORDS)).map("".join),
    st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(WORDS)), max_size=12).map("".join),
    st.text(max_size=40),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=30).map("".join),
    st.builds(
        lambda ch, n: ch * n,
        st.sampled_from(["a", "é", "😀", "\u200b", " "]),
        st.sampled_from([64, 65, 80, 81, 200, 201, 1000, 4000]),
    ),
)

numbers = st.one_of(
    st.integers(-(2**63), 2**63),
    st.sampled_from([0, 1, -1, 2, 3, 8, 12, 13, 15, 20, 120, 121, 180, 181, 2**31, 2**53 + 1]),
    st.floats(allow_nan=False, allow_infinity=False),  # JSON has no NaN
)

scalars = st.one_of(st.none(), st.booleans(), numbers, text)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(text, inner, max_size=5)),
    max_leaves=20,
)


def _field_values(annotation: Any) -> st.SearchStrategy[Any]:
    """Values of the field's own kind, often; any JSON value, sometimes."""
    name = str(annotation)
    if "bool" in name:
        own: st.SearchStrategy[Any] = st.booleans()
    elif "int" in name:
        own = numbers
    elif "SettingsPatch" in name:
        own = settings_patch()
    else:
        own = text
    return st.one_of(own, own, own, json_values)


def _fields(schema: type[BaseModel]) -> dict[str, Any]:
    return {(info.alias or name): info.annotation for name, info in schema.model_fields.items()}


def settings_patch() -> st.SearchStrategy[dict[str, Any]]:
    from imprompt.realtime.schemas import SettingsPatch

    return payload_for(SettingsPatch)


def payload_for(schema: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    fields = _fields(schema)
    if not fields:
        base: st.SearchStrategy[dict[str, Any]] = st.just({})
    else:
        base = st.fixed_dictionaries(
            {}, optional={k: st.deferred(lambda a=a: _field_values(a)) for k, a in fields.items()}
        )
    extra = st.dictionaries(
        st.one_of(text, st.sampled_from(["__proto__", "constructor", "ok", "code"])), json_values, max_size=2
    )
    return st.one_of(base, base, base, st.builds(lambda b, e: {**b, **e}, base, extra))


def payload(event: str) -> st.SearchStrategy[Any]:
    """What a client may send with `event`: mostly an object shaped like its schema."""
    return st.one_of(payload_for(EVENTS[event].schema), payload_for(EVENTS[event].schema), json_values)


def args(event: str) -> st.SearchStrategy[tuple[Any, ...]]:
    """The event's arguments: one payload, usually; none, or several, sometimes."""
    return st.one_of(
        payload(event).map(lambda p: (p,)),
        payload(event).map(lambda p: (p,)),
        payload(event).map(lambda p: (p,)),
        st.just(()),
        st.lists(json_values, min_size=2, max_size=3).map(tuple),
    )
