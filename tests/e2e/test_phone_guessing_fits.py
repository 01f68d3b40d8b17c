"""A phone's guessing screen fits, with and without the on-screen keyboard (issue 15 item 17):
the picture, the timer and the guess box (and its button) are in the visual viewport."""

from __future__ import annotations

import re

from .conftest import Player, Shots
from .helpers import GUESS_ALT, giver_of, write_prompt

PHONE = {"width": 390, "height": 844}
KEYBOARD = {"width": 390, "height": 480}  # what is left above a phone's keyboard
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 800}


def inside(player: Player, locator, *, partly: bool = False) -> bool:
    """Whether the element is inside the visual viewport (all of it, or some of it)."""
    box = locator.bounding_box()
    assert box, "not rendered"
    top, bottom = player.page.evaluate(
        "() => { const v = window.visualViewport; return [v.offsetTop, v.offsetTop + v.height]; }"
    )
    if partly:
        return box["y"] < bottom - 40 and box["y"] + box["height"] > top + 40  # a real part of it
    return box["y"] >= top - 1 and box["y"] + box["height"] <= bottom + 1


def parts(player: Player) -> dict:
    page = player.page
    return {
        "picture": page.get_by_role("img", name=GUESS_ALT),
        "timer": page.get_by_role("timer"),
        "box": page.get_by_label("Your guess", exact=True),
        "button": page.get_by_role("button", name="Guess", exact=True),
    }


def shot(player: Player, shots: Shots, label: str) -> None:
    shots.n += 1
    name = re.sub(r"[^a-z0-9-]+", "-", f"{shots.n:02d}-{label}-{player.name}".lower())
    player.page.screenshot(path=str(shots.folder / f"{name}.png"), animations="disabled")


def test_the_phone_guessing_screen_fits_with_and_without_the_keyboard(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE, is_mobile=True, has_touch=True)
    code = ann.create_room()
    bob.join_by_code(code)
    ann.page.get_by_role("button", name="Start the game").click()
    view = ann.wait_phase("prompting", 1)
    players = [ann, bob]
    if giver_of(players, view) is not ann:  # Bob must guess: if he writes, he writes turn 1 and guesses turn 2
        write_prompt(bob, "a red bicycle", view["settings"]["maxWords"])
        bob.wait_phase("guessing", 1)
        ann.page.get_by_label("Your guess", exact=True).fill("a red bicycle")
        ann.page.get_by_role("button", name="Guess", exact=True).click()
        view = ann.wait_phase("prompting", 2)
    write_prompt(ann, "a cat on a skateboard", view["settings"]["maxWords"])
    bob.wait_phase("guessing")
    bob.page.get_by_role("img", name=GUESS_ALT).wait_for()
    bob.page.wait_for_function("() => document.querySelector('.art-img').complete")
    bob.page.evaluate("() => window.scrollTo(0, 0)")

    # 390×844: everything one needs to guess is on the first screen
    for what, loc in parts(bob).items():
        assert inside(bob, loc), f"390×844: the {what} is not inside the viewport: {loc.bounding_box()}"
    shot(bob, shots, "guessing-phone")

    # the keyboard opens: the guess box has the focus and 480 px are left
    bob.page.get_by_label("Your guess", exact=True).focus()
    bob.page.set_viewport_size(KEYBOARD)
    bob.page.evaluate("() => window.visualViewport.dispatchEvent(new Event('resize'))")
    bob.page.wait_for_timeout(300)
    p = parts(bob)
    picture = p["picture"].bounding_box()
    assert inside(bob, p["picture"], partly=True), f"keyboard open: the picture is out of view: {picture}"
    for what in ("timer", "box", "button"):
        assert inside(bob, p[what]), f"keyboard open: the {what} is not inside the viewport: {p[what].bounding_box()}"
    shot(bob, shots, "guessing-phone-keyboard")

    # typing still works with the keyboard open, and the layout comes back when it closes
    bob.page.keyboard.type("office")
    assert bob.page.get_by_label("Your guess", exact=True).input_value() == "office"
    bob.page.set_viewport_size(PHONE)
    bob.page.evaluate("() => window.visualViewport.dispatchEvent(new Event('resize'))")
    bob.page.wait_for_timeout(300)
    for what, loc in parts(bob).items():
        assert inside(bob, loc), f"keyboard closed: the {what} is not inside the viewport"

    for size_name, size in (("tablet", TABLET), ("desktop", DESKTOP)):
        bob.page.set_viewport_size(size)
        bob.page.wait_for_timeout(200)
        shot(bob, shots, f"guessing-{size_name}")
