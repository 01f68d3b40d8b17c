"""The big screen (issue 12): three phones play one round while a TV shows /r/CODE/tv.

The TV is a 1920×1080 page (and 1280×720 at the end) that joined as a screen: it shows
the QR code to join, the picture, the hint and who solved it (never a guess), the reveal,
the podium and the album picture the host steps to from a phone. Every TV screen is
checked with axe-core in both colour schemes, must not scroll, and is saved as a PNG under
the test's tmp dir (its path is printed) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import Player
from .helpers import GUESS_ALT, giver_of, guess, no_sideways_scroll, write_prompt
from .test_accessibility import AXE, Holder, assert_no_spoiler, scan, with_axe

PHONE = {"width": 390, "height": 844}
FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}
PROMPTS = ["purple octopus juggling", "tiny robot gardener", "sleepy dragon"]


class TvShots:
    def __init__(self, folder: Path) -> None:
        self.folder, self.n = folder, 0

    def take(self, tv: Player, label: str) -> None:
        """A screenshot of exactly the viewport: a TV shows what fits, nothing below it."""
        self.n += 1
        size = tv.page.viewport_size or {}
        tv.page.mouse.move(-1, -1)
        tv.page.wait_for_timeout(300)  # entering animations
        tv.page.screenshot(path=str(self.folder / f"{self.n:02d}-{label}-{size.get('width')}x{size.get('height')}.png"))
        fits(tv, label)


def fits(tv: Player, label: str) -> None:
    sizes = tv.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " window.innerWidth, window.innerHeight]"
    )
    assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], f"the TV scrolls on {label}: {sizes}"


def test_a_tv_shows_a_game_played_on_phones(people, tmp_path: Path) -> None:
    assert AXE.is_file(), "axe-core is missing: cd client && npm ci"
    failures: list[str] = []
    shots = TvShots(tmp_path)
    print(f"\nTV screenshots: {tmp_path}")
    ann, bob, cy = (people(name, viewport=PHONE) for name in ("Ann", "Bob", "Cy"))
    tv = with_axe(people("TV", viewport=FULL_HD))
    tv.dark = False
    holder = Holder(tv)

    code = ann.create_room()
    link = ann.page.get_by_test_id("tv-link")
    assert link.get_attribute("href") == f"/r/{code}/tv" and link.get_attribute("target") == "_blank"
    bob.join_by_code(code)
    cy.join_by_code(code)
    ann.page.get_by_label("Rounds").select_option("1")
    ann.wait_view("v => v.settings.rounds === 1")

    tv.open(f"/r/{code}/tv")
    tv.page.get_by_role("img", name=f"QR code to join room {code}").wait_for()
    ann.page.get_by_test_id("screens-note").wait_for()
    assert "1 screen" in ann.page.get_by_test_id("screens-note").inner_text()
    assert ann.view()["screens"] == 1 and len(ann.view()["members"]) == 3  # the screen is no member
    no_sideways_scroll(ann)
    ann.page.screenshot(path=str(tmp_path / "phone-lobby-host.png"), full_page=True)
    tv.page.get_by_text("Players (3)").wait_for()
    scan(tv, "lobby", failures)
    shots.take(tv, "lobby")

    ann.page.get_by_role("button", name="Start the game").click()
    players = [ann, bob, cy]
    for number, prompt in enumerate(PROMPTS, start=1):
        view = ann.wait_phase("prompting", number)
        giver = giver_of(players, view)
        first, second = [p for p in players if p is not giver]
        tv.wait_phase("prompting", number)
        tv.page.get_by_role("heading", name=f"{giver.name} is writing a prompt…").wait_for()
        if number == 1:
            tv.page.get_by_test_id("tv-timer").wait_for()
            shots.take(tv, "prompting")
        write_prompt(giver, prompt, view["settings"]["maxWords"])

        first.wait_phase("guessing", number)
        first.page.get_by_role("img", name=GUESS_ALT).wait_for()
        guess(first, "office meeting")
        tv.wait_phase("guessing", number)
        tv.page.get_by_role("img", name=f"{giver.name}’s picture: guess the prompt").wait_for()
        tv.page.get_by_test_id("hint").wait_for()
        assert_no_spoiler(tv, prompt, "guessing")
        assert "office" not in tv.page.inner_text("body").lower()  # never a guess
        if number == 1:
            scan(tv, "guessing", failures)
            shots.take(tv, "guessing")

        guess(first, prompt.upper() + "!")
        tv.wait_view("(v, id) => v.turn.solvedIds.includes(id)", first.id)
        tv.page.locator(".tv-players li.solved", has_text=first.name).wait_for()
        assert_no_spoiler(tv, prompt, "someone solved it")
        if number == 1:
            shots.take(tv, "solved")

        holder.freeze_at("reveal")  # the reveal lasts 2 s here: hold the TV on it
        guess(second, prompt)
        tv.wait_phase("reveal", number)
        tv.page.get_by_role("heading", name=f"“{prompt}”").wait_for()
        tv.page.get_by_role("img", name=prompt).wait_for()
        assert tv.page.locator(".tv-results li").count() == 2  # every guesser's best guess
        if number == 1:
            scan(tv, "reveal", failures)
            shots.take(tv, "reveal")
        holder.release()

    tv.wait_phase("finished")
    tv.page.get_by_test_id("tv-slide").get_by_text("Picture 1 of 3").wait_for()
    tv.page.locator(".tv-finished .podium").wait_for()
    scan(tv, "finished", failures)
    shots.take(tv, "finished-album-1")

    # the host steps the album from the phone; a guest has no remote
    remote = ann.page.get_by_role("group", name="The album on the TV")
    remote.scroll_into_view_if_needed()
    ann.page.screenshot(path=str(tmp_path / "phone-finished-host.png"))
    no_sideways_scroll(ann)
    remote.get_by_role("button", name="Next").click()
    tv.page.get_by_test_id("tv-slide").get_by_text("Picture 2 of 3").wait_for()
    assert bob.page.get_by_role("group", name="The album on the TV").count() == 0
    tv.page.get_by_role("img", name=ann.view()["album"][1]["prompt"]).wait_for()
    tv.page.emulate_media(color_scheme="dark")
    shots.take(tv, "finished-album-2-dark")
    tv.page.emulate_media(color_scheme="light")

    # a reloaded TV watches again, as one screen, where the album is
    tv.page.reload()
    tv.page.get_by_test_id("tv-slide").get_by_text("Picture 2 of 3").wait_for()
    ann.wait_view("v => v.screens === 1")

    tv.page.set_viewport_size(HD)
    tv.page.wait_for_timeout(200)
    shots.take(tv, "finished")
    remote.get_by_role("button", name="Previous").click()
    tv.page.get_by_test_id("tv-slide").get_by_text("Picture 1 of 3").wait_for()

    assert not failures, f"{len(failures)} axe violation(s):\n" + "\n".join(failures)
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
