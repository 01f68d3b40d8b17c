"""Content filter settings: words refused in prompts and chat, on top of the built-in list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from .base import Group, blank_is_unset, split_list


class ContentSettings(Group):
    content_blocklist: Annotated[list[str], NoDecode] = Field(default_factory=list)
    content_blocklist_file: str | None = None  # one word or phrase per line; # starts a comment

    @field_validator("content_blocklist", mode="before")
    @classmethod
    def _list(cls, value: object) -> object:
        return split_list(value)

    @field_validator("content_blocklist_file", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return blank_is_unset(value)

    @field_validator("content_blocklist_file")
    @classmethod
    def _readable(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).is_file():
            raise ValueError("no such file")
        return value

    def extra_words(self) -> list[str]:
        """CONTENT_BLOCKLIST and the lines of CONTENT_BLOCKLIST_FILE (blank lines and comments skipped)."""
        words = list(self.content_blocklist)
        if self.content_blocklist_file:
            lines = Path(self.content_blocklist_file).read_text(encoding="utf-8").splitlines()
            words += [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
        return words
