"""The game rules, as a package whose modules say what they hold:

- `apply`: the dispatcher (`apply`, `new_room`) and the declared command table
- `deadlines`: what each phase does when its deadline passes (`ON_DEADLINE`), seat holds, hints
- `membership`: join, resume, disconnect, leave, removal, big screens
- `album`: the host steps the big screens through the finished game's album
- `lobby`: settings, ready, start, new game
- `prompting`: prompts, suggestions, image results
- `guessing`: scoring a guess, the reveal
- `flow`: next turn, next round, end of the game
- `moderation`: chat, kicks, vote kicks
- `restore`: a saved room reopened after a restart
"""

from __future__ import annotations

from .apply import COMMANDS, apply, new_room
from .deadlines import HINT_STEPS, ON_DEADLINE, next_wakeup
from .guessing import MAX_GUESS_CHARS
from .moderation import CHAT_TAIL, MAX_CHAT_CHARS
from .outcome import EVERYONE, NOBODY, Audience, Outcome, Rejected, RulesEnv
from .prompting import MAX_PROMPT_CHARS, check_prompt, pending_image
from .restore import reopen, shift_moments

__all__ = [
    "CHAT_TAIL",
    "COMMANDS",
    "EVERYONE",
    "HINT_STEPS",
    "MAX_CHAT_CHARS",
    "MAX_GUESS_CHARS",
    "MAX_PROMPT_CHARS",
    "NOBODY",
    "ON_DEADLINE",
    "Audience",
    "Outcome",
    "Rejected",
    "RulesEnv",
    "apply",
    "check_prompt",
    "new_room",
    "next_wakeup",
    "pending_image",
    "reopen",
    "shift_moments",
]
