"""The pictogram composer draws relations as relations and modifiers as props.

Geometry is checked on the report `Drawing.report` (what `imprompt draw` prints): boxes are
[x, y, width, height] of each pictogram's 72-unit frame on the 1024-unit canvas, and the
test checks that those boxes really are the <use> elements of the SVG.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from imprompt.images.pictogram import PictogramProvider
from imprompt.images.pictogram.anchors import FITS, anchors_for
from imprompt.images.svg_safety import sanitise_svg

SVG = "{http://www.w3.org/2000/svg}"
BENCH = Path(__file__).resolve().parents[3] / "bench" / "pictogram_bench.py"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    return PictogramProvider(cache_dir=tmp_path_factory.mktemp("cache"))


def _items(report, name):
    return [p for p in report["pictograms"] if p["name"] == name]


def _box(report, name):
    (item,) = _items(report, name)
    (box,) = item["boxes"]
    return box


def _point(box, x, y):
    """A point of a pictogram's own 72-unit frame, on the canvas."""
    bx, by, size, _ = box
    return bx + x * size / 72, by + y * size / 72


def _drawn_at(svg, box):
    """Where in the drawing order the <use> with this box comes."""
    uses = [(float(u.get("x")), float(u.get("y")), float(u.get("width"))) for u in ET.fromstring(svg).iter(f"{SVG}use")]
    return next(
        k for k, (x, y, w) in enumerate(uses) if abs(x - box[0]) <= 1 and abs(y - box[1]) <= 1 and abs(w - box[2]) <= 1
    )


def _head(box, name):
    a = anchors_for(name)
    x0, y0 = _point(box, a.head[0], a.head[1])
    x1, y1 = _point(box, a.head[2], a.head[3])
    return x0, y0, x1, y1


# -- worn things fit the wearer -------------------------------------------------------


@pytest.mark.parametrize("prompt", ["cat wearing a top hat", "owl with a top hat", "ghost wearing a hat"])
def test_hat_sits_on_the_head(provider, prompt):
    report = provider.draw(prompt).report
    wearer = next(p for p in report["pictograms"] if p["name"] != "top hat")
    hat = _box(report, "top hat")
    x0, y0, x1, y1 = _head(wearer["boxes"][0], wearer["name"])
    fit = FITS["top hat"]
    brim_x0, brim_y = _point(hat, fit.x0, fit.y)
    brim_x1, _ = _point(hat, fit.x1, fit.y)
    head_h, head_w = y1 - y0, x1 - x0
    assert y0 - 0.05 * head_h <= brim_y <= y0 + 0.3 * head_h  # the brim is on top of the head
    assert x0 <= (brim_x0 + brim_x1) / 2 <= x1  # centred over it
    assert 0.6 * head_w <= brim_x1 - brim_x0 <= 1.2 * head_w  # and sized to fit
    assert [r["kind"] for r in report["relations"]] == ["wear"]


def test_sunglasses_on_the_eyes_of_a_face(provider):
    report = provider.draw("pig wearing sunglasses").report
    assert _items(report, "pig face")  # the full-body pig turns to its face to be dressed
    face = _box(report, "pig face")
    glasses = _box(report, "sunglasses")
    eyes_y = _point(face, 36, anchors_for("pig face").eyes)[1]
    lens_y = _point(glasses, 36, FITS["sunglasses"].y)[1]
    assert abs(lens_y - eyes_y) < 0.05 * face[2]
    x0, _, x1, _ = _head(face, "pig face")
    gx = glasses[0] + glasses[2] / 2
    assert x0 < gx < x1


def test_scarf_goes_round_the_neck(provider):
    report = provider.draw("giraffe wearing a scarf").report
    giraffe, scarf = _box(report, "giraffe"), _box(report, "scarf")
    nx, ny = _point(giraffe, *anchors_for("giraffe").neck)
    top_x, top_y = _point(scarf, 36, FITS["scarf"].y)
    assert abs(top_y - ny) < 0.1 * giraffe[2] and abs(top_x - nx) < 0.15 * giraffe[2]


