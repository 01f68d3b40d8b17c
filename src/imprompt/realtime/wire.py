"""The shape of acknowledgements on the wire.

The rules answer with typed replies (dataclasses with snake_case fields, or None);
the protocol speaks camelCase JSON objects. `to_wire` is the one place that turns the
first into the second; `error` builds the failure answer every event shares.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..camel import camel_dict


def to_wire(obj: Any) -> dict[str, Any]:
    """A reply as the protocol sends it: a dataclass becomes a camelCase dict (recursively,
    through lists, tuples and nested dataclasses) without its None fields; a plain dict
    passes through unchanged; None is `{}`."""
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return camel_dict(obj)
    raise TypeError(f"a reply is a dataclass, a dict or None, not {type(obj).__name__}")


def error(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The failure acknowledgement: `{ok: false, error: {code, message, ...}}`."""
    return {"ok": False, "error": {"code": code, "message": message, **extra}}
