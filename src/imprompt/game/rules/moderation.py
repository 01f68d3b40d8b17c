"""Chat, and removing players: by the host, or by a vote of the others."""

from __future__ import annotations

from .. import commands as c
from .. import effects as fx
from ..names import clean_text
from ..replies import ChatSent, VoteCount
from ..state import ChatLine, RoomState
from . import checks
from .membership import expel, votes_needed
from .outcome import NOBODY, Outcome, Rejected, RulesEnv

MAX_CHAT_CHARS = 200
CHAT_TAIL = 30  # chat lines a room keeps (and a newcomer is shown)


def chat(s: RoomState, cmd: c.Chat, now: float, env: RulesEnv, out: Outcome) -> None:
    member = checks.member(s, cmd.member_id)
    try:
        text = clean_text(cmd.text, MAX_CHAT_CHARS)
    except ValueError:
        raise Rejected("chat_invalid", f"A message needs 1–{MAX_CHAT_CHARS} characters.") from None
    if env.content_filter.check(text):
        raise Rejected("chat_blocked", "That message is not allowed here.")
    s.chat_seq += 1
    line = ChatLine(id=s.chat_seq, member_id=member.id, name=member.name, text=text, at=now)
    s.chat = [*s.chat[-(CHAT_TAIL - 1) :], line]
    out.effects.append(fx.SendChat(line))
    out.reply = ChatSent(line.id)
    out.audience = NOBODY  # the line goes out as its own event; no view changed


def kick(s: RoomState, cmd: c.Kick, now: float, out: Outcome) -> None:
    checks.require_host(s, cmd.member_id)
    _check_target(s, cmd.member_id, cmd.target_id)
    expel(s, cmd.target_id, now, out, "The host removed you from the room.")


def vote_kick(s: RoomState, cmd: c.VoteKick, now: float, out: Outcome) -> None:
    if checks.member(s, cmd.member_id).role != "player":
        raise Rejected("not_a_player", "Only players can vote.")
    _check_target(s, cmd.member_id, cmd.target_id)
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


def _check_target(s: RoomState, actor_id: str, target_id: str) -> None:
    if target_id not in s.members:
        raise Rejected("unknown_member", "That player is not in this room.")
    if target_id == actor_id:
        raise Rejected("not_allowed", "You cannot remove yourself; leave the room instead.")
