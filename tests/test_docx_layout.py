"""The DOCX as a finished Word publication: sections, page numbers, headers and
footers, and live fields (SEQ captions, REF cross-references, PAGEREF in the lists).

Read as a user's word processor reads it: python-docx and the raw XML of each part.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from apecdocs import Project
from apecdocs.docx_fields import caption_pattern, sequence_name
from apecdocs.docx_finish import finish_docx
from apecdocs.model import DocxLayout

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

YAML = """\
project:
  number: TEST 01 2024
  title: A Test Project on Something Long Enough to Need a Short Title in the Header
  short_title: The Short Title
documents:
  - id: pub
    type: publication
    title: A Publication Whose Title Is Far Too Long to Run in the Header of Each Page
    sources: [content/*.md]
    languages: [en, vi]
    formats: [docx]
  - id: plain
    type: document
    title: Plain
    sources: [content/01-foreword.md]
    formats: [docx]
"""

CONTENT = {
    "content/01-foreword.md": "# Foreword {.unnumbered}\n\nBefore the chapters.\n",
    "content/02-intro.md": """\
        # Introduction {#sec-intro}

        As @tbl-second shows, and @tbl-first before it.

        | A | B |
        |---|---|
        | 1 | 2 |

        : The first table {#tbl-first}
        """,
    "content/03-more.md": """\
        # More

        | C | D |
        |---|---|
        | 3 | 4 |

        : The second table {#tbl-second}
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("docx_layout") / "p", YAML, CONTENT)
    report = Project.load(root).build()
    assert report.ok
    return root


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def part_for(xml: dict[str, etree._Element], rid: str) -> etree._Element:
    rels = xml["word/_rels/document.xml.rels"]
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return xml["word/" + target]


def text(node: etree._Element) -> str:
    return "".join(t.text or "" for t in node.iter(f"{W}t"))


def instructions(node: etree._Element) -> list[str]:
    return [i.text.strip() for i in node.iter(f"{W}instrText")]


def sections(xml: dict[str, etree._Element]) -> list[etree._Element]:
    return list(xml["word/document.xml"].iter(f"{W}sectPr"))


def test_publication_has_cover_front_and_body_sections(built):
    xml = parts(built / "_build/en/pub.docx")
    cover, front, body = sections(xml)
    numbering = [s.find(f"{W}pgNumType") for s in (cover, front, body)]
    assert [(n.get(f"{W}fmt"), n.get(f"{W}start")) for n in numbering] == [
        ("lowerRoman", "1"), ("lowerRoman", None), ("decimal", "1")]
    assert cover.find(f"{W}titlePg") is not None
    assert front.find(f"{W}titlePg") is None and body.find(f"{W}titlePg") is None
    for sect in (cover, front):  # the reference document's page size and margins
        assert etree.tostring(sect.find(f"{W}pgSz")) == etree.tostring(body.find(f"{W}pgSz"))
        assert etree.tostring(sect.find(f"{W}pgMar")) == etree.tostring(body.find(f"{W}pgMar"))


def test_cover_shows_no_number_front_roman_body_header(built):
    xml = parts(built / "_build/en/pub.docx")
    cover, front, body = sections(xml)

    def refs(sect, kind):
        return {r.get(f"{W}type"): part_for(xml, r.get(f"{R}id"))
                for r in sect.findall(f"{W}{kind}Reference")}

    for part in [*refs(cover, "header").values(), *refs(cover, "footer").values()]:
        assert text(part) == "" and instructions(part) == []
    assert set(refs(cover, "footer")) == {"default", "first"}
    assert instructions(refs(front, "footer")["default"]) == ["PAGE"]
    assert text(refs(front, "header")["default"]) == ""
    assert instructions(refs(body, "footer")["default"]) == ["PAGE"]
    header = refs(body, "header")["default"]
    assert text(header) == "The Short Title"  # the title is too long to run
    styles = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in header.iter(f"{W}p")}
    assert styles == {"Header"}
    defined = {s.get(f"{W}styleId"): s for s in xml["word/styles.xml"].iter(f"{W}style")}
    assert {"Header", "Footer"} <= set(defined)  # restyled in the reference document
    assert defined["Heading1"].find(f"{W}pPr/{W}pageBreakBefore") is not None  # chapters


def test_body_starts_at_first_numbered_chapter(built):
    body = parts(built / "_build/en/pub.docx")["word/document.xml"].find(f"{W}body")
    paragraphs = list(body.iter(f"{W}p"))
    texts = [text(p) for p in paragraphs]
    breaks = [i for i, p in enumerate(paragraphs) if p.find(f"{W}pPr/{W}sectPr") is not None]
    cover_end, front_end = breaks
    headings = {text(p): i for i, p in enumerate(paragraphs)
                if p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading1']") is not None}
    assert headings["Foreword"] < front_end < headings["1 Introduction"]
    assert "Contents" in texts[cover_end + 1 : front_end]
    assert texts[front_end] == "Before the chapters."  # the break rides on a paragraph
    for i in breaks:  # a page break just before a section break would leave a blank page
        assert paragraphs[i - 1].find(f".//{W}br[@{W}type='page']") is None


def test_python_docx_reads_the_sections(built):
    import docx

    document = docx.Document(str(built / "_build/en/pub.docx"))
    assert len(document.sections) == 3
    assert document.sections[0].different_first_page_header_footer
    assert document.sections[2].header.paragraphs[0].text == "The Short Title"
    assert document.sections[2].footer.paragraphs[0].text == "1"  # cached PAGE result


def test_captions_are_seq_fields_inside_bookmarks_and_refs_point_at_them(built):
    root = parts(built / "_build/en/pub.docx")["word/document.xml"]
    captions = [p for p in root.iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pStyle[@{W}val='TableCaption']") is not None]
    assert [text(p) for p in captions] == ["Table 1: The first table", "Table 2: The second table"]
    marks = {}
    for caption in captions:
        assert instructions(caption) == ["SEQ Table \\* ARABIC"]
        start = caption.find(f"{W}bookmarkStart")
        inside = []
        for node in start.itersiblings():
            if node.tag == f"{W}bookmarkEnd" and node.get(f"{W}id") == start.get(f"{W}id"):
                break
            inside.append(text(node))
        marks[start.get(f"{W}name")] = "".join(inside)
    assert sorted(marks.values()) == ["Table 1", "Table 2"]
    assert all(re.fullmatch(r"[A-Za-z_]\w{0,39}", name) for name in marks)
    intro = next(p for p in root.iter(f"{W}p") if text(p).startswith("As Table"))
    assert text(intro) == "As Table 2 shows, and Table 1 before it."
    refs = instructions(intro)
    assert [marks[r.split()[1]] for r in refs] == ["Table 2", "Table 1"]
    assert all(r.startswith("REF ") and r.endswith("\\h") for r in refs)


def test_contents_and_lists_are_toc_fields_with_pageref_entries(built):
    xml = parts(built / "_build/en/pub.docx")
    root = xml["word/document.xml"]
    instr = instructions(root)
    assert 'TOC \\o "1-2" \\h \\z \\u' in instr
    assert 'TOC \\h \\z \\t "Table Caption,1"' in instr
    names = {b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")}
    pagerefs = [i.split()[1] for i in instr if i.startswith("PAGEREF")]
    assert len(pagerefs) == 5  # Foreword, two chapters, two tables
    assert set(pagerefs) <= names
    settings = xml["word/settings.xml"]
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"
    assert settings.find(f"{W}listSeparator").get(f"{W}val") == ","


def test_captions_and_fields_are_localized(built):
    root = parts(built / "_build/vi/pub.docx")["word/document.xml"]
    instr = instructions(root)
    assert "SEQ Bảng \\* ARABIC" in instr
    settings = parts(built / "_build/vi/pub.docx")["word/settings.xml"]
    assert [c.get(f"{W}name") for c in settings.iter(f"{W}caption")] == ["Hình", "Bảng"]
    assert any(text(p).startswith("Bảng 1") for p in root.iter(f"{W}p"))


def test_plain_document_is_one_section_with_page_numbers(built):
    xml = parts(built / "_build/en/plain.docx")
    (only,) = sections(xml)
    assert only.find(f"{W}pgNumType").get(f"{W}fmt") == "decimal"
    assert only.find(f"{W}pgNumType").get(f"{W}start") is None
    footer = part_for(xml, only.find(f"{W}footerReference").get(f"{R}id"))
    assert instructions(footer) == ["PAGE"]
    header = part_for(xml, only.find(f"{W}headerReference").get(f"{R}id"))
    assert text(header) == ""  # no running header asked for


# -- the post-processor on a hand-made document -------------------------------------

DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>
<w:p><w:pPr><w:pStyle w:val="TableofFigures"/></w:pPr><w:hyperlink w:anchor="tbl-annex"><w:r>
<w:t>Tabla A.1: Anexo</w:t></w:r></w:hyperlink></w:p>
<w:p><w:r><w:t xml:space="preserve">Véase </w:t></w:r><w:hyperlink w:anchor="tbl-annex"><w:r>
<w:t>Tabla A.1</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>
<w:bookmarkStart w:id="1" w:name="tbl-annex"/>
<w:p><w:pPr><w:pStyle w:val="TableCaption"/></w:pPr><w:r><w:t>Tabla A.</w:t></w:r><w:r><w:rPr><w:i/></w:rPr>
<w:t>1: Anexo</w:t></w:r></w:p><w:tbl/><w:bookmarkEnd w:id="1"/>
<w:p><w:pPr><w:pStyle w:val="TableCaption"/></w:pPr><w:r><w:t>Tabla 7: Sin marcador</w:t></w:r></w:p>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"""


def hand_made(path: Path) -> Path:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("word/document.xml", DOCUMENT)
        z.writestr("word/_rels/document.xml.rels", '<Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   f'Type="{rel}settings" Target="settings.xml"/></Relationships>')
        z.writestr("word/settings.xml", '<w:settings xmlns:w="http://schemas.openxmlformats.org/'
                   'wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:compat/></w:settings>')
    return path


def test_annex_prefix_gets_its_own_sequence_and_cached_pages_are_used(tmp_path):
    path = hand_made(tmp_path / "hand.docx")
    finish_docx(path, DocxLayout(caption_labels=["Figura", "Tabla"], pages={"tbl-annex": "42"}))
    xml = parts(path)
    root = xml["word/document.xml"]
    caption, plain = [p for p in root.iter(f"{W}p")
                      if p.find(f"{W}pPr/{W}pStyle[@{W}val='TableCaption']") is not None]
    assert text(caption) == "Tabla A.1: Anexo"  # reads the same before any update
    assert instructions(caption) == ["SEQ Tabla_A \\* ARABIC"]
    assert caption.findall(f"{W}r")[-1].find(f"{W}rPr/{W}i") is not None  # formatting kept
    assert instructions(plain) == ["SEQ Tabla \\* ARABIC"] and text(plain) == "Tabla 7: Sin marcador"
    see = next(p for p in root.iter(f"{W}p") if text(p).startswith("Véase"))
    mark = caption.find(f"{W}bookmarkStart").get(f"{W}name")
    assert instructions(see) == [f"REF {mark} \\h"] and text(see) == "Véase Tabla A.1."
    entry = next(p for p in root.iter(f"{W}p") if "Anexo" in text(p) and p is not caption)
    assert instructions(entry) == [f"PAGEREF {mark} \\h"]
    assert text(entry).endswith("42")
    settings = xml["word/settings.xml"]
    assert [etree.QName(c).localname for c in settings] == [
        "zoom", "updateFields", "compat", "captions", "listSeparator"]
    labels = [(c.get(f"{W}name"), c.get(f"{W}pos")) for c in settings.iter(f"{W}caption")]
    assert labels == [("Figura", "below"), ("Tabla", "above")]


def test_sequence_names_and_caption_pattern():
    assert sequence_name("Table", "") == "Table"
    assert sequence_name("表", "") == "表"
    assert sequence_name("Bảng", "2") == "Bảng_2"
    assert sequence_name("Data table", "A") == "Data_table_A"
    pattern = caption_pattern(["Table", "表"])
    assert pattern.match("表 3: 结果").group("seq") == "3"
    match = pattern.match("Table A.12: Annex")
    assert (match.group("prefix"), match.group("seq")) == ("A.", "12")
    assert pattern.match("Tables 3 and 4") is None
    assert pattern.match("Table of contents") is None


def test_reference_document_with_its_own_header_and_footer_keeps_them(tmp_path):
    import docx

    from conftest import REPO, write_project

    root = write_project(tmp_path / "p", YAML, CONTENT)
    reference = docx.Document(str(REPO / "plugins/apecdocs_apec/styles/reference.docx"))
    reference.sections[0].header.paragraphs[0].text = "OUR HEADER"
    reference.sections[0].footer.paragraphs[0].text = "OUR FOOTER"
    (root / "styles").mkdir()
    reference.save(str(root / "styles/reference.docx"))
    Project.load(root).build(documents=["pub"], languages=["en"])
    xml = parts(root / "_build/en/pub.docx")
    cover, front, body = sections(xml)

    def shown(sect, kind):
        ref = sect.find(f"{W}{kind}Reference[@{W}type='default']")
        return text(part_for(xml, ref.get(f"{R}id")))

    assert (shown(body, "header"), shown(body, "footer")) == ("OUR HEADER", "OUR FOOTER")
    assert shown(front, "footer") == "OUR FOOTER"
    assert (shown(cover, "header"), shown(cover, "footer")) == ("", "")


def test_a_second_finishing_pass_changes_nothing(built, tmp_path):
    import shutil

    path = tmp_path / "again.docx"
    shutil.copy(built / "_build/en/pub.docx", path)
    before = parts(path)
    finish_docx(path, DocxLayout(sections=True, running_header="The Short Title",
                                 caption_labels=["Figure", "Table"]))
    after = parts(path)
    assert sorted(after) == sorted(before)  # no new header or footer parts
    for name in ("word/document.xml", "word/settings.xml"):
        assert etree.tostring(after[name]) == etree.tostring(before[name])


def test_sections_can_be_turned_off(tmp_path):
    from conftest import write_project

    yaml = YAML.replace("    formats: [docx]\n", "    formats: [docx]\n    sections: false\n"
                        "    running_header: false\n", 1)
    root = write_project(tmp_path / "p", yaml, CONTENT)
    Project.load(root).build(documents=["pub"], languages=["en"])
    xml = parts(root / "_build/en/pub.docx")
    (only,) = sections(xml)
    assert only.find(f"{W}titlePg") is None
    assert only.find(f"{W}pgNumType").get(f"{W}start") is None
    header = part_for(xml, only.find(f"{W}headerReference").get(f"{R}id"))
    assert text(header) == ""
    breaks = xml["word/document.xml"].findall(f".//{W}br[@{W}type='page']")
    assert len(breaks) >= 2  # the cover and imprint still end their pages
