"""Make the reference DOCX files that style apecdocs' Word output.

Starts from pandoc's own reference.docx (so every style pandoc uses exists) and adds
what apecdocs writes: contents entries and, for APEC publications, cover and imprint
styles. Run after changing it: ``python tools/make_reference_docx.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
ACCENT = RGBColor(0x1B, 0x4F, 0x8A)


def base() -> Document:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ref.docx"
        subprocess.run([pypandoc.get_pandoc_path(), "-o", str(path), "--print-default-data-file",
                        "reference.docx"], check=True)
        return Document(str(path))


def paragraph_style(doc: Document, name: str, base_name: str = "Normal"):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base_name]
    return style


def core(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Cm(2.3))
    for margin in ("top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2.5))
    section.header_distance = section.footer_distance = Cm(1.25)
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        try:
            doc.styles[name].font.name = "Calibri"
            doc.styles[name].font.size = Pt(11)
        except KeyError:
            pass
    for level in range(1, 4):
        heading = doc.styles[f"Heading {level}"]
        heading.font.color.rgb = ACCENT
        heading.font.name = "Calibri"
    doc.styles["Heading 1"].paragraph_format.page_break_before = True
    toc_heading = paragraph_style(doc, "TOC Heading")
    toc_heading.font.size, toc_heading.font.bold = Pt(16), True
    toc_heading.font.color.rgb = ACCENT
    text_width = section.page_width - section.left_margin - section.right_margin
    entries = [paragraph_style(doc, f"TOC {level}") for level in range(1, 4)]
    entries.append(paragraph_style(doc, "Table of Figures"))
    for level, style in enumerate(entries, start=1):
        if style.name != "Table of Figures":
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        # The page number after the entry's tab: right-aligned, dot leader.
        style.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
    # Running header (short title) and footer (page number) of every section.
    header = paragraph_style(doc, "Header")
    header.font.size, header.font.color.rgb = Pt(9), RGBColor(0x59, 0x59, 0x59)
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = paragraph_style(doc, "Footer")
    footer.font.size = Pt(9)
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for style, ident in ((header, "Header"), (footer, "Footer")):
        style.style_id = ident  # Word's own ids for its built-in header and footer styles


def apec(doc: Document) -> None:
    """Cover, imprint and meeting-document styles of the APEC plugin."""
    cover_title = paragraph_style(doc, "Cover Title")
    cover_title.font.size, cover_title.font.bold = Pt(26), True
    cover_title.font.color.rgb = ACCENT
    cover_title.paragraph_format.space_before = Pt(120)
    cover_title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    sub = paragraph_style(doc, "Cover Subtitle")
    sub.font.size = Pt(15)
    line = paragraph_style(doc, "Cover Line")
    line.font.size = Pt(13)
    line.paragraph_format.space_before = Pt(6)
    at_foot(line, doc)  # the forum and date at the foot of the cover
    imprint = paragraph_style(doc, "Imprint")
    imprint.font.size = Pt(9)
    imprint.paragraph_format.space_before = imprint.paragraph_format.space_after = Pt(0)
    at_foot(imprint, doc)  # the imprint at the foot of page 2, as APEC publications have it
    group = paragraph_style(doc, "Imprint Group", "Imprint")  # the first line of a group
    group.paragraph_format.space_before = Pt(8)
    block = paragraph_style(doc, "Meeting Block")
    block.font.size = Pt(11)
    block.paragraph_format.space_after = Pt(0)
    block.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    banner = paragraph_style(doc, "Circular Banner")
    banner.font.bold, banner.font.size = True, Pt(13)
    banner.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def at_foot(style, doc: Document) -> None:
    """Paragraphs of ``style`` in a frame at the foot of the page's text area: Word puts
    consecutive paragraphs with the same frame in one frame, kept at the foot whatever
    its length."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    frame = OxmlElement("w:framePr")
    for key, value in (("w", str(int(width) // 635)), ("wrap", "around"), ("vAnchor", "margin"),
                       ("hAnchor", "margin"), ("xAlign", "left"), ("yAlign", "bottom")):
        frame.set(qn(f"w:{key}"), value)
    ppr = style.element.get_or_add_pPr()
    ppr.insert(0, frame)  # framePr comes early in pPr (after pStyle, keepNext ...)


def main() -> None:
    doc = base()
    core(doc)
    out = ROOT / "src/apecdocs/styles/reference.docx"
    doc.save(str(out))
    apec(doc)
    apec_out = ROOT / "plugins/apecdocs_apec/styles/reference.docx"
    apec_out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(apec_out))
    print(f"wrote {out} and {apec_out}", file=sys.stderr)


if __name__ == "__main__":
    main()
