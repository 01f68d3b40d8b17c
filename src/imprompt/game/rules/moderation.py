"""Chat, and removing players: by the host, or by a vote of the others.

While the prompt is a secret (generating and guessing), chat keeps it one:

- the prompt giver and guessers who solved it talk in the **solved channel**, which
  reaches everyone except the guessers still in the dark (spectators see it);
- a line in the open channel that gives the prompt away (`gives_away`) never reaches a
  guesser in the dark: from such a guesser it is refused as `guess_in_chat` (guesses go in
  the guess box), from anyone else (a spectator) it goes to the solved channel.

System lines (`announce`: joins, leaves, host changes, "got it", "very close") are chat
lines of kind "system" written by the rules, never by a player.
"""

from __future__ import annotations

import re
import unicodedata

from .. import commands as c
from .. import effects as fx
from ..names import clean_text
from ..replies import ChatSent, VoteCount
from ..state import ChatLine, Member, Phase, RoomState
from . import checks
from .outcome import NOBODY, Outcome, Rejected, RulesEnv

MAX_CHAT_CHARS = 200
CHAT_TAIL = 30  # chat lines a room keeps (and a newcomer is shown)

# A line scoring this much against the prompt gives it away: the "warm" band and up.
# The table it was chosen on is in docs/protocol.md ("Chat during a turn").
SPOILER_AT = 40
# Words of a prompt that carry no meaning of their own: seeing one in chat spoils nothing.
_FILLER = frozenset(
    """
    a an the this that these those it its is are was were be of and or but to for as by from
    on in under over above below behind beside inside outside near next with without at into
    onto through across between around up down out off upon atop some any very his her their
    """.split()
)
_WORD = re.compile(r"[^\W_]+")


def _stems(text: str) -> set[str]:
    """Lower-case words without accents or a plural ending: "Skateboards!" -> "skateboard"."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    return {_stem(w) for w in _WORD.findall(plain)}


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("es"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(prompt: str) -> set[str]:
    return {w for w in _stems(prompt) if len(w) >= 3 and w not in _FILLER}


def gives_away(prompt: str, text: str, env: RulesEnv) -> bool:
    """True if `text` would spoil `prompt`: it scores SPOILER_AT or more, or names one of its content words."""
    if content_words(prompt) & _stems(text):
        return True
    return max(0, min(100, int(env.score(prompt, text)))) >= SPOILER_AT


def in_the_dark(s: RoomState) -> set[str]:
    """Members who must not learn the prompt yet: the guessers who have not solved it."""
    turn = s.turn
    if turn is None or not turn.prompt or s.phase not in (Phase.GENERATING, Phase.GUESSING):
        return set()
    if s.phase == Phase.GUESSING:
        return {mid for mid, g in turn.guessers.items() if not g.solved}
    return {m.id for m in s.players() if m.id != turn.giver_id}


def announce(s: RoomState, now: float, out: Outcome, event: str, who: Member, text: str) -> None:
    """Append a system line (no player text) about `who`, for everyone: the one helper the
    other rules (membership, guessing) call for the moments of a game."""
    _post(s, out, ChatLine(id=0, member_id=who.id, name=who.name, text=text, at=now, kind="system", event=event))


def _post(s: RoomState, out: Outcome, line: ChatLine) -> ChatLine:
    s.chat_seq += 1
    line = line.model_copy(update={"id": s.chat_seq})
    s.chat = [*s.chat[-(CHAT_TAIL - 1) :], line]
    out.effects.append(fx.SendChat(line))
    return line


def chat(s: RoomState, cmd: c.Chat, now: float, env: RulesEnv, out: Outcome) -> None:
    member = checks.member(s, cmd.member_id)
    try:
        text = clean_text(cmd.text, MAX_CHAT_CHARS)
    except ValueError:
        raise Rejected("chat_invalid", f"A message needs 1–{MAX_CHAT_CHARS} characters.") from None
    if env.content_filter.check(text):
        raise Rejected("chat_blocked", "That message is not allowed here.")
    dark = in_the_dark(s)
    solved_channel = False
    if dark:
        turn = checks.current_turn(s)
        spoiler = gives_away(turn.prompt or "", text, env)
        if member.id in dark and spoiler:
            raise Rejected("guess_in_chat", "That looks like a guess: type it in the guess box.")
        solved_channel = member.id not in dark and (member.id == turn.giver_id or member.id in turn.guessers or spoiler)
    line = ChatLine(id=0, member_id=member.id, name=member.name, text=text, at=now)
    if solved_channel:
        to = [mid for mid in s.members if mid not in dark]
        line = line.model_copy(update={"channel": "solved", "to": to})
    line = _post(s, out, line)
    out.reply = ChatSent(line.id)
    out.audience = NOBODY  # the line goes out as its own event; no view changed


def kick(s: RoomState, cmd: c.Kick, now: float, out: Outcome) -> None:
    checks.require_host(s, cmd.member_id)
    _check_target(s, cmd.member_id, cmd.target_id)
    from .membership import expel  # membership announces through this module: import it late

    expel(s, cmd.target_id, now, out, "The host removed you from the room.")


def vote_kick(s: RoomState, cmd: c.VoteKick, now: float, out: Outcome) -> None:
    from .membership import expel, votes_needed  # late, as in kick

    if checks.member(s, cmd.member_id).role != "player":
        raise Rejected("not_a_player", "Only players can vote.")
    _check_target(s, cmd.member_id, cmd.target_id)
    if s.members[cmd.target_id].role != "player":
        raise Rejected("not_a_player", "Only players can be voted out; the host can remove a spectator.")
    if len(s.players()) < 3:
        raise Rejected("not_enough_players", "Vote kicks need at least 3 players; ask the host.")
    voters = s.kick_votes.setdefault(cmd.target_id, [])
    if cmd.member_id in voters:
        raise Rejected("already_voted", "You already voted to remove this player.")
    voters.append(cmd.member_id)
    needed = votes_needed(s, cmd.target_id)
    kicked = len(voters) >= needed
    out.reply = VoteCount(votes=len(voters), needed=needed, kicked=True if kicked else None)
    if kicked:
        expel(s, cmd.target_id, now, out, "The other players voted to remove you.")


def unvote_kick(s: RoomState, cmd: c.UnvoteKick, now: float, out: Outcome) -> None:
    """Take one's own vote back (the count others see goes down)."""
    from .membership import votes_needed

    voters = s.kick_votes.get(cmd.target_id, [])
    if cmd.member_id not in voters:
        raise Rejected("not_voted", "You have not voted to remove this player.")
    voters.remove(cmd.member_id)
    if not voters:
        del s.kick_votes[cmd.target_id]
    out.reply = VoteCount(votes=len(voters), needed=votes_needed(s, cmd.target_id))


def _check_target(s: RoomState, actor_id: str, target_id: str) -> None:
    if target_id not in s.members:
        raise Rejected("unknown_member", "That player is not in this room.")
    if target_id == actor_id:
        raise Rejected("not_allowed", "You cannot remove yourself; leave the room instead.")
