"""The Redis image store (IMAGE_STORE=redis) on the real test Redis, database 11: what one
instance writes every other serves, with the same caching; bounded by size and by time;
Redis down answers 503 (never 404); the setting fails fast when it cannot work."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.testclient import TestClient

from imprompt.config import SettingsError, load_settings
from imprompt.images.backend import build_store
from imprompt.images.routes import image_routes
from imprompt.images.shared import RedisImageStore
from imprompt.images.store import DirectoryStore, image_path
from tests.support.ports import free_port

REDIS = "redis://127.0.0.1:6379/11"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"/>'


@pytest.fixture
async def namespace() -> AsyncIterator[str]:
    name = f"imprompt-test-images-{secrets.token_hex(4)}:"
    yield name
    cleaner = Redis.from_url(REDIS)
    keys = [key async for key in cleaner.scan_iter(match=f"{name}*")]
    if keys:
        await cleaner.delete(*keys)
    await cleaner.aclose()


def store(namespace: str, *, max_bytes: int = 10_000, ttl: float = 3600) -> RedisImageStore:
    """One instance's handle: its own client, as another process would have."""
    return RedisImageStore(Redis.from_url(REDIS), max_bytes=max_bytes, ttl_seconds=ttl, namespace=namespace)


async def test_one_instance_writes_another_reads_first_write_wins(namespace: str) -> None:
    a, b = store(namespace), store(namespace)
    key = await a.put(PNG, "image/png", "ab" * 16)
    assert await b.get(key) == (PNG, "image/png")
    await b.put(b"\x89PNGother", "image/png", key)  # a key's content never changes
    assert await a.get(key) == (PNG, "image/png")
    assert await a.get("cd" * 16) is None and await a.get("../" + "a" * 29) is None
    assert await a.total_bytes() == len(PNG)


async def test_bounded_by_size_least_recently_used_first(namespace: str) -> None:
    a, b = store(namespace, max_bytes=250), store(namespace, max_bytes=250)
    k1 = await a.put(PNG, "image/png", "1" * 32)
    k2 = await b.put(PNG, "image/png", "2" * 32)
    assert await b.get(k1) is not None  # k1 is now the most recently used
    await a.put(PNG, "image/png", "3" * 32)  # over 250 bytes: k2 goes
    assert await a.get(k2) is None and await a.get(k1) is not None
    assert await a.total_bytes() <= 250
    raw = Redis.from_url(REDIS)
    assert not await raw.exists(f"{namespace}image:{k2}")
    assert await raw.zcard(f"{namespace}images:used") == 2
    await raw.aclose()


async def test_bounded_by_time_and_reads_renew(namespace: str) -> None:
    a = store(namespace, ttl=0.6)
    kept = await a.put(SVG, "image/svg+xml", "4" * 32)
    dropped = await a.put(SVG, "image/svg+xml", "5" * 32)
    for _ in range(3):
        await asyncio.sleep(0.3)
        assert await a.get(kept) is not None  # each load renews it
    assert await a.get(dropped) is None  # nobody loaded it for longer than the TTL
    raw = Redis.from_url(REDIS)
    assert 0 < await raw.pttl(f"{namespace}image:{kept}") <= 600
    await a.put(PNG, "image/png", "6" * 32)  # the next write takes the expired one out of the accounts
    assert await raw.zscore(f"{namespace}images:used", dropped) is None
    assert await a.total_bytes() == len(SVG) + len(PNG)
    await raw.aclose()


def test_served_by_every_instance_with_immutable_caching(namespace: str) -> None:
    writer = store(namespace)
    other = Starlette(routes=image_routes(store(namespace)))
    with TestClient(Starlette(routes=image_routes(writer))) as first, TestClient(other) as second:
        key = first.portal.call(writer.put, SVG, "image/svg+xml", "ef" * 16)
        for http in (first, second):
            response = http.get(image_path(key, "image/svg+xml"))
            assert response.status_code == 200 and response.content == SVG
            assert response.headers["content-type"].startswith("image/svg+xml")
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert response.headers["etag"] == f'"{key}"'
            assert "sandbox" in response.headers["content-security-policy"]
            again = http.get(f"/images/{key}.svg", headers={"If-None-Match": f'"{key}"'})
            assert again.status_code == 304 and again.content == b""
            assert http.get(f"/images/{key}.png").status_code == 404  # not its own extension
            assert http.get(f"/images/{'0' * 32}.svg").status_code == 404


def test_redis_down_is_503_not_404() -> None:
    down = RedisImageStore(
        Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.5), max_bytes=1, ttl_seconds=1
    )
    with TestClient(Starlette(routes=image_routes(down))) as http:
        response = http.get(f"/images/{'a' * 32}.png")
    assert response.status_code == 503 and response.headers["retry-after"] == "2"
    assert response.headers["cache-control"] == "no-store"


def test_the_setting_chooses_and_fails_fast(tmp_path) -> None:
    base = {"image_dir": str(tmp_path / "images")}
    disk = load_settings(_env_file=None, **base)
    assert disk.storage.image_store_kind() == "disk"
    assert isinstance(build_store(disk.images, disk.storage), DirectoryStore)
    shared = load_settings(_env_file=None, redis_url=REDIS, **base)
    assert shared.storage.image_store_kind() == "redis"  # derived from REDIS_URL
    assert isinstance(build_store(shared.images, shared.storage), RedisImageStore)
    one_box = load_settings(_env_file=None, redis_url=REDIS, image_store="Disk", **base)
    assert one_box.storage.image_store_kind() == "disk"
    with pytest.raises(SettingsError) as missing:
        load_settings(_env_file=None, image_store="redis", **base)
    assert "IMAGE_STORE=redis" in str(missing.value) and "REDIS_URL is not set" in str(missing.value)
    with pytest.raises(SettingsError) as wrong:
        load_settings(_env_file=None, image_store="s3", **base)
    assert "IMAGE_STORE" in str(wrong.value) and "'disk' or 'redis'" in str(wrong.value)


def test_a_shared_directory_serves_what_another_process_wrote(tmp_path) -> None:
    first = DirectoryStore(tmp_path, max_bytes=10_000)
    second = DirectoryStore(tmp_path, max_bytes=10_000)  # started before the image existed
    key = first.put(PNG, "image/png", "77" * 16)
    assert second.get(key) == (PNG, "image/png")


async def test_after_switching_to_redis_pictures_on_disk_still_load(tmp_path, namespace: str) -> None:
    """A game under way when IMAGE_STORE became redis: its pictures were on this instance's
    disk; they still load, and are copied into Redis for the other instances."""
    from imprompt.images.shared import UpgradedStore

    before = DirectoryStore(tmp_path / "images", max_bytes=10_000)
    key = before.put(SVG, "image/svg+xml", "9a" * 16)
    settings = load_settings(_env_file=None, redis_url=REDIS, image_dir=str(tmp_path / "images"))
    upgraded = build_store(settings.images, settings.storage)
    assert isinstance(upgraded, UpgradedStore)
    upgraded.shared = store(namespace)  # the test's own keys
    other = store(namespace)
    assert await other.get(key) is None
    assert await upgraded.get(key) == (SVG, "image/svg+xml")
    assert await other.get(key) == (SVG, "image/svg+xml")  # now every instance has it
    new = await upgraded.put(PNG, "image/png")
    assert await other.get(new) == (PNG, "image/png") and before.get(new) is None
    empty = load_settings(_env_file=None, redis_url=REDIS, image_dir=str(tmp_path / "none"))
    assert isinstance(build_store(empty.images, empty.storage), RedisImageStore)
