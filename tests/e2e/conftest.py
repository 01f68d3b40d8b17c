"""End-to-end fixtures: the real server as a subprocess, Debian's Chromium through Playwright.

The server runs `imprompt serve` with the built client (client/dist) and the built-in
pictogram image generator. Chromium is the system one (/usr/bin/chromium); Playwright's
own browser downloads are never used. Without Chromium, Playwright or the built client the
tests are skipped on a developer machine and fail in CI (env CI set).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.ports import free_port
from tests.support.process import clean_env, imprompt_command

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "client" / "dist" / "index.html"
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 20_000
_GUESSING = re.compile(r'"phase":\s*"guessing"')


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: real browser against the real server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _missing(what: str) -> None:
    """Skip on a developer machine; fail in CI, where everything must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"end-to-end tests need {what}", pytrace=False)
    pytest.skip(f"end-to-end tests need {what}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("server")) as url:  # its cwd: no developer .env leaks in
        yield url


@contextlib.contextmanager
def serve(work: Path, **settings: str) -> Iterator[str]:
    """`imprompt serve` in `work`, with the e2e settings and `settings` (env names) over them."""
    if not DIST.is_file():
        _missing("the built web client (cd client && npm ci && npm run build)")
    command = imprompt_command()
    port = free_port()
    env = clean_env(
        **{
            "APP_ENV": "test",
            "LOG_LEVEL": "warning",
            "REVEAL_SECONDS": "4",  # long enough to see on every page under load; 2 s was missed once
            "GUESS_RATE": "20/second",
            "CHAT_RATE": "20/second",
            "IMAGE_DIR": str(work / "images"),
            "AI_PROVIDER": "pictogram",
            "SEAT_HOLD_SECONDS": "120",
            "PYTHONUNBUFFERED": "1",
            **settings,
        }
    )
    log = open(work / "server.log", "w+")  # noqa: SIM115 - the server writes to it until the fixture ends
    proc = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"server exited with {proc.returncode}:\n{log.read()[-4000:]}", pytrace=False)
            try:
                with urllib.request.urlopen(url + "/livez", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not start in 120 s", pytrace=False)
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Module scope, not session: while Playwright's sync API is started it marks an event
    # loop as running in this thread, which would break the asyncio tests that run later.
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package (pip install playwright)")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        _missing(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    folder = SHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return Shots(folder)


class Shots:
    """Screenshots of every phase, numbered in the order they were taken."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.n = 0

    def take(self, player: Player, label: str) -> None:
        self.n += 1
        name = re.sub(r"[^a-z0-9-]+", "-", f"{self.n:02d}-{label}-{player.name}".lower())
        player.page.evaluate("() => window.scrollTo(0, 0)")  # a sticky header lands mid-page otherwise
        player.page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True, animations="disabled")


class Player:
    """One browser context (one person) on the game page."""

    def __init__(
        self,
        browser: Any,
        url: str,
        name: str,
        *,
        viewport: dict | None = None,
        reduced_motion: bool = False,
        hold: bool = False,
        dark: bool = False,
        is_mobile: bool = False,
        has_touch: bool = False,
    ) -> None:
        self.url, self.name = url, name
        self.context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900},
            reduced_motion="reduce" if reduced_motion else "no-preference",
            color_scheme="dark" if dark else "light",
            is_mobile=is_mobile,  # a phone or tablet: touch, a mobile viewport
            has_touch=has_touch,
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # console errors include Content-Security-Policy violations
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("dialog", lambda d: d.accept())
        # With hold=True the socket goes through Playwright, so a test can hold the
        # "guessing" view back for a moment: the generating screen is too quick to see.
        self._holding = False
        self._held: list[Any] = []
        self._socket: Any = None
        if hold:
            self.context.route_web_socket(re.compile(r".*/socket\.io/.*"), self._route)

    def _route(self, ws: Any) -> None:
        server = ws.connect_to_server()
        self._socket = ws

        def from_server(message: Any) -> None:
            if self._holding and (self._held or (isinstance(message, str) and _GUESSING.search(message))):
                self._held.append(message)
            else:
                ws.send(message)

        server.on_message(from_server)

    def hold_guessing(self) -> None:
        """Keep the next "guessing" view (and what follows) from the page until release()."""
        self._holding = True

    def release(self) -> None:
        self._holding = False
        held, self._held = self._held, []
        for message in held:
            self._socket.send(message)

    # ----------------------------------------------------------- reading state

    def view(self) -> dict:
        return self.page.evaluate("() => window.__imprompt && window.__imprompt.view")

    @property
    def id(self) -> str:
        return self.view()["you"]["id"]

    def wait_view(self, predicate_js: str, arg: Any = None, timeout: int = WAIT_MS) -> dict:
        """Wait until `predicate_js` (a JS function of the view and arg) is true; returns the view."""
        self.page.wait_for_function(
            "([arg]) => { const s = window.__imprompt; const v = s && s.view; "
            f"return !!v && ({predicate_js})(v, arg); }}",
            arg=[arg],
            timeout=timeout,
        )
        return self.view()

    def wait_phase(self, phase: str, turn: int | None = None, timeout: int = WAIT_MS) -> dict:
        return self.wait_view(
            "(v, a) => v.phase === a.phase && (a.turn === null || (v.turn && v.turn.number === a.turn))",
            {"phase": phase, "turn": turn},
            timeout,
        )

    # ----------------------------------------------------------- actions

    def open(self, path: str = "/") -> None:
        self.page.goto(self.url + path)

    def create_room(self) -> str:
        self.open("/")
        self.page.get_by_label("Your name").fill(self.name)
        self.page.get_by_role("button", name="Create a room").click()
        code = self.page.get_by_test_id("room-code").inner_text(timeout=WAIT_MS)
        return code.strip()

    def join_by_code(self, code: str) -> None:
        self.open("/")
        self.page.get_by_label("Your name").fill(self.name)
        self.page.get_by_label("Room code").fill(code)
        self.page.get_by_role("button", name="Join", exact=True).click()
        self.page.get_by_test_id("room-code").wait_for()

    def join_by_link(self, link: str) -> None:
        self.page.goto(link)
        self.page.get_by_label("Your name").fill(self.name)
        self.page.get_by_role("button", name="Join", exact=True).click()
        self.page.get_by_test_id("room-code").wait_for()

    def close(self) -> None:
        self.context.close()


class Referee:
    """A plain socket.io client (python-socketio) seated as a spectator: the server's own
    view of the room, independent of any browser."""

    def __init__(self, url: str) -> None:
        import socketio

        self.url = url
        self.view: dict | None = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sio = socketio.AsyncClient(reconnection=False)

        @self.sio.on("room:view")
        async def on_view(view: dict) -> None:
            if self.view is None or view["revision"] >= self.view["revision"]:
                self.view = view

    def _run(self, coro: Any, timeout: float = 15) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def join(self, code: str) -> dict:
        async def go() -> dict:
            await self.sio.connect(self.url, transports=["websocket"])
            reply = await self.sio.call("room:join", {"code": code, "name": "Referee", "spectator": True}, timeout=10)
            assert reply["ok"], reply
            self.view = reply["view"]
            return reply

        return self._run(go())

    def wait(self, predicate, timeout: float = 20) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.view is not None and predicate(self.view):
                return self.view
            time.sleep(0.05)
        raise AssertionError(f"referee timed out; phase={self.view and self.view['phase']}")

    def close(self) -> None:
        async def go() -> None:
            if self.sio.connected:
                await self.sio.disconnect()

        try:
            self._run(go())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def people(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    made: list[Player] = []

    def make(name: str, **kw: Any) -> Player:
        p = Player(browser, server, name, **kw)
        made.append(p)
        return p

    yield make
    if request.node.stash.get(_FAILED, False):  # what each person saw when it failed
        folder = SHOTS / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        for p in made:
            with contextlib.suppress(Exception):  # a dead page has nothing to show
                p.page.screenshot(path=str(folder / f"failed-{p.name.lower()}.png"), full_page=True)
    errors = [f"{p.name}: {e}" for p in made for e in p.errors]
    for p in made:
        p.close()
    assert not errors, "uncaught errors in the page:\n" + "\n".join(errors)


@pytest.fixture
def referee(server: str) -> Iterator[Referee]:
    r = Referee(server)
    yield r
    r.close()
