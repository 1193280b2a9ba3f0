"""The example report's DOCX as a word processor lays it out: committed text fixtures.

``tests/fixtures/docx_converted/`` holds the text of the PDF a word processor made from
the example report's DOCX (see the README there): with fields and indexes updated as
the DOCX asks on opening; the same after a reviewer inserted a captioned table before
Table 3; and, as opened without any update, the front matter. The tests read the
committed text only; one test checks the fixtures still match what apecdocs builds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apecdocs import Project
from conftest import copy_example

FIXTURES = Path(__file__).parent / "fixtures" / "docx_converted"
HEADER = "MSMEs and the Digital Divide in APEC"
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
TITLES = {"Contents", "List of Figures", "List of Tables", "Acronyms"}
LEADER = re.compile(r"^\s*(?P<entry>.*?)\s?\.{4,}\s*(?P<page>[0-9ivx]+)\s*$")


def pages(name: str) -> list[list[str]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [[line.strip() for line in page.splitlines() if line.strip()]
            for page in text.split("\f") if page.strip()]


def footer(page: list[str]) -> str:
    """The page number printed at the foot, or '' when the foot is ordinary text."""
    last = page[-1]
    return last if re.fullmatch(r"[0-9]+|[ivx]+", last) else ""


def entries(doc: list[list[str]], title: str) -> list[tuple[str, str]]:
    """(entry, page) of the contents or a list, across its pages; an entry that wraps
    is joined with its continuation line."""
    start = next(i for i, p in enumerate(doc) if p[0] == title)
    out: list[tuple[str, str]] = []
    pending = ""
    for k, page in enumerate(doc[start:]):
        if k and page[0] in TITLES:
            break
        for line in page[1:] if k == 0 else page:
            match = LEADER.match(line)
            if match:
                entry = re.sub(r"[\s.]+$", "", pending + " " + match["entry"]).strip()
                out.append((entry, match["page"]))
                pending = ""
            elif line != footer(page):
                pending = (pending + " " + line).strip()
    return out


@pytest.fixture(scope="module")
def updated():
    return pages("report.fields-updated.txt")


@pytest.fixture(scope="module")
def inserted():
    return pages("report.table-inserted.txt")


def test_cover_unnumbered_front_roman_body_arabic(updated):
    assert updated[0][0].startswith("Promoting the Participation")
    assert footer(updated[0]) == "" and footer(updated[1]) == ""  # cover and imprint
    body = next(i for i, p in enumerate(updated) if "1 Executive Summary" in p)
    front = [footer(p) for p in updated[2:body]]
    assert front == ROMAN[2:body]  # iii, iv, ...: the cover and imprint count as i and ii
    assert [footer(p) for p in updated[body:]] == [str(n) for n in range(1, len(updated) - body + 1)]
    assert all(p[0] == HEADER for p in updated[body:])  # the running header on body pages
    assert all(HEADER not in p for p in updated[:body])


def test_contents_page_numbers_are_where_the_chapters_are(updated):
    contents = dict(entries(updated, "Contents"))
    chapters = {e: n for e, n in contents.items() if re.match(r"\d+ \D|Annex [A-Z]:", e)}
    assert len(chapters) >= 8 and "Annex A: Questionnaire" in chapters  # seven, and the annex
    for heading, number in chapters.items():
        page = next(p for p in updated if footer(p) == number)
        assert heading in " ".join(page), heading  # a long heading wraps
    assert contents["Acronyms"] == "vii"


def test_list_of_tables_has_page_numbers_of_the_captions(updated):
    listed = entries(updated, "List of Tables")
    assert [e.split(":")[0] for e, _ in listed] == [f"Table {n}" for n in range(1, 16)] + [
        "Table A.1"]  # the annex's table, in its own sequence
    for entry, number in listed:
        page = next(p for p in updated if footer(p) == number)
        assert any(line.startswith(entry.split(":")[0] + ":") for line in page), entry
    figures = entries(updated, "List of Figures")
    assert [e.split(":")[0] for e, _ in figures] == [f"Figure {n}" for n in range(1, 5)]


def test_cross_reference_follows_an_inserted_table(updated, inserted):
    def says(doc, words):
        return any(words in line for page in doc for line in page)

    assert says(updated, "Table 3 summarises them together")
    assert says(inserted, "Table 3: A table a reviewer inserted")
    assert says(inserted, "Table 4 summarises them together")  # the REF followed its table
    assert says(inserted, "Table 10 summarises these practices")
    before = [e.split(": ", 1)[1] for e, _ in entries(updated, "List of Tables")]
    after = [e.split(": ", 1)[1] for e, _ in entries(inserted, "List of Tables")]
    assert after == before[:2] + ["A table a reviewer inserted"] + before[2:]


def test_as_opened_contents_list_entries_without_guessed_page_numbers():
    front = pages("report.as-opened.front-matter.txt")
    listed = [line for page in front for line in page if line.startswith("2 Introduction")]
    assert listed and all(not re.search(r"\d+$", line.rstrip(".")) for line in listed)
    assert [footer(p) for p in front[2:5]] == ["iii", "iv", "v"]


def test_fixtures_match_the_example_as_built(tmp_path, updated):
    """Guard against stale fixtures: the captions apecdocs writes today are those the
    converted text lists."""
    import docx

    root = tmp_path / "example"
    copy_example(root)
    Project.load(root).build(documents=["report"], formats=["docx"], languages=["en"])
    document = docx.Document(str(root / "_build/en/report.docx"))
    captions = [p.text for p in document.paragraphs if p.style.name == "Table Caption"]
    listed = [e for e, _ in entries(updated, "List of Tables")]
    assert listed == captions
