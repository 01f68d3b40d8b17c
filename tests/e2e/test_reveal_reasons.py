"""At the reveal each best guess shows why it scored so ("hog ≈ pig, shades ≈ sunglasses"),
on a phone and on a desktop, and the album keeps it; while guessing no reason is sent.

The reason is the server's `similarity.explain`, the one `imprompt score` prints. This
module runs its own server with the product's 8 s reveal (the shared one has 2 s, too
short to look at the reveal on two screens)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from .conftest import Player, Shots, serve
from .helpers import GUESS_ALT, giver_of, guess, no_sideways_scroll, write_prompt

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# everyday paraphrases that share no word with their prompt: a reason worth reading
TURNS = {"a pig wearing sunglasses": "hog in shades", "frozen lake": "icy pond"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server, as in conftest.py, with an 8 s reveal."""
    with serve(tmp_path_factory.mktemp("reasons-server"), REVEAL_SECONDS="8") as url:
        yield url


def seen(player: Player, locator) -> list[str]:
    """The reasons as the eye reads them: without the words only screen readers get."""
    return locator.evaluate_all(
        "els => els.map(el => { const c = el.cloneNode(true);"
        " c.querySelectorAll('.visually-hidden').forEach(n => n.remove());"
        " return c.textContent.replace(/\\s+/g, ' ').trim(); })"
    )


def reason_row(player: Player, name: str):
    return player.page.locator(".results tbody tr", has=player.page.get_by_role("rowheader", name=name))


def test_the_reveal_and_the_album_say_why_each_best_guess_scored(people, shots: Shots) -> None:
    from imprompt.similarity import explain, similarity

    for prompt, text in TURNS.items():  # what the table promises: close in meaning, not solved
        assert 60 <= similarity(prompt, text) < 95, (prompt, text, similarity(prompt, text))
    why = {prompt: explain(prompt, text) for prompt, text in TURNS.items()}

    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE, is_mobile=True, has_touch=True)
    code = ann.create_room()
    bob.join_by_code(code)
    ann.page.get_by_label("Rounds").select_option("1")
    ann.page.get_by_label("Time to guess").select_option("20")
    bob.wait_view("v => v.settings.rounds === 1 && v.settings.guessSeconds === 20")
    ann.page.get_by_role("button", name="Start the game").click()

    players = [ann, bob]
    prompts = list(TURNS)
    for number in (1, 2):
        view = ann.wait_phase("prompting", number)
        bob.wait_phase("prompting", number)
        giver = giver_of(players, view)
        guesser = bob if giver is ann else ann
        prompt = prompts[0] if guesser is bob else prompts[1]  # the phone sees the pig
        write_prompt(giver, prompt, view["settings"]["maxWords"])
        guesser.wait_phase("guessing", number)
        guesser.page.get_by_role("img", name=GUESS_ALT).wait_for()
        guess(guesser, TURNS[prompt])
        guesser.page.locator(".guess-list .guess-item").first.wait_for()
        # while guessing the reason would give prompt words away: none is sent or shown
        for p in players:
            assert '"reason"' not in json.dumps(p.view()), p.name
            assert p.page.get_by_test_id("guess-reason").count() == 0, p.name

        for p in players:  # the 20 s guess timer ends the turn
            p.wait_phase("reveal", number, timeout=40_000)
        for p in players:
            row = reason_row(p, guesser.name)
            row.get_by_test_id("guess-reason").wait_for()
            assert seen(p, row.get_by_test_id("guess-reason")) == [f"Why: {why[prompt]}"], p.name
            assert f"“{TURNS[prompt]}”" in row.inner_text()
            results = p.view()["turn"]["results"]
            assert [r["reason"] for r in results] == [why[prompt]]
        for p in (guesser, giver):
            p.page.get_by_role("img", name=prompt).wait_for()
            p.page.wait_for_function("() => [...document.images].every(i => i.complete)")
            shots.take(p, f"t{number}-reveal")
        no_sideways_scroll(bob)
        reason = bob.page.get_by_test_id("guess-reason")  # on the phone it wraps inside the card
        box, page_width = reason.bounding_box(), PHONE["width"]
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= page_width, box

    for p in players:
        p.wait_phase("finished", timeout=20_000)
        assert p.page.locator(".album-card").count() == 2
    for p in players:
        album = {e["prompt"]: e["bestGuesses"][0]["reason"] for e in p.view()["album"]}
        assert album == why, p.name
        shown = seen(p, p.page.locator(".album-card").get_by_test_id("guess-reason"))
        assert sorted(shown) == sorted(f"Why: {w}" for w in why.values()), p.name
        p.page.locator(".album").scroll_into_view_if_needed()
        p.page.wait_for_function("() => [...document.images].every(i => i.complete)")
        shots.take(p, "finished-album")
    no_sideways_scroll(bob)
