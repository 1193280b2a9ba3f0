"""A DOCX bibliography's entries as the runs pandoc would write: the same words in the
same formats, links to the same addresses and bookmarks, with pandoc's writer spared
their inlines; an entry the runs cannot say is left to pandoc."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from apecdocs_citations import docx_runs
from lxml import etree

from apecdocs import Project, docx_links, pandoc
from apecdocs.docx_package import DocxPackage
from apecdocs.model import WriteOptions
from conftest import write_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _read(path: Path) -> list[tuple[Any, ...]]:
    """Each paragraph as a reader sees it: style, and its text cut where the run format
    or the link changes (a link by its address or anchor); bookmarks by name."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    out: list[tuple[Any, ...]] = []
    for node in root.iter(f"{W}p", f"{W}bookmarkStart"):
        if node.tag == f"{W}bookmarkStart":
            out.append(("bookmark", node.get(f"{W}name")))
            continue
        style = node.find(f"{W}pPr/{W}pStyle")
        pieces: list[list[Any]] = []
        for run in node.iter(f"{W}r"):
            link = next((a for a in run.iterancestors(f"{W}hyperlink")), None)
            where = None if link is None else (
                targets.get(link.get(f"{R}id")) or "#" + (link.get(f"{W}anchor") or ""))
            rpr = run.find(f"{W}rPr")
            key = (etree.tostring(rpr) if rpr is not None else b"", where)
            text = "".join(t.text or "" for t in run.iter(f"{W}t")) + "\n" * len(
                run.findall(f"{W}br"))
            if pieces and pieces[-1][0] == key:
                pieces[-1][1] += text
            elif text:
                pieces.append([key, text])
        out.append(("p", style.get(f"{W}val") if style is not None else None,
                    [tuple(p) for p in pieces]))
    return out


def _str(text: str) -> dict[str, Any]:
    return {"t": "Str", "c": text}


SPACE = {"t": "Space"}
CASES = [
    [{"t": "Span", "c": [["", ["csl-left-margin"], []], [_str("[12]"), SPACE]]},
     {"t": "Span", "c": [["", ["csl-right-inline"], []], [
         _str("A."), SPACE, _str("Lee,"), SPACE, {"t": "Emph", "c": [_str("Trade &"), SPACE,
                                                                   _str("<Growth>")]},
         _str(","), SPACE, {"t": "Strong", "c": [{"t": "Emph", "c": [_str("both")]}]},
         SPACE, {"t": "Link", "c": [["", [], []], [_str("doi:10.1/x")],
                                    ["https://doi.org/10.1/x?a=1&b=2", "A title"]]},
         _str(".")]]}],
    [_str("Lee,"), SPACE, {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [_str("Title")]]},
     {"t": "SoftBreak"}, {"t": "SmallCaps", "c": [_str("Press")]}, SPACE,
     {"t": "Superscript", "c": [_str("2")]}, {"t": "Subscript", "c": [_str("3")]},
     {"t": "Underline", "c": [_str("u")]}, {"t": "Strikeout", "c": [_str("s")]},
     {"t": "LineBreak"}, {"t": "Quoted", "c": [{"t": "SingleQuote"}, [_str("q")]]},
     {"t": "Link", "c": [["", [], []], [{"t": "Emph", "c": [_str("inner")]}], ["#sec-a", ""]]},
     {"t": "Span", "c": [["", ["nocase"], []], [_str("iPhone")]]},
     {"t": "Link", "c": [["", [], []], [_str("again")], ["https://doi.org/10.1/x?a=1&b=2", ""]]}],
]


@pytest.mark.parametrize("inlines", CASES)
def test_an_entry_as_runs_reads_as_pandoc_writes_it(tmp_path: Path, inlines: list) -> None:
    def document(para: list) -> dict:
        return {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [
            {"t": "Div", "c": [["ref-a", ["csl-entry"], [["custom-style", "Bibliography"]]],
                               [{"t": "Para", "c": para}]]}]}

    by_pandoc, by_runs = tmp_path / "pandoc.docx", tmp_path / "runs.docx"
    pandoc.write(document(inlines), "docx", by_pandoc, WriteOptions())
    raw = {"t": "RawInline", "c": ["openxml", docx_runs.entry_runs(inlines)]}
    pandoc.write(document([raw]), "docx", by_runs, WriteOptions())
    pkg = DocxPackage(by_runs)
    assert docx_links.resolve(pkg) == orjson.dumps(inlines).count(b'"https://')
    pkg.save(by_runs)
    assert _read(by_runs) == _read(by_pandoc)


