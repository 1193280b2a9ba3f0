"""Contents, list of figures and list of tables, the same entries in every format.

DOCX: pandoc's own table of contents is an empty field that Word must update and
other word processors leave empty. We write the entries ourselves, as the cached result of a
real ``TOC`` field: a reader sees them at once, and Word's "Update field" adds page
numbers. PDF: Typst's outline, with page numbers. HTML: a list of links.
"""

from __future__ import annotations

from html import escape as _html_escape
from typing import Any

from .labels import label
from .model import Target
from .pandoc_ast import attr, div, nodes, raw_block, stringify, text_inlines

FRONT = "front"


def escape(text: str) -> str:
    """&, < and > as XML entities (xml.sax.saxutils' escape, without its import of
    urllib, a thirtieth of a second of every start)."""
    return _html_escape(text, quote=False)


def insert_contents(ast: dict[str, Any], options: dict[str, Any], target: Target,
                    project: Any) -> None:
    wanted = [k for k in ("toc", "lof", "lot") if options.get(k)]
    if not wanted:
        return
    depth = int(options.get("toc_depth", 3))
    lang = target.lang
    blocks: list[dict[str, Any]] = []
    for kind in wanted:
        if target.format == "pdf":
            blocks.append(raw_block("typst", _typst(kind, depth, lang)))
            continue
        entries = _entries(ast, kind, depth)
        if not entries and kind != "toc":
            continue
        title = label({"toc": "Contents", "lof": "List of Figures", "lot": "List of Tables"}[kind],
                      lang)
        if target.format == "docx":
            blocks += _docx(kind, title, entries, depth)
        else:
            blocks.append(_html(kind, title, entries))
    position = 0
    while position < len(ast["blocks"]) and _is_front(ast["blocks"][position]):
        position += 1
    ast["blocks"][position:position] = blocks


def _is_front(block: dict[str, Any]) -> bool:
    return block["t"] == "Div" and FRONT in block["c"][0][1]


def _entries(ast: dict[str, Any], kind: str, depth: int) -> list[tuple[int, str, str]]:
    """(level, text, id) for each heading, figure or table, in document order."""
    out = []
    for block in _content_blocks(ast["blocks"]):
        for node in nodes(block):
            if kind == "toc" and node["t"] == "Header":
                level, a, inlines = node["c"]
                if level <= depth and "unlisted" not in a[1]:
                    out.append((level, stringify(inlines), a[0]))
            elif (kind == "lof" and node["t"] == "Figure") or (kind == "lot" and node["t"] == "Table"):
                text = stringify(node["c"][1][1])
                if text:
                    out.append((1, text, node["c"][0][0]))
    return out


def _content_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in blocks if not _is_front(b)]


def _link(text: str, ident: str) -> list[dict[str, Any]]:
    inlines = text_inlines(text)
    if not ident:
        return inlines
    return [{"t": "Link", "c": [attr(), inlines, ["#" + ident, ""]]}]


def _html(kind: str, title: str, entries: list[tuple[int, str, str]]) -> dict[str, Any]:
    items = [div([{"t": "Plain", "c": _link(text, ident)}], classes=[f"toc-{level}"])
             for level, text, ident in entries]
    heading = div([{"t": "Para", "c": text_inlines(title)}], classes=["contents-title"])
    return div([heading, *items], identifier=kind, classes=["contents", FRONT])


# Figures and tables are listed by their caption styles (pandoc's), not by SEQ
# fields, which our captions do not use: Word's update then rebuilds the same list.
_FIELD = {"toc": 'TOC \\o "1-{depth}" \\h \\z \\u', "lof": 'TOC \\h \\z \\t "Image Caption,1"',
          "lot": 'TOC \\h \\z \\t "Table Caption,1"'}


def _docx(kind: str, title: str, entries: list[tuple[int, str, str]], depth: int) -> list[dict]:
    instr = escape(_FIELD[kind].format(depth=depth))
    begin = (
        '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>'
        f"<w:r><w:t>{escape(title)}</w:t></w:r></w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r></w:p>'
    )
    end = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    style = "TOC {level}" if kind == "toc" else "Table of Figures"
    items = [div([{"t": "Para", "c": _link(text, ident)}],
                 attrs={"custom-style": style.format(level=level)})
             for level, text, ident in entries]
    page_break = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    return [raw_block("openxml", begin), *items, raw_block("openxml", end + page_break)]


def _typst(kind: str, depth: int, lang: str) -> str:
    if kind == "toc":
        return (f"#outline(title: [{label('Contents', lang)}], depth: {depth})\n#pagebreak()")
    figure_kind = "image" if kind == "lof" else "table"
    title = label("List of Figures" if kind == "lof" else "List of Tables", lang)
    return (
        f"#context {{\n"
        f"  let items = query(figure.where(kind: {figure_kind})).filter(f => f.caption != none)\n"
        f"  if items.len() > 0 {{\n"
        f"    heading(outlined: false, numbering: none)[{title}]\n"
        f"    for f in items {{\n"
        f"      let page = counter(page).at(f.location()).first()\n"
        f"      link(f.location())[#f.caption.body #box(width: 1fr, repeat[.]) #page]\n"
        f"      linebreak()\n"
        f"    }}\n"
        f"    pagebreak()\n"
        f"  }}\n"
        f"}}"
    )
