"""Zero axe-core violations on every screen (issue 15 item 22), and no spoiler of the prompt
anywhere in a guesser's or a spectator's page before the reveal (item 23).

axe-core comes from the client's npm devDependencies. The page's Content-Security-Policy
allows only same-origin scripts, so the file is served under the page's own origin (a
Playwright route) and added with a <script src>, never inline and without bypassing the CSP.
Each screen is scanned in the person's own viewport and colour scheme and in the other
scheme; the game runs once on desktops and once on 390×844 phones.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import ROOT, Player, Shots
from .helpers import GUESS_ALT, giver_of, guess, write_prompt

AXE = ROOT / "client" / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__axe-core.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PROMPTS = ["purple octopus juggling", "tiny robot gardener"]
_SCAN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}  ${n.html.slice(0, 200)}\\n      ${n.failureSummary}`),
  }));
}"""


class Holder:
    """Freezes one page on a phase: once a frame shows that phase, the frames after it are
    held until release(). The generating screen and the reveal are too quick to scan
    otherwise. engine.io pings pass, so the connection stays up."""

    def __init__(self, player: Player) -> None:
        self.pattern: re.Pattern[str] | None = None
        self.frozen = False
        self.held: list[Any] = []
        self.ws: Any = None
        player.context.route_web_socket(re.compile(r".*/socket\.io/.*"), self._route)

    def _route(self, ws: Any) -> None:
        server = ws.connect_to_server()
        self.ws = ws

        def from_server(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if text in ("2", "3"):  # engine.io ping / pong
                ws.send(message)
            elif self.frozen:
                self.held.append(message)
            else:
                ws.send(message)
                self.frozen = self.pattern is not None and self.pattern.search(text) is not None

        server.on_message(from_server)

    def freeze_at(self, phase: str) -> None:
        self.pattern = re.compile(rf'"phase":\s*"{phase}"')

    def release(self) -> None:
        self.pattern, self.frozen = None, False
        held, self.held = self.held, []
        for message in held:
            self.ws.send(message)


def with_axe(player: Player) -> Player:
    player.page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    return player


def settle(page) -> None:
    """Wait until no animation or transition runs: two frames for a style change to start
    its transitions, then until every one has ended. A fixed wait was too short on a
    loaded machine (axe read a button mid-fade and called its contrast too low)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_function(_SETTLED, timeout=10_000)


# Not waited for: infinite ones (spinners, pulses) never end, and the countdown bar moves
# (transform) every second; neither changes a colour axe reads.
_SETTLED = """() => document.getAnimations().every(a => a.playState !== 'running'
    || a.effect?.getTiming().iterations === Infinity || a.transitionProperty === 'transform')"""


def scan(player: Player, screen: str, failures: list[str], shots: Shots | None = None) -> None:
    """axe on the page as it is now, in both colour schemes; failures are collected, so one
    run names every violation of every screen."""
    page = player.page
    page.mouse.move(-1, -1)  # no hover: the last click leaves the pointer on a button
    settle(page)  # let entering animations finish: mid-fade colours are not the real ones
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE_URL)
        page.wait_for_function("() => typeof window.axe === 'object'")
    own = player.dark
    for dark in (own, not own):
        page.emulate_media(color_scheme="dark" if dark else "light")
        settle(page)  # buttons fade their colours over 0.15 s
        size = page.viewport_size or {}
        where = f"{screen} — {player.name}, {size.get('width')}×{size.get('height')}, {'dark' if dark else 'light'}"
        for v in page.evaluate(_SCAN):
            nodes = "\n    ".join(v["nodes"])
            failures.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}\n    {nodes}")
    page.emulate_media(color_scheme="dark" if own else "light")
    if shots is not None:
        shots.take(player, screen)


def page_texts(player: Player) -> list[str]:
    """Everything a person can read or hear: the text, every alt, aria-label, title and
    placeholder, each live region's text; and what the page was told (the image's address,
    the view it holds), so a spoiler cannot hide in the data either."""
    return player.page.evaluate(
        """() => {
          const out = [document.body.innerText, document.title, JSON.stringify(window.__imprompt.view)];
          for (const img of document.images) out.push(img.src);
          for (const el of document.querySelectorAll("*")) {
            for (const a of ["alt", "aria-label", "title", "placeholder", "aria-description", "aria-valuetext"]) {
              const v = el.getAttribute(a);
              if (v) out.push(v);
            }
            if (el.matches("[aria-live], [role=status], [role=alert], [role=log], .visually-hidden")) {
              out.push(el.textContent || "");
            }
          }
          return out;
        }"""
    )


def spoilers(player: Player, prompt: str) -> list[str]:
    words = [w for w in re.findall(r"[a-z]+", prompt.lower()) if len(w) >= 3]
    found = []
    for text in page_texts(player):
        low = text.lower()
        if prompt.lower() in low:
            found.append(f"the prompt in {text[:120]!r}")
        found += [f"{w!r} in {text[:120]!r}" for w in words if re.search(rf"\b{w}", low)]
    return found


def assert_no_spoiler(player: Player, prompt: str, when: str) -> None:
    found = spoilers(player, prompt)
    assert not found, f"{player.name} sees the prompt while {when}:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_screen_has_no_axe_violation_and_no_spoiler(people, shots: Shots, device: str) -> None:
    assert AXE.is_file(), "axe-core is missing: cd client && npm ci"
    size, dark = (DESKTOP, False) if device == "desktop" else (PHONE, True)
    failures: list[str] = []
    ann = with_axe(people("Ann", viewport=size, dark=dark))
    bob = with_axe(people("Bob", viewport=size, dark=not dark))
    sam = with_axe(people("Sam", viewport=size, dark=dark))
    eve = with_axe(people("Eve", viewport=size, dark=dark))
    ann.dark, bob.dark, sam.dark, eve.dark = dark, not dark, dark, dark
    holders = {p.name: Holder(p) for p in (ann, bob, sam)}

    ann.open("/")
    ann.page.get_by_role("button", name="Create a room").wait_for()
    scan(ann, "home", failures, shots)
    code = ann.create_room()

    # the join error: a room that does not exist, shown under the code box
    eve.open("/")
    eve.page.get_by_label("Your name").fill("Eve")
    eve.page.get_by_label("Room code").fill("ZZZZZZ")
    eve.page.get_by_role("button", name="Join", exact=True).click()
    eve.page.locator(".join-form").get_by_role("alert").wait_for()
    scan(eve, "join-error", failures, shots)

    bob.join_by_code(code)
    sam.open("/")
    sam.page.get_by_label("Your name").fill("Sam")
    sam.page.get_by_label("Room code").fill(code)
    sam.page.get_by_text("Just watch").click()
    sam.page.get_by_role("button", name="Watch", exact=True).click()
    sam.page.get_by_test_id("room-code").wait_for()
    ann.page.get_by_label("Rounds").select_option("1")
    ann.page.get_by_label("Time to guess").select_option("30")
    ann.wait_view("v => v.settings.rounds === 1 && v.settings.guessSeconds === 30")
    bob.page.get_by_role("button", name="I'm ready").click()
    ann.wait_view("v => v.members.filter(m => m.ready).length >= 1")
    chat = bob.page.get_by_role("textbox", name="Chat message")
    chat.fill("hello all")
    bob.page.get_by_role("button", name="Send message").click()
    ann.page.get_by_text("hello all").wait_for()
    scan(ann, "lobby-host", failures, shots)
    scan(bob, "lobby-guest", failures, shots)
    scan(sam, "lobby-spectator", failures, shots)

    # the Leave dialog, then Stay
    bob.page.get_by_role("button", name=re.compile("Leave")).first.click()
    bob.page.get_by_role("alertdialog").wait_for()
    scan(bob, "leave-dialog", failures, shots)
    bob.page.keyboard.press("Escape")
    bob.page.get_by_role("alertdialog").wait_for(state="detached")

    ann.page.get_by_role("button", name="Start the game").click()
    players = [ann, bob]
    for number, prompt in enumerate(PROMPTS, start=1):
        view = ann.wait_phase("prompting", number)
        giver = giver_of(players, view)
        guesser = bob if giver is ann else ann
        giver.page.get_by_label(re.compile(r"Describe a picture")).wait_for()
        scan(giver, f"t{number}-prompting-writer", failures, shots)
        scan(guesser, f"t{number}-prompting-waiting", failures, shots)
        if number == 1:
            scan(sam, "prompting-spectator", failures, shots)

        for p in (ann, bob, sam):
            holders[p.name].freeze_at("generating")
        write_prompt(giver, prompt, view["settings"]["maxWords"])
        for p in (ann, bob, sam):
            p.wait_phase("generating", number)
        for p in (guesser, sam):
            assert_no_spoiler(p, prompt, "the picture is drawn")
        if number == 1:
            scan(giver, "generating-writer", failures, shots)
            scan(guesser, "generating-guesser", failures, shots)
        for p in (ann, bob, sam):
            holders[p.name].release()

        for p in (ann, bob, sam):
            p.wait_phase("guessing", number)
        guesser.page.get_by_role("img", name=GUESS_ALT).wait_for()
        giver.page.get_by_text(prompt).first.wait_for()  # the writer's own screen shows it
        assert spoilers(giver, prompt), "the writer's screen does not show their prompt"
        for p in (guesser, sam):
            assert_no_spoiler(p, prompt, "guessing")
        guess(guesser, "office meeting")
        guesser.page.locator(".guess-list .guess-item").first.wait_for()
        # the first hint letter shows halfway through the 30 s, which leaves 15 s to scan
        # three screens before the guess (20 s was too short on a loaded machine)
        guesser.page.locator("[data-testid=hint] .shown").first.wait_for(timeout=25_000)
        for p in (guesser, sam):
            assert_no_spoiler(p, prompt, "guessing, with a hint letter")
        scan(guesser, f"t{number}-guessing-guesser", failures, shots)
        scan(giver, f"t{number}-guessing-writer", failures, shots)
        if number == 1:
            scan(sam, "guessing-spectator", failures, shots)

        for p in (ann, bob, sam):
            holders[p.name].freeze_at("reveal")
        guess(guesser, prompt)
        for p in (ann, bob, sam):
            p.wait_phase("reveal", number)
        guesser.page.get_by_role("img", name=prompt).wait_for()
        if number == 1:
            scan(guesser, "reveal-guesser", failures, shots)
            scan(sam, "reveal-spectator", failures, shots)
        for p in (ann, bob, sam):
            holders[p.name].release()

    for p in (ann, bob, sam):
        p.wait_phase("finished", timeout=30_000)
    ann.page.locator(".podium").wait_for()
    ann.page.locator(".album-card").first.wait_for()
    scan(ann, "finished-host", failures, shots)
    scan(bob, "finished-guest", failures, shots)
    scan(sam, "finished-spectator", failures, shots)

    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)
