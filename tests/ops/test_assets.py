"""The built client's hashed files on a real server: precompressed copies chosen by
Accept-Encoding, a year of caching, the right type, 404s, and no way out of the folder."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import imprompt.web.app as web_app
from imprompt.web.assets import accepted
from tests.support.server import http, ops_server

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "client" / "dist" / "assets"
IMMUTABLE = "public, max-age=31536000, immutable"
SCRIPT = b"console.log('the script itself, 0123456789');\n" * 40
SECRET = "TOP-SECRET-DO-NOT-SERVE"


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A client build of known files; the secrets next to and above it must never be served."""
    dist = tmp_path / "dist"
    assets = dist / "assets"
    assets.mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>test build</title>")
    (assets / "index-abc123.js").write_bytes(SCRIPT)
    (assets / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT))
    (assets / "index-abc123.js.br").write_bytes(b"pretend brotli bytes")  # the server never decodes them
    (assets / "index-def456.css").write_text("body{color:red}")  # too small to be worth compressing
    (assets / "logo-0a1b2c.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (assets / ".hidden").write_text(SECRET)
    (dist / "secret.txt").write_text(SECRET)
    (tmp_path / "secret.txt").write_text(SECRET)
    monkeypatch.setattr(web_app, "CLIENT_DIST", dist)
    return dist


async def raw(client, path: str, accept_encoding: str | None) -> tuple[int, dict[str, str], bytes]:
    """GET `path`; the body exactly as it came over the wire (not decoded)."""
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding is not None else {}
    async with client.stream("GET", path, headers=headers) as reply:
        body = b"".join([chunk async for chunk in reply.aiter_raw()])
        return reply.status_code, dict(reply.headers), body


async def test_each_encoding_is_chosen_by_accept_encoding(dist: Path) -> None:
    assets = dist / "assets"
    cases = [
        ("gzip, deflate, br, zstd", "br", (assets / "index-abc123.js.br").read_bytes()),
        ("br;q=1.0, gzip;q=0.8", "br", (assets / "index-abc123.js.br").read_bytes()),
        ("gzip, deflate", "gzip", (assets / "index-abc123.js.gz").read_bytes()),
        ("br;q=0, gzip", "gzip", (assets / "index-abc123.js.gz").read_bytes()),
        ("*", "br", (assets / "index-abc123.js.br").read_bytes()),
        ("*, br;q=0", "gzip", (assets / "index-abc123.js.gz").read_bytes()),
        ("identity", None, SCRIPT),
        ("deflate", None, SCRIPT),
        ("", None, SCRIPT),
        ("br;q=0, gzip;q=0", None, SCRIPT),
    ]
    async with ops_server() as server, http(server) as client:
        for header, coding, body in cases:
            status, h, got = await raw(client, "/assets/index-abc123.js", header)
            assert status == 200, header
            assert h.get("content-encoding") == coding, header
            assert got == body, header
            assert int(h["content-length"]) == len(body), header
            assert h["content-type"] == "text/javascript; charset=utf-8", header
            assert h["cache-control"] == IMMUTABLE, header
            assert "Accept-Encoding" in [v.strip() for v in h["vary"].split(",")], header  # CORS adds Origin
            assert h["x-content-type-options"] == "nosniff"  # the edge's headers still apply


async def test_types_and_files_without_compressed_copies(dist: Path) -> None:
    async with ops_server() as server, http(server) as client:
        status, h, body = await raw(client, "/assets/index-def456.css", "br, gzip")
        assert (status, body) == (200, b"body{color:red}")
        assert "content-encoding" not in h
        assert h["content-type"] == "text/css; charset=utf-8" and h["cache-control"] == IMMUTABLE
        status, h, _ = await raw(client, "/assets/logo-0a1b2c.svg", "gzip")
        assert status == 200 and h["content-type"] == "image/svg+xml"
        head = await client.head("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
        assert head.status_code == 200 and head.headers["content-encoding"] == "gzip" and head.content == b""


async def test_a_repeat_visit_is_answered_not_modified(dist: Path) -> None:
    async with ops_server() as server, http(server) as client:
        first = await client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
        again = await client.get(
            "/assets/index-abc123.js", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
        )
        other = await client.get(
            "/assets/index-abc123.js", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]}
        )
    assert again.status_code == 304 and again.content == b""
    assert other.status_code == 200 and other.headers["content-encoding"] == "br"  # each copy has its own ETag


