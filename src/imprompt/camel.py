"""snake_case dataclasses as camelCase dicts: how typed data from the rules leaves the process
(socket answers in realtime/wire.py, analytics records in data/analytics.py)."""

from __future__ import annotations

import dataclasses
from typing import Any


def camel(name: str) -> str:
    """`guesses_left` → `guessesLeft`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def camel_dict(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a camelCase dict, recursively through lists, tuples and nested
    dataclasses, without its None fields."""
    out = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value is not None:
            out[camel(f.name)] = _value(value)
    return out


def _value(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return camel_dict(value)
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return value
