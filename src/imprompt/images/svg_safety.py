"""Allow-list sanitiser for SVG: no scripts, no event attributes, no external references.

Everything not on the lists is dropped. References may only point inside the document
(`#id`, `url(#id)`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"

ALLOWED_ELEMENTS = {
    "svg",
    "g",
    "path",
    "circle",
    "ellipse",
    "rect",
    "line",
    "polyline",
    "polygon",
    "defs",
    "symbol",
    "use",
    "linearGradient",
    "radialGradient",
    "stop",
    "filter",
    "feColorMatrix",
    "feGaussianBlur",
    "clipPath",
    "title",
    "desc",
}

ALLOWED_ATTRIBUTES = {
    "id",
    "d",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-opacity",
    "fill-opacity",
    "fill-rule",
    "clip-rule",
    "opacity",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "width",
    "height",
    "points",
    "transform",
    "viewBox",
    "preserveAspectRatio",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "fx",
    "fy",
    "href",
    "type",
    "values",
    "in",
    "stdDeviation",
    "color-interpolation-filters",
    "filter",
    "clip-path",
    "paint-order",
    "display",
    "color",
    "version",
}

# A reference that leaves the document (or runs code) anywhere in an attribute value.
_BAD_VALUE = re.compile(r"javascript:|data:|url\(\s*['\"]?\s*[^#'\"\s)]", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _clean(element: ET.Element) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or _local(child.tag) not in ALLOWED_ELEMENTS:
            element.remove(child)
            continue
        child.tag = _local(child.tag)
        _clean_attributes(child)
        _clean(child)


def _clean_attributes(element: ET.Element) -> None:
    for name in list(element.attrib):
        value = element.attrib.pop(name)
        local = _local(name)
        if local not in ALLOWED_ATTRIBUTES or _BAD_VALUE.search(value):
            continue
        if local == "href" and not value.startswith("#"):
            continue
        element.set(local, value)


def sanitise_element(root: ET.Element) -> ET.Element:
    """Clean a parsed SVG tree in place and return it."""
    root.tag = _local(root.tag)
    _clean_attributes(root)
    _clean(root)
    return root


_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)


def sanitise_svg(text: str) -> str:
    """Return the SVG with everything outside the allow-lists removed.

    A document with a DTD is refused before parsing: entity declarations are how XML
    bombs and external-entity reads work, and an SVG image never needs one."""
    if _DTD.search(text):
        raise ValueError("an SVG with a DTD or entity declarations is refused")
    root = ET.fromstring(text)  # noqa: S314 - no DTD (refused above), so no entities to expand
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    sanitise_element(root)
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")
