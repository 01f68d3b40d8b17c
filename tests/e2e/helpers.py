"""Moves shared by the end-to-end tests: playing one turn through the page."""

from __future__ import annotations

import re
from collections.abc import Callable

from .conftest import Player, Shots

GUESS_ALT = "AI image: guess the prompt"


def giver_of(players: list[Player], view: dict) -> Player:
    ids = {p.id: p for p in players}
    return ids[view["turn"]["giverId"]]


def no_sideways_scroll(player: Player) -> None:
    width = player.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{player.name}: the page scrolls sideways ({width[0]} > {width[1]} px)"


def write_prompt(giver: Player, prompt: str, max_words: int) -> None:
    box = giver.page.get_by_label(re.compile(r"Describe a picture"))
    box.fill(prompt)
    words = len(prompt.split())
    counter = giver.page.get_by_test_id("word-counter")
    assert counter.inner_text().startswith(f"{words} / {max_words} word")
    giver.page.get_by_role("button", name="Draw it").click()


def guess(player: Player, text: str) -> None:
    player.page.get_by_label("Your guess", exact=True).fill(text)
    player.page.get_by_role("button", name="Guess", exact=True).click()


def play_turn(
    players: list[Player],
    number: int,
    prompt: str,
    shots: Shots | None = None,
    *,
    mid_guess: Callable[[Player, list[Player]], None] | None = None,
    phone: bool = False,
) -> dict:
    """The giver writes `prompt`; the first guesser misses once, then everyone gets it."""
    view = players[0].wait_phase("prompting", number)
    for p in players[1:]:
        p.wait_phase("prompting", number)
    giver = giver_of(players, view)
    guessers = [p for p in players if p is not giver]
    if shots:
        shots.take(giver, f"t{number}-prompting-giver")
        shots.take(guessers[0], f"t{number}-prompting-waiting")
    holding = shots is not None and giver._socket is not None
    if holding:
        giver.hold_guessing()
    write_prompt(giver, prompt, view["settings"]["maxWords"])
    if holding:
        giver.wait_phase("generating", number)
        giver.page.get_by_text("Drawing").wait_for()
        shots.take(giver, f"t{number}-generating-giver")
        giver.release()

    for p in guessers:
        p.wait_phase("guessing", number)
        p.page.get_by_role("img", name=GUESS_ALT).wait_for()
    if shots:
        shots.take(guessers[0], f"t{number}-guessing")
    if phone:
        for p in players:
            no_sideways_scroll(p)

    first = guessers[0]
    guess(first, "office meeting")
    first.page.locator(".guess-list .guess-item").first.wait_for()
    assert first.page.locator(".guess-list .warmth").first.inner_text().strip().lower() in {"cold", "warm", "hot"}
    if mid_guess:
        first = mid_guess(first, players) or first
    guess(first, prompt.upper() + "!")
    if len(guessers) > 1:  # a lone guesser's solve ends the turn at once
        first.page.locator(".solved-banner").wait_for()
    if shots and len(guessers) > 1:
        shots.take(first, f"t{number}-solved")
        shots.take(giver, f"t{number}-guessing-giver")
    for p in guessers[1:]:
        guess(p, prompt)

    for p in players:
        v = p.wait_phase("reveal", number)
    revealed = giver.page.get_by_test_id("reveal-prompt").inner_text()
    assert prompt in revealed
    giver.page.get_by_role("img", name=prompt).wait_for()
    if shots:
        shots.take(guessers[-1], f"t{number}-reveal")
    if phone:
        for p in players:
            no_sideways_scroll(p)
    return v
