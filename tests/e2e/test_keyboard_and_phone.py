"""A whole turn with the keyboard alone, and a whole game on phone-sized screens."""

from __future__ import annotations

import re

from .conftest import Player, Shots
from .helpers import GUESS_ALT, giver_of, no_sideways_scroll, play_turn

PHONE = {"width": 360, "height": 740}


def tab_to(player: Player, locator, limit: int = 60) -> None:
    """Press Tab until `locator` has the focus; the focus must be visible on the way."""
    target = locator.element_handle()
    for _ in range(limit):
        player.page.keyboard.press("Tab")
        if player.page.evaluate("el => el === document.activeElement", target):
            outline = player.page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
            )
            assert outline[0] != "none" and outline[1] != "0px", f"no visible focus on {locator}: {outline}"
            return
    raise AssertionError(f"{player.name}: Tab never reached {locator}")


def focused_is(player: Player, locator) -> bool:
    return player.page.evaluate("el => el === document.activeElement", locator.element_handle())


def test_one_whole_turn_with_the_keyboard_only(people, shots: Shots) -> None:
    ann = people("Ann", reduced_motion=True)
    bob = people("Bob", dark=True)

    # Ann creates a room: Tab to the name, type, Enter.
    ann.open("/")
    tab_to(ann, ann.page.get_by_label("Your name"))
    ann.page.keyboard.type("Ann")
    ann.page.keyboard.press("Enter")
    code = ann.page.get_by_test_id("room-code").inner_text().strip()

    # Bob joins by code from the home page: name, Tab to the code, Enter.
    bob.open("/")
    tab_to(bob, bob.page.get_by_label("Your name"))
    bob.page.keyboard.type("Bob")
    tab_to(bob, bob.page.get_by_label("Room code"))
    bob.page.keyboard.type(code.lower())  # codes are case-insensitive
    bob.page.keyboard.press("Enter")
    bob.page.get_by_test_id("room-code").wait_for()

    # Bob gets ready with the space bar; Ann starts with Enter.
    ready = bob.page.get_by_role("button", name="I'm ready")
    tab_to(bob, ready)
    bob.page.keyboard.press("Space")
    ann.wait_view("v => v.members.some(m => m.name === 'Bob' && m.ready)")
    start = ann.page.get_by_role("button", name="Start the game")
    tab_to(ann, start)
    shots.take(ann, "keyboard-lobby")
    ann.page.keyboard.press("Enter")

    view = ann.wait_phase("prompting", 1)
    giver = giver_of([ann, bob], view)
    guesser = bob if giver is ann else ann

    # The prompt box has the focus as the turn starts; ideas are a Tab away.
    box = giver.page.get_by_label(re.compile(r"Describe a picture"))
    box.wait_for()
    assert focused_is(giver, box)
    ideas = giver.page.get_by_role("button", name="Give me ideas")
    tab_to(giver, ideas)
    giver.page.keyboard.press("Enter")
    chip = giver.page.get_by_role("list", name="Suggested prompts").get_by_role("button").first
    chip.wait_for()
    shots.take(giver, "keyboard-ideas")
    tab_to(giver, chip)
    suggestion = chip.inner_text().strip()
    giver.page.keyboard.press("Enter")
    assert focused_is(giver, box) and box.input_value() == suggestion
    giver.page.keyboard.press("Enter")

    guesser.wait_phase("guessing", 1)
    guesser.page.get_by_role("img", name=GUESS_ALT).wait_for()
    shots.take(guesser, "keyboard-guessing")
    field = guesser.page.get_by_label("Your guess", exact=True)
    assert focused_is(guesser, field)
    guesser.page.keyboard.type("office meeting")
    guesser.page.keyboard.press("Enter")
    guesser.page.locator(".guess-list .guess-item").first.wait_for()
    assert focused_is(guesser, field)
    guesser.page.keyboard.type(suggestion)
    guesser.page.keyboard.press("Enter")  # the only guesser solves it: the turn ends at once

    for p in (ann, bob):
        p.wait_phase("reveal", 1)
    assert suggestion in guesser.page.get_by_test_id("reveal-prompt").inner_text()
    shots.take(guesser, "keyboard-reveal")
    # the live region told the guesser about the turn
    said = guesser.page.get_by_test_id("announcer").inner_text()
    assert "The prompt was" in said


def test_phone_sized_screens_play_a_game(people, shots: Shots) -> None:
    ann = people("Ann", viewport=PHONE, hold=True)
    bob = people("Bob", viewport=PHONE, hold=True)
    ann.open("/")
    no_sideways_scroll(ann)
    shots.take(ann, "phone-home")
    code = ann.create_room()
    ann.page.get_by_label("Rounds").select_option("1")
    bob.join_by_link(f"{ann.url}/r/{code}")
    bob.wait_view("v => v.settings.rounds === 1")
    for p in (ann, bob):
        no_sideways_scroll(p)
    shots.take(ann, "phone-lobby-host")
    shots.take(bob, "phone-lobby-guest")
    ann.page.get_by_role("button", name="Start the game").click()

    # touch-sized controls: the main buttons are at least 44 px tall
    ann.wait_phase("prompting", 1)
    for p in (ann, bob):
        for button in p.page.locator("main .btn:not(.btn-small)").all():
            if button.is_visible():
                assert button.bounding_box()["height"] >= 44, button.inner_text()

    for number, prompt in enumerate(["pizza party", "red balloon"], start=1):
        play_turn([ann, bob], number, prompt, shots, phone=True)
    for p in (ann, bob):
        p.wait_phase("finished", timeout=30_000)
        p.page.get_by_role("list", name="Podium").wait_for()
        no_sideways_scroll(p)
    shots.take(ann, "phone-finished")
