"""The memory the HighMemory alert and the health warning measure: against the container's
cgroup limit when there is one (what the whole container uses, less droppable file cache),
else this process against the machine. The cgroup files are written as the kernel does."""

from __future__ import annotations

from pathlib import Path

import psutil

from imprompt.ops.health import Health, cgroup_limit_bytes, cgroup_used_bytes, memory_limit_bytes

MIB = 1024 * 1024


def v2(root: Path, *, limit: str, current: int, inactive_file: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "memory.max").write_text(limit + "\n")
    (root / "memory.current").write_text(f"{current}\n")
    (root / "memory.stat").write_text(f"anon {current // 2}\nfile {current // 2}\ninactive_file {inactive_file}\n")
    return root


def test_cgroup_v2_limit_and_working_set(tmp_path: Path) -> None:
    root = v2(tmp_path, limit=str(512 * MIB), current=300 * MIB, inactive_file=100 * MIB)
    assert cgroup_limit_bytes(root) == memory_limit_bytes(root) == 512 * MIB
    assert cgroup_used_bytes(root) == 200 * MIB
    health = Health(version="t", release=None, cgroup_root=root)
    memory = health.memory()
    assert memory["scope"] == "container" and memory["limit"] == 512 * MIB and memory["used"] == 200 * MIB
    assert memory["percent"] == round(200 / 512 * 100, 2)
    # past 80 % of the container's limit the health summary warns (and HighMemory fires)
    v2(root, limit=str(512 * MIB), current=500 * MIB, inactive_file=50 * MIB)
    status, reasons = health.status_of({}, health.memory(), {})
    assert status == "warn" and any(r.startswith("memory at 88%") for r in reasons)


def test_no_limit_is_the_machine_and_this_process(tmp_path: Path) -> None:
    root = v2(tmp_path, limit="max", current=300 * MIB, inactive_file=0)
    assert cgroup_limit_bytes(root) is None
    assert memory_limit_bytes(root) == psutil.virtual_memory().total
    memory = Health(version="t", release=None, cgroup_root=root).memory()
    assert memory["scope"] == "process" and memory["used"] == memory["rss"] > 0
    assert memory["limit"] == psutil.virtual_memory().total
    nothing = Health(version="t", release=None, cgroup_root=tmp_path / "absent").memory()
    assert nothing["scope"] == "process" and 0 < nothing["percent"] < 100


def test_cgroup_v1(tmp_path: Path) -> None:
    (tmp_path / "memory").mkdir()
    (tmp_path / "memory" / "memory.limit_in_bytes").write_text(f"{256 * MIB}\n")
    (tmp_path / "memory" / "memory.usage_in_bytes").write_text(f"{128 * MIB}\n")
    (tmp_path / "memory" / "memory.stat").write_text(f"cache 1\ntotal_inactive_file {64 * MIB}\n")
    assert cgroup_limit_bytes(tmp_path) == 256 * MIB and cgroup_used_bytes(tmp_path) == 64 * MIB
    # v1 without a limit is a huge number, larger than the machine: no limit
    (tmp_path / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    assert cgroup_limit_bytes(tmp_path) is None
