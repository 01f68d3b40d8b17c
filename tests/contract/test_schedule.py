"""The Schedule contract (rooms/scheduler.py): when each room next needs a Tick."""

from __future__ import annotations

import asyncio

from imprompt.rooms.scheduler import Schedule

NOW = 1_700_000_000.0


async def test_an_empty_schedule_has_no_next_time_and_nothing_due(schedule: Schedule) -> None:
    assert await schedule.next_time() is None
    assert await schedule.claim_due(NOW) == []


async def test_next_time_is_the_earliest(schedule: Schedule) -> None:
    await schedule.set("AAAAAA", NOW + 30)
    await schedule.set("BBBBBB", NOW + 10)
    await schedule.set("CCCCCC", NOW + 20)
    assert await schedule.next_time() == NOW + 10
    await schedule.set("CCCCCC", NOW + 5)  # moved earlier
    assert await schedule.next_time() == NOW + 5
    await schedule.set("CCCCCC", NOW + 50)  # moved later: its old time no longer counts
    assert await schedule.next_time() == NOW + 10


async def test_setting_none_removes_the_room(schedule: Schedule) -> None:
    await schedule.set("AAAAAA", NOW + 10)
    await schedule.set("BBBBBB", NOW + 20)
    await schedule.set("AAAAAA", None)
    assert await schedule.next_time() == NOW + 20
    assert await schedule.claim_due(NOW + 100) == ["BBBBBB"]
    await schedule.set("NOPE00", None)  # removing an unscheduled room is harmless
    assert await schedule.next_time() is None


async def test_claim_due_hands_out_due_rooms_once_in_time_order(schedule: Schedule) -> None:
    await schedule.set("LATER0", NOW + 60)
    await schedule.set("BBBBBB", NOW - 1)
    await schedule.set("AAAAAA", NOW - 5)
    await schedule.set("EXACT0", NOW)  # due at exactly now
    assert await schedule.claim_due(NOW) == ["AAAAAA", "BBBBBB", "EXACT0"]
    assert await schedule.claim_due(NOW) == []
    assert await schedule.next_time() == NOW + 60


async def test_a_rescheduled_room_is_due_at_its_new_time_only(schedule: Schedule) -> None:
    await schedule.set("AAAAAA", NOW - 5)
    await schedule.set("AAAAAA", NOW + 30)
    assert await schedule.claim_due(NOW) == []
    assert await schedule.claim_due(NOW + 30) == ["AAAAAA"]
    assert await schedule.claim_due(NOW + 1000) == []


async def test_claim_due_respects_the_limit(schedule: Schedule) -> None:
    for i in range(5):
        await schedule.set(f"ROOM0{i}", NOW - 10 + i)
    assert await schedule.claim_due(NOW, limit=2) == ["ROOM00", "ROOM01"]
    assert await schedule.claim_due(NOW, limit=10) == ["ROOM02", "ROOM03", "ROOM04"]


async def test_two_claimers_get_each_due_room_exactly_once(backing) -> None:
    """With many instances a deadline fires once: concurrent claimers split the due rooms."""
    first, second = backing.schedule(), backing.schedule()
    due = {f"DUE{i:03d}" for i in range(60)}
    for i, code in enumerate(sorted(due)):
        await first.set(code, NOW - 100 + i)
    await first.set("LATER0", NOW + 60)
    a, b = await asyncio.gather(first.claim_due(NOW), second.claim_due(NOW))
    assert len(a) == len(set(a)) and len(b) == len(set(b))
    assert not set(a) & set(b), "a room was handed to both claimers"
    assert set(a) | set(b) == due
    assert await second.claim_due(NOW) == [] and await first.claim_due(NOW) == []
    assert await second.next_time() == NOW + 60
