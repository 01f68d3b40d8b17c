"""Prompt packs: lists of prompts a room draws its suggestions, timed-out turns and
pack-only choices from (docs/packs.md).

A pack is written either as plain text, one prompt per line (blank lines and lines
starting with `#` are skipped), or as a small JSON object:

    {"name": "Classroom", "language": "en", "prompts": ["a cat on a bus", ...]}

Every prompt is checked as a typed prompt is (`prompt_problem`: length, word limit,
at least one letter, the content filter). Problems are reported by line number, so a
host pasting a list or an operator mounting a folder knows which line to fix.
Nothing here does I/O except `load_dir`, used once at start by the settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .content_filter import ContentFilter
from .names import clean_text

MAX_PROMPT_CHARS = 80
MAX_PACK_WORDS = 8  # the highest word limit a room can have (GameSettings.max_words)
MAX_PACK_PROMPTS = 200
MIN_PACK_PROMPTS = 3  # a writer in pack-only mode picks one of three
MAX_PACK_TEXT = 12_000  # characters of a pasted list or an imported file
MAX_NAME_CHARS = 40
MAX_PROBLEMS_SHOWN = 5
CUSTOM = "custom"  # the id of the pack a host pasted or imported into their room
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class Pack(BaseModel):
    """A pack as a room keeps it: plain data, saved with the room's state."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    language: str = "en"
    prompts: list[str] = Field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """What members see of a pack (never its prompts: they would give the game away)."""
        return {"id": self.id, "name": self.name, "language": self.language, "size": len(self.prompts)}


class PackError(ValueError):
    """A pack that cannot be used; `problems` are readable lines, each naming its line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(describe(problems))


def describe(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def prompt_problem(text: str, max_words: int, content_filter: ContentFilter) -> tuple[str, str, str]:
    """(cleaned prompt, error code, message): the code is "" when the prompt is fine.

    The one check every prompt goes through, typed or from a pack."""
    try:
        prompt = clean_text(text, MAX_PROMPT_CHARS)
    except ValueError:
        return "", "prompt_invalid", f"A prompt needs 1–{MAX_PROMPT_CHARS} characters."
    words = prompt.split()
    if len(words) > max_words:
        return prompt, "prompt_invalid", f"Use at most {max_words} words (you used {len(words)})."
    if not any(ch.isalpha() for ch in prompt):
        return prompt, "prompt_invalid", "A prompt needs at least one word."
    if content_filter.check(prompt):
        return prompt, "prompt_blocked", "That prompt is not allowed here. Try another one."
    return prompt, "", ""


def parse_pack(
    text: str,
    *,
    pack_id: str,
    name: str | None = None,
    max_words: int = MAX_PACK_WORDS,
    content_filter: ContentFilter,
) -> Pack:
    """A pack from its text (a JSON object, or one prompt per line). A JSON pack's own
    name wins over `name`. Raises PackError listing every problem, each with its line."""
    if len(text) > MAX_PACK_TEXT:
        raise PackError([f"A pack is at most {MAX_PACK_TEXT:,} characters (this one has {len(text):,})."])
    if text.lstrip().startswith("{"):
        entries, meta = _json_entries(text)
        name = meta.get("name") or name
        language = meta.get("language") or "en"
    else:
        entries = [
            (f"line {n}", line)
            for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
        language = "en"
    problems: list[str] = []
    clean_name = (name or "").strip() or "My pack"
    if len(clean_name) > MAX_NAME_CHARS:
        problems.append(f"name: at most {MAX_NAME_CHARS} characters")
    if not _LANGUAGE.match(language):
        problems.append(f'language: a language code like "en" or "pt-BR", not {language[:20]!r}')
    prompts: list[str] = []
    seen: dict[str, str] = {}
    for where, raw in entries:
        prompt, code, message = prompt_problem(raw, max_words, content_filter)
        if code:
            problems.append(f"{where}: {message}")
            continue
        key = prompt.casefold()
        if key in seen:
            problems.append(f"{where}: the same prompt as {seen[key]}")
            continue
        seen[key] = where
        prompts.append(prompt)
    if len(entries) > MAX_PACK_PROMPTS:
        problems.insert(0, f"A pack holds at most {MAX_PACK_PROMPTS} prompts (this one has {len(entries)}).")
    elif not problems and len(prompts) < MIN_PACK_PROMPTS:
        problems.append(f"A pack needs at least {MIN_PACK_PROMPTS} prompts (this one has {len(prompts)}).")
    if problems:
        raise PackError(problems)
    return Pack(id=pack_id, name=clean_name, language=language, prompts=prompts)


def _json_entries(text: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The prompts of a JSON pack with the line each one is on, and its name and language."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError([f"line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
    if not isinstance(data, dict):
        raise PackError(['line 1: a JSON pack is an object: {"name": ..., "language": ..., "prompts": [...]}'])
    unknown = sorted(set(data) - {"name", "language", "prompts"})
    problems = [f"unknown field {key!r} (a pack has name, language and prompts)" for key in unknown]
    meta: dict[str, str] = {}
    for key in ("name", "language"):
        if key in data:
            if isinstance(data[key], str):
                meta[key] = data[key]
            else:
                problems.append(f"{key}: must be a string")
    prompts = data.get("prompts")
    if not isinstance(prompts, list):
        problems.append('prompts: a list of strings is needed ("prompts": ["a cat on a bus", ...])')
        raise PackError(problems)
    entries: list[tuple[str, str]] = []
    start = text.find('"prompts"')
    for i, item in enumerate(prompts):
        if not isinstance(item, str):
            problems.append(f"prompts[{i}]: must be a string, not {type(item).__name__}")
            continue
        at = text.find(json.dumps(item, ensure_ascii=False), start)
        if at < 0:
            at = text.find(json.dumps(item), start)
        if at >= 0:
            start = at + 1
            entries.append((f"line {text.count(chr(10), 0, at) + 1}", item))
        else:  # written with escapes: name it by its place in the list
            entries.append((f"prompts[{i}]", item))
    if problems:
        raise PackError(problems)
    return entries, meta


def pack_file_id(path: Path) -> str:
    return path.stem.lower()


def load_dir(folder: Path, *, content_filter: ContentFilter, reserved: set[str]) -> dict[str, Pack]:
    """Every pack in `folder` (`*.txt` and `*.json`), by id (the file name without its
    extension). Raises PackError naming each bad file and line."""
    if not folder.is_dir():
        raise PackError([f"{folder}: not a folder"])
    packs: dict[str, Pack] = {}
    problems: list[str] = []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".json"))
    if not files:
        problems.append(f"{folder}: no pack files (*.txt or *.json)")
    for path in files:
        pack_id = pack_file_id(path)
        if not _ID.match(pack_id):
            problems.append(f"{path.name}: a pack's file name is 1–32 lower-case letters, digits, - or _")
            continue
        if pack_id in reserved or pack_id in packs:
            problems.append(f"{path.name}: the pack id {pack_id!r} is already taken")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: cannot be read as UTF-8 text ({exc.__class__.__name__})")
            continue
        try:
            name = path.stem.replace("_", " ").replace("-", " ")
            packs[pack_id] = parse_pack(text, pack_id=pack_id, name=name, content_filter=content_filter)
        except PackError as exc:
            problems += [f"{path.name}: {p}" for p in exc.problems]
    if problems:
        raise PackError(problems)
    return packs
