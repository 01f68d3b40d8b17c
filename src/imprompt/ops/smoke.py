"""`imprompt smoke URL`: the post-deploy smoke test.

Against a running server it checks, in order, and stops at the first failure with a
message saying what failed and what was expected:

  1. GET /livez answers 200 (the process is up)
  2. GET /readyz answers 200 (it takes traffic: started, not draining, dependencies up)
  3. GET /health answers 200 with status pass or warn (warn is printed)
  4. two bot players connect over socket.io (websocket), one creates a one-round room,
     the other joins
  5. the host starts the game, the prompt giver writes a prompt, the image is drawn
  6. the guesser guesses the prompt exactly, and the reveal scores it
  7. GET the turn's image: 200, an image/* type, and long-lived cache headers
  8. both bots leave (the empty room closes by itself)

Exit status 0 when everything passed, 1 on a failed check, 2 on bad arguments. The bots
speak the socket.io v5 / Engine.IO v4 text protocol over the `websockets` package (part
of uvicorn[standard]), so the command needs nothing that the server does not already have.
The turn draws with the server's configured image provider: on a server whose provider
is a paid one, a smoke run costs one image.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

SMOKE_PROMPT = "red apple on a table"


class SmokeFailure(Exception):
    pass


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    p = sub.add_parser("smoke", help="post-deploy smoke test against a running server")
    p.add_argument("url", help="the server's base URL, like https://play.example.com")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for the image to be drawn (default 60)")
    p.add_argument("--quiet", action="store_true", help="print only failures")
    return {"smoke": _main}


def _main(args: argparse.Namespace) -> int:
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        print(f"imprompt smoke: {args.url!r} is not an http(s) URL", file=sys.stderr)
        return 2
    return asyncio.run(run_smoke(args.url, timeout=args.timeout, out=None if args.quiet else print))


# ---------------------------------------------------------------- a minimal socket.io client


class Bot:
    """One socket.io client: connect to the default namespace, call events with acks,
    keep the latest room view, answer pings."""

    def __init__(self, base: str, name: str) -> None:
        parts = urlsplit(base)
        scheme = "wss" if parts.scheme == "https" else "ws"
        path = parts.path.rstrip("/") + "/socket.io/"
        self.url = urlunsplit((scheme, parts.netloc, path, "EIO=4&transport=websocket", ""))
        self.name = name
        self.ws: Any = None
        self.id: str | None = None
        self.view: dict | None = None
        self.events: list[tuple[str, Any]] = []
        self._acks: dict[int, asyncio.Future] = {}
        self._ids = itertools.count(1)
        self._connected = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self.error: str | None = None

    async def connect(self, timeout: float = 10.0) -> None:
        from websockets.asyncio.client import connect

        self.ws = await asyncio.wait_for(connect(self.url, open_timeout=timeout, max_size=2**22), timeout)
        opening = await asyncio.wait_for(self.ws.recv(), timeout)
        if not isinstance(opening, str) or not opening.startswith("0"):
            raise SmokeFailure(f"unexpected Engine.IO opening {str(opening)[:80]!r}")
        self._reader = asyncio.create_task(self._read())
        await self.ws.send("40")
        await asyncio.wait_for(self._connected.wait(), timeout)
        if self.error:
            raise SmokeFailure(f"socket.io refused the connection: {self.error}")

    async def _read(self) -> None:
        reason = "the connection closed"
        try:
            async for message in self.ws:
                if not isinstance(message, str):
                    continue
                if message == "2":
                    await self.ws.send("3")
                elif message.startswith("40"):
                    self._connected.set()
                elif message.startswith("44"):
                    self.error = message[2:]
                    self._connected.set()
                elif message.startswith("43"):
                    digits = "".join(itertools.takewhile(str.isdigit, message[2:]))
                    fut = self._acks.pop(int(digits), None)
                    if fut is not None and not fut.done():
                        args = json.loads(message[2 + len(digits) :])
                        fut.set_result(args[0] if args else None)
                elif message.startswith("42"):
                    event, *data = json.loads(message[2:])
                    payload: Any = data[0] if data else None
                    self.events.append((event, payload))
                    if event == "room:view" and (self.view is None or payload["revision"] >= self.view["revision"]):
                        self.view = payload
        except Exception as exc:  # a dropped connection or a frame we cannot read: ends the reader
            reason = f"the connection closed ({type(exc).__name__}: {exc})"
        finally:
            for fut in self._acks.values():
                if not fut.done():
                    fut.set_exception(SmokeFailure(reason))

    async def call(self, event: str, data: dict, timeout: float = 15.0) -> dict:
        ack = next(self._ids)
        fut = asyncio.get_running_loop().create_future()
        self._acks[ack] = fut
        await self.ws.send(f"42{ack}" + json.dumps([event, data], separators=(",", ":")))
        try:
            reply = await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise SmokeFailure(f"{self.name}: no answer to {event} within {timeout:g} s") from None
        if not isinstance(reply, dict) or not reply.get("ok"):
            err = (reply or {}).get("error", {}) if isinstance(reply, dict) else {}
            raise SmokeFailure(f"{self.name}: {event} was refused: {err.get('code')}: {err.get('message')}")
        view = reply.get("view")
        if view and (self.view is None or view["revision"] >= self.view["revision"]):
            self.view = view
        return reply

    async def wait_for(self, what: str, predicate: Callable[[dict], bool], timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.view is not None and predicate(self.view):
                return self.view
            await asyncio.sleep(0.05)
        phase = self.view and self.view.get("phase")
        raise SmokeFailure(f"{self.name}: waited {timeout:g} s for {what}; the room is in phase {phase!r}")

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # closing what may already be gone
                await self.ws.send("41")
                await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()


# ---------------------------------------------------------------- the checks


async def run_smoke(base: str, *, timeout: float = 60.0, out: Callable[[str], Any] | None = print) -> int:
    import httpx

    base = base.rstrip("/") + "/"
    say = out or (lambda _line: None)
    started = time.monotonic()
    step = "start"
    bots: list[Bot] = []
    try:
        async with httpx.AsyncClient(
            timeout=10.0, follow_redirects=False, headers={"User-Agent": "imprompt-smoke"}
        ) as http:

            async def get(path: str, name: str) -> httpx.Response:
                nonlocal step
                step = name
                t = time.monotonic()
                try:
                    r = await http.get(urljoin(base, path.lstrip("/")))
                except httpx.HTTPError as exc:
                    raise SmokeFailure(f"GET {path}: {type(exc).__name__}: {exc}") from None
                if r.status_code == 200:
                    say(f"ok    {name:<10} {r.status_code} in {(time.monotonic() - t) * 1000:.0f} ms")
                return r

            r = await get("/livez", "livez")
            if r.status_code != 200:
                raise SmokeFailure(f"GET /livez answered {r.status_code}, expected 200: the process is not serving")
            r = await get("/readyz", "readyz")
            if r.status_code != 200:
                raise SmokeFailure(f"GET /readyz answered {r.status_code}, expected 200: {r.text[:200]}")
            r = await get("/health", "health")
            body = _json(r)
            status = body.get("status")
            if r.status_code != 200 or status not in ("pass", "warn"):
                raise SmokeFailure(f"GET /health answered {r.status_code} with status {status!r}: {r.text[:300]}")
            if status == "warn":
                say(f"warn  health     {body.get('reasons') or body.get('notes') or ''}")

            step = "connect"
            host, guest = Bot(base, "bot A"), Bot(base, "bot B")
            bots = [host, guest]
            for bot in bots:
                await bot.connect()
            created = await host.call("room:create", {"name": "Smoke A", "settings": {"rounds": 1, "hints": False}})
            code = created["code"]
            host.id = created["playerId"]
            guest.id = (await guest.call("room:join", {"code": code, "name": "Smoke B"}))["playerId"]
            say(f"ok    room       {code} created and joined")

            step = "play"
            await host.call("game:start", {})
            view = await host.wait_for("the prompt phase", lambda v: v["phase"] == "prompting", 10)
            giver = host if view["turn"]["giverId"] == host.id else guest
            guesser = guest if giver is host else host
            t = time.monotonic()
            await giver.call("prompt:submit", {"text": SMOKE_PROMPT})
            view = await guesser.wait_for(
                "the image", lambda v: v["phase"] == "guessing" and v["turn"]["imageUrl"], timeout
            )
            image_url = view["turn"]["imageUrl"]
            say(f"ok    image      drawn in {time.monotonic() - t:.1f} s")
            reply = await guesser.call("guess:submit", {"text": SMOKE_PROMPT})
            if not reply.get("solved"):
                raise SmokeFailure(f"the exact prompt scored {reply.get('similarity')}, expected it to solve the turn")
            view = await guesser.wait_for("the reveal", lambda v: v["phase"] in ("reveal", "finished"), 15)
            results = {r["playerId"]: r for r in view["turn"].get("results", [])}
            mine = results.get(view["you"]["id"], {})
            if not mine.get("points"):
                raise SmokeFailure(f"the reveal gave the solving guesser {mine.get('points')!r} points")
            say(
                f"ok    turn       solved at {reply.get('similarity')}, {mine['points']} points, "
                f"provider {view['turn'].get('imageProvider')}"
            )

            step = "image"
            absolute = urljoin(base, image_url)
            try:
                r = await http.get(absolute)
            except httpx.HTTPError as exc:
                raise SmokeFailure(f"GET {image_url}: {type(exc).__name__}: {exc}") from None
            kind = r.headers.get("content-type", "")
            cache = r.headers.get("cache-control", "")
            if r.status_code != 200 or not kind.startswith("image/") or not r.content:
                raise SmokeFailure(
                    f"GET {image_url} answered {r.status_code} {kind!r} ({len(r.content)} bytes), "
                    "expected 200 and an image"
                )
            if "max-age" not in cache or ("immutable" not in cache and "public" not in cache):
                raise SmokeFailure(
                    f"GET {image_url}: Cache-Control is {cache!r}, expected a long-lived public "
                    "cache (max-age, immutable)"
                )
            say(f"ok    image      {kind}, {len(r.content)} bytes, Cache-Control: {cache}")

            step = "leave"
            for bot in bots:
                await bot.call("room:leave", {})
    except SmokeFailure as exc:
        print(f"FAIL  {step:<10} {exc}", file=sys.stderr)
        return 1
    except (TimeoutError, OSError) as exc:
        print(f"FAIL  {step:<10} {type(exc).__name__}: {exc or 'timed out'}", file=sys.stderr)
        return 1
    except Exception as exc:  # anything unexpected is a failure with a message, not a traceback
        print(f"FAIL  {step:<10} {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        for bot in bots:
            await bot.close()
    say(f"smoke test passed in {time.monotonic() - started:.1f} s")
    return 0


def _json(r: Any) -> dict:
    try:
        body = r.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
