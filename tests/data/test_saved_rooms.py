"""Rooms saved to the database and brought back after a restart (in-process rooms)."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy import select, update

from imprompt.data.models import saved_rooms
from imprompt.data.rooms import RoomSaver
from imprompt.game import commands as c
from imprompt.game import reopen
from imprompt.game.rules import RulesEnv, pending_image
from imprompt.game.rules import shift_moments as shift_times
from imprompt.game.state import Phase, RoomState
from imprompt.rooms.scheduler import MemorySchedule
from imprompt.rooms.service import RoomService
from imprompt.rooms.store import MemoryStore

T0 = 1_764_000_000.0


def score(prompt: str, guess: str) -> int:
    return 100 if guess.lower() == prompt.lower() else 40


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


class Emitter:
    def __init__(self) -> None:
        self.sent: list = []

    async def send(self, sid, event, payload) -> None:
        self.sent.append((sid, event))

    async def send_many(self, sends) -> None:
        for sid, event, payload in sends:
            await self.send(sid, event, payload)

    async def to_room(self, code, event, payload) -> None:
        self.sent.append((code, event))

    async def detach(self, sid, code) -> None:
        pass


class Images:
    def __init__(self) -> None:
        self.started: list = []

    def start(self, code, job, report) -> None:
        self.started.append((code, job))


def make_service(clock: Clock) -> RoomService:
    return RoomService(MemoryStore(), MemorySchedule(), RulesEnv(score=score), Emitter(), Images(), clock=clock)


def saved_service(engine, clock: Clock, **options) -> tuple[RoomService, RoomSaver]:
    """A service whose room saver hears of every change (as the app wires them: an observer)."""
    store = MemoryStore()
    saver = RoomSaver(engine, store, clock=clock, **options)
    svc = RoomService(
        store, MemorySchedule(), RulesEnv(score=score), Emitter(), Images(), clock=clock, observers=[saver.changes]
    )
    return svc, saver


async def guessing_room(svc: RoomService, clock: Clock) -> tuple[str, dict]:
    """Three players in the guessing phase, one guess made. Returns the code and seats."""
    host, _ = await svc.create_room("Ann", "sid-a")
    bob, _ = await svc.join(host.code, "Bob", "sid-b")
    cy, _ = await svc.join(host.code, "Cy", "sid-c")
    seats = {"Ann": host, "Bob": bob, "Cy": cy}
    await svc.execute(host.code, c.StartGame(host.member_id))
    state = await svc.store.load(host.code)
    giver = state.turn.giver_id
    clock.t += 5
    await svc.execute(host.code, c.SubmitPrompt(giver, "red kite"))
    state = await svc.store.load(host.code)
    await svc.execute(
        host.code,
        c.ImageReady(turn=state.turn.number, attempt=0, url="/images/x.svg", provider="test", game=state.game),
    )
    clock.t += 3
    guesser = next(m for m in state.players() if m.id != giver)
    await svc.execute(host.code, c.SubmitGuess(guesser.id, "blue bird"))
    return host.code, seats


async def test_shift_times_moves_the_timers_only() -> None:
    clock = Clock()
    svc = make_service(clock)
    code, _ = await guessing_room(svc, clock)
    state = await svc.store.load(code)
    moved = shift_times(state, 100.0)
    assert moved.deadline == state.deadline + 100
    assert moved.turn.guess_started_at == state.turn.guess_started_at + 100
    g0 = next(g for g in state.turn.guessers.values() if g.guesses)
    g1 = moved.turn.guessers[next(k for k, g in state.turn.guessers.items() if g.guesses)]
    assert g1.best_at - moved.turn.guess_started_at == g0.best_at - state.turn.guess_started_at
    assert g1.guesses[0].at == g0.guesses[0].at + 100
    assert moved.created_at == state.created_at
    assert [m.joined_at for m in moved.members.values()] == [m.joined_at for m in state.members.values()]
    assert state == await svc.store.load(code), "pure: the input is unchanged"
    assert shift_times(state, 0) == state


async def test_reopen_holds_every_seat_and_keeps_the_turn() -> None:
    clock = Clock()
    svc = make_service(clock)
    code, _ = await guessing_room(svc, clock)
    state = await svc.store.load(code)
    left = state.deadline - clock.t
    later = clock.t + 600
    back = reopen(state, clock.t, later)
    assert back.phase == Phase.GUESSING and back.deadline - later == left
    assert all(not m.connected and m.sid is None and m.disconnected_at == later for m in back.members.values())
    assert back.empty_since == later
    assert [m.score for m in back.members.values()] == [m.score for m in state.members.values()]
    assert back.order == state.order


async def test_reopen_pauses_the_prompt_givers_timer() -> None:
    clock = Clock()
    svc = make_service(clock)
    host, _ = await svc.create_room("Ann", "sid-a")
    await svc.join(host.code, "Bob", "sid-b")
    await svc.execute(host.code, c.StartGame(host.member_id))
    clock.t += 10
    state = await svc.store.load(host.code)
    left = state.deadline - clock.t
    back = reopen(state, clock.t, clock.t + 30)
    assert back.phase == Phase.PROMPTING and back.deadline is None and back.paused_remaining == left


async def test_a_room_waiting_for_its_image_asks_for_it_again() -> None:
    clock = Clock()
    svc = make_service(clock)
    host, _ = await svc.create_room("Ann", "sid-a")
    await svc.join(host.code, "Bob", "sid-b")
    await svc.execute(host.code, c.StartGame(host.member_id))
    state = await svc.store.load(host.code)
    await svc.execute(host.code, c.SubmitPrompt(state.turn.giver_id, "red kite"))
    [(_, original)] = svc.images.started
    state = await svc.store.load(host.code)
    assert pending_image(state) == original
    assert pending_image(shift_times(state, 5)) == original


async def test_save_restore_and_resume_after_a_restart(sqlite_engine) -> None:
    clock = Clock()
    svc, saver = saved_service(sqlite_engine, clock)
    code, seats = await guessing_room(svc, clock)
    assert await saver.save_changed() == 1
    assert await saver.save_changed() == 0, "nothing changed since"
    before = await svc.store.load(code)

    clock.t += 120  # down for two minutes
    fresh, saver2 = saved_service(sqlite_engine, clock)
    assert await saver2.restore(fresh) == 1
    after = await fresh.store.load(code)
    assert after.phase == before.phase and after.deadline == before.deadline + 120
    assert await fresh.schedule.next_time() is not None

    # each player resumes with the token the server gave them
    for sid, seat in enumerate(seats.values()):
        resumed, _ = await fresh.resume(code, seat.token, f"new-{sid}")
        assert resumed.member_id == seat.member_id
    state = await fresh.store.load(code)
    assert all(m.connected for m in state.members.values())
    assert {m.name: m.score for m in state.members.values()} == {m.name: m.score for m in before.members.values()}
    # the game goes on: the deadline passes and the reveal comes
    clock.t = state.deadline + 0.1
    await fresh.execute(code, c.Tick())
    assert (await fresh.store.load(code)).phase == Phase.REVEAL
    await saver2.save_changed()
    async with sqlite_engine.connect() as conn:
        [row] = (await conn.execute(select(saved_rooms))).mappings().all()
    assert RoomState.model_validate_json(row["state"]).phase == Phase.REVEAL


async def test_closed_rooms_leave_the_table_and_bad_rows_are_dropped(sqlite_engine) -> None:
    clock = Clock()
    svc, saver = saved_service(sqlite_engine, clock)
    a, _ = await svc.create_room("Ann", "sid-a")
    b, _ = await svc.create_room("Bob", "sid-b")
    await saver.save_changed()
    await svc.execute(b.code, c.Leave(b.member_id))  # the last member leaves: the room closes
    await saver.save_changed()
    async with sqlite_engine.begin() as conn:
        codes = [r.code for r in await conn.execute(select(saved_rooms.c.code))]
        assert codes == [a.code]
        await conn.execute(update(saved_rooms).values(state='{"code": "broken'))
    fresh, saver2 = saved_service(sqlite_engine, clock)
    assert await saver2.restore(fresh) == 0
    await saver2.save_changed()
    async with sqlite_engine.connect() as conn:
        assert (await conn.execute(select(saved_rooms))).all() == []


async def test_a_failed_save_is_retried(sqlite_engine) -> None:
    clock = Clock()

    class Down:
        dialect = sqlite_engine.dialect

        def begin(self):
            raise ConnectionError("database is down")

    svc, saver = saved_service(Down(), clock)
    await svc.create_room("Ann", "sid-a")
    with contextlib.suppress(ConnectionError):
        await saver.save_changed()
    saver.engine = sqlite_engine
    assert await saver.save_changed() == 1


async def test_the_saver_runs_periodically(sqlite_engine) -> None:
    clock = Clock()
    svc, saver = saved_service(sqlite_engine, clock, interval=0.05)
    saver.start()
    try:
        await svc.create_room("Ann", "sid-a")
        for _ in range(40):
            if saver.saves:
                break
            await asyncio.sleep(0.05)
        assert saver.saves >= 1
    finally:
        await saver.stop()


def test_pending_image_is_none_outside_generation() -> None:
    state = RoomState(code="K7QX2M", seed=1, created_at=T0, updated_at=T0)
    assert pending_image(state) is None


async def test_a_deploy_overlap_hands_the_newest_rooms_to_the_new_instance(sqlite_engine) -> None:
    clock = Clock()
    old, old_saver = saved_service(sqlite_engine, clock)
    code, seats = await guessing_room(old, clock)
    await old_saver.save_changed()

    clock.t += 1
    new, new_saver = saved_service(sqlite_engine, clock)  # the new deployment starts while the old one still serves
    assert await new_saver.restore(new) == 1
    await new_saver.save_changed()  # its (older) copy lands in the table first

    clock.t += 1
    state = await old.store.load(code)
    guesser = next(m for m in state.players() if m.id != state.turn.giver_id and not state.turn.guessers[m.id].guesses)
    await old.execute(code, c.SubmitGuess(guesser.id, "green frog"))  # played on the old instance
    extra, _ = await old.create_room("Dee", "sid-d")  # a room opened there meanwhile
    clock.t += 0.5
    await old_saver.save_all()  # SIGTERM: the old instance saves everything once more

    assert await new_saver.adopt_newer() == 2
    adopted = await new.store.load(code)
    assert [g.text for g in adopted.turn.guessers[guesser.id].guesses] == ["green frog"]
    assert not any(m.connected for m in adopted.members.values())
    assert await new.store.load(extra.code) is not None

    # once a player is back here, this instance's copy is the truth
    await new.resume(code, seats["Ann"].token, "sid-new")
    # (from the giver: this fake scorer gives any guesser's line 40, which chat holds back as a guess)
    await old.execute(code, c.Chat(state.turn.giver_id, "late line"))
    clock.t += 0.5
    await old_saver.save_all()
    assert await new_saver.adopt_newer() == 0
    assert [line.text for line in (await new.store.load(code)).chat if line.kind == "player"] == []


async def test_shared_snapshots_survive_the_store_losing_its_rooms(sqlite_engine) -> None:
    """With Redis (shared): a room missing from the store keeps its snapshot unless this
    instance saw it end, an older revision never replaces a newer one, and a restored room's
    revision moves ahead of anything a client saw."""
    clock = Clock()
    svc, saver = saved_service(sqlite_engine, clock, shared=True)
    code, _seats = await guessing_room(svc, clock)
    ended, _ = await svc.create_room("Eve", "sid-e")
    await saver.save_changed()
    revision = (await svc.store.load(code)).revision
    await svc.execute(ended.code, c.Leave(ended.member_id))  # ends here: its row goes
    await svc.execute(code, c.Disconnect("sid-b"))  # changed, then lost with the store
    await svc.store.delete(code)  # Redis lost it: no observer hears of that
    await saver.save_changed()
    async with sqlite_engine.connect() as conn:
        rows = {r.code: r.revision for r in await conn.execute(select(saved_rooms))}
    assert rows == {code: revision}

    other_svc, other = saved_service(sqlite_engine, clock, shared=True)  # an instance with an older copy
    await other_svc.store.save((await saved_copy(sqlite_engine, code)).model_copy(update={"revision": revision - 1}))
    other.changes.mark_dirty({code})
    await other.save_changed()
    async with sqlite_engine.connect() as conn:
        assert (await conn.execute(select(saved_rooms.c.revision))).scalar_one() == revision

    fresh, saver2 = saved_service(sqlite_engine, clock, shared=True)
    assert await saver2.restore(fresh) == 1
    back = await fresh.store.load(code)
    assert back.revision > revision + 1000 and not any(m.connected for m in back.members.values())


async def saved_copy(engine, code: str) -> RoomState:
    async with engine.connect() as conn:
        raw = (await conn.execute(select(saved_rooms.c.state).where(saved_rooms.c.code == code))).scalar_one()
    return RoomState.model_validate_json(raw)
