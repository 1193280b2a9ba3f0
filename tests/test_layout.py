"""The printed page: no text over text, no stranded caption, no text in the margins.

Every PDF of the worked example, in every language it is built in, is measured glyph
by glyph (``pdf_layout``). The checker itself is tested first on pages made to fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apecdocs import Project
from apecdocs.labels import label
from conftest import REPO, copy_example
from pdf_layout import PT_PER_CM, check

TEMPLATE = REPO / "src/apecdocs/styles/template.typ"


def margins() -> tuple[float, float]:
    """The page margins the PDF template sets, in points."""
    found = re.search(r"margin:\s*\(x:\s*([\d.]+)cm,\s*y:\s*([\d.]+)cm\)", TEMPLATE.read_text("utf-8"))
    assert found, "the template's page margins moved; update this test's reader"
    return float(found[1]) * PT_PER_CM, float(found[2]) * PT_PER_CM


def _faults(pdf: Path, lang: str):
    return check(pdf, margins(), label("Table", lang), label("Figure", lang))


# -- the checker finds what it must --------------------------------------------------


def _typst_pdf(tmp_path: Path, body: str) -> Path:
    import typst

    source = tmp_path / "page.typ"
    source.write_text('#set page(paper: "a4", margin: (x: 2.3cm, y: 2.5cm), numbering: "1")\n'
                      '#set text(font: "DejaVu Sans", size: 10.5pt)\n' + body, encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "page.pdf"))
    return tmp_path / "page.pdf"


def test_checker_finds_words_printed_over_words(tmp_path):
    pdf = _typst_pdf(tmp_path, "#place(dx: 0pt)[Questionnaire]\n#place(dx: 40pt)[Interview]\n"
                               "#v(3em)\nTa Fi w. kerning is not an overlap.\n")
    overlaps = _faults(pdf, "en").of("overlap")
    assert overlaps and all("Questionnaire" in str(f) and "Interview" in str(f) for f in overlaps)


def test_checker_finds_a_table_caption_at_the_foot_of_a_page(tmp_path):
    pdf = _typst_pdf(tmp_path, "#v(1fr)\n#figure(caption: [Table 1: Last line], kind: table,"
                               " supplement: none, numbering: none, v(1fr))\n"
                               "#pagebreak()\n#table(columns: 2)[a][b]\n")
    stranded = _faults(pdf, "en").of("stranded-caption")
    assert [f.page for f in stranded] == [1] and "Table 1: Last line" in stranded[0].text


def test_checker_finds_a_heading_at_the_foot_of_a_page(tmp_path):
    pdf = _typst_pdf(tmp_path, "#v(1fr)\n#text(weight: \"bold\")[6.1 Approach and respondents]\n"
                               "#pagebreak()\nThe section's text.\n")
    stranded = _faults(pdf, "en").of("stranded-heading")
    assert [f.page for f in stranded] == [1] and "6.1 Approach" in stranded[0].text


def test_checker_finds_text_in_the_margin_but_not_the_page_number(tmp_path):
    pdf = _typst_pdf(tmp_path, "Inside.\n#place(dx: 16cm)[Outside]\n")
    outside = _faults(pdf, "en").of("outside")
    assert outside and all("Outside" in f.text for f in outside)


def test_checker_passes_a_clean_page(tmp_path):
    pdf = _typst_pdf(tmp_path, "#set par(justify: true)\n#show figure.where(kind: table): "
                     "set figure.caption(position: top)\n" + "Plain text, justified, in a column. " * 80
                     + "\n#figure(table(columns: 2)[a][b], caption: [Two cells])\n")
    assert _faults(pdf, "en").faults == []


# -- the worked example --------------------------------------------------------------


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory) -> list[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("layout") / "example"
    copy_example(root)
    project = Project.load(root)
    project.build(formats=["pdf"])
    pdfs = [(lang, project.output_dir / lang / f"{doc.id}.pdf")
            for doc in project.documents.values() if "pdf" in doc.formats for lang in doc.languages]
    assert {lang for lang, _ in pdfs} >= {"en", "vi"} and all(p.is_file() for _, p in pdfs)
    return pdfs


@pytest.fixture(scope="module")
def example_faults(example_pdfs):
    return {f"{lang}/{pdf.name}": _faults(pdf, lang) for lang, pdf in example_pdfs}


@pytest.mark.parametrize("kind", ["overlap", "stranded-caption", "stranded-heading", "outside"])
def test_example_pdfs_have_no_layout_faults(example_faults, kind):
    assert len(example_faults) >= 14 and all(r.pages for r in example_faults.values())
    found = [f"{name} {fault}" for name, report in example_faults.items() for fault in report.of(kind)]
    assert not found, f"{len(found)} {kind} faults:\n" + "\n".join(found[:40])


def test_imprint_stands_at_the_foot_of_page_two_and_the_cover_has_no_page_number(example_pdfs):
    import pdfplumber

    bottom = margins()[1]
    reports = [(lang, pdf) for lang, pdf in example_pdfs if pdf.name == "report.pdf"]
    assert {lang for lang, _ in reports} >= {"en", "vi"}
    for lang, pdf in reports:
        with pdfplumber.open(str(pdf)) as document:
            cover, imprint = document.pages[0], document.pages[1]
            chars = [c for c in imprint.chars if c["text"].strip()]
            text = "".join(c["text"] for c in chars)
            assert "ECSG022018" in text and "35HengMuiKengTerrace" in text, lang  # spaces dropped
            # the block ends on the last line of the text area, and starts below the middle
            assert max(c["bottom"] for c in chars) > imprint.height - bottom - 12, lang
            assert min(c["top"] for c in chars) > imprint.height / 2, lang
            # the cover: title in the upper half, forum and date at the foot, no number
            lines = [line for line in cover.extract_text().splitlines() if line.strip()]
            assert not re.fullmatch(r"[0-9ivx]+", lines[-1].strip()), lang
            foot = [c for c in cover.chars if c["top"] > cover.height - bottom - 40]
            assert "2019" in "".join(c["text"] for c in foot), lang


def test_docx_imprint_and_cover_lines_are_anchored_to_the_foot_of_their_page(tmp_path):
    import zipfile

    root = tmp_path / "example"
    copy_example(root)
    project = Project.load(root)
    project.build(formats=["docx"], documents=["report"])
    for lang in ("en", "vi"):
        package = zipfile.ZipFile(project.output_dir / lang / "report.docx")
        styles = package.read("word/styles.xml").decode("utf-8")
        framed = set()
        for ident in re.findall(r'<w:style [^>]*w:styleId="([^"]+)"', styles):
            style = re.search(rf'<w:style [^>]*w:styleId="{ident}".*?</w:style>', styles, re.S)[0]
            parent = re.search(r'<w:basedOn w:val="([^"]+)"', style)
            if ('w:yAlign="bottom"' in style and 'w:vAnchor="margin"' in style) or \
                    (parent and parent[1] in framed):
                framed.add(ident)
        assert {"Imprint", "ImprintGroup", "CoverLine"} <= framed
        xml = package.read("word/document.xml").decode("utf-8")
        paragraphs = re.findall(r"<w:p>.*?</w:p>", xml, re.S)
        styled = [p for p in paragraphs
                  if (m := re.search(r'<w:pStyle w:val="([^"]+)"', p)) and m[1] in framed]
        # the frame is on each paragraph too (not every word processor reads it from the
        # style), and no section break rides on a framed paragraph
        assert styled and all('w:yAlign="bottom"' in p and "<w:sectPr" not in p for p in styled)
        at_foot = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in styled]
        assert any("2019" in t for t in at_foot[:2]), lang  # the cover's forum and date
        assert any("35 Heng Mui Keng Terrace" in t for t in at_foot), lang
        assert any("APEC#" in t for t in at_foot), lang
        assert not any("Introduction" in t or "Giới thiệu" in t for t in at_foot), lang


def test_english_is_hyphenated_and_vietnamese_is_not(example_pdfs):
    """Typst hyphenates by the document's language: English has patterns, Vietnamese
    (whose words are syllables already) is never hyphenated."""
    from pypdf import PdfReader

    source = " ".join(p.read_text("utf-8") for p in (REPO / "content/report").glob("*.md"))
    source += " ".join(p.read_text("utf-8") for p in (REPO / "locales/vi").rglob("*.po"))

    def hyphenated(pdf: Path) -> int:
        """Line ends inside a word: 'documen-' + 'tation' where the source says
        'documentation' (a hyphen the source has, as in 'e-commerce', does not count)."""
        text = "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
        return sum(1 for a, b in re.findall(r"([^\W\d_]+)[-\u00ad]\s*\n\s*([^\W\d_]+)", text)
                   if a + b in source and f"{a}-{b}" not in source)

    reports = {lang: pdf for lang, pdf in example_pdfs if pdf.name == "report.pdf"}
    assert hyphenated(reports["en"]) > 5
    assert hyphenated(reports["vi"]) == 0
