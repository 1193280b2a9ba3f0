"""Finding a block's words in its rendered source: the indexed search gives the places a
word-by-word scan gives, including words only one side has and blocks found nowhere."""

from __future__ import annotations

import random
from pathlib import Path

from apecdocs.review.textmap import RenderedSource, words


def _scan(tokens: list[str], wanted: list[str], start: int) -> int | None:
    """The search as a scan of every word from ``start`` (what the index must equal)."""
    head = wanted[:6]
    need = max(1, round(0.7 * len(head)))
    for i in range(start, len(tokens)):
        if tokens[i] != head[0]:
            continue
        window = tokens[i:i + len(head) + 3]
        found, pos = 0, 0
        for w in head:
            if w in window[pos:]:
                pos = window.index(w, pos) + 1
                found += 1
        if found >= need:
            return i
    return None


def _expected(tokens: list[str], text: str, cursor: int) -> int | None:
    wanted = words(text)
    at = _scan(tokens, wanted, cursor)
    if at is None and cursor:
        at = _scan(tokens, wanted, 0)
    return at


def test_indexed_search_finds_what_a_scan_finds() -> None:
    rng = random.Random(14)
    vocabulary = ["trade", "the", "of", "growth", "model", "data", "cell", "gene", "deep"]
    lines = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 12)))
             for _ in range(300)]
    rendered = "\n".join(lines)
    source = RenderedSource(Path("doc.md"), rendered, rendered)
    tokens = source.tokens
    found_somewhere = 0
    for _ in range(500):
        start = rng.randrange(len(tokens))
        wanted = tokens[start:start + rng.randint(1, 8)]
        if rng.random() < 0.3:  # a word only the block has (a citation key)
            wanted.insert(rng.randrange(len(wanted) + 1), "smith2020")
        if rng.random() < 0.1:  # a block found nowhere (a generated entry)
            wanted = ["pärnamaa", "bibliography", "entry"]
        text = " ".join(wanted)
        expected = _expected(tokens, text, source.cursor)
        place = source.find(text)
        assert (place is None) == (expected is None)
        if expected is not None:
            found_somewhere += 1
            assert source.cursor == expected + 1
            assert place.line == source.line_map[source.token_lines[expected]][0]
    assert found_somewhere > 300
