"""snake_case dataclasses as camelCase dicts: how typed data from the rules leaves the process
(socket answers in realtime/wire.py, analytics records in data/analytics.py)."""

from __future__ import annotations

import dataclasses
from typing import Any


def camel(name: str) -> str:
    """`guesses_left` → `guessesLeft`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# Each class's (field, camelCase key) pairs, found once: every socket answer goes through
# here, and `dataclasses.fields` plus the renaming cost more than the copying.
_NAMES: dict[type, tuple[tuple[str, str], ...]] = {}


def _names(cls: type) -> tuple[tuple[str, str], ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple((f.name, camel(f.name)) for f in dataclasses.fields(cls))
    return names


def camel_dict(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a camelCase dict, recursively through lists, tuples and nested
    dataclasses, without its None fields."""
    out = {}
    for name, key in _names(type(obj)):
        value = getattr(obj, name)
        if value is not None:
            out[key] = _value(value)
    return out


_PLAIN = frozenset({str, int, float, bool})


def _value(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return camel_dict(value)
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return value
