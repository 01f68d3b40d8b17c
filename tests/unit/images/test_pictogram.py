"""The built-in pictogram generator: relevance, modifiers, determinism, safety, CLI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from imprompt.images.cli import draw_main
from imprompt.images.pictogram import PictogramProvider
from imprompt.images.svg_safety import sanitise_svg


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    return PictogramProvider(cache_dir=tmp_path_factory.mktemp("cache"))


def drawn(provider, prompt):
    return {c["word"]: c["pictogram"] for c in provider.draw(prompt).concepts if c.get("pictogram")}


# Everyday prompts: each noun with a fitting pictogram must be drawn with that pictogram.
EVERYDAY = {
    # animals
    "a puppy chasing a cat": {"puppy": "dog", "cat": "cat"},
    "penguin on an iceberg": {"penguin": "penguin"},
    "two lions": {"lions": "lion"},
    "sleepy koala": {"koala": "koala"},
    # food
    "pizza with pineapple": {"pizza": "pizza", "pineapple": "pineapple"},
    "hot dog and fries": {"hot dog": "hot dog", "fries": "french fries"},
    "three bananas": {"bananas": "banana"},
    "birthday cake": {"birthday cake": "birthday cake"},
    # vehicles
    "a red car": {"car": "automobile"},
    "helicopter above a boat": {"helicopter": "helicopter", "boat": "sailboat"},
    "fire truck": {"fire truck": "fire engine"},
    "bicycle": {"bicycle": "bicycle"},
    # places and weather
    "castle on a mountain": {"castle": "castle"},
    "volcano": {"volcano": "volcano"},
    "tornado": {"tornado": "tornado"},
    "snowman with an umbrella": {"snowman": "snowman", "umbrella": "umbrella with rain drops"},
    "rainbow": {"rainbow": "rainbow"},
    # jobs
    "doctor with a robot": {"doctor": "health worker", "robot": "robot"},
    "astronaut": {"astronaut": "astronaut"},
    "chef holding a fish": {"chef": "cook", "fish": "fish"},
    "firefighter": {"firefighter": "firefighter"},
    "police officer": {"police officer": "police officer"},
    # fantasy
    "wizard riding a dragon": {"wizard": "mage", "dragon": "dragon"},
    "unicorn": {"unicorn": "unicorn"},
    "mermaid and a ghost": {"mermaid": "merperson", "ghost": "ghost"},
    "vampire": {"vampire": "vampire"},
    "alien in a ufo": {"alien": "alien", "ufo": "flying saucer"},
    # words with no name of their own, and names that are plural
    "a cabin in the woods": {"cabin": "hut"},
    "hawk and a cheetah": {"hawk": "eagle", "cheetah": "leopard"},
    "a pancake": {"pancake": "pancakes"},
    "popcorn and soda": {"soda": "cup with straw"},
    "an orange": {"orange": "tangerine"},
    "a detective with a magnifying glass": {"magnifying glass": "magnifying glass tilted left"},  # a name's start
    "a haunted graveyard": {"graveyard": "headstone"},
    "a piñata at a café": {"pinata": "pinata", "cafe": "hot beverage"},  # accents read as plain letters
    "a starfish and a doghouse": {"starfish": "fish", "doghouse": "house"},  # compounds: the last part
}


@pytest.mark.parametrize("prompt, expected", EVERYDAY.items())
def test_everyday_nouns_are_drawn(provider, prompt, expected):
    got = drawn(provider, prompt)
    for word, pictogram in expected.items():
        assert got.get(word) == pictogram, (prompt, got)


def test_matches_by_meaning_with_scores(provider):
    concepts = provider.draw("teacup").concepts
    assert concepts[0]["via"] == "meaning" and 0.6 <= concepts[0]["score"] < 1
    assert "teacup" in concepts[0]["pictogram"]


def test_unknown_words_are_left_out(provider):
    drawing = provider.draw("blorp dog frobnicate")
    assert drawn(provider, "blorp dog frobnicate") == {"dog": "dog"}
    unknown = [c for c in drawing.concepts if c.get("pictogram") is None and "score" in c]
    assert {c["word"] for c in unknown} == {"blorp", "frobnicate"}


def test_nothing_matches_gives_abstract(provider):
    drawing = provider.draw("zorblax quuxify")
    assert drawing.abstract and not any(c.get("pictogram") for c in drawing.concepts)
    assert "<use" not in drawing.svg and drawing.svg.count("<circle") + drawing.svg.count("<rect") > 2


def test_modifiers(provider):
    concepts = provider.draw("three tiny blue dogs on the beach").concepts
    kinds = {c["word"]: c for c in concepts}
    assert kinds["three"]["value"] == 3 and kinds["tiny"]["value"] == 0.5
    assert kinds["blue"]["modifier"] == "colour" and kinds["beach"]["scene"] == "beach"
    svg = provider.draw("three tiny blue dogs on the beach").svg
    dog = provider.catalogue.pictograms[provider.catalogue.by_name["dog"]].code
    assert "feColorMatrix" in svg
    sym = next(s for s in svg.split("<symbol")[1:] if provider.catalogue.svg_body(dog)[:40] in s)
    sym_id = sym.split('id="')[1].split('"')[0]
    assert svg.count(f'href="#{sym_id}"') == 3


def test_relations_change_layout(provider):
    def positions(prompt):
        root = ET.fromstring(provider.draw(prompt).svg)
        return [(float(u.get("y")), float(u.get("height"))) for u in root.iter("{http://www.w3.org/2000/svg}use")]

    (ya, _), (yb, _) = sorted(positions("cat on a horse"), key=lambda p: -p[1])[:2][::-1]
    assert ya < yb  # the cat (smaller) sits above the horse
    side = positions("cat and horse")
    assert len({round(y) for y, _ in side}) == 1  # side by side


def test_deterministic_for_prompt_and_seed(provider):
    a = provider.draw("many stars in space", seed=4).svg
    assert a == provider.draw("many stars in space", seed=4).svg
    assert a != provider.draw("many stars in space", seed=5).svg
    assert provider.draw("zorblax", seed=1).svg != provider.draw("zorblax", seed=2).svg


def _assert_safe(svg: str, *, drawing: bool = True):
    root = ET.fromstring(svg)
    if drawing:
        assert root.get("viewBox") == "0 0 1024 1024" and root.get("width") == "1024"
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        assert tag not in {"script", "foreignObject", "style", "image", "a", "iframe"}
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), name
            if name.endswith("href"):
                assert value.startswith("#")
            assert "javascript:" not in value.lower() and "http" not in value.replace("http://www.w3.org", "")
    assert "<!DOCTYPE" not in svg and "<!ENTITY" not in svg


@pytest.mark.parametrize("prompt", ["<script>alert(1)</script>", 'dog" onload="x', "cat &amp; <b>", "x" * 200, ""])
def test_output_is_safe_whatever_the_prompt(provider, prompt):
    svg = provider.draw(prompt).svg
    _assert_safe(svg)
    assert "alert" not in svg and "onload" not in svg


@pytest.mark.parametrize("prompt", list(EVERYDAY)[:10] + ["dog in space", "cat at night under the rain"])
def test_drawings_are_safe(provider, prompt):
    _assert_safe(provider.draw(prompt, seed=3).svg)


def test_sanitiser_strips_dangerous_parts():
    dirty = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="x()">'
        "<script>alert(1)</script><foreignObject><p>hi</p></foreignObject>"
        '<a href="javascript:x()"><rect width="1"/></a><image href="https://evil/x.png"/>'
        '<use xlink:href="https://evil/s.svg#a"/><rect fill="url(https://evil/#g)" onclick="x()" width="2"/>'
        '<path d="M0 0" style="behavior:url(x)"/></svg>'
    )
    clean = sanitise_svg(dirty)
    _assert_safe(clean, drawing=False)
    assert "script" not in clean and "foreignObject" not in clean and "evil" not in clean


async def test_generate_reports_concepts(provider):
    image = await provider.generate("wizard holding a pizza", seed=1, size=1024)
    assert image.media_type == "image/svg+xml" and image.provider == "pictogram" and image.cost_usd == 0
    words = [c["word"] for c in image.details["concepts"]]
    assert words == ["wizard", "holding", "pizza"]
    assert "wizard" not in image.data.decode() and "pizza" not in image.data.decode()  # guessers can read the file


def test_index_is_cached_on_disk(tmp_path):
    calls = []
    from imprompt.similarity.embeddings import embed

    def counting(texts):
        calls.append(len(texts))
        return embed(texts)

    first = PictogramProvider(embed=counting, cache_dir=tmp_path)
    _ = first.catalogue.vectors  # builds the index
    assert max(calls) > 1000 and list(tmp_path.glob("pictogram-index-*.npy"))
    calls.clear()
    _ = PictogramProvider(embed=counting, cache_dir=tmp_path).catalogue.vectors
    assert calls == [1]  # only the probe that checks the model still matches


def test_cli_writes_svg_and_prints_concepts(tmp_path, capsys):
    out = tmp_path / "out.svg"
    assert draw_main(["a cat riding a unicorn", "-o", str(out), "--seed", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c.get("pictogram") for c in report["concepts"] if c.get("pictogram")] == ["cat", "unicorn"]
    assert [p["name"] for p in report["pictograms"]] == ["cat", "unicorn"]
    assert report["relations"] == [{"kind": "ride", "a": "cat", "b": "unicorn"}]
    assert out.read_text().startswith("<svg")