# -- riding, on, under, in, behind, flying ------------------------------------------


def test_rider_sits_on_the_back_not_the_head(provider):
    report = provider.draw("cowboy riding a t-rex").report
    rex, rider = _box(report, "t rex"), _box(report, "cowboy hat face")
    assert rider[2] < rex[2]
    seat_x, seat_y = _point(rex, *anchors_for("t rex").seat)
    rx, ry = rider[0] + rider[2] / 2, rider[1] + rider[3] / 2
    assert abs(rx - seat_x) < 0.1 * rex[2] and ry < seat_y  # seated, above the seat
    hx0, hy0, hx1, hy1 = _head(rex, "t rex")
    assert not (hx0 < rx < hx1 and hy0 < ry < hy1)  # not on its head
    assert report["relations"] == [{"kind": "ride", "a": "cowboy", "b": "t rex"}]


def test_standing_on_a_roof_needs_a_house(provider):
    report = provider.draw("horse on a roof").report
    horse, house = _box(report, "horse"), _box(report, "house")
    feet = horse[1] + 0.9 * horse[3]
    roof = _point(house, 36, anchors_for("house").top)[1]
    assert abs(feet - roof) < 0.12 * house[3]
    assert {"kind": "on", "a": "horse", "b": "roof"} in report["relations"]


def test_under_and_above(provider):
    under = provider.draw("unicorn under a rainbow").report
    assert _box(under, "unicorn")[1] > _box(under, "rainbow")[1]
    over = provider.draw("helicopter over a volcano").report
    assert _box(over, "helicopter")[1] < _box(over, "volcano")[1]


def test_in_an_open_container_peeks_out_of_it(provider):
    drawing = provider.draw("dog in a bathtub")
    dog, tub = _box(drawing.report, "dog"), _box(drawing.report, "bathtub")
    assert tub[1] < dog[1] + dog[3] / 2 < tub[1] + tub[3]  # its middle is inside the tub's frame
    assert _drawn_at(drawing.svg, dog) < _drawn_at(drawing.svg, tub)  # drawn first: the tub hides its lower half


def test_in_a_closed_box_is_drawn_in_front_of_it(provider):
    drawing = provider.draw("cat in a box")
    cat, box = _box(drawing.report, "cat"), _box(drawing.report, "package")
    assert cat[2] < box[2] and _drawn_at(drawing.svg, cat) > _drawn_at(drawing.svg, box)


def test_behind_is_drawn_first_and_to_the_side(provider):
    drawing = provider.draw("girl behind a tree")
    names = [p["name"] for p in drawing.report["pictograms"]]
    tree_name = next(n for n in names if "tree" in n)
    girl, tree = _box(drawing.report, "girl"), _box(drawing.report, tree_name)
    assert _drawn_at(drawing.svg, girl) < _drawn_at(drawing.svg, tree)
    assert girl[0] != tree[0]
    assert {"kind": "behind", "a": "girl", "b": "tree"} in drawing.report["relations"]


def test_flying_is_up_in_the_sky(provider):
    report = provider.draw("bird flying over a city").report
    bird = _box(report, "bird")
    assert bird[1] + bird[3] / 2 < 512
    assert report["scenes"] == ["city"] and {"kind": "fly", "a": "bird", "b": "sky"} in report["relations"]


def test_weather_is_drawn_over_everything(provider):
    drawing = provider.draw("cat in the rain")
    assert drawing.report["weather"] == "rain"
    svg = drawing.svg
    assert svg.rfind("<line") > svg.find("<use")  # rain falls in front of the cat
    storm = provider.draw("boat in a storm").report
    assert storm["weather"] == "storm"


# -- held things and things at the mouth -------------------------------------------------


