"""The declared socket event table agrees with docs/protocol.md, and every entry is complete."""

from __future__ import annotations

import re
from pathlib import Path

from imprompt.realtime.events import EVENTS
from imprompt.realtime.limits import PER_IP, PER_SEAT
from imprompt.realtime.schemas import Payload

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def _documented_events() -> set[str]:
    text = PROTOCOL.read_text()
    section = text.split("## Client → server events", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z]+:[a-z]+)` \|", section, flags=re.M))


def test_the_table_and_the_protocol_list_the_same_events() -> None:
    assert set(EVENTS) == _documented_events()


def test_every_entry_says_how_it_runs() -> None:
    for name, event in EVENTS.items():
        assert issubclass(event.schema, Payload), name
        assert (event.command is None) != (event.call is None), f"{name}: a command or a call, not both"
        assert event.limit in (None, *PER_SEAT, *PER_IP), name
        if event.command is not None:
            assert event.seated, f"{name}: a command runs for the socket's seat"
        if event.limit in PER_SEAT:
            assert event.seated, name
