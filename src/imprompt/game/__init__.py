"""The pure game: room state, commands, rules, views, scoring. Imports nothing else of imprompt."""

from __future__ import annotations

from .rules.restore import reopen

__all__ = ["reopen"]
