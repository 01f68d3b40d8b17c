"""What a group meets in its first game (issue 15): a server that goes away, a full room,
leaving, a prompt picked by the timer and a joiner in the last round, on a desktop and a phone."""

from __future__ import annotations

import re
import time

from .conftest import Player, Shots
from .helpers import GUESS_ALT, giver_of, write_prompt

BANNER = ".banner-warn"  # "Connection lost. Reconnecting…", "The server is restarting…"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def shot(player: Player, shots: Shots, label: str, animations: str = "disabled") -> None:
    """What the screen shows right now, on a phone and on a desktop (the page is resized for
    the other one and back). Not the full page: where the banner sits matters."""
    own = player.page.viewport_size
    shots.n += 1
    for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        if size != own:
            player.page.set_viewport_size(size)
            player.page.wait_for_timeout(150)  # let the layout settle
        name = re.sub(r"[^a-z0-9-]+", "-", f"{shots.n:02d}-{label}-{size_name}-{player.name}".lower())
        player.page.screenshot(path=str(shots.folder / f"{name}.png"), animations=animations)
    if player.page.viewport_size != own:
        player.page.set_viewport_size(own)


def countdown(player: Player) -> tuple[str, str]:
    timer = player.page.locator(".countdown")
    return timer.locator(".countdown-number").inner_text(), timer.locator(".countdown-label").inner_text()


def go_offline(player: Player) -> None:
    player.context.set_offline(True)
    player.page.wait_for_function("() => window.__imprompt.connection !== 'online'")
    player.page.locator(BANNER).wait_for()


def go_online(player: Player) -> None:
    player.context.set_offline(False)
    player.page.wait_for_function("() => window.__imprompt.connection === 'online'", timeout=30_000)
    player.page.locator(BANNER).wait_for(state="detached")
    # the browser logs each reconnection attempt it made while offline: expected here
    player.errors[:] = [e for e in player.errors if "ERR_INTERNET_DISCONNECTED" not in e]


def start_guessing(players: list[Player]) -> tuple[Player, list[Player]]:
    host = players[0]
    host.page.get_by_role("button", name="Start the game").click()
    view = host.wait_phase("prompting", 1)
    giver = giver_of(players, view)
    write_prompt(giver, "a cat on a skateboard", view["settings"]["maxWords"])
    guessers = [p for p in players if p is not giver]
    for p in guessers:
        p.wait_phase("guessing", 1)
        p.page.get_by_role("img", name=GUESS_ALT).wait_for()
    return giver, guessers


def test_the_countdown_holds_still_and_says_paused_while_offline(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE)
    code = ann.create_room()
    bob.join_by_code(code)
    ann.page.get_by_role("button", name="Start the game").click()
    for p in (ann, bob):
        p.wait_phase("prompting", 1)
        p.page.locator(".countdown").wait_for()

    for p in (ann, bob):
        go_offline(p)
        number, label = countdown(p)
        time.sleep(3.2)  # an old client counted down 3 s here
        assert countdown(p)[0] == number, f"{p.name}: the countdown moved while offline"
        assert "paused" in countdown(p)[1], f"{p.name}: the countdown does not say it is paused: {label!r}"
        aria = p.page.get_by_role("timer").get_attribute("aria-label") or ""
        assert aria.endswith(", paused"), aria
        shot(p, shots, "offline-paused")
        go_online(p)
        assert "paused" not in countdown(p)[1]


def test_the_reconnect_banner_stays_in_sight_on_a_phone(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE)
    code = ann.create_room()
    bob.join_by_code(code)
    giver, guessers = start_guessing([ann, bob])
    assert guessers == [bob] or bob is giver

    for p, size in ((bob, PHONE), (ann, DESKTOP)):
        # down to the guess box (and beyond) on the phone, as a player typing a guess is
        p.page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        assert p.page.evaluate("() => window.scrollY") > 0 or size is DESKTOP
        go_offline(p)
        banner = p.page.locator(BANNER)
        box = banner.bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], (
            f"{p.name}: the banner is off-screen: {box}"
        )
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], f"{p.name}: the banner is too wide: {box}"
        spinner = banner.locator(".spinner").bounding_box()
        assert spinner is not None
        assert spinner["width"] <= 32 and spinner["height"] <= 32, f"{p.name}: the spinner is {spinner}"
        text = banner.locator("span:not(.spinner)").first.bounding_box()
        assert text is not None and text["width"] > spinner["width"] * 4
        shot(p, shots, "offline-banner-scrolled")
        go_online(p)


