"""RoomService: the one place that loads a room, applies a command and carries out effects.

Commands for one room are serialised by the store's lock, so two events never
interleave. Effects run after the new state is saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from ..game import commands as c
from ..game import effects as fx
from ..game.codes import new_code
from ..game.replies import Seated
from ..game.rules import Audience, Outcome, Rejected, RulesEnv, apply, new_room, next_wakeup, pending_image
from ..game.state import RoomState, Timing
from ..game.views import RoomViews, chat_history, chat_view, view_for
from .scheduler import Schedule
from .store import RoomStore

log = structlog.get_logger("imprompt.rooms")


class Emitter(Protocol):
    """How the service reaches sockets (implemented by the realtime layer)."""

    async def send(self, sid: str, event: str, payload: Any) -> None: ...

    async def send_many(self, sends: Sequence[tuple[str, str, Any]]) -> None:
        """Each (sid, event, payload) in `sends`: one change's views to its members."""
        ...

    async def to_room(self, code: str, event: str, payload: Any) -> None: ...

    async def detach(self, sid: str, code: str) -> None: ...


class ImageRunner(Protocol):
    def start(self, code: str, job: fx.GenerateImage, report: Callable[[str, c.Command], Awaitable[Any]]) -> None: ...


class RoomObserver(Protocol):
    """Told after each save and delete the service makes (metrics, the room saver)."""

    def room_saved(self, state: RoomState) -> None: ...

    def room_deleted(self, code: str) -> None: ...


Summary = fx.TurnEnded | fx.GameEnded
SummaryListener = Callable[[Summary], Awaitable[None]]


@dataclass
class Seat:
    code: str
    member_id: str
    token: str | None  # only returned on join; never stored in clear


def token_hash(code: str, token: str) -> str:
    # Bound to the room code, so a token is useless anywhere else.
    return hashlib.sha256(f"{code}:{token}".encode()).hexdigest()


