"""The CSL rules the citations plugin adds to citeproc-py, each on a small case: group
suppression, page ranges, data printed as written, BibTeX braces, CSL 1.0.2 variables,
names, styles without a bibliography. Rendered through the plugin's engine (what a
build does for each document), read back as the text a reader sees."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from apecdocs_citations import bibliography, engine, pages, styles

from apecdocs.pandoc_ast import stringify

CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0"{attrs}>
  <info><id>test</id><title>Test</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation{citation_attrs}><layout{layout_attrs}>{citation}</layout></citation>
  {bibliography}
</style>"""


def style(tmp_path: Path, citation: str, bibliography_layout: str | None = None, *,
          cls: str = "in-text", attrs: str = "", citation_attrs: str = "",
          layout_attrs: str = ' delimiter="; "', bibliography_attrs: str = "") -> Path:
    """A small CSL style written for one test."""
    bib = (f"<bibliography{bibliography_attrs}><layout>{bibliography_layout}</layout>"
           "</bibliography>" if bibliography_layout is not None else "")
    path = tmp_path / "test.csl"
    path.write_text(CSL.format(cls=cls, attrs=attrs, citation_attrs=citation_attrs,
                               layout_attrs=layout_attrs, citation=citation,
                               bibliography=bib), encoding="utf-8")
    return path


def run(items: list[dict[str, Any]], csl: Path | str,
        groups: list[list[str]] | None = None) -> tuple[list[str], list[str]]:
    """The text of each citation and of each bibliography entry, in order."""
    path = csl if isinstance(csl, Path) else styles.packaged(csl)
    by_key = {item["id"]: item for item in items}
    groups = groups or [[key] for key in by_key]
    result = engine.render(by_key, [[engine.Cite(k) for k in g] for g in groups], path, "en-US")
    return ([stringify(c) for c in result.citations],
            [stringify(([*e.left, {"t": "Space"}] if e.left else []) + e.body)
             for e in result.entries])


def article(key: str = "a", **fields: Any) -> dict[str, Any]:
    item = {"id": key, "type": "article-journal", "title": "A Study",
            "author": [{"family": "Smith", "given": "John"}],
            "issued": {"date-parts": [[2020]]}}
    return {**item, **fields}


# --- groups (CSL 1.0.2: suppressed when variables are called and all are empty) ------

ACCESS = """<text variable="title"/>
<group delimiter=". " prefix=". ">
  <group delimiter=": "><text term="accessed"/><date variable="accessed" form="text"/></group>
  <group prefix="[" suffix="]"><text term="online"/></group>
</group>"""


def test_a_group_whose_called_variables_are_all_empty_is_suppressed(tmp_path: Path) -> None:
    csl = style(tmp_path, '<text variable="title"/>', ACCESS)
    _, entries = run([article("a"), article("b", accessed={"date-parts": [[2021, 5, 3]]})], csl)
    assert entries[0] == "A Study"  # the nested term-only group does not keep it
    assert entries[1] == "A Study. accessed: May 3, 2021. [online]"


def test_choose_branches_taken_count_and_terms_alone_print(tmp_path: Path) -> None:
    layout = """<group delimiter=" ">
      <text term="edition"/>
      <choose><if variable="edition"><number variable="edition"/></if>
      <else><text variable="volume"/></else></choose>
    </group>
    <group prefix="(" suffix=")"><text term="in"/></group>"""
    csl = style(tmp_path, '<text variable="title"/>', layout)
    _, entries = run([article("a"), article("b", edition="2")], csl)
    assert entries == ["(in)", "edition 2(in)"]


def test_ieee_prints_available_without_online_when_there_is_no_access_date() -> None:
    item = article(URL="https://example.org/x", type="article")
    _, entries = run([item], "ieee")
    assert entries[0].endswith("2020. Available: https://example.org/x")
    assert "[Online]" not in entries[0]


def test_a_macro_that_prints_keeps_its_group(tmp_path: Path) -> None:
    layout = """<group delimiter=". " suffix=".">
      <names variable="author"/><text macro="date"/><text variable="title"/></group>"""
    csl = style(tmp_path, '<text variable="title"/>', layout).read_text(encoding="utf-8")
    csl = csl.replace("<citation>", '<macro name="date"><choose><if variable="issued">'
                      '<date variable="issued"><date-part name="year"/></date></if>'
                      '<else><text term="no date" form="short"/></else></choose></macro>'
                      "<citation>")
    (tmp_path / "test.csl").write_text(csl, encoding="utf-8")
    _, entries = run([{"id": "w", "type": "webpage"}], tmp_path / "test.csl")
    assert entries == ["n.d."]


