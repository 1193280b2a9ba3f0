"""Annexes: lettered, their sections A.1, their tables "Table A.1", in every format."""

from __future__ import annotations

import pytest

from apecdocs import Project
from apecdocs.numbering import annex_letter, number_document
from conftest import docx_paragraphs, html_parse, pdf_text, squash

YAML = """\
project:
  number: TEST 01 2024
  title: A Test Project
documents:
  - id: doc
    type: document
    title: Annex Test
    toc: true
    lot: true
    lof: true
    number_sections: true
    sources: [content/*.md]
"""

CONTENT = {
    "content/01.md": """\
        # Introduction {#sec-intro}

        The survey is in @sec-annex-survey; its parts in @sec-annex-parts; its
        numbers in @tbl-annex-numbers and @tbl-annex-b. The main table is @tbl-main.

        | a | b |
        |---|---|
        | 1 | 2 |

        : Main text table {#tbl-main}

        ## Background

        Text.
        """,
    "content/02.md": """\
        # Second chapter

        Text.

        # The survey {#sec-annex-survey .annex}

        Preamble.

        ## Parts of the survey {#sec-annex-parts}

        | q | n |
        |---|---|
        | 1 | 9 |

        : Answers per question {#tbl-annex-numbers}

        ### Detail

        Text.

        # Budget {.annex #sec-annex-budget}

        ## Lines

        | line | USD |
        |------|-----|
        | A    | 10  |

        : Budget lines {#tbl-annex-b}
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("annex") / "proj", YAML, CONTENT)
    Project.load(root).build()
    return root / "_build" / "en"


def test_letters():
    assert [annex_letter(i) for i in (1, 2, 26, 27, 28)] == ["A", "B", "Z", "AA", "AB"]


def test_docx_letters_annexes_their_sections_and_tables(built):
    paragraphs = [squash(p) for p in docx_paragraphs(built / "doc.docx")]
    for expected in ("1 Introduction", "1.1 Background", "2 Second chapter",
                     "Annex A: The survey", "A.1 Parts of the survey", "A.1.1 Detail",
                     "Table A.1: Answers per question", "Annex B: Budget", "B.1 Lines",
                     "Table B.1: Budget lines", "Table 1: Main text table"):
        assert paragraphs.count(expected) == 2, expected  # in the contents and in the text
    text = " ".join(paragraphs)
    assert "The survey is in Annex A; its parts in Section A.1; its numbers in Table A.1 " \
           "and Table B.1. The main table is Table 1." in text
    assert "3 The survey" not in text and "Table 2" not in text


def test_pdf_letters_annexes(built):
    text = squash(pdf_text(built / "doc.pdf"))
    assert "The survey is in Annex A; its parts in Section A.1; its numbers in Table A.1" in text
    for expected in ("Annex A: The survey", "A.1.1 Detail", "Table A.1: Answers per question",
                     "Annex B: Budget", "Table B.1: Budget lines"):
        assert text.count(expected) == 2, expected  # the outline and the text


def test_html_letters_annexes_and_links_them(built):
    parsed = html_parse(built / "doc.html")
    text = squash("".join(parsed.parts))
    assert "The survey is in Annex A; its parts in Section A.1" in text
    assert text.count("Annex B: Budget") == 2 and text.count("Table B.1: Budget lines") == 2
    links = [a.get("href") for tag, a in parsed.tags if tag == "a" and "xref" in (a.get("class") or "")]
    assert "#sec-annex-survey" in links and "#tbl-annex-b" in links


def test_numbers_are_attributes_for_field_writers():
    """Writers that make Word fields read the number from attributes, not the text."""
    table = {"t": "Table", "c": [["tbl-x", [], []], [None, [{"t": "Plain", "c": [
        {"t": "Str", "c": "Lines"}]}]], [], [], [], [], []]}
    heading = {"t": "Header", "c": [1, ["sec-a", ["annex"], []], [{"t": "Str", "c": "Budget"}]]}
    refs = number_document({"blocks": [heading, table]}, sections=False, lang="vi")
    assert refs == {"sec-a": "Phụ lục A", "tbl-x": "Bảng A.1"}
    assert ["number", "A.1"] in table["c"][0][2] and ["number-label", "Table"] in table["c"][0][2]
    assert ["annex", "A"] in table["c"][0][2] and ["number", "A"] in heading["c"][1][2]
    span = table["c"][1][1][0]["c"][0]
    assert span["t"] == "Span" and "caption-number" in span["c"][0][1]


def test_example_report_has_a_lettered_annex():
    """The worked example's questionnaire is Annex A, not a numbered chapter."""
    from apecdocs import assemble
    from conftest import REPO

    project = Project.load(REPO)
    document = project.documents["report"]
    pieces = assemble.render_sources(project, document, "en")
    annex = next(p for p in pieces if "annex" in p.path.name)
    assert "{#sec-annex-questionnaire .annex}" in annex.text


def test_words_around_a_bracketed_reference_are_kept(project_dir):
    root = project_dir(YAML, {"content/01.md": "# Intro {#sec-intro}\n\n"
                              "[Write more. See @sec-intro and the rest, as @tbl-a shows.]\n\n"
                              "| a |\n|---|\n| 1 |\n\n: A table {#tbl-a}\n"})
    Project.load(root).build(formats=["html"])
    text = squash("".join(html_parse(root / "_build/en/doc.html").parts))
    assert "Write more. See Section 1 and the rest, as Table 1 shows." in text