def test_held_thing_is_at_the_hand(provider):
    report = provider.draw("doctor holding a syringe").report
    doctor, syringe = _box(report, "health worker"), _box(report, "syringe")
    hx, hy = _point(doctor, *anchors_for("health worker").hand)
    assert abs(syringe[0] + syringe[2] / 2 - hx) < 0.1 * doctor[2]
    assert syringe[2] < doctor[2]
    assert {"kind": "hold", "a": "doctor", "b": "syringe"} in report["relations"]


def test_brushing_teeth_is_a_toothbrush_at_the_mouth(provider):
    report = provider.draw("a lion brushing its teeth").report
    names = [p["name"] for p in report["pictograms"]]
    assert "toothbrush" in names and "tooth" not in names  # no loose teeth
    lion, brush = _box(report, "lion"), _box(report, "toothbrush")
    mx, my = _point(lion, *anchors_for("lion").mouth)
    assert brush[0] <= mx <= brush[0] + brush[2] and brush[1] <= my <= brush[1] + brush[3]
    assert {"kind": "mouth", "a": "lion", "b": "toothbrush"} in report["relations"]


# -- modifiers and actions as props ----------------------------------------------------


@pytest.mark.parametrize(
    "prompt, thing, props",
    [
        ("burning piano", "musical keyboard", {"fire"}),
        ("house on fire", "house", {"fire"}),
        ("haunted house", "house", {"ghost"}),
        ("frozen fish", "fish", {"ice"}),
        ("wizard casting spell", "mage", {"sparkles"}),
        ("robot making breakfast", "robot", {"cooking", "bread"}),
        ("knight fighting dragon", "person", {"military helmet", "shield", "crossed swords"}),
        ("teddy bear picnic", "teddy bear", {"basket", "sandwich", "picnic blanket"}),
        ("a running dog", "dog", {"dashing away"}),
        ("wet dog", "dog", {"sweat droplets"}),
        ("boss yelling at a computer", "office worker", {"angry face", "laptop"}),
        ("mailman with a letter", "person", {"envelope"}),
        ("cat eating", "cat", {"fork and knife"}),
        ("a turtle winning a race", "turtle", {"trophy"}),
        ("a parrot talking on the phone", "parrot", {"speech balloon", "mobile phone"}),
        ("a cat ruling the world", "cat face", {"crown"}),  # a worn prop dresses the face
    ],
)
def test_modifiers_and_actions_become_props(provider, prompt, thing, props):
    report = provider.draw(prompt).report
    names = {p["name"] for p in report["pictograms"]} | {p["name"] for p in report["props"]}
    assert thing in names and props <= names, names


def test_flames_overlap_the_burning_thing(provider):
    report = provider.draw("burning piano").report
    piano = _box(report, "musical keyboard")
    (fire,) = _items(report, "fire")
    for x, y, w, h in fire["boxes"]:
        cx, cy = x + w / 2, y + h / 2
        assert piano[0] <= cx <= piano[0] + piano[2] and piano[1] <= cy <= piano[1] + piano[3]


def test_size_and_colour_modifiers(provider):
    giant = _items(provider.draw("giant hamster").report, "hamster")[0]
    tiny = _items(provider.draw("tiny elephant").report, "elephant")[0]
    assert giant["scale"] > 1 > tiny["scale"] and giant["boxes"][0][2] > 2 * tiny["boxes"][0][2]
    assert _items(provider.draw("red balloon").report, "balloon")[0]["colour"]


# -- honesty: nothing unrelated, no words ---------------------------------------------


@pytest.mark.parametrize("prompt", ["burning blorp", "haunted zorblax", "frobnicate wearing a glimmick"])
def test_unknown_words_draw_nothing_not_even_their_props(provider, prompt):
    report = provider.draw(prompt).report
    assert report["pictograms"] == [] and report["props"] == [] and report["relations"] == []


@pytest.mark.parametrize(
    "prompt",
    ["teddy bear picnic", "knight fighting dragon", "wizard casting spell", "haunted house", "cat in the rain"],
)
def test_the_prompt_is_never_written_into_the_picture(provider, prompt):
    svg = provider.draw(prompt).svg.lower()
    for word in prompt.split():
        assert not re.search(rf"\b{word}\b", svg), word


