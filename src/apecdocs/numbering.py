"""Numbers for sections, figures and tables, written into the AST itself.

Writing them into the text (rather than leaving it to each writer) makes DOCX, PDF
and HTML show the same numbers, and lets ``@fig-id``, ``@tbl-id`` and ``@sec-id``
become "Figure 2" links everywhere.
"""

from __future__ import annotations

from typing import Any

from .labels import label, text
from .pandoc_ast import blocks as block_nodes
from .pandoc_ast import replace, stringify, text_inlines

SKIP_CLASSES = {"unnumbered", "unlisted", "front"}


def number_document(ast: dict[str, Any], sections: bool, lang: str) -> dict[str, str]:
    """Number in place; return ``{id: "Figure 2"}`` for every numbered thing."""
    refs: dict[str, str] = {}
    if sections:
        _number_sections(ast["blocks"], refs, lang)
    counters = {"Figure": 0, "Table": 0}
    for node in block_nodes(ast["blocks"]):
        if node["t"] == "Figure":
            kind, ident, caption = "Figure", node["c"][0][0], node["c"][1]
        elif node["t"] == "Table":
            kind, ident, caption = "Table", node["c"][0][0], node["c"][1]
        else:
            continue
        blocks = caption[1]
        if not blocks or "numbered" in node["c"][0][1] or not stringify(blocks):
            continue
        counters[kind] += 1
        name = f"{label(kind, lang)} {counters[kind]}"
        first = blocks[0]
        if first["t"] in ("Plain", "Para"):  # "Table 1: ", "表 1："
            prefix = text("{label}: {value}", lang, label=name, value="")
            space = [{"t": "Space"}] if prefix != prefix.rstrip() else []
            first["c"][:0] = [*text_inlines(prefix.rstrip()), *space]
        node["c"][0][1].append("numbered")
        if ident:
            refs[ident] = name
    return refs


def _number_sections(blocks: list[Any], refs: dict[str, str], lang: str) -> None:
    counts = [0] * 7
    for block in blocks:
        if block["t"] == "Div":
            if SKIP_CLASSES & set(block["c"][0][1]):
                continue
            _number_sections_in(block["c"][1], counts, refs, lang)
        elif block["t"] == "Header":
            _number_header(block, counts, refs, lang)


def _number_sections_in(blocks: list[Any], counts: list[int], refs: dict[str, str],
                        lang: str) -> None:
    for block in blocks:
        if block["t"] == "Header":
            _number_header(block, counts, refs, lang)
        elif block["t"] == "Div" and not SKIP_CLASSES & set(block["c"][0][1]):
            _number_sections_in(block["c"][1], counts, refs, lang)


def _number_header(block: dict[str, Any], counts: list[int], refs: dict[str, str],
                   lang: str) -> None:
    level, attr, inlines = block["c"]
    if SKIP_CLASSES & set(attr[1]) or "numbered" in attr[1] or level > 3:
        return
    counts[level] += 1
    for deeper in range(level + 1, 7):
        counts[deeper] = 0
    number = ".".join(str(n) for n in counts[1 : level + 1])
    inlines[:0] = [{"t": "Span", "c": [["", ["section-number"], []], [{"t": "Str", "c": number}]]},
                   {"t": "Space"}]
    attr[1].append("numbered")
    if attr[0]:
        refs[attr[0]] = f"{label('Section', lang)} {number}"


def resolve_refs(ast: dict[str, Any], refs: dict[str, str]) -> None:
    """``@fig-x`` (a pandoc Cite) to a link reading "Figure 2"; other Cites, which no
    plugin resolved, to their Markdown text (writers such as Typst fail on them)."""

    def visit(node: dict[str, Any]) -> Any:
        citations = node["c"][0]
        ids = [c["citationId"] for c in citations]
        if not all(i in refs for i in ids):
            return node["c"][1]
        out: list[Any] = []
        for i, ident in enumerate(ids):
            if i:
                out += [{"t": "Str", "c": ","}, {"t": "Space"}]
            out.append({"t": "Link", "c": [["", ["xref"], []], text_inlines(refs[ident]),
                                           ["#" + ident, ""]]})
        return out

    replace(ast["blocks"], "Cite", visit)
