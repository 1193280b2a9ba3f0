"""Rendered citations reused between builds and within a process: a warm build prints
what a cold one prints, and editing the bibliography or the style renders again.

What the engine remembers (the render cache on disk and in memory, the answers kept on
a loaded style, the index of earlier cites that positions are read from) must never
change the output: each test compares a reused result with one made from nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from apecdocs_citations import engine, rendercache, styles

from apecdocs import Project
from apecdocs.pandoc_ast import stringify
from conftest import write_project

FIXTURES = Path(__file__).parent / "fixtures" / "citations"

ITEMS = [
    {"id": "wb", "type": "book", "title": "Global Economic Prospects",
     "author": [{"literal": "World Bank"}], "issued": {"date-parts": [[2020]]},
     "publisher": "World Bank", "publisher-place": "Washington, DC"},
    {"id": "lee", "type": "article-journal", "title": "Trade and Growth",
     "author": [{"family": "Lee", "given": "Ann"}, {"family": "Kim", "given": "Bo"},
                {"family": "Park", "given": "Chan"}, {"family": "Cho", "given": "Dae"}],
     "container-title": "Journal of Trade", "volume": "3", "page": "10-20",
     "issued": {"date-parts": [[2019]]}},
    {"id": "lee2", "type": "article-journal", "title": "Trade and Prices",
     "author": [{"family": "Lee", "given": "Ann"}, {"family": "Kim", "given": "Bo"}],
     "container-title": "Journal of Trade", "issued": {"date-parts": [[2019]]}},
]

BODY = """# Costs