@pytest.mark.parametrize(
    "word, wrong",
    [
        ("pillow", "pill"),
        ("moss", "office worker"),
        ("hedge", "hedgehog"),
        ("cup", "heart with arrow"),
        ("vet", "victory hand"),  # one-letter aliases (":v:") are not matched by meaning
        ("mac", "macao sar china"),  # nor flags
        ("dragonfly", "dragon"),
        ("cowardly cat", "cow"),
        ("chocolate", "hot beverage"),
        ("desk", "person tipping hand"),
        ("a lady with a hat", "lady beetle"),
        ("mom", "butterfly"),
        ("a crowded bus", "black bird"),
        ("a sandwich with pickles", "pick"),
        ("a pile of leaves", "pile of poo"),
        ("a cat with no tail", "man gesturing no"),
        ("a piece of cheese", "puzzle piece"),
        ("a rose with thorns", "unicorn"),
        ("a dog waiting for the bus", "person in tuxedo"),
        ("a boy feeding ducks", "breast feeding"),
        ("a cowboy riding a bull", "bird"),
        ("a bird building a nest", "office building"),
        ("a potion bottle", "potted plant"),
        ("a crab claw", "clapping hands"),
        ("gravy", "headstone"),
        ("a lion's mane", "man"),
        ("foam", "fox"),
        ("a pearl", "pear"),
        ("a magic carpet", "paw prints"),  # a compound needs two whole words: no "car" + "pet"
        ("a sinking ship", "person with crown"),
    ],
)
def test_no_unrelated_nearest_pictogram(provider, word, wrong):
    names = [p["name"] for p in provider.draw(word).report["pictograms"]]
    assert wrong not in names


def test_a_verb_with_nothing_after_it_gets_what_it_needs(provider):
    report = provider.draw("dog surfing").report
    assert {"kind": "ride", "a": "dog", "b": "surfing"}.items() <= report["relations"][0].items()
    assert _items(report, "water wave")
    assert [p["name"] for p in provider.draw("surfing in the ocean").report["pictograms"]] == ["person surfing"]
    assert not _items(provider.draw("dog surfing a wave").report, "water wave")[1:]  # one wave, ridden


def test_a_colour_that_names_a_thing_is_the_thing(provider):
    assert _items(provider.draw("goblin stealing gold").report, "coin")
    crown = _items(provider.draw("gold crown").report, "crown")[0]
    assert crown["colour"] and not _items(provider.draw("gold crown").report, "coin")


def test_what_a_container_holds_is_what_is_drawn(provider):
    assert [p["name"] for p in provider.draw("a bowl of soup").report["pictograms"]] == ["pot of food"]
    lobster = provider.draw("lobster in a pot").report  # not a flower pot: it would hide the lobster
    assert _items(lobster, "pot of food") and not _items(lobster, "potted plant")
    assert _items(provider.draw("flower in a pot").report, "potted plant")


def test_one_is_in_a_building_by_standing_in_front_of_it(provider):
    report = provider.draw("teacher in a school").report
    teacher, school = _box(report, "teacher"), _box(report, "school")
    assert teacher[2] > 0.5 * school[2]  # a person, not a speck inside the walls
    assert teacher[1] + teacher[3] >= school[1] + 0.8 * school[3]  # standing on the ground in front


def test_the_moon_is_out_at_night_and_only_once(provider):
    drawing = provider.draw("full moon over the sea")
    assert "night" in drawing.report["scenes"]
    moons = [p for p in drawing.report["pictograms"] if "moon" in p["name"]]
    assert len(moons) == 1 and len(moons[0]["boxes"]) == 1
    bodies = {provider.catalogue.svg_body(p.code) for p in provider.catalogue.pictograms if "moon" in p.name.split()}
    symbols = re.findall(r'<symbol id="([^"]+)" viewBox="0 0 72 72">(.*?)</symbol>', drawing.svg, re.S)
    moon_ids = {sid for sid, body in symbols if body in bodies}
    uses = [sid for sid in re.findall(r'<use href="#([^"]+)"', drawing.svg) if sid in moon_ids]
    assert len(moon_ids) == 1 and len(uses) == 1  # the scene's own little moon is left out


