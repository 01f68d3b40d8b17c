"""The one interface every image generator implements, and the error it raises.

The game only ever learns "image ready for turn T" or "image failed for turn T,
with a reason a player can read"; everything else stays behind this interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class GeneratedImage:
    data: bytes
    media_type: str  # image/png, image/jpeg, image/webp or image/svg+xml
    provider: str
    model: str
    cost_usd: float = 0.0
    elapsed: float = 0.0  # seconds spent generating
    details: dict = field(default_factory=dict)  # provider-specific extras (e.g. concepts drawn)


class ImageError(Exception):
    """Generation failed. `reason` is safe to show the prompt giver."""

    def __init__(
        self, reason: str, *, retryable: bool = True, kind: str = "failed", retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.kind = kind  # short machine-readable class: timeout, rate_limited, blocked, ...
        self.retry_after = retry_after  # seconds the provider asked us to wait (Retry-After)


@runtime_checkable
class ImageProvider(Protocol):
    name: str

    async def generate(self, prompt: str, *, seed: int, size: int) -> GeneratedImage: ...