class RoomService:
    def __init__(
        self,
        store: RoomStore,
        schedule: Schedule,
        env: RulesEnv,
        emitter: Emitter,
        images: ImageRunner | None = None,
        *,
        timing: Timing | None = None,
        max_rooms: int = 2000,
        clock: Callable[[], float] = time.time,
        observers: Sequence[RoomObserver] = (),
        summaries: Sequence[SummaryListener] = (),
    ) -> None:
        self.store = store
        self.schedule = schedule
        self.env = env
        self.emitter = emitter
        self.images = images
        self.timing = timing or Timing()
        self.max_rooms = max_rooms
        self.clock = clock
        self.observers = list(observers)
        self.summaries = list(summaries)  # analytics: each TurnEnded / GameEnded
        self.accepting = True
        # With Redis: true while rooms Redis lost are being brought back (Presence), so a
        # missing room answers "try again" (server_restarting), not room_not_found.
        self.restoring: Callable[[], Awaitable[bool]] | None = None
        self._wake = asyncio.Event()
        # when the sleeping deadline loop wakes anyway; 0 while it is not asleep (it reads the
        # schedule again before it sleeps), so a save only wakes it for an earlier deadline
        self._sleep_until = 0.0

    # ------------------------------------------------------------ entry points

    async def create_room(
        self, name: str, sid: str | None, *, spectator: bool = False, settings: dict[str, object] | None = None
    ) -> tuple[Seat, Outcome]:
        if not self.accepting:
            raise Rejected("server_restarting", "The server is restarting; try again in a moment.")
        if await self.store.count() >= self.max_rooms:
            raise Rejected("server_busy", "The server has too many rooms right now; try again later.")
        rng = random.SystemRandom()
        for _ in range(20):
            code = new_code(rng, ())
            if await self.store.reserve(code):
                break
        else:  # pragma: no cover - the code space is ~10^9
            raise Rejected("server_busy", "Could not find a free room code; try again.")
        state = new_room(code, rng.randrange(2**31), self.clock(), timing=self.timing)
        await self._save(state)
        try:
            seat, outcome = await self.join(code, name, sid, spectator=spectator)
            if settings:
                outcome = await self.execute(code, c.UpdateSettings(seat.member_id, settings))
        except Rejected:
            await self._delete(code)  # observers hear of it too: no stale metrics entry, the saver forgets it
            raise
        return seat, outcome

    async def join(
        self, code: str, name: str, sid: str | None, *, spectator: bool = False, device: str | None = None
    ) -> tuple[Seat, Outcome]:
        if not self.accepting:
            raise Rejected("server_restarting", "The server is restarting; try again in a moment.")
        token = secrets.token_urlsafe(24)
        member_id = "p" + secrets.token_hex(5)
        device_hash = token_hash(code, "device:" + device) if device else None
        cmd = c.Join(
            member_id=member_id,
            name=name,
            token_hash=token_hash(code, token),
            sid=sid,
            spectator=spectator,
            device_hash=device_hash,
        )
        outcome = await self.execute(code, cmd)
        return Seat(code, member_id, token), outcome

    async def watch_screen(self, code: str, sid: str | None) -> tuple[Seat, Outcome]:
        """A big screen starts watching `code` (rules/membership.watch_screen)."""
        if not self.accepting:
            raise Rejected("server_restarting", "The server is restarting; try again in a moment.")
        screen_id = "s" + secrets.token_hex(5)
        outcome = await self.execute(code, c.WatchScreen(screen_id, sid))
        return Seat(code, screen_id, None), outcome  # no token: a screen watches again instead

    async def resume(self, code: str, token: str, sid: str | None) -> tuple[Seat, Outcome]:
        outcome = await self.execute(code, c.Resume(token_hash=token_hash(code, token), sid=sid))
        if not isinstance(outcome.reply, Seated):
            raise RuntimeError(f"Resume answered {type(outcome.reply).__name__}, not Seated")
        return Seat(code, outcome.reply.member_id, None), outcome

    async def execute(self, code: str, command: c.Command) -> Outcome:
        """Run one command through the rules. Raises Rejected for a player's mistake."""
        async with self.store.lock(code):
            state = await self.store.load(code)
            if state is None:
                if self.restoring is not None and await self.restoring():
                    raise Rejected("server_restarting", "The rooms are being brought back. Trying again in a moment.")
                raise Rejected("room_not_found", f"There is no room {code}. Check the code.")
            now = self.clock()
            # the store hands this writer the room (see rooms/store.py): the rules change it
            # in place; on a refusal the store forgets the changed object and keeps its last save
            try:
                outcome = apply(state, command, now, self.env, owned=True)
            except Exception:  # a bug in the rules: the half-changed room must not be kept
                await self.store.revert(code)
                raise
            if outcome.error:
                await self.store.revert(code)
                raise outcome.error
            new = outcome.state
            if new.closed:
                await self._delete(code)
            else:
                await self._save(new)
        await self._carry_out(new, outcome, now)
        return outcome

    async def restore(self, state: RoomState) -> None:
        """Put a reopened room (`game.reopen`) back: saved, scheduled, its image asked for again.

        The caller holds the room's lock (`store.lock`) when another command could race it."""
        await self._save(state)
        job = pending_image(state)
        if job is not None and self.images is not None:
            self.images.start(state.code, job, self.execute)

    async def _save(self, state: RoomState) -> None:
        await self.store.save(state)
        await self._schedule(state.code, next_wakeup(state))
        for observer in self.observers:
            observer.room_saved(state)

    async def _delete(self, code: str) -> None:
        await self.store.delete(code)
        await self.schedule.set(code, None)
        for observer in self.observers:
            observer.room_deleted(code)

    async def view(self, code: str, member_id: str) -> dict[str, Any]:
        state = await self.store.load(code)
        if state is None:
            raise Rejected("room_not_found", f"There is no room {code}.")
        return view_for(state, member_id, self.clock())

    async def chat_history(self, code: str, member_id: str) -> list[dict[str, Any]]:
        state = await self.store.load(code)
        return chat_history(state, member_id) if state else []

    # ------------------------------------------------------------ effects

    async def _carry_out(self, state: RoomState, outcome: Outcome, now: float) -> None:
        await self._send_views(state, outcome.audience, now)
        for effect in outcome.effects:
            try:
                await self._effect(state, effect)
            except Exception:  # one failed effect must not stop the others
                log.exception("effect_failed", room=state.code, effect=type(effect).__name__)

    async def _send_views(self, state: RoomState, audience: Audience, now: float) -> None:
        if not audience.anyone:
            return
        views = RoomViews(state, now)
        sends = [
            (m.sid, "room:view", views.of(m.id)) for m in state.members.values() if m.sid and audience.includes(m.id)
        ]
        sends += [
            (s.sid, "room:view", views.of(s.id)) for s in state.screens.values() if s.sid and audience.includes(s.id)
        ]
        if sends:
            await self.emitter.send_many(sends)

    async def _effect(self, state: RoomState, effect: fx.Effect) -> None:
        if isinstance(effect, fx.GenerateImage):
            if self.images is None:
                raise RuntimeError("no image runner configured")
            self.images.start(state.code, effect, self.execute)
        elif isinstance(effect, fx.SendChat):
            line = chat_view(effect.line)
            if effect.to is None:
                await self.emitter.to_room(state.code, "chat:message", line)
            else:  # a restricted line (the solved channel) goes to each allowed member's socket only
                sids = [m.sid for m in state.members.values() if m.sid and m.id in effect.to]
                await self.emitter.send_many([(sid, "chat:message", line) for sid in sids])
        elif isinstance(effect, fx.NotifyMember):
            if effect.sid:
                await self.emitter.send(effect.sid, effect.event, effect.payload)
                if effect.detach:
                    await self.emitter.detach(effect.sid, state.code)
        elif isinstance(effect, fx.CloseRoom):
            await self.emitter.to_room(state.code, "room:closed", {"reason": effect.reason})
            log.info("room_closed", room=state.code, reason=effect.reason)
        elif isinstance(effect, fx.TurnEnded | fx.GameEnded):
            log.info("turn_ended" if isinstance(effect, fx.TurnEnded) else "game_ended", room=state.code)
            for listener in self.summaries:
                await listener(effect)

    # ------------------------------------------------------------ deadlines

    async def _schedule(self, code: str, when: float | None) -> None:
        await self.schedule.set(code, when)
        # Most commands keep their room's deadline; waking the loop for each of them cost
        # 25-30 us of CPU per command (a new wait_for, a task and a timer: bench/README.md).
        if when is not None and when < self._sleep_until:
            self._wake.set()

    async def _fire_due(self) -> None:
        for code in await self.schedule.claim_due(self.clock()):
            try:
                await self.execute(code, c.Tick())
            except Rejected:
                pass  # the room is gone or closed meanwhile
            except Exception:
                log.exception("tick_failed", room=code)
                # claim_due removed the entry: put it back so the room is not stranded
                await self.schedule.set(code, self.clock() + 1.0)

    async def run_deadlines(self, *, poll: float = 1.0) -> None:
        """Turn passed deadlines into Tick commands, forever (cancel to stop).

        `poll` bounds the sleep so deadlines set by other processes (Redis) are seen.

        redis.asyncio may finish a command after its task was cancelled and drop the cancel
        (seen in most cancels mid-command), so the loop also ends when a cancel is pending:
        otherwise the shutdown that awaits it hangs."""
        me = asyncio.current_task()
        failing = False
        while me is None or not me.cancelling():
            try:
                await self._fire_due()
                nxt = await self.schedule.next_time()
                delay = poll if nxt is None else min(poll, max(0.0, nxt - self.clock()))
                if failing:
                    log.info("deadline_loop_recovered")
                failing = False
            except Exception:  # e.g. Redis unreachable: keep the loop alive and try again
                if not failing:  # one traceback per outage, not one a second
                    log.exception("deadline_loop_failed")
                failing = True
                delay = poll
            self._wake.clear()
            if delay > 0:
                self._sleep_until = self.clock() + delay
                try:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=delay)
                finally:
                    self._sleep_until = 0.0
