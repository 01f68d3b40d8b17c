"""MemoryStore writes a room's JSON when it is read, not on every save (rooms/store.py),
and still hands back the last save after a refused or a failed command."""

from __future__ import annotations

import pytest

import imprompt.rooms.service as service_module
from imprompt.game import commands as c
from imprompt.game.rules import Rejected, RulesEnv
from imprompt.game.state import RoomState
from imprompt.rooms.scheduler import MemorySchedule
from imprompt.rooms.service import RoomService
from imprompt.rooms.store import MemoryStore

from .test_service_deadlines import Silent


async def lobby(store: MemoryStore) -> tuple[RoomService, str, list[str]]:
    service = RoomService(store, MemorySchedule(), RulesEnv(score=lambda p, g: 10), Silent(), clock=lambda: 1000.0)
    seat, _ = await service.create_room("Ann", "sid-0")
    others = [(await service.join(seat.code, name, f"sid-{name}"))[0].member_id for name in ("Bob", "Cy")]
    return service, seat.code, [seat.member_id, *others]


async def test_saves_by_the_writer_are_written_out_when_read() -> None:
    store = MemoryStore()
    service, code, _ = await lobby(store)
    state = await store.load(code)
    assert state is not None and len(state.members) == 3
    assert code in store._stale  # the joins were saved as objects only
    raw = await store.dump(code)
    assert raw == state.model_dump_json() and code not in store._stale
    assert RoomState.model_validate_json(raw) == state


async def test_a_refused_command_keeps_the_last_save() -> None:
    store = MemoryStore()
    service, code, (host, bob, _) = await lobby(store)
    saved = (await store.load(code)).model_dump_json()  # type: ignore[union-attr]
    with pytest.raises(Rejected):
        await service.execute(code, c.StartGame(bob))  # not the host
    with pytest.raises(Rejected):
        await service.execute(code, c.Join("p-new", "ANN", "x" * 64, "sid-x"))  # name taken
    assert (await store.load(code)).model_dump_json() == saved  # type: ignore[union-attr]
    assert await store.dump(code) == saved


async def test_a_failed_command_rolls_back_to_the_last_written_json(monkeypatch) -> None:
    store = MemoryStore()
    service, code, players = await lobby(store)
    written = RoomState.model_validate_json(await store.dump(code))  # type: ignore[arg-type]
    for m in players:  # starts the game: saved, not written
        await service.execute(code, c.SetReady(m, True))
    state = await store.load(code)
    assert state is not None and state.phase != written.phase and code in store._stale
    broken_revision = state.revision

    def fail(*args, **kwargs):
        state.members.clear()  # half-way through, then a bug
        raise RuntimeError("a bug in the rules")

    with monkeypatch.context() as patch:
        patch.setattr(service_module, "apply", fail)
        with pytest.raises(RuntimeError):
            await service.execute(code, c.Chat(players[0], "hi"))
    back = await store.load(code)
    assert back is not None and back.members == written.members and back.phase == written.phase
    assert back.revision == broken_revision + 1  # newer than any view the clients hold
    assert RoomState.model_validate_json(await store.dump(code)) == back  # type: ignore[arg-type]


async def test_a_failed_command_after_a_write_gets_the_exact_last_save() -> None:
    store = MemoryStore()
    service, code, players = await lobby(store)
    for m in players:
        await service.execute(code, c.SetReady(m, True))
    exact = await store.dump(code)  # the saver's tick: written, nothing saved since
    state = await store.load(code)
    assert state is not None
    with pytest.raises(RuntimeError):
        async with store.lock(code):
            (await store.load(code)).members.clear()  # type: ignore[union-attr]
            await store.revert(code)
            raise RuntimeError("a bug")
    assert (await store.load(code)).model_dump_json() == exact  # type: ignore[union-attr]


async def test_a_revert_outside_the_lock_never_keeps_a_changed_object() -> None:
    store = MemoryStore()
    service, code, players = await lobby(store)
    written = await store.dump(code)
    await service.execute(code, c.SetReady(players[1], True))  # saved, not written
    (await store.load(code)).members.clear()  # type: ignore[union-attr]
    await store.revert(code)
    back = await store.load(code)
    assert back is not None and len(back.members) == 3
    assert back.members == RoomState.model_validate_json(written).members  # type: ignore[arg-type]
