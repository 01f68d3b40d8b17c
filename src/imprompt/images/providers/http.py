"""HTTP helpers shared by the real providers: error mapping, image download and checks.

Every failure becomes an ImageError whose `reason` a player can read and whose `kind`
the chain uses to decide on retries and the circuit breaker.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

import httpx

from imprompt.images.base import ImageError

UNAVAILABLE = "The image service is not available right now."
UNSAFE = "The image service's safety filter stopped this picture. Please try another prompt."
_SAFETY = re.compile(r"nsfw|safety|moderation|content[ _]policy|flagged|inappropriate", re.IGNORECASE)


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are, for the formats we accept."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def checked_image(data: bytes, max_bytes: int) -> tuple[bytes, str]:
    if len(data) > max_bytes:
        raise ImageError(UNAVAILABLE, kind="too_large", retryable=False)
    media_type = sniff(data)
    if media_type is None:
        raise ImageError(UNAVAILABLE, kind="not_image", retryable=False)
    return data, media_type


def decode_b64(text: str, max_bytes: int) -> tuple[bytes, str]:
    if len(text) > max_bytes * 4 // 3 + 8:
        raise ImageError(UNAVAILABLE, kind="too_large", retryable=False)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False) from None
    return checked_image(data, max_bytes)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: rare for these APIs; fall back to our own backoff


def raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    text = response.text[:2000]
    if status in (401, 403):
        raise ImageError(UNAVAILABLE, kind="auth", retryable=False)
    if status == 429:
        raise ImageError(
            "The image service is busy. Trying again…", kind="rate_limited", retry_after=_retry_after(response)
        )
    if status >= 500:
        raise ImageError(UNAVAILABLE, kind="server_error", retry_after=_retry_after(response))
    if _SAFETY.search(text):  # a provider's safety system refused the prompt or the picture
        raise ImageError(UNSAFE, kind="blocked", retryable=False)
    raise ImageError(UNAVAILABLE, kind="bad_request", retryable=False)


async def request_json(client: httpx.AsyncClient, method: str, url: str, *, timeout: float, **kwargs) -> dict:
    try:
        response = await client.request(method, url, timeout=timeout, **kwargs)
    except httpx.TimeoutException:
        raise ImageError("The image took too long to draw.", kind="timeout") from None
    except httpx.HTTPError:
        raise ImageError(UNAVAILABLE, kind="network") from None
    raise_for_status(response)
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False) from None
    if not isinstance(body, dict):
        raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)
    return body


async def download(client: httpx.AsyncClient, url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str]:
    """Fetch a result URL at once (they expire), capped at max_bytes, and check it is an image."""
    if url.startswith("data:"):
        header, _, payload = url.partition(",")
        if ";base64" not in header:
            raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)
        return decode_b64(payload, max_bytes)
    if not url.startswith(("https://", "http://")):
        raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)
    try:
        async with client.stream("GET", url, timeout=timeout) as response:
            if response.status_code >= 400:
                raise ImageError(UNAVAILABLE, kind="download_failed", retryable=response.status_code >= 500)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ImageError(UNAVAILABLE, kind="too_large", retryable=False)
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ImageError(UNAVAILABLE, kind="too_large", retryable=False)
                chunks.append(chunk)
    except httpx.TimeoutException:
        raise ImageError("The image took too long to draw.", kind="timeout") from None
    except httpx.HTTPError:
        raise ImageError(UNAVAILABLE, kind="download_failed") from None
    return checked_image(b"".join(chunks), max_bytes)
