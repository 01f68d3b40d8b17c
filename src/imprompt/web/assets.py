"""The built client's hashed files (`client/dist/assets/`), served precompressed.

Every file name under `/assets/` carries a hash of its content (Vite names them
`index-<hash>.js`), so a browser may keep it for a year without asking again:
`Cache-Control: public, max-age=31536000, immutable`. `npm run build` writes a brotli
(`.br`) and a gzip (`.gz`) copy next to each compressible file
(`client/scripts/compress.mjs`); a request gets the best one its `Accept-Encoding` allows
(br, then gzip, else the file itself) with `Content-Encoding` and `Vary: Accept-Encoding`,
so nothing is compressed while a player waits.

Only a plain file name directly inside the directory is ever served: a name is checked
against a strict pattern (no separators, no leading dot) before it touches the file
system, and the resolved path must still sit in the directory. `.br`/`.gz` copies are
never served under their own names.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

IMMUTABLE = "public, max-age=31536000, immutable"
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # best first
_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
}


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def accepted(header: str) -> set[str]:
    """The content codings an `Accept-Encoding` header allows (q=0 refuses one; `*` is any)."""
    allowed: set[str] = set()
    refused: set[str] = set()
    for part in header.split(","):
        coding, *params = (piece.strip() for piece in part.split(";"))
        coding = coding.lower()
        if not coding:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        (allowed if q > 0 else refused).add(coding)
    if "*" in allowed:
        allowed |= {coding for coding, _ in ENCODINGS} - refused
    return allowed - refused


def asset_route(directory: Path) -> Route:
    """`GET /assets/<name>`: one hashed file of `directory`, precompressed when it can be."""
    root = directory.resolve()

    def find(name: str) -> Path | None:
        if not _NAME.fullmatch(name) or name.endswith((".br", ".gz")):
            return None
        path = (root / name).resolve()
        if path.parent != root or not path.is_file():
            return None
        return path

    async def serve(request: Request) -> Response:
        name = request.path_params["name"]
        path = find(name)
        if path is None:
            return PlainTextResponse("Not Found", status_code=404, headers={"Cache-Control": "no-cache"})
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        allowed = accepted(request.headers.get("accept-encoding", ""))
        chosen = path
        for coding, suffix in ENCODINGS:
            variant = path.with_name(path.name + suffix)
            if coding in allowed and variant.is_file():
                chosen = variant
                headers["Content-Encoding"] = coding
                break
        stat = chosen.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}-{headers.get("Content-Encoding", "identity")}"'
        headers["ETag"] = etag
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return FileResponse(chosen, media_type=content_type(name), headers=headers)

    return Route("/assets/{name:path}", serve, methods=["GET", "HEAD"])
