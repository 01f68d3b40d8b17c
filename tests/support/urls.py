"""Where the tests find the local backing services."""

from __future__ import annotations

import os

# Tests flush their Redis database, so each pytest-xdist worker gets one of its own;
# 12, 11 and 9 are taken by tests that name theirs.
_WORKER_DBS = (15, 14, 13, 10, 8, 7, 6, 5)
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
_DB = _WORKER_DBS[int(_worker) % len(_WORKER_DBS)] if _worker.isdigit() else 15

REDIS_TEST_URL = os.environ.get("IMPROMPT_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{_DB}")
