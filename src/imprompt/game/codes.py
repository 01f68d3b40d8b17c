"""Room codes: short, unambiguous when read aloud or copied by hand."""

from __future__ import annotations

import random
from collections.abc import Container

# No 0/O, 1/I/L: they are confused when a code is read off a screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_ALPHABET_SET = frozenset(CODE_ALPHABET)
_MAX_ATTEMPTS = 1000


def new_code(rng: random.Random, taken: Container[str]) -> str:
    """Return a random code that is not in `taken`."""
    for _ in range(_MAX_ATTEMPTS):
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code
    raise RuntimeError("could not find a free room code")


def normalize_code(raw: object) -> str | None:
    """Canonical form of a user-typed code, or None if it cannot be one."""
    if not isinstance(raw, str):
        return None
    code = raw.strip()
    # ASCII only: str.upper() would turn e.g. "ſ" (long s) into "S".
    if not code.isascii():
        return None
    code = code.upper()
    if len(code) != CODE_LENGTH or not all(c in _ALPHABET_SET for c in code):
        return None
    return code
