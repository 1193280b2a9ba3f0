"""The citations plugin: citation forms, bibliography files, placement, errors, year
suffixes, and the same bibliography read back from DOCX, PDF and HTML."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from apecdocs_citations import bibliography, engine, rendercache
from apecdocs_citations import document as cite_document
from apecdocs_citations.locators import split_locator

from apecdocs import ApecdocsError, Project
from apecdocs.errors import BuildFailed
from conftest import docx_paragraphs, html_text, pdf_text, squash, write_project

FIXTURES = Path(__file__).parent / "fixtures" / "citations"

PROJECT = """\
project:
  number: TEST 01 2024
  title: A Test Project
{language}
citations:
  bibliography: data/{bib}
  style: {style}
documents:
  - id: doc
    type: document
    title: The Test Document
    sources: [content/*.md]
{extra}"""

FORMS = """\
# Introduction

As @obrien2020 argue, trade matters [@apec2023digital, p. 12].
See also [-@apec2023services] and
[see @apec2023digital; @obrien2020, chap. 2, emphasis added; @oecd2019web].
"""


def make(tmp_path: Path, body: str = FORMS, *, style: str = "apa",
         bib: str = "references.json", language: str = "", extra: str = "",
         files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "proj"
    shutil.rmtree(root, ignore_errors=True)
    yaml_text = PROJECT.format(bib=bib, style=style, extra=extra,
                               language=f"  language: {language}" if language else "")
    write_project(root, yaml_text, {"content/01.md": body, **(files or {})})
    (root / "data").mkdir(exist_ok=True)
    if (FIXTURES / bib).is_file():
        shutil.copy(FIXTURES / bib, root / "data" / bib)
    return root


def build_text(root: Path, lang: str = "en") -> str:
    Project.load(root).build(formats=["html"])
    return squash(html_text(root / "_build" / lang / "doc.html"))


def failure(root: Path) -> str:
    with pytest.raises(BuildFailed) as caught:
        Project.load(root).build(formats=["html"])
    return caught.value.errors[0][1]


class Entries(HTMLParser):
    """Text of each ``div.csl-entry`` and the classes of the bibliography div."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[str] = []
        self.body_classes: list[str] = []
        self.links: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "csl-bib-body" in classes:
            self.body_classes = classes
        if self.depth:
            self.depth += tag == "div"
            if tag == "a":
                self.links.append(dict(attrs).get("href", ""))
        elif tag == "div" and "csl-entry" in classes:
            self.depth = 1
            self.entries.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.entries[-1] += data


def html_entries(path: Path) -> Entries:
    parser = Entries()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.entries = [squash(e) for e in parser.entries]
    return parser


# -- citation forms -------------------------------------------------------------------


def test_collapsed_cites_after_a_locator_keep_the_layout_delimiter(tmp_path: Path) -> None:
    body = "# A\n\n[@apec2023digital, p. 12; @apec2023services; @obrien2020]\n"
    assert "(APEC Secretariat, 2023a, p. 12; 2023b; O’Brien & Rahman, 2020)" in build_text(
        make(tmp_path, body))


def test_each_citation_form(tmp_path: Path) -> None:
    text = build_text(make(tmp_path))
    assert "As O’Brien & Rahman (2020) argue" in text  # @key: author in text
    assert "trade matters (APEC Secretariat, 2023a, p. 12)." in text  # locator
    assert "See also (2023b) and" in text  # [-@key]: author suppressed
    assert ("(see APEC Secretariat, 2023a; O’Brien & Rahman, 2020, Chapter 2, emphasis added; "
            "OECD, 2019)") in text  # prefix, suffix after a locator, several keys


def test_numeric_style_and_names_in_text(tmp_path: Path) -> None:
    text = build_text(make(tmp_path, "# A\n\n@obrien2020 and [@apec2023digital, pp. 3-5].\n",
                           style="ieee"))
    assert "[1] and [2, pp. 3–5]." in text
    assert "[1] R. O’Brien and S. Rahman, Small firms" in text


@pytest.mark.parametrize(("suffix", "expected"), [
    (", p.\u00a012", ("page", "12", "")),
    (", pp. 33-35, 38", ("page", "33-35, 38", "")),
    (", p. 12, emphasis added", ("page", "12", ", emphasis added")),
    (", 33", ("page", "33", "")),
    (", chap. 3", ("chapter", "3", "")),
    (", § 4", ("section", "4", "")),
    (", {Annex A}", ("page", "Annex A", "")),
    (", para. 7.", ("paragraph", "7", ".")),
    (" and elsewhere", None),
    (", art. 9", None),  # not a CSL 1.0.1 locator: the author's own words, as in pandoc
])
def test_locators_read_from_the_suffix(suffix: str, expected: tuple | None) -> None:
    assert split_locator(suffix, "en-US") == expected


def test_crossrefs_are_left_to_the_core(tmp_path: Path) -> None:
    body = "# Intro {#sec-intro}\n\nSee @sec-intro, @fig:map and [@obrien2020].\n"
    with pytest.raises(ApecdocsError) as failed:  # the core's finding, as check gives it
        build_text(make(tmp_path, body))
    assert "cross-reference '@sec-intro' has no numbered target" in str(failed.value)
    assert "citation" not in str(failed.value)
    text = build_text(make(tmp_path, body.replace("@sec-intro, ", "")))
    assert "(O’Brien & Rahman, 2020)" in text
    assert "@fig:map" in text  # printed as written, not an unknown citation key


# -- bibliography files ---------------------------------------------------------------


@pytest.mark.parametrize("bib", ["references.json", "references.bib", "references.yaml"])
def test_each_bibliography_format(tmp_path: Path, bib: str) -> None:
    body = "# A\n\n[@apec2023digital; @apec2023services; @obrien2020]\n"
    text = build_text(make(tmp_path, body, bib=bib))
    assert "(APEC Secretariat, 2023a, 2023b; O’Brien & Rahman, 2020)" in text
    assert ("APEC Secretariat. (2023a). Digital trade and small firms. Asia-Pacific Economic "
            "Cooperation. https://www.apec.org/publications/digital-trade") in text
    assert "O’Brien, R., & Rahman, S. (2020). Small firms in the region’s markets." in text


def test_bibtex_keeps_institution_url_and_misc(tmp_path: Path, monkeypatch) -> None:
    """Read by pandoc's BibTeX reader: institution, url and @misc survive; the conversion
    is kept by content hash in the project's cache."""
    monkeypatch.setattr(bibliography, "_parsed", {})  # as in a new process
    text = build_text(make(tmp_path, "# A\n\n[@oecd2019web; @apec2023services]\n",
                           bib="references.bib", style="chicago-author-date"))
    assert "OECD. 2019. “Going Digital Toolkit.” https://goingdigital.oecd.org/." in text
    assert "APEC Secretariat. 2023. Services Trade in APEC. Asia-Pacific Economic " \
        "Cooperation." in text
    assert list((tmp_path / "proj" / ".apecdocs" / "citations" / "converted").iterdir())


def test_document_meta_overrides_bibliography_and_style(tmp_path: Path) -> None:
    extra = "    meta: {bibliography: data/other.json, csl: ieee}\n"
    other = '[{"id": "solo", "type": "book", "title": "Alone", "issued": {"date-parts": [[2001]]}}]'
    root = make(tmp_path, "# A\n\nSee [@solo].\n", extra=extra, files={"data/other.json": other})
    text = build_text(root)
    assert "See [1]." in text and "[1] Alone. 2001." in text


# -- placement ------------------------------------------------------------------------


def test_bibliography_goes_in_the_refs_div(tmp_path: Path) -> None:
    body = ("# Intro\n\nText [@obrien2020].\n\n# Sources {.unnumbered}\n\n::: {#refs}\n:::\n\n"
            "# Annex\n\nAnnex text.\n")
    text = build_text(make(tmp_path, body))
    assert re.search(r"Sources O’Brien, R\., & Rahman, S\. \(2020\)\. Small firms.* "
                     r"Annex Annex text", text)
    assert "References" not in text


def test_bibliography_at_the_end_under_a_localized_heading(tmp_path: Path) -> None:
    text = build_text(make(tmp_path, "# Intro\n\nText [@obrien2020].\n"))
    assert text.endswith("References O’Brien, R., & Rahman, S. (2020). Small firms in the "
                         "region’s markets. Regional Press.")
    vi = build_text(make(tmp_path, "# Mở đầu\n\nVăn bản [@obrien2020].\n",
                         style="chicago-author-date", language="vi"), lang="vi")
    assert "(O’Brien và Rahman 2020)" in vi  # the CSL locale follows the document language
    assert "Tài liệu tham khảo O’Brien, Rizal, và Siti Rahman. 2020." in vi


# -- errors ---------------------------------------------------------------------------


def test_unknown_key_names_file_line_and_nearest_key(tmp_path: Path) -> None:
    root = make(tmp_path, "# A\n\nFirst line.\nThen [@apec2023digitl] here.\n")
    message = failure(root)
    assert "01.md (line 4): unknown citation key '@apec2023digitl'" in message
    assert "Did you mean '@apec2023digital'?" in message
    finding = next(f for f in Project.load(root).check() if "unknown citation key" in f.message)
    assert Path(finding.location.file).name == "01.md" and finding.location.line == 4


def test_key_lines_are_not_fooled_by_longer_keys(tmp_path: Path) -> None:
    source = tmp_path / "x.md"
    source.write_text("[@apec2023digital]\n[@apec2023]\n", encoding="utf-8")
    assert cite_document.find_key_line(source, "apec2023") == 2


def test_duplicate_key_is_reported_with_both_places(tmp_path: Path) -> None:
    duplicated = (FIXTURES / "references.json").read_text(encoding="utf-8").replace(
        '"id": "apec2023services"', '"id": "apec2023digital"')
    root = make(tmp_path, "# A\n\n[@obrien2020]\n", bib="dup.json",
                files={"data/dup.json": duplicated})
    message = failure(root)
    assert "dup.json (line 5): citation key 'apec2023digital' is defined twice" in message
    assert "first in dup.json line 2" in message
    assert any("defined twice" in f.message for f in Project.load(root).check())


@pytest.mark.parametrize(("style", "expected"), [
    ("apaa", r"apecdocs\.yaml \(line 7\): unknown citation style 'apaa'\. Did you mean 'apa'"),
    ("styles/broken.csl", r"broken\.csl \(line 5\): the CSL style is not valid XML"),
    ("styles/not-a-style.csl", r"not-a-style\.csl \(line 2\): not a CSL style"),
])
def test_bad_style_says_which_file_and_why(tmp_path: Path, style: str, expected: str) -> None:
    files = {f"styles/{name}": (FIXTURES / name).read_text(encoding="utf-8")
             for name in ("broken.csl", "not-a-style.csl")}
    root = make(tmp_path, "# A\n\n[@obrien2020]\n", style=style, files=files)
    assert re.search(expected, failure(root))
    assert any(re.search(expected, str(f)) for f in Project.load(root).check())


def test_renamed_style_names_still_work(tmp_path: Path) -> None:
    text = build_text(make(tmp_path, "# A\n\n[@obrien2020]\n", style="harvard1"))
    assert "(O’Brien and Rahman, 2020)" in text


# -- what citeproc-py gets wrong, put right --------------------------------------------


def test_year_suffixes_in_text_and_bibliography(tmp_path: Path) -> None:
    body = "# A\n\nLater [@apec2023services]. Earlier [@apec2023digital].\n"
    text = build_text(make(tmp_path, body, style="chicago-author-date"))
    # letters follow the bibliography (March before July), not the order of citing
    assert "Later (APEC Secretariat 2023b). Earlier (APEC Secretariat 2023a)." in text
    assert re.search(r"APEC Secretariat\. 2023a\. Digital Trade.*APEC Secretariat\. 2023b\. "
                     r"Services Trade", text)


def test_chicago_names_quotes_organisations_and_web_pages(tmp_path: Path) -> None:
    body = "# A\n\n[@obrien2020; @oecd2019web]\n"
    text = build_text(make(tmp_path, body, style="chicago-author-date"))
    assert "O’Brien, Rizal, and Siti Rahman. 2020." in text  # initialize="false", curly ’
    assert "OECD. 2019. “Going Digital Toolkit.” OECD Website, May 2." in text  # ." inside
    ieee = build_text(make(tmp_path, body, style="ieee"))
    assert ("[2] OECD, “Going digital toolkit,” OECD website. Accessed: Jan. 15, 2024. [Online]. "
            "Available: https://goingdigital.oecd.org/") in ieee  # the web page's accessed date


def test_unchanged_citations_are_not_rendered_again(tmp_path: Path, monkeypatch) -> None:
    calls = []
    render = engine.render
    monkeypatch.setattr(engine, "render",
                        lambda *a, **k: calls.append(1) or render(*a, **k))
    rendercache._memory.clear()
    root = make(tmp_path, "# A\n\nOne [@obrien2020].\n")
    build_text(root)
    (root / "content" / "01.md").write_text("# A\n\nOther words [@obrien2020].\n")
    assert "Other words (O’Brien & Rahman, 2020)" in build_text(root)
    rendercache._memory.clear()  # a new process: the rendered citations come from disk
    (root / "_build/en/doc.html").unlink()
    Project.load(root).build(formats=["html"])
    assert len(calls) == 1
    rendercache._memory.clear()
    Project.load(root).build(formats=["html"], force=True)  # --force reads no cache
    assert len(calls) == 2
    bib = root / "data" / "references.json"
    bib.write_text(bib.read_text().replace("Regional Press", "Island Press"))
    report = Project.load(root).build(formats=["html"])
    assert [o.status for o in report.outputs] == ["built"]  # the bibliography is an input
    assert len(calls) == 3 and "Island Press" in html_text(root / "_build/en/doc.html")


# -- every format ---------------------------------------------------------------------


def test_same_bibliography_in_docx_pdf_and_html(tmp_path: Path) -> None:
    import docx

    root = make(tmp_path, "# A\n\n[@apec2023digital; @obrien2020; @oecd2019web]\n")
    Project.load(root).build(formats=["docx", "pdf", "html"])
    out = root / "_build" / "en"
    html = html_entries(out / "doc.html")
    assert len(html.entries) == 3
    assert html.entries[1] == ("O’Brien, R., & Rahman, S. (2020). Small firms in the region’s "
                               "markets. Regional Press.")
    assert html.body_classes == ["references", "csl-bib-body", "hanging-indent"]
    assert "https://www.apec.org/publications/digital-trade" in html.links

    paragraphs = [squash(p) for p in docx_paragraphs(out / "doc.docx")]
    pdf = re.sub(r"\s+", "", pdf_text(out / "doc.pdf"))
    for entry in html.entries:
        assert entry in paragraphs
        assert re.sub(r"\s+", "", entry) in pdf

    word = docx.Document(str(out / "doc.docx"))
    entries = [p for p in word.paragraphs if p.style.name == "Bibliography"]
    assert [squash(p.text) for p in entries] == html.entries
    title = next(r for r in entries[1].runs if "Small firms" in r.text)
    assert title.italic
    assert word.styles["Bibliography"].paragraph_format.first_line_indent < 0  # hanging
    assert "w:hyperlink" in entries[0]._p.xml


def test_a_csl_json_file_is_read_with_or_without_a_byte_order_mark(tmp_path: Path) -> None:
    item = b'[{"id": "k\\u00e9y", "type": "book", "title": "\xc3\x89tudes"}]'
    for name, data in (("plain.json", item), ("bom.json", b"\xef\xbb\xbf" + item)):
        (tmp_path / name).write_bytes(data)
        loaded = bibliography.load((tmp_path / name,), tmp_path / "cache")
        assert loaded.item("k\u00e9y")["title"] == "\u00c9tudes", name
    (tmp_path / "latin1.json").write_bytes(b'[{"id": "a", "title": "\xc9tudes"}]')
    with pytest.raises(ApecdocsError, match="not UTF-8"):
        bibliography.load((tmp_path / "latin1.json",), tmp_path / "cache")
    (tmp_path / "broken.json").write_bytes(b'[{"id": "a",\n "title": }]')
    with pytest.raises(ApecdocsError, match="invalid JSON") as raised:
        bibliography.load((tmp_path / "broken.json",), tmp_path / "cache")
    assert raised.value.location.line == 2
