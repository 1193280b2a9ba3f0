"""Note styles: citations become footnotes in DOCX, PDF and HTML, with the style's first,
subsequent and ibid forms; a citation the author put in a footnote stays there."""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from apecdocs_citations import engine, styles

from apecdocs import Project
from apecdocs.pandoc_ast import stringify
from conftest import pdf_text, squash, write_project

ITEMS = [
    {"id": "wb", "type": "book", "title": "Global Economic Prospects",
     "author": [{"literal": "World Bank"}], "issued": {"date-parts": [[2020]]},
     "publisher": "World Bank", "publisher-place": "Washington, DC"},
    {"id": "lee", "type": "article-journal", "title": "Trade and Growth",
     "author": [{"family": "Lee", "given": "Ann"}], "container-title": "Journal of Trade",
     "volume": "3", "page": "10-20", "issued": {"date-parts": [[2019]]}},
]

BODY = """# Costs

Costs are large [@wb, 12]. Again [@wb, 12]. Then [@wb, 14]. Other [@lee]. Back [@wb].
As @lee says, trade matters. A note of ours.^[See [@lee, 11].] End [@lee; @wb, 3].
Last.^[As @wb shows.]
"""

PROJECT = """\
project: {{number: TEST 01 2024, title: Notes}}
citations: {{bibliography: data/references.json, style: {style}}}
documents:
  - id: doc
    type: document
    title: Doc
    sources: [content/*.md]
"""

# What pandoc --citeproc writes for BODY (its footnotes, in order), for each style.
CHICAGO = [
    "World Bank, Global Economic Prospects, 12.",
    "World Bank, Global Economic Prospects, 12.",
    "World Bank, Global Economic Prospects, 14.",
    "Lee, “Trade and Growth.”",
    "World Bank, Global Economic Prospects.",
    "“Trade and Growth.”",
    "See (Lee, “Trade and Growth,” 11).",
    "Lee, “Trade and Growth”; World Bank, Global Economic Prospects, 3.",
    "As World Bank, Global Economic Prospects shows.",
]
MHRA = [
    "World Bank, Global Economic Prospects (World Bank, 2020), p. 12.",
    "Ibid.",
    "Ibid., p. 14.",
    "Ann Lee, ‘Trade and Growth’, Journal of Trade, 3 (2019), pp. 10–20.",
    "World Bank, Global Economic Prospects.",
    "‘Trade and Growth’.",
    "See (ibid., p. 11).",
    "Lee, ‘Trade and Growth’; World Bank, Global Economic Prospects, p. 3.",
    "As World Bank, Global Economic Prospects shows.",
]


def make(tmp_path: Path, style: str, body: str = BODY) -> Path:
    root = tmp_path / "proj"
    write_project(root, PROJECT.format(style=style), {"content/01.md": body})
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "references.json").write_text(json.dumps(ITEMS), encoding="utf-8")
    return root


