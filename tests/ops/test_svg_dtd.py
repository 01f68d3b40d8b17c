"""The SVG sanitiser refuses a document with a DTD (ruff S314): no entity is ever expanded."""

from __future__ import annotations

import pytest

from imprompt.images.svg_safety import sanitise_svg

BOMB = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><title>&b;</title></svg>'
)
EXTERNAL = '<!doctype svg [<!entity x SYSTEM "file:///etc/passwd">]><svg><desc>&x;</desc></svg>'


@pytest.mark.parametrize("text", [BOMB, EXTERNAL, '<! DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>'])
def test_a_dtd_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="DTD"):
        sanitise_svg(text)


def test_a_plain_svg_still_passes() -> None:
    assert "<path" in sanitise_svg('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>')
