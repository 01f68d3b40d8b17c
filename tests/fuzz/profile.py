"""How hard the fuzz tests try: a bounded run inside `make test`, a long one for `make fuzz`.

IMPROMPT_FUZZ=long selects the long run (many more examples, random seeds); the default
is the bounded run, derandomized so a CI failure replays the same cases. Every test
counts the cases it tried in `TRIED`; tests/fuzz/conftest.py prints the counts."""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, Phase, settings

LONG = os.environ.get("IMPROMPT_FUZZ", "") == "long"
TRIED: Counter[str] = Counter()
REACHED: Counter[str] = Counter()  # the phases the sequences' rooms were seen in (a check of the fuzzer)

# Shrinking replays cases against the live server (minutes); the bounded run reports the
# failing case as found, the long run shrinks it.
_COMMON = settings(
    deadline=None,
    derandomize=not LONG,
    database=None,
    phases=tuple(Phase) if LONG else (Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
# payloads: per event (the table has about 20)
PAYLOADS = settings(_COMMON, max_examples=500 if LONG else 40)
# sequences: a few clients in a room, many steps each
SEQUENCES = settings(_COMMON, max_examples=400 if LONG else 25, stateful_step_count=80 if LONG else 50)
