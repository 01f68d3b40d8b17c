import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imprompt.game.names import clean_name, clean_text, name_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Alice", "Alice"),
        ("  Bob  ", "Bob"),
        ("Ann   Marie", "Ann Marie"),
        ("Ann\tMarie\n", "Ann Marie"),
        ("Z\u200boe", "Zoe"),
        ("\ufeffMax\u2060", "Max"),
        ("Ev\u200de", "Eve"),
        ("Ro\u200fb", "Rob"),
        ("Ｆｕｌｌ", "Full"),  # full-width folded by NFKC
        ("Jo\u00a0Jo", "Jo Jo"),  # no-break space
        ("Zoë", "Zoë"),
        ("Zoe\u0308", "Zoë"),  # combining diaeresis composed
        ("李小龙", "李小龙"),
        ("a\x00b\x07c", "abc"),
        ("x" * 20, "x" * 20),
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "\u200b\u200b", "\x00\n\t", "x" * 21, "a" + " " * 5 + "b" * 19])
def test_clean_name_rejects(raw):
    with pytest.raises(ValueError, match="Name must be 1–20 characters"):
        clean_name(raw)


def test_clean_name_counts_length_after_cleaning():
    assert clean_name("  " + "x" * 20 + "\u200b\u200b  ") == "x" * 20


def test_name_key_ignores_case_and_invisible_characters():
    assert name_key("ALICE") == name_key("alice") == name_key(" Ali\u200bce ")
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("Bob") != name_key("Rob")


def test_name_key_rejects_invalid():
    with pytest.raises(ValueError):
        name_key("   ")


def test_clean_text():
    assert clean_text("  a   big\n\ncat ", 20) == "a big cat"
    assert clean_text("x" * 5, 5) == "x" * 5
    with pytest.raises(ValueError):
        clean_text("x" * 6, 5)
    with pytest.raises(ValueError):
        clean_text(" \u200b ", 5)


def test_clean_text_rejects_non_string():
    with pytest.raises(ValueError):
        clean_text(None, 5)  # type: ignore[arg-type]


def _bad(ch: str) -> bool:
    invisible = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs") or ch in invisible


@given(st.text(max_size=40))
def test_clean_name_never_returns_control_or_padding(raw):
    try:
        name = clean_name(raw)
    except ValueError:
        return
    assert 1 <= len(name) <= 20
    assert not any(_bad(ch) for ch in name)
    assert name == name.strip()
    assert "  " not in name
    assert all(not ch.isspace() or ch == " " for ch in name)
    assert clean_name(name) == name  # idempotent


@given(st.text(max_size=200), st.integers(min_value=1, max_value=200))
def test_clean_text_properties(raw, max_len):
    try:
        text = clean_text(raw, max_len)
    except ValueError:
        return
    assert 1 <= len(text) <= max_len
    assert not any(_bad(ch) for ch in text)
    assert clean_text(text, max_len) == text
