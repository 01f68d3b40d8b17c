"""One game on a desktop, a touch phone and a touch tablet (issue 15): a vote kick confirmed and
taken back, the game starting once everyone is ready, a turn skipped because its writer left,
a podium that keeps the player who left (greyed out), and "Play again" that each player
chooses for themselves while another still looks at the album."""

from __future__ import annotations

import re

from .conftest import Player, Shots
from .helpers import GUESS_ALT, giver_of, guess, no_sideways_scroll, write_prompt

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
PROMPTS = ["a red bicycle", "pirate ship", "a cat on a skateboard"]


def shot(shots: Shots, label: str, *players: Player) -> None:
    """The screen as each device shows it right now (its own size: phone, tablet, desktop)."""
    shots.n += 1
    for p in players:
        name = re.sub(r"[^a-z0-9-]+", "-", f"{shots.n:02d}-{label}-{p.name}".lower())
        p.page.screenshot(path=str(shots.folder / f"{name}.png"), animations="disabled")


def shot_sizes(shots: Shots, label: str, player: Player) -> None:
    """One person's screen at each size (phone, tablet, desktop), then back to its own."""
    own = player.page.viewport_size
    shots.n += 1
    for size_name, size in (("phone", PHONE), ("tablet", TABLET), ("desktop", DESKTOP)):
        player.page.set_viewport_size(size)
        player.page.wait_for_timeout(150)  # let the layout settle
        name = re.sub(r"[^a-z0-9-]+", "-", f"{shots.n:02d}-{label}-{size_name}-{player.name}".lower())
        player.page.screenshot(path=str(shots.folder / f"{name}.png"), animations="disabled")
    player.page.set_viewport_size(own)


def play(players: list[Player], number: int, prompt: str) -> None:
    """The writer writes `prompt`, every guesser gets it at once."""
    view = players[0].wait_phase("prompting", number)
    giver = giver_of(players, view)
    write_prompt(giver, prompt, view["settings"]["maxWords"])
    for p in players:
        if p is not giver:
            p.wait_phase("guessing", number)
            p.page.get_by_role("img", name=GUESS_ALT).wait_for()
    for p in players:
        if p is not giver:
            guess(p, prompt)
    for p in players:
        p.wait_phase("reveal", number)