def test_apa_thesis_has_no_empty_parenthesis() -> None:
    thesis = {"id": "t", "type": "thesis", "title": "Uncertainty in deep learning",
              "genre": "PhD thesis", "publisher": "University of Cambridge",
              "author": [{"family": "Gal", "given": "Yarin"}], "issued": {"date-parts": [[2016]]}}
    _, entries = run([thesis], "apa")
    assert "(Publication)" not in entries[0]
    assert entries[0].startswith("Gal, Y. (2016). Uncertainty in deep learning [PhD thesis")


# --- styles without a bibliography ---------------------------------------------------

def test_a_style_without_a_bibliography_renders_citations_only(tmp_path: Path) -> None:
    csl = style(tmp_path, '<text variable="title" font-style="italic"/>')
    citations, entries = run([article()], csl)
    assert citations == ["A Study"]
    assert entries == []


# --- data printed as written ---------------------------------------------------------

def test_ampersands_in_urls_and_titles_are_printed_as_written() -> None:
    url = "https://openreview.net/forum?id=Sk&noteId=Sk&copy=1&region=x"
    item = article(URL=url, title="R&D costs &amp; a <b>bold</b> claim")
    path = styles.packaged("harvard-cite-them-right")
    result = engine.render({"a": item}, [[engine.Cite("a")]], path, "en-US")
    body = result.entries[0].body
    text = stringify(body)
    assert url in text and "¬" not in text and "©" not in text
    assert "R&D costs &amp; a bold claim" in text
    _, apa = run([article(**{"container-title": "Computers & Chemistry"})], "apa")
    assert "Computers & Chemistry" in apa[0]  # not "&Amp;": title case sees no entity
    links = [n for n in _walk(body) if n.get("t") == "Link"]
    assert [n["c"][2][0] for n in links] == [url]


