"""Prompt pack settings: a folder of the operator's packs (docs/packs.md).

`PROMPT_PACKS_DIR` names a folder of `*.txt` (one prompt per line) and `*.json` packs.
Every pack in it is read and checked once at start (`load_settings`), with the content
filter the rooms use (CONTENT_BLOCKLIST included): a bad file stops the server with one
message naming each file and line, instead of a host finding out in the middle of a game.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import PrivateAttr, field_validator

from ..game.content_filter import ContentFilter
from ..game.packs import CUSTOM, Pack, PackError, load_dir
from .base import Group, blank_is_unset


class PackSettings(Group):
    prompt_packs_dir: str | None = None  # empty: only the built-in themes
    _packs: dict[str, Pack] | None = PrivateAttr(default=None)

    @field_validator("prompt_packs_dir", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return blank_is_unset(value)

    @field_validator("prompt_packs_dir")
    @classmethod
    def _folder(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).is_dir():
            raise ValueError("no such folder")
        return value

    def load(self, content_filter: ContentFilter) -> list[str]:
        """Read and check every pack; the problems, one line each (empty when all are good)."""
        from ..game.suggestions import BUILTIN_PACKS

        if self.prompt_packs_dir is None:
            self._packs = {}
            return []
        try:
            self._packs = load_dir(
                Path(self.prompt_packs_dir), content_filter=content_filter, reserved={*BUILTIN_PACKS, CUSTOM}
            )
        except PackError as exc:
            return [f"PROMPT_PACKS_DIR: {problem}" for problem in exc.problems]
        return []

    def packs(self) -> dict[str, Pack]:
        """The operator's packs by id (read at start by `load_settings`)."""
        if self._packs is None:
            problems = self.load(ContentFilter())
            if problems:
                raise PackError(problems)
        return dict(self._packs or {})
