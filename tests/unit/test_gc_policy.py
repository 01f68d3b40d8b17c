"""The serving process's collector policy: young survivors frozen, frozen garbage freed by the full pass."""

from __future__ import annotations

import asyncio
import gc
import weakref

from imprompt.ops.gc_policy import MIDDLE, YOUNG, GcPolicy


class Node:
    me: Node


def _cycle() -> weakref.ref[Node]:
    node = Node()
    node.me = node  # only the cyclic collector can free it
    return weakref.ref(node)


def test_frozen_cycles_wait_for_the_full_pass() -> None:
    policy = GcPolicy()
    try:
        gone = _cycle()
        policy.freeze_survivors()  # the cycle is still referenced by nothing but itself, yet young
        assert gone() is None  # collected before freezing: young garbage is never frozen
        kept = Node()
        kept.me = kept
        ref = weakref.ref(kept)
        policy.freeze_survivors()
        del kept
        gc.collect()
        assert ref() is not None  # frozen: no pass walks it any more
        policy.full()
        assert ref() is None and policy.full_collections == 1 and policy.freezes == 2
    finally:
        gc.unfreeze()


async def test_start_sets_small_young_passes_and_freezes_on_a_timer() -> None:
    before = gc.get_threshold()
    policy = GcPolicy(freeze_every=0.01, full_every=3600)
    try:
        policy.start()
        assert gc.get_threshold()[:2] == (YOUNG, MIDDLE) and gc.get_freeze_count() > 0
        for _ in range(100):
            if policy.freezes >= 2:
                break
            await asyncio.sleep(0.01)
        assert policy.freezes >= 2
    finally:
        await policy.stop()
        gc.unfreeze()
        gc.set_threshold(*before)