def _walk(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in inlines:
        out.append(node)
        content = node.get("c")
        if isinstance(content, list) and content and isinstance(content[-1], list):
            out += _walk([c for c in content[-1] if isinstance(c, dict)])
        if isinstance(content, list) and content and isinstance(content[0], dict):
            out += _walk(content)
    return out


# --- page ranges (CSL 1.0.2 page-range-format) -----------------------------------------

@pytest.mark.parametrize(("fmt", "first", "last", "expected"), [
    ("chicago-16", "1096", "1108", "108"),
    ("chicago-16", "1496", "1504", "504"),
    ("chicago-15", "1496", "1504", "1504"),
    ("chicago-16", "71", "72", "72"),
    ("chicago-16", "1100", "1123", "1123"),
    ("chicago-16", "107", "108", "8"),
    ("chicago-16", "321", "28", "28"),
    ("chicago-16", "404", "404", "4"),
    ("chicago-16", "3", "3", "3"),
    ("chicago-16", "e6", "e6", "6"),
    ("chicago-16", "D1100", "D1107", "1107"),
    ("minimal", "42", "45", "5"),
    ("minimal-two", "42", "45", "45"),
    ("expanded", "677", "86", "686"),
    ("expanded", "e6", "e6", "e6"),
    ("expanded", "W202", "W208", "W208"),
    (None, "e6", "e6", "e6"),
])
def test_last_page_per_range_format(fmt: str | None, first: str, last: str,
                                    expected: str) -> None:
    assert pages.last_page(fmt, first, last) == expected


def test_chicago_bibliography_pages() -> None:
    items = [article("a", page="1096-1108", **{"container-title": "J"}),
             article("b", page="404-404", **{"container-title": "J"}),
             article("c", page="D1100-D1107", **{"container-title": "J"})]
    _, entries = run(items, "chicago-author-date")
    assert [e.split(", ")[-1] for e in entries] == ["1096–108.", "404–4.", "D1100–1107."]


# --- BibTeX ------------------------------------------------------------------------

BIBTEX = r"""
@techreport{adb, title = {A Brief}, author = {Smith, John}, year = {2020},
  type = {{ADB} Briefs}, institution = {Asian Development Bank}, number = {12}}
@incollection{ch, title = {A Chapter}, author = {Lee, Ann}, booktitle = {The Book},
  editor = {Kim, Bo}, year = {2019}, pages = {12--30}, publisher = {P}}
"""


def test_bibtex_braces_are_not_printed_and_chapter_pages_kept(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIBTEX, encoding="utf-8")
    parsed = bibliography.load((bib,), tmp_path / "cache")
    for name in ("apa", "chicago-author-date", "harvard-cite-them-right", "ieee"):
        _, entries = run([parsed.item("adb"), parsed.item("ch")], name)
        report = next(e for e in entries if "Brief" in e)
        chapter = next(e for e in entries if "hapter" in e)
        assert "ADB Briefs" in report and "{" not in report, name
        assert "12–30" in chapter or name == "chicago-author-date", name  # CMOS 18 omits


def test_csl_1_0_2_variables_are_printed(tmp_path: Path) -> None:
    layout = ('<group delimiter="|"><text variable="event-title"/><text variable="event"/>'
              '<text variable="part-title"/><text variable="reviewed-title"/>'
              '<text variable="volume-title"/><names variable="chair"/></group>')
    csl = style(tmp_path, '<text variable="title"/>', layout)
    item = article(**{"event-title": "Conf", "part-title": "Part", "reviewed-title": "Rev",
                      "volume-title": "Vol", "chair": [{"family": "Chu", "given": "Ada"}]})
    _, entries = run([item], csl)
    assert entries == ["Conf|Conf|Part|Rev|Vol|Ada Chu"]


# --- names -------------------------------------------------------------------------

def test_hyphenated_initials_particles_and_lowercase_given_names() -> None:
    authors = [{"family": "Hashimoto", "given": "S.-i."},
               {"family": "Matthews", "given": "A.G. de G."},
               {"family": "Li", "given": "shuang"}]
    item = article(author=authors)
    _, apa = run([item], "apa")
    _, harvard = run([item], "harvard-cite-them-right")
    assert apa[0].startswith("Hashimoto, S.-i., Matthews, A. G. de G., & Li, shuang. (2020)")
    assert harvard[0].startswith("Hashimoto, S.-i., Matthews, A.G. de G. and Li, shuang (2020)")


# --- disambiguation carried into the bibliography -------------------------------------

def _people(*names: tuple[str, str]) -> list[dict[str, str]]:
    return [{"family": family, "given": given} for family, given in names]


def test_names_added_to_tell_cites_apart_show_in_the_entries_too() -> None:
    items = [
        article("a", title="Doctor AI", author=_people(
            ("Choi", "Edward"), ("Bahadori", "Mohammad T."), ("Schuetz", "Andy"),
            ("Stewart", "Walter"))),
        article("b", title="Multi-layer", author=_people(
            ("Choi", "Edward"), ("Bahadori", "Mohammad T."), ("Searles", "Elizabeth"),
            ("Coffey", "Catherine"))),
        article("c", title="Deep privacy", author=_people(
            ("Abadi", "Martin"), ("Chu", "Andy"), ("Goodfellow", "Ian"), ("McMahan", "Brendan"))),
        article("d", title="TensorFlow", author=_people(
            ("Abadi", "Martín"), ("Agarwal", "Ashish"), ("Barham", "Paul"), ("Brevdo", "Eu"))),
    ]
    citations, entries = run(items, "harvard-cite-them-right")
    assert citations[:3] == ["(Choi, Bahadori, Schuetz, et al., 2020)",
                             "(Choi, Bahadori, Searles, et al., 2020)",
                             "(Martin Abadi et al., 2020)"]
    assert entries == ["Abadi, Martin et al. (2020) “Deep privacy.”",
                       "Abadi, Martín et al. (2020) “TensorFlow.”",
                       "Choi, E., Bahadori, M.T., Schuetz, A., et al. (2020) “Doctor AI.”",
                       "Choi, E., Bahadori, M.T., Searles, E., et al. (2020) “Multi-layer.”"]


def test_a_given_name_joined_by_a_no_break_space_is_not_initialized() -> None:
    item = article(author=_people(("Cheng", "Yifan"), ("Penczek", "Pawel\u00a0A.")))
    _, entries = run([item], "apa")
    assert entries[0].startswith("Cheng, Y., & Penczek, Pawel A. (2020)")


# --- bibliography order --------------------------------------------------------------

def test_bibliography_sorts_name_by_name_and_by_collation() -> None:
    items = [
        article("bengio", author=_people(("Bergstra", "James"), ("Bengio", "Yoshua"))),
        article("bardenet", author=_people(("Bergstra", "James"), ("Bardenet", "Rémi"),
                                           ("Bengio", "Yoshua"), ("Kégl", "Balázs"))),
        article("zollner", author=_people(("Zöllner", "Sebastian"))),
        article("zhu", author=_people(("Zhu", "Wentao"))),
        article("parnamaa", author=_people(("Pärnamaa", "Tanel"))),
        article("pascal", author=_people(("Pascal", "Blaise"))),
        article("sonderby", author=_people(("Sønderby", "Søren"))),
        article("smith", author=_people(("Smith", "John"))),
    ]
    _, entries = run(items, "apa")
    assert [e.split(" (")[0] for e in entries] == [
        "Bergstra, J., Bardenet, R., Bengio, Y., & Kégl, B.", "Bergstra, J., & Bengio, Y.",
        "Pärnamaa, T.", "Pascal, B.", "Smith, J.", "Sønderby, S.", "Zhu, W.", "Zöllner, S."]


def test_et_al_lists_sort_first_and_particles_demoted_for_sorting() -> None:
    items = [
        article("two", author=_people(("Kraus", "Oren Z."), ("Frey", "Brendan J."))),
        article("many", author=_people(("Kraus", "Oren Z."), ("Grys", "Ben T."),
                                       ("Ba", "Jimmy"), ("Chong", "Yolanda"))),
        article("bruijn", author=[{"family": "Bruijn", "given": "Berry",
                                   "non-dropping-particle": "de"}]),
        article("cheng", author=_people(("Cheng", "Yifan"))),
    ]
    _, entries = run(items, "harvard-cite-them-right")
    assert [e.split(" (")[0] for e in entries] == [
        "de Bruijn, B.", "Cheng, Y.", "Kraus, O.Z. et al.", "Kraus, O.Z. and Frey, B.J."]


# --- citeproc-py versions ------------------------------------------------------------

def test_an_untested_citeproc_version_stops_the_import_with_what_to_do() -> None:
    from apecdocs_citations import versions

    versions.check(versions.TESTED[0])
    with pytest.raises(ImportError, match=r"0\.9\.0 is installed.*pip install 'citeproc-py=="):
        versions.check("0.9.0")
    with pytest.raises(ImportError, match="not installed"):
        versions.check(None)


def test_pyproject_pins_the_tested_versions() -> None:
    from apecdocs_citations import versions

    text = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    pins = set(re.findall(r'"citeproc-py==([\d.]+)"', text))
    assert pins and pins <= set(versions.TESTED)


def test_citation_sort_keeps_the_keys_name_options_through_nested_macros() -> None:
    items = [
        article("a", author=_people(("Bergstra", "James"), ("Bengio", "Yoshua")),
                issued={"date-parts": [[2012]]}),
        article("b", author=_people(("Bergstra", "James"), ("Bardenet", "Rémi"),
                                    ("Bengio", "Yoshua")), issued={"date-parts": [[2011]]}),
        article("c", author=_people(("De Sa", "Chris"), ("Xu", "Y"), ("Zhu", "W")),
                issued={"date-parts": [[2015]]}),
        article("d", author=_people(("Dean", "Jeff"), ("Xu", "Y"), ("Zhu", "W")),
                issued={"date-parts": [[2012]]}),
    ]
    citations, _ = run(items, "apa", [["a", "b"], ["d", "c"]])
    assert citations == ["(Bergstra et al., 2011; Bergstra & Bengio, 2012)",
                         "(De Sa et al., 2015; Dean et al., 2012)"]


def test_sort_keys_numbers_descending_and_empty_keys_last(tmp_path: Path) -> None:
    csl = style(tmp_path, '<text variable="title"/>', '<text variable="title"/>',
                bibliography_attrs="").read_text(encoding="utf-8")
    csl = csl.replace("<bibliography><layout>", '<bibliography><sort><key variable="volume" '
                      'sort="descending"/><key variable="title"/></sort><layout>')
    (tmp_path / "test.csl").write_text(csl, encoding="utf-8")
    items = [article("a", title="V9", volume="9"), article("b", title="None"),
             article("c", title="V10", volume="10"), article("d", title="B2", volume="2"),
             article("e", title="A2", volume="2")]
    _, entries = run(items, tmp_path / "test.csl")
    assert entries == ["V10", "V9", "A2", "B2", "None"]
