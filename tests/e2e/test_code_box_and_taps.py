"""The code box takes a pasted invite link or a code with spaces; on a 390×844 phone every
tap target of the home, lobby and guessing screens is at least 44×44 px."""

from __future__ import annotations

from .conftest import Player, Shots
from .helpers import GUESS_ALT, giver_of, write_prompt

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TAP = 44

# Every visible control; a checkbox or radio is measured by the label around it (the label
# is what a finger hits). Links inside a sentence are exempt, as WCAG 2.5.8 exempts them.
_SMALL_TARGETS = """
(min) => {
  const seen = new Set();
  const small = [];
  const controls = document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [role=link], [tabindex]:not([tabindex="-1"])'
  );
  for (const el of controls) {
    let target = el;
    if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) target = el.closest('label');
    if (seen.has(target)) continue;
    seen.add(target);
    const style = getComputedStyle(target);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const box = target.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden (its label is measured)
    if (target.closest('[hidden], [inert], [aria-hidden=true]')) continue;
    if (target.matches('a') && target.parentElement && target.parentElement.matches('p, li, small, span')) {
      const text = target.parentElement.textContent.replace(target.textContent, '').trim();
      if (text.length > 0) continue;  // a link in a sentence
    }
    if (box.width + 0.5 < min || box.height + 0.5 < min) {
      const name = (target.getAttribute('aria-label') || target.textContent || target.getAttribute('placeholder') || '')
        .trim().replace(/\\s+/g, ' ').slice(0, 40);
      const classes = target.className ? '.' + String(target.className).split(' ').join('.') : '';
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${target.tagName.toLowerCase()}${classes} "${name}" ${size}`);
    }
  }
  return small;
}
"""


def small_targets(player: Player) -> list[str]:
    return player.page.evaluate(_SMALL_TARGETS, TAP)


def paste(player: Player, label: str, text: str) -> None:
    """Paste `text` into the field as a clipboard paste (a real paste event, then input)."""
    box = player.page.get_by_label(label)
    box.click()
    box.press("ControlOrMeta+a")
    box.press("Delete")
    player.page.evaluate(
        """([el, text]) => {
          const data = new DataTransfer();
          data.setData('text/plain', text);
          const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
          // not handled by the page: the browser's own paste (which honours maxlength)
          if (el.dispatchEvent(event)) document.execCommand('insertText', false, text);
        }""",
        [box.element_handle(), text],
    )


def test_a_pasted_link_or_spaced_code_joins_the_room(people, shots: Shots) -> None:
    ann = people("Ann")
    code = ann.create_room()
    bob = people("Bob", viewport=PHONE)
    bob.open("/")
    bob.page.get_by_label("Your name").fill("Bob")
    box = bob.page.get_by_label("Room code")

    paste(bob, "Room code", f"{ann.url}/r/{code}")
    assert box.input_value() == code
    paste(bob, "Room code", f"  {code.lower()}  ")
    assert box.input_value() == code
    box.fill("")
    box.press_sequentially(f" {code.lower()} ")  # typed with spaces around it
    assert box.input_value() == code
    # a real keyboard paste, through the system clipboard
    bob.context.grant_permissions(["clipboard-read", "clipboard-write"])
    bob.page.evaluate("text => navigator.clipboard.writeText(text)", f"https://imprompt.example/r/{code.lower()}")
    box.fill("")
    box.press("ControlOrMeta+v")
    assert box.input_value() == code
    shots.take(bob, "home-pasted-link")
    bob.page.get_by_role("button", name="Join", exact=True).click()
    bob.page.get_by_test_id("room-code").wait_for()
    assert bob.page.get_by_test_id("room-code").inner_text().strip() == code
    ann.wait_view("v => v.members.some(m => m.name === 'Bob')")


def _to_guessing(host: Player, guest: Player) -> tuple[Player, Player]:
    """From a lobby of two to the guessing screen; returns (writer, guesser)."""
    ready = guest.page.get_by_role("button", name="I'm ready")
    if ready.count():
        ready.click()
    host.page.get_by_role("button", name="Start the game").click()
    view = host.wait_phase("prompting", 1)
    guest.wait_phase("prompting", 1)
    giver = giver_of([host, guest], view)
    guesser = guest if giver is host else host
    write_prompt(giver, "a cat on a skateboard", view["settings"]["maxWords"])
    guesser.wait_phase("guessing", 1)
    guesser.page.get_by_role("img", name=GUESS_ALT).wait_for()
    giver.wait_phase("guessing", 1)
    return giver, guesser


def test_every_tap_target_on_a_phone_is_at_least_44_px(people, shots: Shots) -> None:
    ann = people("Ann", viewport=PHONE)
    bob = people("Bob", viewport=PHONE)
    found: dict[str, list[str]] = {}

    ann.open("/")
    ann.page.get_by_role("button", name="Create a room").wait_for()
    found["home"] = small_targets(ann)
    shots.take(ann, "phone-home")

    code = ann.create_room()
    ann.page.get_by_role("button", name="Start the game").wait_for()
    found["lobby (host, alone)"] = small_targets(ann)
    bob.join_by_code(code)
    ann.wait_view("v => v.members.some(m => m.name === 'Bob')")
    found["lobby (host)"] = small_targets(ann)
    found["lobby (guest)"] = small_targets(bob)
    manage = ann.page.get_by_role("button", name="Manage")
    if manage.count():
        manage.click()
        found["lobby (host, managing)"] = small_targets(ann)
        shots.take(ann, "phone-lobby-manage")
        manage = ann.page.get_by_role("button", name="Done")
        if manage.count():
            manage.first.click()
    shots.take(ann, "phone-lobby")
    shots.take(bob, "phone-lobby")

    # back to the plain lobby for the start: Bob's ready button is measured above
    ready = bob.page.get_by_role("button", name="I'm ready")
    if ready.count():
        ready.click()
    ann.page.get_by_role("button", name="Start the game").click()
    view = ann.wait_phase("prompting", 1)
    bob.wait_phase("prompting", 1)
    giver = giver_of([ann, bob], view)
    guesser = bob if giver is ann else ann
    found["prompting (writer)"] = small_targets(giver)
    write_prompt(giver, "a cat on a skateboard", view["settings"]["maxWords"])
    guesser.wait_phase("guessing", 1)
    guesser.page.get_by_role("img", name=GUESS_ALT).wait_for()
    found["guessing (guesser)"] = small_targets(guesser)
    found["guessing (writer)"] = small_targets(giver)
    shots.take(guesser, "phone-guessing")

    report = {screen: items for screen, items in found.items() if items}
    for screen, items in found.items():
        print(f"tap targets under {TAP}x{TAP} px on {screen}: {items or 'none'}")
    assert not report, f"tap targets under {TAP}x{TAP} px: {report}"


def test_screenshots_of_the_changed_screens_on_a_desktop(people, shots: Shots) -> None:
    ann = people("Ann", viewport=DESKTOP)
    bob = people("Bob", viewport=DESKTOP)
    ann.open("/")
    ann.page.get_by_label("Room code").fill("")
    paste(ann, "Room code", "http://localhost:5000/r/2QFBRM")
    assert ann.page.get_by_label("Room code").input_value() == "2QFBRM"
    shots.take(ann, "desktop-home-pasted-link")
    code = ann.create_room()
    bob.join_by_code(code)
    ann.wait_view("v => v.members.some(m => m.name === 'Bob')")
    shots.take(ann, "desktop-lobby")
    giver, guesser = _to_guessing(ann, bob)
    shots.take(guesser, "desktop-guessing")
    assert not small_targets(guesser), small_targets(guesser)
