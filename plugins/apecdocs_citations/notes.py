"""Note styles: each citation becomes a footnote, numbered with the author's own notes.

With a CSL style of class "note", a citation in the text is rendered as a footnote (a
pandoc ``Note``, so DOCX, PDF and HTML each make a real footnote); a citation the author
wrote inside a footnote stays in it. Notes are numbered in document order, the
author's and the citations' alike, so ``near-note`` counts notes as a reader sees them.
As pandoc's citeproc does, the footnote mark follows the punctuation after the
citation ("large [@wb]." gives "large.¹"), and the space before it goes.
"""

from __future__ import annotations

from typing import Any

PUNCTUATION = ".,;:!?"
# Nodes with no children: most of a text's nodes, passed over at once by the walks.
_LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak"})


def numbers(blocks: list[Any]) -> dict[int, tuple[int, bool]]:
    """For each Cite node (by ``id``): its note's number, and whether the author wrote
    it inside a footnote."""
    found: dict[int, tuple[int, bool]] = {}
    count = 0

    def walk(value: Any, note: int | None) -> None:
        nonlocal count
        if type(value) is list:
            for item in value:
                if type(item) is not dict or item.get("t") not in _LEAVES:
                    walk(item, note)
        elif type(value) is dict:
            kind = value.get("t")
            if kind == "Cite":
                if note is None:
                    count += 1
                found[id(value)] = (note if note is not None else count, note is not None)
                walk(value.get("c", [None, []])[1], note)
            elif kind == "Note":
                if note is None:
                    count += 1
                walk(value.get("c"), count if note is None else note)
            elif type(value.get("c")) is list:
                walk(value["c"], note)

    walk(blocks, None)
    return found


def _is_note_citation(node: Any) -> bool:
    if type(node) is not dict or node.get("t") != "Span":
        return False
    attrs, content = node["c"]
    return "citation" in attrs[1] and len(content) == 1 and content[0].get("t") == "Note"


def tidy(value: Any) -> None:
    """Footnote marks after the punctuation that follows them, without a space before."""
    if type(value) is dict:
        content = value.get("c")
        if type(content) is list:
            tidy(content)
        return
    if type(value) is not list:
        return
    noted = False
    for item in value:
        if type(item) is dict:
            kind = item.get("t")
            if kind in _LEAVES:
                continue
            noted = noted or (kind == "Span" and _is_note_citation(item))
            tidy(item)
        elif type(item) is list:
            tidy(item)
    if not noted:  # the marks to move follow a citation's note
        return
    n = 0
    while n < len(value):
        if _is_note_citation(value[n]):
            if n and type(value[n - 1]) is dict and value[n - 1].get("t") in ("Space",
                                                                             "SoftBreak"):
                del value[n - 1]
                n -= 1
            after = value[n + 1] if n + 1 < len(value) else None
            if type(after) is dict and after.get("t") == "Str":
                text = after["c"]
                cut = len(text) - len(text.lstrip(PUNCTUATION))
                if cut:
                    value.insert(n, {"t": "Str", "c": text[:cut]})
                    n += 1
                    if text[cut:]:
                        after["c"] = text[cut:]
                    else:
                        del value[n + 1]
        n += 1
