"""Page layout of the front matter in each format.

The AST holds the same lines everywhere; here each format gets its layout: Word
paragraph styles (defined in this plugin's reference.docx) and page breaks, Typst
pages and text settings, and CSS classes for HTML (``apec.css``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from apecdocs.docx_sections import cover_end
from apecdocs.pandoc_ast import raw_block, stringify

ACCENT = 'rgb("#1b4f8a")'

DOCX_STYLES = {
    "cover-title": "Cover Title", "cover-subtitle": "Cover Subtitle", "cover-line": "Cover Line",
    "imprint-title": "Imprint", "imprint-forum": "Imprint", "imprint-project": "Imprint",
    "imprint-label": "Imprint", "imprint-producer": "Imprint", "imprint-secretariat": "Imprint",
    "imprint-copyright": "Imprint", "imprint-number": "Imprint", "imprint-isbn": "Imprint",
    "imprint-licence": "Imprint", "imprint-disclaimer": "Imprint",
    "meeting-number": "Meeting Block", "meeting-title": "Meeting Block",
    "meeting-purpose": "Meeting Block", "meeting-line": "Meeting Block",
    "circular-banner": "Circular Banner", "circular-line": "Circular Banner",
    "circular-release": "Circular Banner",
}

TYPST_ROLES = {
    "cover-title": f'#text(size: 24pt, weight: "bold", fill: {ACCENT})[',
    "cover-subtitle": "#text(size: 15pt)[",
    "cover-line": "#text(size: 13pt)[",
    "imprint-title": '#text(weight: "bold")[',
    "imprint-label": '#text(weight: "bold")[',
    "meeting-number": '#align(right)[#text(weight: "bold")[',
    "meeting-title": '#align(right)[#text(weight: "bold")[',
    "meeting-purpose": "#align(right)[#text()[",
    "meeting-line": "#align(right)[#text()[",
    "circular-banner": '#align(center)[#text(weight: "bold", size: 12pt)[',
    "circular-line": "#align(center)[#text()[",
    "circular-release": "#align(center)[#text()[",
}

# Space before a group of lines on a page: the cover's forum and date go to its foot;
# the imprint's groups (title; forum and date; project; Produced by; For; copyright;
# number and ISBN; licence; disclaimer) stand apart, as in APEC's publications.
TYPST_GAP_BEFORE = {"cover-line": "#v(1fr)\n", "imprint-forum": "#v(0.9em)\n",
                    "imprint-project": "#v(0.9em)\n", "imprint-label": "#v(0.9em)\n",
                    "imprint-copyright": "#v(0.9em)\n", "imprint-number": "#v(0.9em)\n",
                    "imprint-licence": "#v(0.9em)\n", "imprint-disclaimer": "#v(0.9em)\n"}

TYPST_PAGES = {
    "cover": ("#page(numbering: none)[\n#set par(justify: false)\n#v(5cm)\n"
              f"#line(length: 30%, stroke: 3pt + {ACCENT})\n#v(0.6cm)\n", "]\n"),
    "imprint": ("#page(numbering: none)[\n#set text(size: 9pt)\n#set par(justify: false, "
                "spacing: 0.55em)\n#v(1fr)\n", "]\n"),
    "meeting-document": ("#block(width: 100%, below: 1.5em)[\n#set par(spacing: 0.3em)\n",
                         "]\n"),
    "circular-title": ("#block(width: 100%, below: 1.5em)[\n#set par(spacing: 0.4em)\n",
                       "]\n"),
}

PAGE_BREAK_DOCX = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def layout(ast: dict[str, Any], fmt: str, sections: bool = True, text_width: int = 9298) -> None:
    """Give each front-matter block of ``ast`` its layout in ``fmt``, in place; with
    ``sections``, the Word cover and imprint make a section of their own.
    ``text_width``: the Word page's text width in twentieths of a point."""
    out: list[dict[str, Any]] = []
    for block in ast["blocks"]:
        classes = block["c"][0][1] if block["t"] == "Div" else []
        if "front" not in classes:
            out.append(block)
            continue
        page = next((c for c in classes if c in TYPST_PAGES), None)
        if fmt == "pdf":
            out += _typst(block, page)
        elif fmt == "docx":
            if page == "imprint":
                out.append(raw_block("openxml", _docx_at_foot(block["c"][1], text_width)))
            elif page == "cover":  # the forum and date at the foot, as in the PDF
                foot = [d for d in block["c"][1] if _role(d) == "cover-line"]
                block["c"][1] = [d for d in block["c"][1] if d not in foot]
                for role_div in block["c"][1]:
                    _docx_style(role_div)
                out += [block, raw_block("openxml", _docx_at_foot(foot, text_width))]
            else:
                for role_div in block["c"][1]:
                    _docx_style(role_div)
                out.append(block)
            if page == "imprint" and sections:  # cover and imprint: no page number shown
                out.append(cover_end())
            elif page in ("cover", "imprint"):
                out.append(raw_block("openxml", PAGE_BREAK_DOCX))
        else:
            out.append(block)
    ast["blocks"] = out


