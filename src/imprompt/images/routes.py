"""Serve stored images at /images/<key>.<ext>.

A key names its content for good, so responses are cacheable forever and the key is
the ETag. Anything that is not exactly a stored key with its own extension is a 404.
"""

from __future__ import annotations

import re

import structlog
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .store import EXTENSIONS, AnyImageStore, StoreUnavailable, read_image

log = structlog.get_logger("imprompt.images")
_NAME = re.compile(r"^([0-9a-f]{32})\.(png|jpg|webp|svg)$")
# An SVG opened directly must not run anything, even if a bad one slipped into the store.
_SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def image_routes(store: AnyImageStore) -> list[Route]:
    async def serve(request: Request) -> Response:
        match = _NAME.match(request.path_params["name"])
        try:
            found = await read_image(store, match.group(1)) if match else None
        except StoreUnavailable as exc:  # the shared store is down: try again, this is no 404
            log.warning("image_store_unavailable", error=str(exc))
            return Response(
                "image store unavailable",
                status_code=503,
                media_type="text/plain",
                headers={"Retry-After": "2", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
            )
        if match is None or found is None or EXTENSIONS.get(found[1]) != match.group(2):
            return Response(
                "not found", status_code=404, media_type="text/plain", headers={"X-Content-Type-Options": "nosniff"}
            )
        data, media_type = found
        headers = {
            "Cache-Control": "public, max-age=31536000, immutable",
            "ETag": f'"{match.group(1)}"',
            "X-Content-Type-Options": "nosniff",
        }
        if media_type == "image/svg+xml":
            headers["Content-Security-Policy"] = _SVG_CSP
        if _etag_matches(request.headers.get("if-none-match", ""), headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=media_type, headers=headers)

    return [Route("/images/{name}", serve, methods=["GET", "HEAD"])]


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags
