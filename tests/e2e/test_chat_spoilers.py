"""No spoilers in the chat (issue 15, items 2 and 3), in three browsers: the solver's
answer and the writer's hint reach the solver and the writer, labelled "solved", never the
player still guessing; a guess typed into chat is refused with a pointer to the guess box;
"got it!" shows as a moment of the game."""

from __future__ import annotations

from .conftest import Shots
from .helpers import GUESS_ALT, giver_of, guess, write_prompt

PROMPT = "cat on a skateboard"


def say(player, text: str) -> None:
    player.page.get_by_role("textbox", name="Chat message").fill(text)
    player.page.get_by_role("button", name="Send message").click()


def test_a_guesser_never_sees_a_spoiler_the_solvers_do(people, shots: Shots) -> None:
    ann, bob, cy = people("Ann"), people("Bob"), people("Cy")
    code = ann.create_room()
    bob.join_by_code(code)
    cy.join_by_code(code)
    ann.page.locator(".chat-system", has_text="Cy joined").wait_for()  # joins are moments
    ann.wait_view("v => v.members.length === 3")
    ann.page.get_by_role("button", name="Start the game").click()
    players = [ann, bob, cy]
    view = ann.wait_phase("prompting", 1)
    giver = giver_of(players, view)
    solver, guesser = [p for p in players if p is not giver]
    write_prompt(giver, PROMPT, view["settings"]["maxWords"])
    for p in (solver, guesser):
        p.wait_phase("guessing", 1)
        p.page.get_by_role("img", name=GUESS_ALT).wait_for()

    guess(solver, PROMPT)
    solver.page.locator(".solved-banner").wait_for()
    moment = guesser.page.locator(".chat-system.chat-event-solved")
    moment.wait_for()
    assert moment.inner_text().startswith(f"{solver.name} got it! +")

    solver.page.get_by_test_id("solved-channel-note").wait_for()
    say(solver, "it was a cat on a skateboard lol")
    say(giver, "hint: it is a skateboard")
    for p in (solver, giver):
        for text in ("it was a cat on a skateboard lol", "hint: it is a skateboard"):
            line = p.page.locator(".chat-line.chat-solved", has_text=text)
            line.wait_for()
            assert line.locator(".chat-channel").inner_text().strip().lower() == "solved"

    say(guesser, "skateboard?")
    guesser.page.get_by_role("alert").get_by_text("guess box").wait_for()
    say(guesser, "this one is hard")
    for p in players:  # sent after the spoilers: once it is there, any spoiler would be too
        p.page.locator(".chat-line", has_text="this one is hard").wait_for()
    shots.take(guesser, "chat-guesser")
    shots.take(solver, "chat-solver")
    log = guesser.page.get_by_role("log", name="Chat messages").inner_text().lower()
    assert "skateboard" not in log
    assert not solver.errors and not guesser.errors and not giver.errors