def test_snow_falls_when_two_other_places_fill_the_scene(provider):
    report = provider.draw("a snowy night in the city").report
    assert sorted(report["scenes"]) == ["city", "night"] and report["weather"] == "snow"


def test_what_a_thing_is_made_of(provider):
    gold = _items(provider.draw("a trumpet made of gold").report, "trumpet")[0]
    assert gold["colour"] and not _items(provider.draw("a trumpet made of gold").report, "coin")
    ice = provider.draw("a castle made of ice").report
    assert _items(ice, "castle")[0]["colour"] and {p["name"] for p in ice["props"]} == {"ice"}
    assert _items(provider.draw("a house made of candy").report, "candy")  # a thing of its own: drawn too


def test_out_of_a_hat_is_in_it(provider):
    relations = provider.draw("a rabbit out of a hat").report["relations"]
    assert [(r["a"], r["kind"], r["b"]) for r in relations] == [("rabbit", "in", "hat")]


def test_in_the_moonlight_is_under_the_moon(provider):
    report = provider.draw("a wolf in the moonlight").report
    assert [r["kind"] for r in report["relations"]] == ["under"]
    wolf, moon = _box(report, "wolf"), _box(report, "waxing gibbous moon")
    assert wolf[1] > moon[1] + moon[3] / 2  # below it, not drawn inside it


@pytest.mark.parametrize("prompt, kind", [("a cat drives a car", "ride"), ("a pig flies over the city", "fly")])
def test_verbs_in_the_s_form(provider, prompt, kind):
    assert kind in {r["kind"] for r in provider.draw(prompt).report["relations"]}


def test_twins_are_two_people(provider):
    (people,) = _items(provider.draw("twins on a bike").report, "person")
    assert people["count"] == 2


def test_a_game_after_a_sport_is_the_sport(provider):
    names = [p["name"] for p in provider.draw("soccer game in the rain").report["pictograms"]]
    assert names == ["soccer ball"]


def test_report_boxes_are_the_drawn_pictograms(provider):
    drawing = provider.draw("cowboy riding a t-rex in the rain")
    uses = {
        (round(float(u.get("x"))), round(float(u.get("y"))), round(float(u.get("width"))))
        for u in ET.fromstring(drawing.svg).iter(f"{SVG}use")
    }
    for item in drawing.report["pictograms"]:
        for x, y, w, _ in item["boxes"]:
            assert any(abs(x - ux) <= 1 and abs(y - uy) <= 1 and abs(w - uw) <= 1 for ux, uy, uw in uses), item


# -- recall on a small fixed sample of the bench prompts --------------------------------


def _bench():
    spec = importlib.util.spec_from_file_location("pictogram_bench", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pictogram_bench", module)
    spec.loader.exec_module(module)
    return module


def test_recall_on_a_fixed_sample(provider):
    bench = _bench()
    sample = [c for c in bench.load_cases() if c.split == "train"][:40]
    hit, total, misses = bench.recall(provider, sample)["train"]
    assert hit / total >= 0.95, misses


def test_pictures_stay_small_and_safe(provider):
    bench = _bench()
    for case in [c for c in bench.load_cases() if c.split == "train"][:40]:
        svg = provider.draw(case.prompt, seed=1).svg
        assert len(svg.encode()) < 20_000, case.prompt
        root = ET.fromstring(svg)
        clean = ET.fromstring(sanitise_svg(svg))  # the allow-list keeps every part of the drawing
        assert [(e.tag, e.attrib) for e in clean.iter()][1:] == [(e.tag, e.attrib) for e in root.iter()][1:]
        for el in root.iter():
            assert el.tag.rsplit("}", 1)[-1] not in {"script", "foreignObject", "style", "image", "a"}
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on")
                if name.endswith("href"):
                    assert value.startswith("#")