def _role(role_div: dict[str, Any]) -> str | None:
    classes = role_div["c"][0][1] if role_div["t"] == "Div" else []
    return next((c for c in classes if c.startswith(("imprint-", "cover-"))), None)


def _docx_at_foot(role_divs: list[dict[str, Any]], width: int) -> str:
    """Lines as Word paragraphs in one frame anchored to the foot of the page's text
    area (``w:framePr``, which word processors honour), so the block stands at the foot
    of its page whatever its length; groups spaced as in the PDF."""
    out, previous = [], None
    for role_div in role_divs:
        role = _role(role_div)
        gap = 160 if role in TYPST_GAP_BEFORE and role != previous and previous else 0
        previous = role or previous
        bold = "<w:rPr><w:b/></w:rPr>" if role in ("imprint-title", "imprint-label") else ""
        text = escape(stringify(role_div["c"][1] if role_div["t"] == "Div" else role_div))
        style = DOCX_STYLES.get(role or "", "Imprint").replace(" ", "")
        out.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>'
            f'<w:framePr w:w="{width}" w:wrap="around" w:vAnchor="margin" w:hAnchor="margin" '
            'w:xAlign="left" w:yAlign="bottom"/>'
            f'<w:spacing w:before="{gap}" w:after="0"/></w:pPr>'
            f'<w:r>{bold}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
    return "".join(out)


def docx_text_width(reference: Path) -> int:
    """The text width of a reference document's page, in twentieths of a point."""
    try:
        xml = zipfile.ZipFile(reference).read("word/document.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return 9298
    size = re.search(r'<w:pgSz [^>]*w:w="(\d+)"', xml)
    left = re.search(r'<w:pgMar [^>]*w:left="(\d+)"', xml)
    right = re.search(r'<w:pgMar [^>]*w:right="(\d+)"', xml)
    if not (size and left and right):
        return 9298
    return int(size[1]) - int(left[1]) - int(right[1])


def _docx_style(role_div: dict[str, Any]) -> None:
    if role_div["t"] != "Div":
        return
    for cls in role_div["c"][0][1]:
        if cls in DOCX_STYLES:
            role_div["c"][0][2].append(["custom-style", DOCX_STYLES[cls]])
            return


def _typst(block: dict[str, Any], page: str | None) -> list[dict[str, Any]]:
    start, end = TYPST_PAGES.get(page or "", ("#block[\n", "]\n"))
    out = [raw_block("typst", start)]
    previous = None
    for role_div in block["c"][1]:
        classes = role_div["c"][0][1] if role_div["t"] == "Div" else []
        role = next((c for c in classes if c in TYPST_ROLES), None)
        group = next((c for c in classes if c in TYPST_GAP_BEFORE), None)
        if group and group != previous and previous is not None:
            out.append(raw_block("typst", TYPST_GAP_BEFORE[group]))
        previous = next((c for c in classes if c.startswith(("cover-", "imprint-"))), previous)
        inner = role_div["c"][1] if role_div["t"] == "Div" else [role_div]
        if role:
            closing = "]" * TYPST_ROLES[role].count("[")
            out += [raw_block("typst", TYPST_ROLES[role]), *inner, raw_block("typst", closing)]
        else:
            out += inner
    out.append(raw_block("typst", end))
    return out
