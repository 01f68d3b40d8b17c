"""Hint words stay whole and their letters sit on the line (issue 15 item 19).

A 7-letter word used to break across lines on a 1280-wide screen, and a revealed letter sat
above the dashes. Each word is a row of fixed-width cells, each with the underline as its
bottom border; words may wrap between each other, never inside. Checked at 1280×800 and on a
390×844 phone, once a letter is revealed (half-way through a 20 s turn)."""

from __future__ import annotations

from .conftest import Player, Shots
from .helpers import GUESS_ALT, giver_of, no_sideways_scroll, write_prompt

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PROMPT = "giraffe painting extraordinary sunflowers"  # 7, 8, 13 and 10 letters: 13 barely fit a phone

_CELLS = """() => [...document.querySelectorAll("[data-testid=hint] .hint-word")].map((word) =>
  [...word.children].map((cell) => {
    const box = cell.getBoundingClientRect();
    const text = cell.firstChild;
    let glyph = null;
    if (text && text.nodeType === Node.TEXT_NODE) {
      const range = document.createRange();
      range.selectNodeContents(text);
      const r = range.getBoundingClientRect();
      glyph = { top: r.top, bottom: r.bottom };
    }
    return {
      cls: cell.className, text: cell.textContent, top: box.top, bottom: box.bottom,
      left: box.left, right: box.right, border: parseFloat(getComputedStyle(cell).borderBottomWidth), glyph,
    };
  }))"""


def check_hint(player: Player, label: str) -> None:
    words = player.page.evaluate(_CELLS)
    assert len(words) == 4, words
    hint = player.view()["turn"]["hint"]
    shown_any = False
    for n, (word, cells) in enumerate(zip(hint, words, strict=True), start=1):
        assert len(cells) == len(word), f"{label}: word {n} has {len(cells)} cells for {word!r}"
        tops = {round(c["top"], 1) for c in cells}
        assert max(tops) - min(tops) < 1, f"{label}: word {n} ({word!r}) breaks across lines: tops {sorted(tops)}"
        bottoms = [c["bottom"] for c in cells]
        assert max(bottoms) - min(bottoms) < 1, f"{label}: word {n}: cell bottoms differ: {bottoms}"
        widths = {round(c["right"] - c["left"], 1) for c in cells}
        assert max(widths) - min(widths) < 1, f"{label}: word {n}: cells of different widths {widths}"
        for c in cells:
            assert c["border"] >= 2, f"{label}: a cell without its underline: {c}"
            if c["text"]:
                shown_any = True
                # the letter sits on the line: its glyph ends just above the underline
                gap = c["bottom"] - c["border"] - c["glyph"]["bottom"]
                assert -1.5 <= gap <= 1.5, f"{label}: letter {c['text']!r} floats {gap:.1f} px above the line"
    assert shown_any, f"{label}: no revealed letter to check"


def test_hint_words_stay_whole_and_letters_sit_on_the_line(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=PHONE)
    code = ann.create_room()
    bob.join_by_code(code)
    ann.page.get_by_label("Time to guess").select_option("20")
    ann.page.get_by_label("Words per prompt").select_option("4")
    ann.wait_view("v => v.settings.guessSeconds === 20 && v.settings.maxWords === 4")
    ann.page.get_by_role("button", name="Start the game").click()
    view = ann.wait_phase("prompting", 1)
    giver = giver_of([ann, bob], view)
    guesser = bob if giver is ann else ann
    write_prompt(giver, PROMPT, view["settings"]["maxWords"])
    guesser.wait_phase("guessing", 1)
    guesser.page.get_by_role("img", name=GUESS_ALT).wait_for()
    guesser.page.locator("[data-testid=hint] .shown").first.wait_for(timeout=15_000)

    own = guesser.page.viewport_size
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        guesser.page.set_viewport_size(size)
        guesser.page.wait_for_timeout(150)
        check_hint(guesser, name)
        no_sideways_scroll(guesser)
        guesser.page.screenshot(path=str(shots.folder / f"guessing-hint-{name}.png"), animations="disabled")
        guesser.page.locator(".hint").screenshot(path=str(shots.folder / f"hint-{name}.png"), animations="disabled")
    guesser.page.set_viewport_size(own)
