"""Pictogram markup: compacted without changing the drawing, and measured for layout."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from imprompt.images.pictogram.catalogue import Catalogue, _compact, _path_points, content_box
from imprompt.images.svg_safety import sanitise_element

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    return Catalogue(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize(
    "raw, compact",
    [
        ("c-1.2005-0.0116-2.38", "c-1.2-0-2.4"),  # a minus that separates two numbers stays
        ("M3.04.5,1", "M3.0.5,1"),  # "3.04.5" is 3.04 then .5: the first keeps its point
        ("a4.5 4.5 0 011.7-2", "a4.5 4.5 0 011.7-2"),  # arc flags glued to a number are left alone
        ("s4.9-.1041,3", "s4.9-0.1,3"),
        ('<g>\n    <path d="M1,2"/>\n  </g>', '<g><path d="M1,2"/></g>'),
    ],
)
def test_compaction_keeps_every_number(raw, compact):
    assert _compact(raw) == compact


def test_compacted_pictograms_draw_the_same_numbers(catalogue):
    for name in ["teacher", "bicycle", "sandwich", "soccer ball", "t rex", "cloud with lightning and rain"]:
        code = catalogue.pictograms[catalogue.by_name[name]].code
        root = ET.parse(catalogue.svg_dir / f"{code}.svg").getroot()
        sanitise_element(root)
        original = "".join(ET.tostring(child, encoding="unicode") for child in root)
        before = [float(n) for n in NUMBER.findall(re.sub(r"#[0-9a-fA-F]{3,6}|xmlns=\"[^\"]*\"", "", original))]
        after = [float(n) for n in NUMBER.findall(re.sub(r"#[0-9a-fA-F]{3,6}", "", catalogue.svg_body(code)))]
        assert len(before) == len(after), name
        assert max(abs(a - b) for a, b in zip(before, after, strict=True)) <= 0.05 + 1e-9, name


def test_path_points_follow_relative_commands():
    points = _path_points("M10,10 l5,0 v5 h-5 z m20,20 c1,1 2,2 3,3")
    assert (15.0, 10.0) in points and (15.0, 15.0) in points and (10.0, 15.0) in points
    assert points[-1] == (33.0, 33.0)


def test_content_box_of_known_pictograms(catalogue):
    house = catalogue.content_box(catalogue.pictograms[catalogue.by_name["house"]].code)
    assert 12 <= house[1] <= 18 and 52 <= house[3] <= 60  # roof top, doorstep
    assert content_box('<circle cx="36" cy="36" r="10"/>') == (26.0, 26.0, 46.0, 46.0)
    assert content_box("<g>not svg") == (0.0, 0.0, 72.0, 72.0)
