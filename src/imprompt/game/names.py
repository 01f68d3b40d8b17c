"""Cleaning of player-supplied names and short texts (chat, guesses, prompts)."""

from __future__ import annotations

import re
import unicodedata

NAME_MAX_LEN = 20

# Characters that render as nothing or reorder text; Cf covers most, listed
# explicitly too so the intent survives Unicode version changes.
_INVISIBLE = {chr(c) for c in (*range(0x200B, 0x2010), 0x2060, 0xFEFF)}
_SPACE_RUN = re.compile(r"\s+")


def _strip_invisible(raw: str) -> str:
    out = []
    for ch in raw:
        if ch in _INVISIBLE:
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc":
            # Tabs/newlines become spaces so "a\nb" does not turn into "ab".
            if ch.isspace():
                out.append(" ")
            continue
        # Lone surrogates (Cs) cannot be encoded as UTF-8 when sent out.
        if cat in ("Cf", "Cs"):
            continue
        out.append(ch)
    return "".join(out)


def _clean(raw: str) -> str:
    if not isinstance(raw, str):
        raise ValueError("Text must be a string")
    # NFKC first (it can create spaces, e.g. from U+00A0), strip again after,
    # since normalisation can also produce control-like characters.
    text = unicodedata.normalize("NFKC", _strip_invisible(raw))
    text = _strip_invisible(text)
    return _SPACE_RUN.sub(" ", text).strip()


def clean_text(raw: str, max_len: int) -> str:
    """Clean chat, guesses and prompts; raise ValueError if empty or too long."""
    text = _clean(raw)
    if not text:
        raise ValueError("Text must not be empty")
    if len(text) > max_len:
        raise ValueError(f"Text must be at most {max_len} characters")
    return text


def clean_name(raw: str) -> str:
    """Clean a player name; raise ValueError unless it is 1–20 characters."""
    name = _clean(raw)
    if not name or len(name) > NAME_MAX_LEN:
        raise ValueError(f"Name must be 1–{NAME_MAX_LEN} characters")
    return name


# Letters from other alphabets that look like Latin ones (Unicode's confusables, the ones
# a keyboard or a copy-paste will really produce): "Umа" with a Cyrillic а is "Uma".
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁԛԝвкмнтѵɡαβεικμνορτυχ",  # Cyrillic, then Latin variants, then Greek (lower case)
    "aeopcyxijsdqwbkmhtvgabeikmnoptux",
)


def name_key(name: str) -> str:
    """Key for "the same name in this room": ignoring case, and letters that only look alike."""
    return clean_name(name).casefold().translate(_LOOKALIKES)