def test_a_full_room_offers_to_watch_and_leave_asks_first(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=DESKTOP)
    eve = people("Eve", viewport=PHONE)
    code = ann.create_room()
    ann.page.get_by_label("Players at most").select_option("2")
    ann.wait_view("v => v.settings.maxPlayers === 2")
    bob.join_by_code(code)

    # the name first: taken, shown by the name box
    eve.open(f"/r/{code}")
    name = eve.page.get_by_label("Your name")
    name.fill("ann")
    eve.page.get_by_role("button", name="Join", exact=True).click()
    error = eve.page.locator(".field").get_by_role("alert")
    error.get_by_text("already has that name").wait_for()
    assert name.get_attribute("aria-invalid") == "true"
    assert eve.page.locator(".banner").count() == 0, "the name error is in the page banner too"
    shot(eve, shots, "name-taken")

    # then a full room: shown by the code box, with "Watch instead"
    name.fill("Eve")
    eve.page.get_by_role("button", name="Join", exact=True).click()
    box = eve.page.get_by_label("Room code")
    eve.page.locator(".join-form").get_by_role("alert").get_by_text("That room is full").wait_for()
    assert box.get_attribute("aria-invalid") == "true"
    assert eve.page.locator(".banner").count() == 0
    shot(eve, shots, "room-full")
    eve.page.get_by_role("button", name="Watch instead").click()
    eve.page.get_by_test_id("room-code").wait_for()
    assert eve.view()["you"]["role"] == "spectator"

    # "Link copied!" fades away (the host's clipboard works on localhost)
    ann.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ann.page.get_by_role("button", name="Copy invite link").click()
    status = ann.page.locator(".copy-status")
    status.get_by_text("Link copied!").wait_for()
    shot(ann, shots, "link-copied", animations="allow")  # "disabled" would jump to the end of its fade
    status.get_by_text("Link copied!").wait_for(state="detached", timeout=6_000)

    # Leave asks in the page's own dialog: no window.confirm, Escape cancels, focus inside
    dialogs: list[str] = []
    eve.page.on("dialog", lambda d: dialogs.append(d.message))
    eve.page.get_by_role("button", name="Leave").click()
    dialog = eve.page.get_by_role("alertdialog", name="Leave this room?")
    dialog.wait_for()
    assert eve.page.evaluate("() => !!document.activeElement.closest('[role=alertdialog]')")
    for _ in range(3):
        eve.page.keyboard.press("Tab")
        assert eve.page.evaluate("() => !!document.activeElement.closest('[role=alertdialog]')"), "Tab left the dialog"
    shot(eve, shots, "leave-dialog")
    eve.page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert eve.view() is not None and eve.page.get_by_test_id("room-code").is_visible()
    eve.page.get_by_role("button", name="Leave").click()
    eve.page.get_by_role("button", name="Leave the room").click()
    eve.page.get_by_role("button", name="Create a room").wait_for()
    assert dialogs == [], f"window dialogs were used: {dialogs}"

    # the same dialog on a desktop
    ann.page.get_by_role("button", name="Leave").click()
    ann.page.get_by_role("alertdialog").wait_for()
    shot(ann, shots, "leave-dialog-host")
    ann.page.keyboard.press("Escape")


def test_a_timer_picked_prompt_and_a_last_round_joiner(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE)
    cy = people("Cy", viewport=PHONE)
    code = ann.create_room()
    ann.page.get_by_label("Rounds").select_option("1")
    ann.page.get_by_label("Time to write").select_option("15")
    ann.wait_view("v => v.settings.rounds === 1 && v.settings.promptSeconds === 15")
    bob.join_by_code(code)
    ann.page.get_by_role("button", name="Start the game").click()
    view = ann.wait_phase("prompting", 1)
    giver = giver_of([ann, bob], view)

    # Cy joins during the only round: she plays in the next game
    cy.open("/")
    cy.page.get_by_label("Your name").fill("Cy")
    cy.page.get_by_label("Room code").fill(code)
    cy.page.get_by_role("button", name="Join", exact=True).click()
    cy.wait_view("v => v.you.joinsNextRound")
    note = cy.page.locator(".joins-note")
    note.get_by_text("you play in the next game").wait_for()
    assert "next round" not in note.inner_text()
    shot(cy, shots, "joined-last-round")

    # the writer writes nothing: when the timer picks the prompt they are told at once
    giver.wait_view("v => v.phase === 'generating' || v.phase === 'guessing'", timeout=30_000)
    told = giver.page.get_by_test_id("auto-prompt")
    told.wait_for()
    assert re.search(r"Time ran out — we picked “.+” for you; you earn no points this turn", told.inner_text())
    giver.wait_phase("guessing", 1)
    told.wait_for()
    shot(giver, shots, "writer-auto-prompt")
    for p in (ann, bob, cy):
        if p is not giver:
            assert p.page.get_by_test_id("auto-prompt").count() == 0

    # Escape leaves the scoreboard's "Manage" mode (the host, during the turn)
    ann.page.get_by_role("button", name="Manage").click()
    ann.page.get_by_role("button", name="Done").wait_for()
    assert ann.page.locator(".scoreboard").get_by_role("button", name=re.compile("Remove")).count() >= 1
    ann.page.keyboard.press("Escape")
    ann.page.get_by_role("button", name="Manage").wait_for()
    assert ann.page.locator(".scoreboard").get_by_role("button", name=re.compile("Remove")).count() == 0
    assert ann.page.evaluate("() => document.activeElement.textContent") == "Manage"
