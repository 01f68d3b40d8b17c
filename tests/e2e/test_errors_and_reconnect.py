"""Friendly errors, kicks, and a dropped connection that resumes by itself."""

from __future__ import annotations

from .conftest import Shots


def test_friendly_errors_and_a_kick(people, shots: Shots) -> None:
    ann, bob = people("Ann"), people("Bob")

    # a well-formed code with no room behind it
    bob.open("/")
    bob.page.get_by_label("Your name").fill("Bob")
    bob.page.get_by_label("Room code").fill("ABCDEF")
    bob.page.get_by_role("button", name="Join", exact=True).click()
    bob.page.get_by_role("alert").get_by_text("There is no room with that code").wait_for()
    shots.take(bob, "room-not-found")

    # a badly formed code never reaches the server
    bob.page.get_by_label("Room code").fill("OO0")
    bob.page.get_by_role("button", name="Join", exact=True).click()
    bob.page.get_by_text("Room codes are 6 letters and digits").wait_for()

    code = ann.create_room()
    bob.page.get_by_label("Your name").fill("ann")  # names are unique ignoring case
    bob.page.get_by_label("Room code").fill(code)
    bob.page.get_by_role("button", name="Join", exact=True).click()
    bob.page.get_by_role("alert").get_by_text("already has that name").wait_for()
    shots.take(bob, "name-taken")

    bob.page.get_by_label("Your name").fill("Bob")
    bob.page.get_by_role("button", name="Join", exact=True).click()
    bob.page.get_by_test_id("room-code").wait_for()

    # the host removes Bob: he lands on the home page and is told why
    ann.page.get_by_role("button", name="Remove Bob").click()
    # in the page's own dialog, not window.confirm
    ann.page.get_by_role("alertdialog", name="Remove Bob?").get_by_role("button", name="Remove").click()
    bob.page.get_by_role("alert").filter(has_text="removed").wait_for()
    assert bob.page.get_by_role("button", name="Create a room").is_visible()
    shots.take(bob, "kicked")
    # and his stored seat no longer works: a reload shows the join form for the room
    bob.page.goto(f"{bob.url}/r/{code}")
    bob.page.get_by_role("heading", name=f"Join room {code}").wait_for()


def test_a_dropped_connection_resumes_the_seat(people, shots: Shots) -> None:
    ann = people("Ann", hold=True)
    bob = people("Bob")
    code = ann.create_room()
    bob.join_by_code(code)
    ann.page.get_by_role("button", name="Start the game").click()
    ann.wait_phase("prompting", 1)
    before = ann.view()

    ann.page.evaluate("""() => {
        window.__sawBanner = false;
        new MutationObserver(() => {
            const b = document.querySelector('.banner-warn');
            if (b && b.textContent.includes('Reconnecting')) window.__sawBanner = true;
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }""")
    ann._socket.close()  # the network drops the websocket
    ann.page.wait_for_function("() => window.__sawBanner === true")
    ann.page.wait_for_function("() => window.__imprompt.connection === 'online'")
    after = ann.wait_view("(v, a) => v.revision > a && v.members.every(m => m.connected)", before["revision"])
    assert after["you"]["id"] == before["you"]["id"]
    assert after["turn"]["number"] == 1 and after["phase"] == "prompting"
    assert ann.page.locator(".banner-warn").count() == 0
    bob.wait_view("v => v.members.every(m => m.connected)")
    shots.take(ann, "after-reconnect")


def test_a_second_tab_takes_the_seat_and_can_give_it_back(people, shots: Shots) -> None:
    ann, bob = people("Ann"), people("Bob")
    code = ann.create_room()
    bob.join_by_code(code)
    me = ann.id

    other = ann.context.new_page()  # same browser, same stored token
    other.goto(f"{ann.url}/r/{code}")
    other.get_by_test_id("room-code").wait_for()
    banner = ann.page.get_by_role("alert").filter(has=ann.page.get_by_role("button", name="Play here instead"))
    banner.wait_for()
    shots.take(ann, "replaced")
    assert other.evaluate("() => window.__imprompt.view.you.id") == me

    ann.page.get_by_role("button", name="Play here instead").click()
    banner.wait_for(state="detached")
    other.get_by_role("button", name="Play here instead").wait_for()
    assert ann.id == me
    bob.wait_view("v => v.members.length === 2 && v.members.every(m => m.connected)")
    other.close()