def test_one_game_on_a_desktop_a_phone_and_a_tablet(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE, is_mobile=True, has_touch=True)
    cy = people("Cy", viewport=TABLET, is_mobile=True, has_touch=True)
    dan = people("Dan", viewport=DESKTOP)
    code = ann.create_room()
    for p in (bob, cy, dan):
        p.join_by_code(code)
    ann.page.get_by_label("Rounds").select_option("1")
    for p in (bob, cy, dan):
        p.wait_view("v => v.settings.rounds === 1 && v.members.length === 4")

    # a vote kick asks first, and can be taken back; Dan, voted on, sees no count
    bob.page.get_by_role("button", name="Vote to remove Dan").click()
    dialog = bob.page.get_by_role("alertdialog", name="Vote to remove Dan?")
    dialog.wait_for()
    shot_sizes(shots, "vote-dialog", bob)
    dialog.get_by_role("button", name="Cancel").click()
    assert bob.view()["yourKickVotes"] == []
    bob.page.get_by_role("button", name="Vote to remove Dan").click()
    dialog.get_by_role("button", name="Vote to remove").click()
    take_back = bob.page.get_by_role("button", name="Take back vote to remove Dan")
    take_back.wait_for()
    cy.wait_view("(v, id) => v.kickVotes[id] === 1", dan.id)
    cy.page.locator(".player-row", has_text="Dan").get_by_text("1 vote(s) to remove").wait_for()
    assert dan.page.locator(".badge", has_text=re.compile("vote", re.I)).count() == 0, "Dan sees votes against him"
    assert dan.id not in dan.view()["kickVotes"]
    shot(shots, "voted", bob, cy, dan)
    take_back.click()
    bob.page.get_by_role("button", name="Vote to remove Dan").wait_for()
    cy.wait_view("(v, id) => !v.kickVotes[id]", dan.id)

    # the host's Remove asks in the page's dialog too; cancelled here
    ann.page.get_by_role("button", name="Remove Dan").click()
    host_dialog = ann.page.get_by_role("alertdialog", name="Remove Dan?")
    shot(shots, "remove-dialog", ann)
    host_dialog.get_by_role("button", name="Cancel").click()
    host_dialog.wait_for(state="detached")

    # ready: the lobby counts it, and the game starts once everyone is
    for p in (bob, cy, dan):
        p.page.get_by_role("button", name="I'm ready").click()
    ann.wait_view("v => v.members.filter(m => m.ready).length === 3")
    count = ann.page.get_by_test_id("ready-count")
    assert count.inner_text() == "3 of 4 ready — the game starts when everyone is ready"
    assert ann.page.get_by_role("button", name="Start the game").is_enabled()
    shot(shots, "lobby-ready", ann, bob, cy)
    for p in (ann, bob, cy):
        no_sideways_scroll(p)
    ann.page.get_by_role("button", name="I'm ready").click()
    view = ann.wait_phase("prompting", 1)

    # the turns: Dan leaves when it is his to write, and that turn is skipped
    players = [ann, bob, cy, dan]
    prompts = iter(PROMPTS)
    number = 1
    skipped_seen = False
    while view["phase"] != "finished":
        view = ann.wait_view(
            "(v, n) => v.phase === 'finished' || (v.phase === 'prompting' && v.turn.number >= n)",
            number,
        )
        if view["phase"] == "finished":
            break
        number = view["turn"]["number"]
        if dan in players and view["turn"]["giverId"] == dan.id:
            dan.page.get_by_role("button", name="Leave").click()
            dan.page.get_by_role("button", name="Leave the room").click()
            dan.page.get_by_role("button", name="Create a room").wait_for()
            players.remove(dan)
            view = ann.wait_view(
                "(v, n) => v.phase === 'finished' || (v.turn && v.turn.number > n)",
                number,
            )
            assert view["skippedTurn"]["giverName"] == "Dan", view["skippedTurn"]
            for p in players:
                p.page.get_by_test_id("skipped-turn").get_by_text("Dan’s turn was skipped: they left.").wait_for()
                p.page.get_by_test_id("announcer").get_by_text("Dan’s turn was skipped").wait_for(state="attached")
            shot(shots, "skipped", *players)
            skipped_seen = True
            continue
        play([p for p in players], number, next(prompts))
        number += 1
    assert skipped_seen

    # the podium keeps Dan, greyed out, with a "left" label
    for p in players:
        p.wait_phase("finished")
    standings = ann.view()["standings"]
    assert any(s["name"] == "Dan" and s.get("left") for s in standings), standings
    for p in players:
        row = p.page.get_by_test_id(f"standing-{[s for s in standings if s['name'] == 'Dan'][0]['playerId']}")
        li = row.locator("xpath=..")
        assert "has-left" in (li.get_attribute("class") or "")
        assert "(left)" in li.inner_text()
    shot(shots, "finished", ann, bob, cy)

    # play again is each player's own: Bob says ready, the host opens a new game, Cy still
    # looks at the album and goes back when he chooses
    bob.page.get_by_role("button", name="Play again").click()
    bob.page.get_by_text("You are in for the next game").wait_for()
    ann.page.get_by_role("button", name="New game").click()
    for p in players:
        p.wait_phase("lobby")
    ann.page.get_by_role("heading", name="Ready for another game?").wait_for()
    bob.page.get_by_role("heading", name="Ready for another game?").wait_for()
    banner = cy.page.get_by_test_id("lobby-waiting")
    banner.get_by_text("The others are in the lobby").wait_for()
    assert cy.page.locator(".album-card").count() >= 1
    assert cy.page.get_by_role("list", name="Podium").is_visible()
    ann.wait_view("v => v.members.filter(m => m.ready).length === 1")
    assert ann.page.get_by_test_id("ready-count").inner_text().startswith("1 of 3 ready")
    shot(shots, "others-in-lobby", cy, bob, ann)
    shot_sizes(shots, "others-in-lobby", cy)
    banner.get_by_role("button", name="Back to the lobby").click()
    cy.page.get_by_role("heading", name="Ready for another game?").wait_for()
    assert cy.view()["phase"] == "lobby"
