"""The OpenAPI 3.1 document of the HTTP API, served at `GET /api/openapi.json`.

Written by hand, as data, next to the routes it describes: every route the app mounts
is here (tests/ops/test_openapi.py checks it both ways) and schemathesis checks a real
server against it. The real-time protocol is socket.io, described in docs/protocol.md;
only its HTTP entry point is listed.

What every operation can also answer, whatever the route, comes from the HTTP edge
(web/middleware/): 413 and 400 for a body too large or a bad Content-Length, 500 for an
error that escaped, and on /api/* and /images/* 429 with Retry-After. Each answer carries
X-Request-ID and the security headers.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import PROTOCOL_VERSION, __version__

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return {"$ref": f"#/components/responses/{description}"}


_REQUEST_ID = {"X-Request-ID": {"$ref": "#/components/headers/RequestId"}}
_EDGE = {"400": _error("BadRequest"), "413": _error("TooLarge"), "500": _error("Internal")}
_LIMITED = {**_EDGE, "429": _error("RateLimited")}
_PROBE: dict[str, Any] = {"tags": ["operations"], "security": []}


def _op(summary: str, responses: dict[str, Any], *, limited: bool = False, **extra: Any) -> dict[str, Any]:
    for response in responses.values():
        if "$ref" not in response:
            response.setdefault("headers", dict(_REQUEST_ID))
    extra["parameters"] = [*extra.get("parameters", []), {"$ref": "#/components/parameters/RequestId"}]
    return {"summary": summary, "responses": {**responses, **(_LIMITED if limited else _EDGE)}, **extra}


def _get_and_head(operation: dict[str, Any], name: str) -> dict[str, Any]:
    head = {**operation, "operationId": f"head_{name}", "summary": operation["summary"] + " (headers only)"}
    return {"get": {**operation, "operationId": f"get_{name}"}, "head": head}


def _admin(summary: str, schema: dict[str, Any], name: str, **extra: Any) -> dict[str, Any]:
    operation = _op(
        summary,
        {
            "200": _json(schema, "the report"),
            "401": _error("Unauthorized"),
            "404": _error("NotFound"),
        },
        limited=True,
        tags=["admin"],
        security=[{"bearer": []}],
        description="Needs `Authorization: Bearer <ADMIN_TOKEN>`; without an ADMIN_TOKEN configured, 404.",
        **extra,
    )
    return {"get": {**operation, "operationId": f"get_{name}"}}


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": text, "message": text, "retryAfter": {"type": "integer"}},
                }
            },
        },
        "Liveness": {"type": "object", "required": ["status"], "properties": {"status": {"const": "pass"}}},
        "Readiness": {
            "type": "object",
            "required": ["status"],
            "properties": {
                "status": {"enum": ["ready", "starting", "draining", "dependency_down"]},
                "down": {"type": "array", "items": text},
            },
        },
        "Health": {
            "type": "object",
            "required": ["status", "timestamp", "uptime", "version", "protocol", "ready", "draining", "memory"],
            "properties": {
                "status": {"enum": ["pass", "warn", "fail"]},
                "timestamp": {"type": "string", "format": "date-time"},
                "uptime": {"type": "number"},
                "version": text,
                "release": {"type": ["string", "null"]},
                "protocol": {"type": "integer"},
                "ready": {"type": "boolean"},
                "draining": {"type": "boolean"},
                "memory": {"type": "object"},
                "activeConnections": {"type": ["integer", "null"]},
                "rooms": {"type": ["integer", "null"]},
                "players": {"type": ["integer", "null"]},
                "eventLoopLag": {"type": "number"},
                "aiProviderStatus": {"type": "object"},
                "dependencies": {"type": "object"},
                "notes": {"type": "array", "items": text},
            },
        },
        "Themes": {
            "type": "object",
            "required": ["themes"],
            "properties": {"themes": {"type": "array", "items": text}},
        },
        "Costs": {
            "type": "object",
            "required": ["providers"],
            "properties": {"providers": {"type": "object"}, "day": text, "spent_usd": {"type": "number"}},
        },
        "Alerts": {
            "type": "object",
            "required": ["firing", "rollback", "alerts", "recent"],
            "properties": {
                "firing": {"type": "array", "items": text},
                "rollback": {"type": "boolean"},
                "alerts": {"type": "array", "items": {"type": "object"}},
                "recent": {"type": "array", "items": {"type": "object"}},
            },
        },
        "Analytics": {
            "type": "object",
            "required": ["now", "database", "writer"],
            "properties": {"now": {"type": "object"}, "database": text, "writer": {"type": "object"}},
        },
    }


def _responses() -> dict[str, Any]:
    error = _ref("Error")
    retry = {
        "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}},
        **_REQUEST_ID,
    }
    return {
        "BadRequest": {**_json(error, "a bad Content-Length (or a bad parameter)"), "headers": _REQUEST_ID},
        "TooLarge": {**_json(error, "the request body is over MAX_REQUEST_BODY_BYTES"), "headers": _REQUEST_ID},
        "Internal": {**_json(error, "an error escaped; the log has it under the request id"), "headers": _REQUEST_ID},
        "RateLimited": {**_json(error, "over API_RATE_LIMIT or IMAGE_RATE_LIMIT for this client IP"), "headers": retry},
        "Unauthorized": {
            **_json(error, "no valid bearer token"),
            "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}, **_REQUEST_ID},
        },
        "NotFound": {**_json(error, "not found"), "headers": _REQUEST_ID},
    }


def _paths() -> dict[str, Any]:
    html = {"text/html": {"schema": {"type": "string"}}}
    plain_404 = {"description": "no such file", "content": {"text/plain": {"schema": {"type": "string"}}}}
    image_types = {t: {"schema": {"type": "string", "format": "binary"}} for t in _IMAGE_TYPES}
    return {
        "/livez": _get_and_head(
            _op("Liveness: 200 while the process can serve", {"200": _json(_ref("Liveness"), "alive")}, **_PROBE),
            "livez",
        ),
        "/readyz": _get_and_head(
            _op(
                "Readiness: 200 when ready to take players",
                {
                    "200": _json(_ref("Readiness"), "ready"),
                    "503": _json(_ref("Readiness"), "starting, draining, or a required dependency is down"),
                },
                **_PROBE,
            ),
            "readyz",
        ),
        "/health": _get_and_head(
            _op(
                "The health summary (docs/operations.md)",
                {
                    "200": _json(_ref("Health"), "pass or warn"),
                    "503": _json(_ref("Health"), "fail: a required dependency is down"),
                },
                **_PROBE,
            ),
            "health",
        ),
        "/metrics": {
            "get": _op(
                "Prometheus metrics, text format",
                {
                    "200": {
                        "description": "the metrics",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                    "401": _error("Unauthorized"),
                },
                operationId="get_metrics",
                tags=["operations"],
                security=[{"bearer": []}, {}],
                description="Open unless METRICS_TOKEN is set; then it needs `Authorization: Bearer <METRICS_TOKEN>`.",
            )
        },
        "/api/themes": _get_and_head(
            _op(
                "The prompt themes a host can pick: the built-in themes, then the operator's packs (PROMPT_PACKS_DIR)",
                {"200": _json(_ref("Themes"), "theme names")},
                limited=True,
                tags=["game"],
                security=[],
            ),
            "themes",
        ),
        "/api/openapi.json": {
            "get": _op(
                "This document",
                {"200": _json({"type": "object"}, "the OpenAPI document")},
                limited=True,
                operationId="get_openapi",
                tags=["meta"],
                security=[],
            )
        },
        "/api/costs": _admin("AI image spend and usage per provider and day", _ref("Costs"), "costs"),
        "/api/alerts": _admin("Built-in alerts and their recent firing and resolving", _ref("Alerts"), "alerts"),
        "/api/analytics": _admin(
            "Games, turns and players per day, and the live numbers",
            _ref("Analytics"),
            "analytics",
            parameters=[
                {
                    "name": "days",
                    "in": "query",
                    "required": False,
                    "description": "days to report, counted back from today (clamped to 1..366)",
                    "schema": {"type": "integer", "default": 30},
                }
            ],
        ),
        "/images/{name}": _get_and_head(
            _op(
                "A generated image: `<32 hex digits>.<png|jpg|webp|svg>`, cacheable for good",
                {
                    "200": {"description": "the image", "content": image_types},
                    "304": {"description": "not modified (If-None-Match matched the ETag)"},
                    "404": plain_404,
                },
                limited=True,
                tags=["game"],
                security=[],
                parameters=[_NAME, _IF_NONE_MATCH],
            ),
            "image",
        ),
        "/assets/{name}": _get_and_head(
            _op(
                "A hashed file of the built client, precompressed when the client accepts it",
                {
                    "200": {"description": "the file", "content": {"*/*": {"schema": {}}}},
                    "304": {"description": "not modified"},
                    "404": plain_404,
                },
                tags=["client"],
                security=[],
                parameters=[_NAME, _IF_NONE_MATCH, _ACCEPT_ENCODING],
            ),
            "asset",
        ),
        "/": _get_and_head(
            _op("The web client", {"200": {"description": "the page", "content": html}}, tags=["client"], security=[]),
            "index",
        ),
        "/r/{code}": _room_page("The web client, opened on a room's invitation link", html, "room_link"),
        "/r/{code}/tv": _room_page(
            "The web client as a room's big screen (a TV): the picture, the QR code to join", html, "room_tv"
        ),
    }


def _room_page(summary: str, html: dict[str, Any], op_id: str) -> dict[str, Any]:
    """The client page served at one of a room's addresses."""
    return _get_and_head(
        _op(
            summary,
            {"200": {"description": "the page", "content": html}},
            tags=["client"],
            security=[],
            parameters=[{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
        ),
        op_id,
    )


_IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/svg+xml")
_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "an ETag from an earlier answer: 304 when it still matches",
    "schema": {"type": "string"},
}
_ACCEPT_ENCODING = {
    "name": "Accept-Encoding",
    "in": "header",
    "required": False,
    "description": "br or gzip get the precompressed copy when there is one",
    "schema": {"type": "string"},
}


def _with_head(paths: dict[str, Any]) -> dict[str, Any]:
    """Starlette answers HEAD wherever it answers GET: listed as such."""
    for item in paths.values():
        if "get" in item and "head" not in item:
            get = item["get"]
            item["head"] = {
                **get,
                "operationId": "head_" + get["operationId"].removeprefix("get_"),
                "summary": get["summary"] + " (headers only)",
            }
    return paths


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "imprompt HTTP API",
            "version": __version__,
            "description": (
                "The game itself speaks socket.io at /socket.io/ (protocol version "
                f"{PROTOCOL_VERSION}, docs/protocol.md). Over HTTP: health and readiness probes, "
                "metrics, the themes list, generated images, the web client, and the admin reports."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "operations", "description": "probes and metrics (docs/operations.md)"},
            {"name": "admin", "description": "operator reports, behind ADMIN_TOKEN"},
            {"name": "game", "description": "what the web client fetches besides the socket"},
            {"name": "client", "description": "the web client's page and files"},
            {"name": "meta", "description": "this document"},
        ],
        "paths": _with_head(_paths()),
        "components": {
            "schemas": _schemas(),
            "responses": _responses(),
            "headers": {"RequestId": {"description": "the request id, also in the log", "schema": {"type": "string"}}},
            "parameters": {
                "RequestId": {
                    "name": "X-Request-ID",
                    "in": "header",
                    "required": False,
                    "description": "the caller's request id: kept when 1-128 of A-Za-z0-9._:-, else replaced",
                    "schema": {"type": "string"},
                }
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [],
    }


async def openapi_endpoint(request: Request) -> Response:
    return JSONResponse(document(), headers={"Cache-Control": "no-cache"})