@pytest.mark.parametrize("inline", [
    _str("日本語の本"), _str("co\u00adoperation"), {"t": "Note", "c": []},
    {"t": "Code", "c": [["", [], []], "x"]}, {"t": "Math", "c": [{"t": "InlineMath"}, "x"]},
    {"t": "Span", "c": [["", ["mark"], []], [_str("m")]]},
    {"t": "Span", "c": [["", [], [["lang", "fr"]]], [_str("m")]]},
    {"t": "Link", "c": [["", [], []], [{"t": "Link", "c": [["", [], []], [_str("x")],
                                                           ["https://a", ""]]}], ["#b", ""]]}])
def test_what_runs_cannot_say_is_left_to_pandoc(inline: dict) -> None:
    with pytest.raises(docx_runs.Unwritable):
        docx_runs.entry_runs([_str("Lee"), SPACE, inline])
    entry = {"t": "Div", "c": [["ref-a", ["csl-entry"], []], [{"t": "Para", "c": [inline]}]]}
    refs = {"t": "Div", "c": [["refs", [], []], [entry]]}
    assert docx_runs.entries_as_runs(refs) == 0 and entry["c"][1][0]["c"] == [inline]


def test_links_share_a_relationship_and_take_a_localized_hyperlink_style(tmp_path: Path) -> None:
    runs = docx_runs.entry_runs([{"t": "Link", "c": [["", [], []], [_str("one")],
                                                     ["https://example.org/a", ""]]}, SPACE,
                                 {"t": "Link", "c": [["", [], []], [_str("two")],
                                                     ["https://example.org/a", ""]]}])
    ast = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [
        {"t": "Para", "c": [{"t": "Link", "c": [["", [], []], [_str("own")],
                                                 ["https://example.org/a", ""]]}]},
        {"t": "Para", "c": [{"t": "RawInline", "c": ["openxml", runs]}]}]}
    out = tmp_path / "out.docx"
    pandoc.write(ast, "docx", out, WriteOptions())
    pkg = DocxPackage(out)
    styles = pkg.xml("word/styles.xml")
    for style in styles.iter(f"{W}style"):  # a template whose Hyperlink style has its own id
        if style.get(f"{W}styleId") == "Hyperlink":
            style.set(f"{W}styleId", "Lienhypertexte")
    assert docx_links.resolve(pkg) == 2
    body = pkg.xml("word/document.xml")
    ids = {link.get(f"{R}id") for link in body.iter(f"{W}hyperlink")}
    assert len(ids) == 1  # pandoc's own link and both of ours: one relationship
    assert {s.get(f"{W}val") for s in body.iter(f"{W}rStyle")} >= {"Lienhypertexte"}
    assert b"urn:apecdocs" not in etree.tostring(body)


BIB = ('[{"id": "lee2020", "type": "article-journal", "title": "Trade & growth",'
       ' "container-title": "Journal of Trade", "volume": "3", "page": "1-9",'
       ' "DOI": "10.1/lee", "author": [{"family": "Lee", "given": "Ana"}],'
       ' "issued": {"date-parts": [[2020]]}},'
       ' {"id": "kim2019", "type": "webpage", "title": "Digital economy",'
       ' "URL": "https://example.org/kim?a=1&b=2", "author": [{"family": "Kim",'
       ' "given": "Bo"}], "issued": {"date-parts": [[2019]]}},'
       ' {"id": "tan", "type": "book", "title": "東アジアの貿易", "publisher": "Tokyo Press",'
       ' "author": [{"family": "Tan"}], "issued": {"date-parts": [[2018]]}}]')


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-note-bibliography"])
def test_a_built_bibliography_reads_as_pandoc_writes_it(tmp_path: Path, monkeypatch,
                                                        style: str) -> None:
    yaml = ("project: {number: TEST 01 2024, title: T}\n"
            f"citations: {{bibliography: data/refs.json, style: {style}}}\n"
            "documents:\n  - {id: doc, type: document, title: D, sources: [content/a.md]}\n")
    root = write_project(tmp_path / "p", yaml, files={
        "content/a.md": "# A\n\nAs shown [@lee2020], and [@kim2019; @tan].\n",
        "data/refs.json": BIB})
    made: list[int] = []
    real = docx_runs.entries_as_runs
    monkeypatch.setattr(docx_runs, "entries_as_runs",
                        lambda refs: made.append(real(refs)) or made[-1])
    Project.load(root).build(formats=["docx"])
    as_runs = _read(root / "_build" / "en" / "doc.docx")
    assert made == [2]  # the Japanese title's entry is left to pandoc
    monkeypatch.setattr(docx_runs, "entries_as_runs", lambda refs: 0)
    Project.load(root).build(formats=["docx"], force=True)
    assert as_runs == _read(root / "_build" / "en" / "doc.docx")
    assert any(piece[0][1] == "https://example.org/kim?a=1&b=2" for p in as_runs
               if p[0] == "p" for piece in p[2])
