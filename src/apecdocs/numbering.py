"""Numbers for sections, annexes, figures and tables, written into the AST itself.

Writing them into the text (rather than leaving it to each writer) makes DOCX, PDF
and HTML show the same numbers, and lets ``@fig-id``, ``@tbl-id`` and ``@sec-id``
become "Figure 2" links everywhere.

A level-1 heading with the class ``annex`` starts an annex: annexes are lettered
(Annex A, B ...) whether or not sections are numbered, their sections read A.1, A.2
and their figures and tables "Table A.1". Each numbered node also carries its number
as attributes, for writers that turn them into fields (Word's SEQ): ``number`` ("A.1"
or "3"), ``number-label`` ("Table", "Figure", "Section" or "Annex") and, in an annex,
``annex`` ("A"). The printed prefix is a ``Span`` with the class ``caption-number``
(captions) or ``section-number`` (headings).
"""

from __future__ import annotations

from typing import Any

from .labels import label, text
from .pandoc_ast import child_blocks, replace, replace_sparse, stringify, text_inlines

SKIP_CLASSES = {"unnumbered", "unlisted", "front"}
ANNEX_CLASS = "annex"


def annex_letter(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: the letter of the ``index``-th annex."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Numberer:
    """One walk through the document in reading order, keeping the counters."""

    def __init__(self, sections: bool, lang: str) -> None:
        self.sections = sections
        self.lang = lang
        self.refs: dict[str, str] = {}
        self.counts = [0] * 7
        self.chapters = 0  # numbered chapters of the main text, which annexes do not stop
        self.annexes = 0
        self.annex = ""  # letter of the annex being read, "" in the main text
        self.main = {"Figure": 0, "Table": 0}  # captions of the main text
        self.captions = self.main  # the counters in use: the main text's or the annex's

    def walk(self, blocks: list[Any], skip: bool = False) -> None:
        for block in blocks:
            if not isinstance(block, dict):
                continue
            t = block.get("t")
            if t == "Header":
                self.header(block, skip)
                continue
            if t in ("Figure", "Table"):
                self.caption(block)
            inner = skip or (t == "Div" and bool(SKIP_CLASSES & set(block["c"][0][1])))
            for group in child_blocks(block):
                self.walk(group, inner)

    def header(self, block: dict[str, Any], skip: bool) -> None:
        level, attr, inlines = block["c"]
        classes = attr[1]
        if "numbered" in classes:
            return
        if level == 1:  # a new chapter ends an annex, unless it is one itself
            self.annex, self.captions = "", self.main
            if ANNEX_CLASS in classes:
                self.annexes += 1
                self.annex = annex_letter(self.annexes)
                self.captions = {"Figure": 0, "Table": 0}
                self.counts = [0] * 7
                name = f"{label('Annex', self.lang)} {self.annex}"
                inlines[:0] = _prefix(name, self.lang, "section-number", "annex-number")
                _mark(attr, self.annex, "Annex", self.annex)
                if attr[0]:
                    self.refs[attr[0]] = name
                return
        if not self.sections or skip or SKIP_CLASSES & set(classes) or level > 3:
            return
        if level == 1:
            self.chapters += 1
            self.counts = [0] * 7
            self.counts[1] = self.chapters
        else:
            self.counts[level] += 1
            self.counts[level + 1:] = [0] * (6 - level)
        parts = [str(n) for n in self.counts[1 : level + 1]]
        if self.annex:
            parts[0] = self.annex
        number = ".".join(parts)
        inlines[:0] = [_span(number, "section-number"), {"t": "Space"}]
        _mark(attr, number, "Section", self.annex)
        if attr[0]:
            self.refs[attr[0]] = f"{label('Section', self.lang)} {number}"

    def caption(self, node: dict[str, Any]) -> None:
        kind = node["t"]
        attr, caption = node["c"][0], node["c"][1]
        blocks = caption[1]
        if not blocks or "numbered" in attr[1] or not stringify(blocks):
            return
        self.captions[kind] += 1
        number = f"{self.annex}.{self.captions[kind]}" if self.annex else str(self.captions[kind])
        name = f"{label(kind, self.lang)} {number}"
        first = blocks[0]
        if first["t"] in ("Plain", "Para"):  # "Table 1: ", "表 1："
            first["c"][:0] = _prefix(name, self.lang, "caption-number")
        _mark(attr, number, kind, self.annex)
        if attr[0]:
            self.refs[attr[0]] = name


def _span(words: str, *classes: str) -> dict[str, Any]:
    return {"t": "Span", "c": [["", list(classes), []], text_inlines(words)]}


def _prefix(name: str, lang: str, *classes: str) -> list[dict[str, Any]]:
    """``name`` ("Table A.1") as a span, then the language's separator ("": ", "："),
    from the label pattern ``{label}: {value}``."""
    pattern = text("{label}: {value}", lang, label=name, value="")
    space = [{"t": "Space"}] if pattern != pattern.rstrip() else []
    pattern = pattern.rstrip()
    if not pattern.startswith(name):  # a language that puts the words elsewhere
        return [_span(pattern, *classes), *space]
    return [_span(name, *classes), *text_inlines(pattern[len(name):]), *space]


def _mark(attr: list[Any], number: str, kind: str, annex: str) -> None:
    """Mark a node numbered, keeping its number for writers that make fields of it."""
    attr[1].append("numbered")
    attr[2] += [["number", number], ["number-label", kind]]
    if annex:
        attr[2].append(["annex", annex])


def number_document(ast: dict[str, Any], sections: bool, lang: str) -> dict[str, str]:
    """Number in place; return ``{id: "Figure 2"}`` for every numbered thing."""
    numberer = _Numberer(sections, lang)
    numberer.walk(ast["blocks"])
    return numberer.refs
def resolve_refs(ast: dict[str, Any], refs: dict[str, str]) -> None:
    """``@fig-x`` (a pandoc Cite) to a link reading "Figure 2"; other Cites, which no
    plugin resolved, to their Markdown text (writers such as Typst fail on them)."""

    def visit(node: dict[str, Any]) -> Any:
        citations = node["c"][0]
        ids = [c["citationId"] for c in citations]
        if not all(i in refs for i in ids):
            return node["c"][1]
        out: list[Any] = []
        for i, citation in enumerate(citations):
            ident = citation["citationId"]
            if i:
                out += [{"t": "Str", "c": ","}, {"t": "Space"}]
            # "[see @tbl-x, row 3]" keeps its words around the link
            for words in (citation.get("citationPrefix"), citation.get("citationSuffix")):
                replace(words or [], "Cite", visit)  # "[see @a and @b]": @b is inside
            if citation.get("citationPrefix"):
                out += [*citation["citationPrefix"], {"t": "Space"}]
            out.append({"t": "Link", "c": [["", ["xref"], []], text_inlines(refs[ident]),
                                           ["#" + ident, ""]]})
            out += citation.get("citationSuffix") or []
        return out

    replace_sparse(ast["blocks"], "Cite", visit)