Costs are large [@wb, 12]. Again [@wb, 12]. Then [@wb, 14]. Other [@lee]. Back [@wb].
As @lee2 says, trade matters. A note of ours.^[See [@lee, 11].] End [@lee; @wb, 3].
"""

PROJECT = """\
project: {{number: TEST 01 2024, title: Cache}}
citations: {{bibliography: data/{bib}, style: {style}}}
documents:
  - id: doc
    type: document
    title: Doc
    sources: [content/*.md]
"""

OWN_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>own</id><title>Own</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")" delimiter="; ">
    <names variable="author"><name form="short"/></names>
    <date variable="issued" prefix="{between}"><date-part name="year"/></date>
  </layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>"""


def make(tmp_path: Path, style: str, *, bib: str = "references.json") -> Path:
    root = tmp_path / "proj"
    write_project(root, PROJECT.format(style=style, bib=bib), {"content/01.md": BODY})
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "references.json").write_text(json.dumps(ITEMS), encoding="utf-8")
    return root


def output(root: Path) -> str:
    return (root / "_build" / "en" / "doc.html").read_text(encoding="utf-8")


def cold(root: Path) -> str:
    """A build with no cache: what was kept on disk and in memory is gone."""
    shutil.rmtree(root / ".apecdocs", ignore_errors=True)
    rendercache._memory.clear()
    Project.load(root).build(formats=["html"], force=True)
    return output(root)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    render = engine.render
    monkeypatch.setattr(engine, "render",
                        lambda *a, **k: calls.append(1) or render(*a, **k))
    return calls


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-note-bibliography"])
def test_a_warm_build_prints_what_a_cold_build_prints(tmp_path: Path, style: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, style)
    first = cold(root)
    calls = counting(monkeypatch)
    (root / "_build" / "en" / "doc.html").unlink()
    rendercache._memory.clear()  # as a new process: the citations come from disk
    Project.load(root).build(formats=["html"])
    assert calls == []  # nothing rendered: the kept result was used
    assert output(root) == first
    assert "Global Economic Prospects" in first


def test_a_forced_build_renders_again_even_what_this_process_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, "apa")
    first = cold(root)
    calls = counting(monkeypatch)
    Project.load(root).build(formats=["html"])  # unchanged: nothing rendered
    assert calls == []
    Project.load(root).build(formats=["html"], force=True)  # --force trusts nothing kept
    assert calls == [1] and output(root) == first


def test_editing_the_style_renders_again_as_a_cold_build_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, "styles/own.csl")
    (root / "styles").mkdir(exist_ok=True)
    csl = root / "styles" / "own.csl"
    csl.write_text(OWN_STYLE.format(between=" "), encoding="utf-8")
    Project.load(root).build(formats=["html"])
    assert "(World Bank 2020)" in output(root)
    calls = counting(monkeypatch)
    csl.write_text(OWN_STYLE.format(between=", "), encoding="utf-8")
    Project.load(root).build(formats=["html"])
    assert calls == [1]
    warm = output(root)
    assert "(World Bank, 2020)" in warm and "(World Bank 2020)" not in warm
    assert cold(root) == warm


def test_editing_a_bibtex_file_renders_again_as_a_cold_build_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "proj"
    write_project(root, PROJECT.format(style="apa", bib="references.bib"),
                  {"content/01.md": "# A\n\nAs [@obrien2020] argue.\n"})
    (root / "data").mkdir(exist_ok=True)
    bib = root / "data" / "references.bib"
    shutil.copy(FIXTURES / "references.bib", bib)
    Project.load(root).build(formats=["html"])
    before = output(root)
    assert "Regional Press" in before
    calls = counting(monkeypatch)
    bib.write_text(bib.read_text(encoding="utf-8").replace("Regional Press", "Island Press"),
                   encoding="utf-8")
    Project.load(root).build(formats=["html"])
    assert calls == [1]
    warm = output(root)
    assert "Island Press" in warm and "Regional Press" not in warm
    assert cold(root) == warm


def _texts(result: engine.Result) -> tuple[list[str], list[str]]:
    """Each citation's text (a note style's: its footnote's) and each entry's."""
    return ([stringify([n["c"] if n["t"] == "Note" else n for n in c])
             for c in result.citations],
            [stringify(e.body) for e in result.entries])


def _render(style: str | Path, groups: list[list[engine.Cite]]) -> tuple[list[str], list[str]]:
    path = style if isinstance(style, Path) else styles.packaged(style)
    items = {item["id"]: item for item in ITEMS}
    return _texts(engine.render(items, groups, path, "en-US"))


@pytest.mark.parametrize("style", ["mhra-notes-subsequent-ibid", "chicago-note-bibliography",
                                   "apa", "ieee"])
def test_rendering_again_in_one_process_gives_the_same_result(style: str) -> None:
    """The answers kept while rendering (on the style, per cite position) do not carry
    over into the next render, nor into another document's."""

    def groups() -> list[list[engine.Cite]]:
        made = [[engine.Cite("wb", locator=("page", "12"))], [engine.Cite("wb", locator=(
            "page", "12"))], [engine.Cite("wb", locator=("page", "14"))], [engine.Cite("lee")],
            [engine.Cite("lee2"), engine.Cite("wb")]]
        for n, group in enumerate(made, 1):
            for cite in group:
                cite.note = n
        return made

    first = _render(style, groups())
    _render(style, [[engine.Cite("lee2")], [engine.Cite("lee")]])  # another document
    assert _render(style, groups()) == first
    if style == "mhra-notes-subsequent-ibid":
        assert first[0][1:3] == ["Ibid.", "Ibid., p. 14."]  # positions found again


def test_a_macro_shared_by_citation_and_bibliography_keeps_each_ones_name_options(
        tmp_path: Path) -> None:
    """cs:name options are remembered per element and per context: the same macro's
    names are cut to "et al." in a cite and written out in the entry."""
    csl = tmp_path / "shared.csl"
    csl.write_text("""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>shared</id><title>Shared</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author"><names variable="author"><name form="short" and="text"/></names></macro>
  <citation et-al-min="3" et-al-use-first="1"><layout prefix="(" suffix=")">
    <text macro="author"/></layout></citation>
  <bibliography et-al-min="10" et-al-use-first="9"><layout><text macro="author"/></layout>
  </bibliography>
</style>""", encoding="utf-8")
    for _ in range(2):
        cites, entries = _render(csl, [[engine.Cite("lee")]])
        assert cites == ["(Lee et al.)"]
        assert entries == ["Lee, Kim, Park, and Cho"]


def test_a_warm_build_loads_neither_the_engine_nor_citeproc(tmp_path: Path) -> None:
    """Citations taken from the render cache need no rendering: a new process building
    again imports neither the engine nor citeproc-py, and prints the same."""
    root = make(tmp_path, "apa")
    first = cold(root)
    (root / "_build" / "en" / "doc.html").unlink()
    script = ("import sys\nfrom apecdocs import Project\n"
              f"report = Project.load({str(root)!r}).build(formats=['html'])\n"
              "print([o.status for o in report.outputs],\n"
              "      sorted(m for m in ('citeproc', 'apecdocs_citations.engine') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "['built'] []", done.stderr
    assert output(root) == first
