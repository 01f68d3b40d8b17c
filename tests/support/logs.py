"""Capturing the app's structured logs into a buffer."""

from __future__ import annotations

import contextlib
import io
from typing import Any


class LogCapture(io.StringIO):
    def lines(self) -> list[str]:
        return [ln for ln in self.getvalue().splitlines() if ln.strip()]


@contextlib.contextmanager
def capture_logs(settings: Any):
    """configure_logging as `imprompt serve` does, into a buffer; the defaults come back after."""
    import logging

    import structlog

    from imprompt.ops import logging as ops_logging

    buffer = LogCapture()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    ops_logging.configure_logging(settings, stream=buffer, cache=False)
    try:
        yield buffer
    finally:
        structlog.reset_defaults()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        ops_logging._configured = False
