"""The content-addressed store and the /images routes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from imprompt.images.routes import image_routes
from imprompt.images.store import DirectoryStore, cache_key, image_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"/>'


def test_cache_key_normalises_prompt_and_separates_requests():
    assert cache_key("together:flux", "A  Cat ", 1, 1024) == cache_key("together:flux", "a cat", 1, 1024)
    keys = {
        cache_key("together:flux", "a cat", 1, 1024),
        cache_key("together:flux", "a cat", 2, 1024),
        cache_key("fal:flux", "a cat", 1, 1024),
        cache_key("together:flux", "a cat", 1, 512),
    }
    assert len(keys) == 4


def test_put_get_and_lru_eviction(tmp_path):
    store = DirectoryStore(tmp_path, max_bytes=250)
    k1 = store.put(PNG, "image/png", "1" * 32)
    k2 = store.put(PNG, "image/png", "2" * 32)
    assert store.get(k1) == (PNG, "image/png")  # k1 is now the most recently used
    store.put(PNG, "image/png", "3" * 32)  # over the cap: k2 goes
    assert store.get(k2) is None and store.get(k1) is not None and store.total_bytes() <= 250
    reopened = DirectoryStore(tmp_path, max_bytes=250)
    assert reopened.get(k1) == (PNG, "image/png")


def test_the_running_total_matches_the_files_through_writes_reads_evictions_and_other_processes(tmp_path):
    import random

    rng = random.Random(3)
    store = DirectoryStore(tmp_path, max_bytes=4_000)
    other = DirectoryStore(tmp_path, max_bytes=10**9)  # another process on the same directory
    for _ in range(300):
        key = f"{rng.randrange(40):032x}"
        action = rng.random()
        if action < 0.5:
            new = not any(tmp_path.glob(f"{key}.*"))
            store.put(b"x" * rng.randint(1, 600), "image/svg+xml", key)
            if new:  # the cap holds after a write (an existing key is not written again)
                assert store.total_bytes() <= 4_000 or len(store._sizes) == 1
        elif action < 0.7:
            other.put(b"y" * rng.randint(1, 600), "image/png", key)
        elif action < 0.8:
            for path in tmp_path.glob(f"{key}.*"):  # removed behind the store's back
                path.unlink()
            store.get(key)
        else:
            store.get(key)
        assert store.total_bytes() == sum(store._sizes.values())
    assert DirectoryStore(tmp_path, max_bytes=10**9).total_bytes() == sum(p.stat().st_size for p in tmp_path.iterdir())


def test_keys_cannot_escape_the_directory(tmp_path):
    store = DirectoryStore(tmp_path / "images", max_bytes=10_000)
    (tmp_path / "secret.png").write_bytes(PNG)
    for key in ["../secret", "../" + "a" * 29, "A" * 32, "", "a" * 31]:
        assert store.get(key) is None


def client(tmp_path):
    store = DirectoryStore(tmp_path, max_bytes=10_000)
    return store, TestClient(Starlette(routes=image_routes(store)))


def test_serves_with_immutable_headers_and_etag(tmp_path):
    store, http = client(tmp_path)
    key = store.put(PNG, "image/png", "ab" * 16)
    response = http.get(image_path(key, "image/png"))
    assert response.status_code == 200 and response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    etag = response.headers["etag"]
    assert etag == f'"{key}"'
    again = http.get(f"/images/{key}.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert http.get(f"/images/{key}.png", headers={"If-None-Match": '"other"'}).status_code == 200
    assert http.head(f"/images/{key}.png").status_code == 200


def test_svg_gets_a_sandbox_policy(tmp_path):
    store, http = client(tmp_path)
    key = store.put(SVG, "image/svg+xml")
    response = http.get(f"/images/{key}.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in response.headers["content-security-policy"]


def test_anything_else_is_404(tmp_path):
    store, http = client(tmp_path)
    key = store.put(PNG, "image/png")
    (tmp_path.parent / "outside.png").write_bytes(PNG)
    for path in [
        f"/images/{key}.jpg",  # wrong extension
        f"/images/{key}",
        f"/images/{'0' * 32}.png",  # not stored
        "/images/..%2Foutside.png",
        "/images/../outside.png",
        f"/images/{key.upper()}.png",
        f"/images/{key}.png.bak",
        "/images/.hidden.png",
    ]:
        response = http.get(path)
        assert response.status_code == 404, path
