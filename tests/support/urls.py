"""Where the tests find the local backing services."""

from __future__ import annotations

import os

REDIS_TEST_URL = os.environ.get("IMPROMPT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
