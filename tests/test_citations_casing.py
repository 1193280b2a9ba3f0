"""CSL title case (``casing``): the words it changes and keeps, and the chunks it cuts
text into, which must be those of a character-by-character reading."""

from __future__ import annotations

import random

from apecdocs_citations import casing


def _by_character(text: str) -> list[str]:
    """The chunks read one character at a time: runs of ASCII letters and digits, of
    other letters and digits, of white space; any other character alone."""
    def kind(c: str) -> str:
        if c.isalnum():
            return "a" if c.isascii() else "u"
        return "s" if c.isspace() else "p"

    out: list[str] = []
    for c in text:
        if out and kind(c) == kind(out[-1][-1]) != "p":
            out[-1] += c
        else:
            out.append(c)
    return out


def test_chunks_are_those_of_a_character_by_character_reading():
    # every 17th code point, doubled between letters; then mixed strings
    for code in range(0, 0x110000, 17):
        if not 0xD800 <= code <= 0xDFFF:
            text = "a" + chr(code) * 2 + "b"
            assert casing._chunks(text) == _by_character(text), hex(code)
    alphabet = "aZ09 _-\u2013/.:?!\t\n\u00a0\u2009é漢Ω²٣\u0301'\"()&;,\u3000\x1c\u200b"
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert casing._chunks(text) == _by_character(text), repr(text)


def test_title_case_changes_lowercase_words_and_keeps_the_authors_own():
    def tc(text: str) -> str:
        return "".join(casing.title_case([(text, False)]))

    assert tc("the economics of cross-border trade in asia") == \
        "The Economics of Cross-Border Trade in Asia"
    assert tc("deepTarget and arXiv: a study of NASA data") == \
        "deepTarget and arXiv: A Study of NASA Data"
    assert tc("trade for all") == "Trade for All"  # the last word, even a stop word
    assert tc("économie of trade") == "économie of Trade"  # only ASCII letters change