async def test_index_html_is_revalidated_every_time(dist: Path) -> None:
    async with ops_server() as server, http(server) as client:
        for path in ("/", "/r/K7QX2M"):
            reply = await client.get(path)
            assert reply.status_code == 200 and "test build" in reply.text
            assert reply.headers["cache-control"] == "no-cache"


async def test_unknown_files_and_compressed_copies_by_name_are_404(dist: Path) -> None:
    async with ops_server() as server, http(server) as client:
        for path in (
            "/assets/nowhere-123.js",
            "/assets/index-abc123.js.gz",
            "/assets/index-abc123.js.br",
            "/assets/.hidden",
            "/assets/",
        ):
            reply = await client.get(path, headers={"Accept-Encoding": "br, gzip"})
            assert reply.status_code == 404, path
            assert reply.headers.get("cache-control") != IMMUTABLE, path
            assert SECRET not in reply.text, path


async def _raw_request(url: str, target: str) -> tuple[int, bytes]:
    """One HTTP/1.1 request with the request target exactly as given (no client normalising it)."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode("latin-1"))
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    status = int(data.split(b" ", 2)[1])
    return status, data


TRAVERSALS = [
    "/assets/../secret.txt",
    "/assets/../../secret.txt",
    "/assets/%2e%2e/secret.txt",
    "/assets/%2E%2E%2Fsecret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/assets/..%5csecret.txt",
    "/assets/..\\secret.txt",
    "/assets/%2fetc%2fpasswd",
    "/assets//etc/passwd",
    "/assets/subdir/../../secret.txt",
    "/assets/index-abc123.js%00.png",
    "/assets/./.hidden",
    "/assets/%2e%2fsecret.txt",
    "/assets/" + "..%2f" * 12 + "etc/passwd",
]


async def test_path_traversal_is_impossible(dist: Path) -> None:
    async with ops_server() as server:
        for target in TRAVERSALS:
            status, data = await _raw_request(server.url, target)
            assert status in (400, 404), (target, status)
            assert SECRET.encode() not in data and b"root:" not in data, target
        status, data = await _raw_request(server.url, "/assets/index-abc123.js")  # the check itself can pass
        assert status == 200 and SCRIPT in data


def test_accept_encoding_parsing() -> None:
    assert accepted("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted("BR;Q=0.5 , GZip") == {"br", "gzip"}
    assert accepted("br;q=0, gzip;q=0.001") == {"gzip"}
    assert accepted("br;q=oops") == set()
    assert accepted("*;q=0") == set()
    assert "br" in accepted("*") and "gzip" in accepted("*")
    assert accepted("") == set()


@pytest.mark.skipif(not BUILT.is_dir(), reason="needs the built client (cd client && npm run build)")
async def test_the_real_build_is_served_precompressed() -> None:
    scripts = sorted(p for p in BUILT.iterdir() if p.suffix in (".js", ".css"))
    assert scripts, "the build has no scripts or styles"
    for path in scripts:
        assert path.with_name(path.name + ".gz").is_file(), f"npm run build wrote no gzip copy of {path.name}"
        assert path.with_name(path.name + ".br").is_file(), f"npm run build wrote no brotli copy of {path.name}"
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()
    node = shutil.which("node")
    if node:  # Python has no brotli decoder in its standard library; node does
        for path in scripts:
            same = subprocess.run(
                [
                    node,
                    "-e",
                    "const z=require('zlib'),f=require('fs');"
                    "process.exit(z.brotliDecompressSync(f.readFileSync(process.argv[1]+'.br'))"
                    ".equals(f.readFileSync(process.argv[1]))?0:1)",
                    str(path),
                ],
                check=False,
            )
            assert same.returncode == 0, f"{path.name}.br does not decode to {path.name}"
    script = next(p for p in scripts if p.suffix == ".js")
    async with ops_server() as server, http(server) as client:
        status, h, body = await raw(client, f"/assets/{script.name}", "gzip, deflate, br, zstd")
        assert status == 200 and h["content-encoding"] == "br" and h["cache-control"] == IMMUTABLE
        assert len(body) < script.stat().st_size / 2
        status, h, body = await raw(client, f"/assets/{script.name}", "gzip")
        assert h["content-encoding"] == "gzip" and gzip.decompress(body) == script.read_bytes()
        status, h, body = await raw(client, f"/assets/{script.name}", "identity")
        assert "content-encoding" not in h and body == script.read_bytes()
