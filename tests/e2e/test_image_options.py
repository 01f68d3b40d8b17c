"""A paid provider (a local server speaking Together's documented shapes) with the
picture review on: the writer rejects a picture that gives the answer away, picks one
of four, and once the daily budget runs short is offered fewer. Screenshots at phone
and desktop size."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.unit.images.conftest import Answer, FakeService

from .conftest import Player, Shots, serve
from .helpers import giver_of, guess, no_sideways_scroll, write_prompt
from .test_accessibility import scan, with_axe

PHONE = {"width": 390, "height": 844}
COLOURS = [(231, 76, 60), (46, 204, 113), (52, 152, 219), (241, 196, 15), (155, 89, 182), (26, 188, 156)]


def png(rgb: tuple[int, int, int], stripe: int, size: int = 64) -> bytes:
    """A small striped PNG, each picture its own colour and stripes, so the choices differ."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(rgb if (x // stripe) % 2 == 0 else (255, 255, 255)) for x in range(size))
        for _ in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def together() -> Iterator[FakeService]:
    fake = FakeService()
    pictures = [png(COLOURS[i % len(COLOURS)], 4 + 4 * (i % 4)) for i in range(12)]
    fake.on(
        "POST",
        "/images/generations",
        *(Answer(200, {"data": [{"b64_json": base64.b64encode(p).decode()}]}) for p in pictures),
    )
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, together: FakeService) -> Iterator[str]:
    """This module's own server: Together at 1 cent a picture, 10 cents a day."""
    settings = {
        "AI_PROVIDER": "together",
        "TOGETHER_API_KEY": "fake-together-key",
        "TOGETHER_BASE_URL": together.base,
        "TOGETHER_PRICE_USD": "0.01",
        "AI_DAILY_BUDGET_USD": "0.10",
        "IMAGE_SIZE": "256",
    }
    with serve(tmp_path_factory.mktemp("paid-server"), **settings) as url:
        yield url


def pictures_shown(player: Player) -> list[str]:
    grid = player.page.get_by_role("list", name="Pictures to choose from")
    return [img.get_attribute("src") or "" for img in grid.get_by_role("img").all()]


def test_regenerate_and_pick_one_with_a_paid_provider(people: Any, shots: Shots, together: FakeService) -> None:
    ann = with_axe(people("Ann"))  # desktop
    bob = with_axe(people("Bob", viewport=PHONE, is_mobile=True, has_touch=True))
    ann.dark = bob.dark = False  # what scan() reads: the scheme the person chose
    failures: list[str] = []
    code = ann.create_room()
    form = ann.page
    form.get_by_label("Rounds").select_option("1")
    form.get_by_label("AI picture style").select_option(label="Watercolor")
    form.get_by_label("Pictures to choose from").select_option("4")
    bob.join_by_code(code)
    ann.wait_view(
        "(v) => v.settings.imageChoices === 4 && v.settings.imageStyle === 'watercolor' && v.members.length === 2"
    )
    shots.take(bob, "lobby-settings")
    ann.page.get_by_role("button", name="Start the game").click()

    view = ann.wait_phase("prompting", 1)
    giver = giver_of([ann, bob], view)
    guesser = bob if giver is ann else ann
    write_prompt(giver, "owl reading a map", 5)

    first = giver.wait_view("(v) => v.turn && v.turn.review && v.turn.review.imageUrls.length === 4")["turn"]["review"]
    giver.page.get_by_role("heading", name="Pick the picture").wait_for()
    assert pictures_shown(giver) == first["imageUrls"]
    seen = guesser.view()
    assert seen["phase"] == "generating" and "review" not in seen["turn"]
    guesser.page.get_by_text("Drawing").first.wait_for()
    assert guesser.page.get_by_role("list", name="Pictures to choose from").count() == 0
    scan(giver, "review-four", failures, shots)
    shots.take(guesser, "drawing-while-the-writer-reviews")
    no_sideways_scroll(giver)

    sent = together.requests[-1]["json"]
    assert sent["prompt"].startswith("owl reading a map, watercolor painting") and "no" in sent["prompt"].lower()
    assert sent["disable_safety_checker"] is False and sent["width"] == 256

    giver.page.get_by_role("button", name="It gives the answer away").click()
    second = giver.wait_view("(v) => v.turn.review && !v.turn.review.canRegenerate")["turn"]["review"]
    assert set(second["imageUrls"]).isdisjoint(first["imageUrls"]) and len(second["imageUrls"]) == 4
    assert giver.page.get_by_role("button", name="It gives the answer away").count() == 0
    shots.take(giver, "review-after-the-one-regeneration")
    giver.page.get_by_role("button", name="Use picture 3").click()
    view = guesser.wait_phase("guessing", 1)
    assert view["turn"]["imageUrl"] == second["imageUrls"][2]
    shots.take(guesser, "guessing-the-picked-picture")
    guess(guesser, "owl reading a map")  # solved: the turn ends now, not after a minute

    # Turn 2: 8 of the 10 cents are spent, so two pictures are offered, not four.
    turn2 = giver.wait_phase("prompting", 2)
    writer = giver_of([ann, bob], turn2)
    write_prompt(writer, "snowman at the beach", 5)
    offered = writer.wait_view("(v) => v.turn && v.turn.review")["turn"]["review"]
    assert len(offered["imageUrls"]) == 2
    scan(writer, "review-two-within-the-budget", failures, shots)
    no_sideways_scroll(writer)
    writer.page.get_by_role("button", name="Use picture 1").click()
    other = guesser if writer is giver else giver
    other.wait_phase("guessing", 2)
    assert len(together.requests) == 10
    assert not failures, "\n".join(failures)
