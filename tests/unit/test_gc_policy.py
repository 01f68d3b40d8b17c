"""The serving process's collector policy: young survivors frozen, frozen garbage freed by the full pass."""

from __future__ import annotations

import asyncio
import gc
import platform
import sys
import weakref

import pytest

from imprompt.ops import gc_policy
from imprompt.ops.gc_policy import MIDDLE, YOUNG, GcPolicy, load_malloc_trim


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


def test_the_full_pass_trims_the_c_heap_after_collecting() -> None:
    seen: list[tuple[int, bool]] = []
    kept = Node()
    kept.me = kept
    ref = weakref.ref(kept)

    def trim(pad: int) -> int:
        seen.append((pad, ref() is None))  # the garbage must be gone before its pages are handed back
        return 1

    policy = GcPolicy(trim=trim)
    try:
        policy.freeze_survivors()
        del kept
        policy.full()
        assert seen == [(0, True)] and policy.trims == 1
        assert policy.last_trim is not None and policy.last_trim[1] is True
    finally:
        gc.unfreeze()


def test_without_malloc_trim_the_full_pass_only_collects() -> None:
    policy = GcPolicy(trim=None)
    try:
        gone = _cycle()
        policy.full()
        assert gone() is None and policy.trims == 0 and policy.full_collections == 1 and policy.last_trim is None
    finally:
        gc.unfreeze()


def test_malloc_trim_only_on_linux_with_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert load_malloc_trim() is None
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))  # musl (Alpine) reports no glibc
    assert load_malloc_trim() is None


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_malloc_trim_is_found_and_used_by_default() -> None:
    trim = load_malloc_trim()
    assert trim is not None and trim(0) in (0, 1)
    assert GcPolicy().trim is gc_policy.MALLOC_TRIM is not None
