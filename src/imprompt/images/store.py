"""Content-addressed image store: a directory of `<key>.<ext>` files with an LRU size cap.

Keys are 32 lower-case hex digits, so a key can never name a path outside the directory.
The interface is small (put/get); the shared store for several instances (images/shared.py,
IMAGE_STORE=redis) has the same one, awaited. `read_image` and `write_image` take either.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/svg+xml": "svg"}
MEDIA_TYPES = {ext: media for media, ext in EXTENSIONS.items()}
KEY = re.compile(r"^[0-9a-f]{32}$")


def normalise_prompt(prompt: str) -> str:
    return " ".join(prompt.lower().split())


def cache_key(provider_model: str, prompt: str, seed: int, size: int) -> str:
    """Key for one generation request: the same request later reuses the stored image."""
    text = "\x00".join([provider_model, normalise_prompt(prompt), str(seed), str(size)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def image_path(key: str, media_type: str) -> str:
    """The URL path the web routes serve this image at."""
    return f"/images/{key}.{EXTENSIONS[media_type]}"


class StoreUnavailable(Exception):
    """The shared store cannot be reached (Redis down): the route answers 503, not 404."""


class ImageStore(Protocol):
    def put(self, data: bytes, media_type: str, key: str | None = None) -> str: ...

    def get(self, key: str) -> tuple[bytes, str] | None: ...


class AsyncImageStore(Protocol):
    async def put(self, data: bytes, media_type: str, key: str | None = None) -> str: ...

    async def get(self, key: str) -> tuple[bytes, str] | None: ...


AnyImageStore = ImageStore | AsyncImageStore


async def read_image(store: AnyImageStore, key: str) -> tuple[bytes, str] | None:
    found: Any = store.get(key)
    return await found if inspect.isawaitable(found) else found


async def write_image(store: AnyImageStore, data: bytes, media_type: str, key: str | None = None) -> str:
    done: Any = store.put(data, media_type, key)
    return await done if inspect.isawaitable(done) else done


class DirectoryStore:
    """Files on disk; the least recently read or written go first when over `max_bytes`.

    A key not in this process's index is looked for on disk before answering "not found",
    so several processes sharing one IMAGE_DIR (workers on one box, one volume) see each
    other's images; each caps what it wrote and read itself."""

    def __init__(self, directory: str | Path, max_bytes: int) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        # Least recently used first; file mtimes carry the order across restarts.
        self._sizes: OrderedDict[str, int] = OrderedDict()
        self._total = 0  # sum of _sizes, kept as it changes: summing on every write grew with the store
        found = [p for p in self.dir.iterdir() if p.is_file() and KEY.match(p.stem) and p.suffix[1:] in MEDIA_TYPES]
        for path in sorted(found, key=lambda p: p.stat().st_mtime_ns):
            self._add(path.name, path.stat().st_size)

    def _add(self, name: str, size: int) -> None:
        self._total += size - self._sizes.get(name, 0)
        self._sizes[name] = size

    def _drop(self, name: str) -> int:
        size = self._sizes.pop(name, 0)
        self._total -= size
        return size

    def _find(self, key: str) -> Path | None:
        if not KEY.match(key):
            return None
        for ext in MEDIA_TYPES:
            if f"{key}.{ext}" in self._sizes:
                return self.dir / f"{key}.{ext}"
        for ext in MEDIA_TYPES:  # written by another process sharing the directory
            path = self.dir / f"{key}.{ext}"
            try:
                self._add(path.name, path.stat().st_size)
            except OSError:
                continue
            return path
        return None

    def put(self, data: bytes, media_type: str, key: str | None = None) -> str:
        if media_type not in EXTENSIONS:
            raise ValueError(f"unsupported media type {media_type!r}")
        key = key or hashlib.sha256(data).hexdigest()[:32]
        if not KEY.match(key):
            raise ValueError("key must be 32 lower-case hex digits")
        name = f"{key}.{EXTENSIONS[media_type]}"
        with self._lock:
            if self._find(key) is not None:
                return key  # first write wins: a key's content never changes (ETag = key)
            tmp = self.dir / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, self.dir / name)
            self._add(name, len(data))
            self._evict()
        return key

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            path = self._find(key)
            if path is None:
                return None
            try:
                data = path.read_bytes()
                os.utime(path)
                self._sizes.move_to_end(path.name)
            except FileNotFoundError:
                self._drop(path.name)
                return None
        return data, MEDIA_TYPES[path.suffix[1:]]

    def total_bytes(self) -> int:
        return self._total

    def _evict(self) -> None:
        while self._total > self.max_bytes and len(self._sizes) > 1:
            name = next(iter(self._sizes))
            self._drop(name)
            (self.dir / name).unlink(missing_ok=True)


class MemoryStore:
    """Same interface in memory, for tests and single-process demos."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[bytes, str]] = {}

    def put(self, data: bytes, media_type: str, key: str | None = None) -> str:
        if media_type not in EXTENSIONS:
            raise ValueError(f"unsupported media type {media_type!r}")
        key = key or hashlib.sha256(data).hexdigest()[:32]
        self.items.setdefault(key, (data, media_type))
        return key

    def get(self, key: str) -> tuple[bytes, str] | None:
        return self.items.get(key)
