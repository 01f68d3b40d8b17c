"""Prompt packs in the browser: the host pastes a list (a bad line is named), turns on
pack-only mode, each writer picks one of three prompts, and the finished screen saves the
game's prompts as a pack. Screenshots at phone and desktop sizes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import Player, Shots
from .helpers import giver_of

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
GOOD = ["a red apple", "a school bus", "a pencil case", "a blue whale", "a paper plane"]


def shot(player: Player, shots: Shots, label: str) -> None:
    """The whole page on a phone and on a desktop (resized and back)."""
    own = player.page.viewport_size
    shots.n += 1
    for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        player.page.set_viewport_size(size)
        player.page.wait_for_timeout(150)
        player.page.evaluate("() => window.scrollTo(0, 0)")
        name = re.sub(r"[^a-z0-9-]+", "-", f"{shots.n:02d}-{label}-{size_name}-{player.name}".lower())
        player.page.screenshot(path=str(shots.folder / f"{name}.png"), full_page=True, animations="disabled")
        width = player.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{label} ({size_name}): the page scrolls sideways {width}"
    player.page.set_viewport_size(own)


def test_host_pastes_a_pack_and_writers_pick_one_of_three(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE)
    code = ann.create_room()
    bob.join_by_code(code)
    page = ann.page

    # a list with a bad line: the line is named, nothing changes
    page.get_by_text("Your own prompts").click()
    box = page.get_by_label("Paste a list, one prompt per line")
    box.fill("\n".join([GOOD[0], "this prompt is far too long to be a prompt", *GOOD[1:]]))
    page.get_by_label("Pack name").fill("Class 3B")
    page.get_by_role("button", name="Use these prompts").click()
    problem = page.locator(".pack-problems li")
    problem.first.wait_for()
    assert problem.all_inner_texts() == ["line 2: Use at most 5 words (you used 10)."]
    shot(ann, shots, "pack-bad-line")

    box.fill("\n".join(GOOD))
    page.get_by_role("button", name="Use these prompts").click()
    page.get_by_role("status").filter(has_text="is now the room’s pack").wait_for()
    ann.wait_view("(v) => v.settings.theme === 'custom' && v.customPack && v.customPack.size === 5")
    page.get_by_label("Rounds").select_option("2")
    page.get_by_label(re.compile("Pack only")).check()
    bob.wait_view("(v) => v.settings.packOnly && v.settings.rounds === 2")
    assert "Class 3B (room's own)" in bob.page.locator(".settings-list").inner_text()
    shot(ann, shots, "pack-ready-host")
    shot(bob, shots, "pack-ready-guest")

    page.get_by_role("button", name="Start the game").click()
    played: list[str] = []
    for number in (1, 2, 3, 4):
        view = ann.wait_phase("prompting", number)
        bob.wait_phase("prompting", number)
        giver = giver_of([ann, bob], view)
        other = bob if giver is ann else ann
        choices = giver.page.locator(".pack-choice")
        choices.nth(2).wait_for()
        texts = choices.all_inner_texts()
        assert len(texts) == 3 and set(texts) <= set(GOOD), texts
        assert giver.page.get_by_label(re.compile("Describe a picture")).count() == 0  # no typing
        if number == 1:
            shot(giver, shots, "pack-only-choices")
        pick = next(i for i, t in enumerate(texts) if t not in played)  # unplayed ones come first
        choices.nth(pick).click()
        played.append(texts[pick])
        other.wait_phase("guessing", number)
        other.page.get_by_label("Your guess", exact=True).fill(texts[pick])
        other.page.get_by_role("button", name="Guess", exact=True).click()
        # past this turn's guessing (the reveal lasts 2 s: it can be over before a page looks)
        ann.wait_view("(v, n) => v.turn && (v.turn.number > n || ['reveal', 'finished'].includes(v.phase))", number)

    view = ann.wait_phase("finished")
    assert [e["prompt"] for e in view["album"]] == played
    assert len(set(played)) == 4  # a game does not repeat a prompt while the pack has others
    button = page.get_by_role("button", name="Save the 4 prompts as a pack")
    with page.expect_download() as caught:
        button.click()
    download = caught.value
    assert download.suggested_filename == f"imprompt-{code}-prompts.json"
    exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert exported == {"name": f"Game {code}", "language": "en", "prompts": played}
    shot(ann, shots, "finished-export")

    # the exported file opens as a pack in the next game
    page.get_by_role("button", name="New game").click()
    ann.wait_phase("lobby")
    page.get_by_text("Your own prompts").click()
    page.get_by_label("Or open a pack file").set_input_files(download.path())
    page.get_by_role("button", name="Use these prompts").click()
    page.get_by_role("status").filter(has_text=f"“Game {code}” is now the room’s pack: 4 prompts").wait_for()
    bob.wait_view("(v, code) => v.customPack && v.customPack.name === 'Game ' + code && v.customPack.size === 4", code)