class Footnotes(HTMLParser):
    """The text of the body and of each footnote of pandoc's HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []
        self.body = ""
        self.in_notes = False
        self.in_note = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "section" and "footnotes" in (values.get("class") or ""):
            self.in_notes = True
        if self.in_notes and tag == "li":
            self.in_note = True
            self.notes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.in_note = False

    def handle_data(self, data: str) -> None:
        if self.in_note:
            self.notes[-1] += data
        elif not self.in_notes:
            self.body += data


def html_notes(path: Path) -> Footnotes:
    parser = Footnotes()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.notes = [squash(n.replace("↩︎", "")) for n in parser.notes]
    return parser


@pytest.mark.parametrize(("style", "expected"), [("chicago-note-bibliography", CHICAGO),
                                                 ("mhra-notes-subsequent-ibid", MHRA)])
def test_citations_become_footnotes_with_first_subsequent_and_ibid_forms(
        tmp_path: Path, style: str, expected: list[str]) -> None:
    root = make(tmp_path, style)
    Project.load(root).build(formats=["html"])
    found = html_notes(root / "_build" / "en" / "doc.html")
    assert found.notes == expected
    body = squash(found.body)
    assert "Costs are large.1 Again.2 Then.3 Other.4 Back.5 As Lee6 says" in body
    assert "A note of ours.7 End.8" in body
    assert ".." not in body and "[@" not in body


def test_footnotes_in_docx_and_pdf(tmp_path: Path) -> None:
    root = make(tmp_path, "chicago-note-bibliography")
    Project.load(root).build(formats=["docx", "pdf"])
    out = root / "_build" / "en"
    with zipfile.ZipFile(out / "doc.docx") as docx:
        notes_xml = docx.read("word/footnotes.xml").decode("utf-8")
        body_xml = docx.read("word/document.xml").decode("utf-8")
    notes = [squash("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", n))) for n in
             re.findall(r'<w:footnote w:id="\d+">(.*?)</w:footnote>', notes_xml, re.S)]
    assert [n for n in notes if n] == CHICAGO
    assert body_xml.count("<w:footnoteReference") == 9
    pdf = re.sub(r"\s+", " ", pdf_text(out / "doc.pdf"))
    for note in CHICAGO:
        assert note.replace("“", "").replace("”", "")[:20] in pdf.replace("“", "").replace("”", "")


def test_edition_is_not_printed_without_one(tmp_path: Path) -> None:
    path = styles.packaged("chicago-note-bibliography")
    item = {"id": "a", "type": "book", "title": "Big Data", "author": [{"family": "Stephens",
            "given": "Zachary"}], "issued": {"date-parts": [[2015]]}}
    result = engine.render({"a": item}, [[engine.Cite("a", note=1)]], path, "en-US")
    note = result.citations[0][0]
    assert note["t"] == "Note"
    assert stringify(note["c"]) == "Stephens, Big Data."


def test_a_repeated_locator_is_ibid_and_a_new_one_ibid_with_locator() -> None:
    path = styles.packaged("mhra-notes-subsequent-ibid")
    groups = [[engine.Cite("wb", locator=("page", "12"), note=1)],
              [engine.Cite("wb", locator=("page", "12"), note=2)],
              [engine.Cite("wb", locator=("page", "14"), note=3)],
              [engine.Cite("wb", note=4)]]
    result = engine.render({i["id"]: i for i in ITEMS[:1]}, groups, path, "en-GB")
    assert [stringify(c[0]["c"]) for c in result.citations] == [
        "World Bank, Global Economic Prospects (World Bank, 2020), p. 12.", "Ibid.",
        "Ibid., p. 14.", "World Bank, Global Economic Prospects."]


def test_a_note_capitalizes_an_initial_term_but_not_a_name() -> None:
    path = styles.packaged("mhra-notes-subsequent-ibid")
    item = {"id": "wu", "type": "book", "title": "Embeddings", "publisher": "P",
            "author": [{"family": "wu", "given": "yonghui"}], "issued": {"date-parts": [[2015]]}}
    bruijn = {"id": "db", "type": "book", "title": "Extraction", "publisher": "P",
              "author": [{"family": "de Bruijn", "given": "Berry"}],
              "issued": {"date-parts": [[2011]]}}
    groups = [[engine.Cite("wu", note=1)], [engine.Cite("wu", note=2)],
              [engine.Cite("db", note=3)]]
    result = engine.render({"wu": item, "db": bruijn}, groups, path, "en-GB")
    assert [stringify(c[0]["c"]) for c in result.citations] == [
        "yonghui wu, Embeddings (P, 2015).", "Ibid.", "Berry de Bruijn, Extraction (P, 2011)."]
    short = styles.packaged("chicago-note-bibliography")
    result = engine.render({"wu": item, "db": bruijn}, groups, short, "en-US")
    assert [stringify(c[0]["c"]) for c in result.citations] == [
        "wu, Embeddings.", "wu, Embeddings.", "De Bruijn, Extraction."]


def test_disambiguate_condition_only_for_cites_that_print_alike() -> None:
    path = styles.packaged("chicago-note-bibliography")
    authors = [{"family": "Leibig", "given": "C"}, {"family": "Allken", "given": "V"},
               {"family": "Ayhan", "given": "M"}]
    title = "Leveraging Uncertainty Information"
    items = {
        "pre": {"id": "pre", "type": "article-journal", "title": title, "author": authors,
                "container-title": "bioRxiv", "issued": {"date-parts": [[2017, 10, 18]]}},
        "pub": {"id": "pub", "type": "article-journal", "title": title, "author": authors,
                "container-title": "Scientific Reports", "issued": {"date-parts": [[2017, 12]]}},
        "lee": ITEMS[1],
    }
    groups = [[engine.Cite(k, note=n)] for n, k in enumerate(["pre", "pub", "lee"], 1)]
    result = engine.render(items, groups, path, "en-US")
    texts = [stringify(c[0]["c"]) for c in result.citations]
    assert texts[0] != texts[1] and "2017" in texts[0] and "2017" in texts[1]
    assert texts[2] == "Lee, “Trade and Growth.”"


def test_near_note_counts_notes_not_citations() -> None:
    from apecdocs_citations.positions import position
    from citeproc import Citation, CitationItem

    def cite(key: str, note: int) -> CitationItem:
        item = CitationItem(key)
        citation = Citation([item])
        citation.note_number = note
        return item

    earlier = [cite("a", 1), cite("b", 2)]
    assert position(cite("a", 6), earlier, 5) == {"subsequent", "near-note"}
    assert position(cite("a", 7), earlier, 5) == {"subsequent"}
    assert position(cite("b", 3), earlier, 5) == {"subsequent", "near-note", "ibid"}
    assert position(cite("c", 3), earlier, 5) == {"first"}
