"""Page layout of the front matter in each format.

The AST holds the same lines everywhere; here each format gets its layout: Word
paragraph styles (defined in this plugin's reference.docx) and page breaks, Typst
pages and text settings, and CSS classes for HTML (``apec.css``).
"""

from __future__ import annotations

from typing import Any

from apecdocs.pandoc_ast import raw_block

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


def layout(ast: dict[str, Any], fmt: str, sections: bool = True) -> None:
    """Give each front-matter block of ``ast`` its layout in ``fmt``, in place; with
    ``sections``, the Word cover and imprint make a section of their own."""
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
            previous = None
            for role_div in block["c"][1]:
                _docx_style(role_div, previous)
                previous = _role(role_div) or previous
            out.append(block)
            if page == "imprint" and sections:  # cover and imprint: no page number shown
                from apecdocs.docx_sections import cover_end  # here: lxml, for DOCX only

                out.append(cover_end())
            elif page in ("cover", "imprint"):
                out.append(raw_block("openxml", PAGE_BREAK_DOCX))
        else:
            out.append(block)
    ast["blocks"] = out


def _role(role_div: dict[str, Any]) -> str | None:
    classes = role_div["c"][0][1] if role_div["t"] == "Div" else []
    return next((c for c in classes if c.startswith(("imprint-", "cover-"))), None)


def _docx_style(role_div: dict[str, Any], previous: str | None = None) -> None:
    """The Word style of one line. The reference document's cover-line and imprint
    styles sit in a frame at the foot of the page; the first line of an imprint group
    gets the style that sets it apart."""
    if role_div["t"] != "Div":
        return
    for cls in role_div["c"][0][1]:
        if cls in DOCX_STYLES:
            style = DOCX_STYLES[cls]
            if style == "Imprint" and cls in TYPST_GAP_BEFORE and cls != previous and previous:
                style = "Imprint Group"
            role_div["c"][0][2].append(["custom-style", style])
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
