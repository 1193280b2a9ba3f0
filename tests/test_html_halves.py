"""A long HTML page written as two halves at once and joined is byte for byte the page
pandoc writes whole: notes renumbered and listed once, the title block and head once."""

from __future__ import annotations

import threading

import pytest

from apecdocs import Project, halves, html_halves, pandoc

YAML = """\
project: {number: TEST 01 2024, title: Halves}
documents:
  - id: pub
    type: publication
    title: A Publication in Two Halves
    sources: [content/*.md]
    formats: [html]
"""

NOTES_BOTH = {
    "content/01-one.md": "# One {#sec-one}\n\nFirst[^a] and [the second](#sec-two).\n\n"
                         "[^a]: Note a, with *emphasis*.\n\n    And a second paragraph.\n",
    "content/02-two.md": "# Two {#sec-two}\n\nSecond[^b] and third[^c].\n\n## A part\n\n"
                         "- a list\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                         "[^b]: Note b.\n[^c]: Note c [back](#sec-one).\n",
}
NOTES_SECOND = {
    "content/01-one.md": "# One\n\nNo notes here.\n",
    "content/02-two.md": "# Two\n\nA note[^b].\n\n[^b]: Note b.\n",
}
NOTES_FIRST = {
    "content/01-one.md": "# One\n\nA note[^a].\n\n[^a]: Note a.\n",
    "content/02-two.md": "# Two\n\nNo notes here.\n",
}
NO_NOTES = {"content/01-one.md": "# One\n\nText.\n", "content/02-two.md": "# Two\n\nMore.\n"}


@pytest.fixture
def joined(monkeypatch):
    """Every HTML split, with a spare process slot even on one core; the joins counted."""
    count = []
    real = html_halves.join

    def counting(first, second, notes):
        page = real(first, second, notes)
        count.append(page is not None)
        return page

    monkeypatch.setattr(halves, "SPLIT_BYTES", 0)
    monkeypatch.setattr(html_halves, "join", counting)
    monkeypatch.setattr(pandoc, "_slots", threading.BoundedSemaphore(2))
    return count


@pytest.mark.parametrize("files", [NOTES_BOTH, NOTES_SECOND, NOTES_FIRST, NO_NOTES],
                         ids=["notes in both", "in the second", "in the first", "no notes"])
def test_halves_joined_are_the_page_written_whole(tmp_path, joined, monkeypatch, files):
    from conftest import write_project

    root = write_project(tmp_path / "p", YAML, files)
    Project.load(root).build()
    assert joined == [True]
    page = (root / "_build/en/pub.html").read_text(encoding="utf-8")
    monkeypatch.setattr(halves, "SPLIT_BYTES", 1 << 60)
    Project.load(root).build(force=True)
    assert len(joined) == 1
    assert page == (root / "_build/en/pub.html").read_text(encoding="utf-8")
    assert halves.SEAM not in page and page.count("<title>") == 1


def test_notes_are_renumbered_after_the_first_halfs():
    first = ("<html><body>\n<p>a<a href=\"#fn1\" class=\"footnote-ref\" id=\"fnref1\" "
             "role=\"doc-noteref\"><sup>1</sup></a></p>\n" + halves.SEAM + "\n"
             "<section id=\"footnotes\" class=\"footnotes footnotes-end-of-document\" "
             "role=\"doc-endnotes\">\n<hr />\n<ol>\n<li id=\"fn1\"><p>A.<a href=\"#fnref1\" "
             "class=\"footnote-back\" role=\"doc-backlink\">↩︎</a></p></li>\n</ol>\n"
             "</section>\n</body></html>\n")
    second = first.split(halves.SEAM)[0].removeprefix("<html><body>\n") + "\n" + \
        first.split(halves.SEAM)[1].removeprefix("\n").removesuffix("</body></html>\n")
    page = html_halves.join(first, second, 1)
    assert page.count('id="fn2"') == 1 and page.count('<sup>2</sup>') == 1
    assert page.count('href="#fnref2"') == 1 and page.count("<ol>") == 1
    # a reference without its note: not joined, the page is written whole
    assert html_halves.join(first, second.replace('<li id="fn1">', "<li>"), 1) is None
    assert html_halves.join(first.replace(halves.SEAM, ""), second, 1) is None
    # notes pandoc marked in a way we do not know: not joined either
    assert html_halves.join(first, second.replace('id="footnotes"', 'id="notes"'), 1) is None
    assert html_halves.join(first, second, 2) is None


def test_a_page_whose_second_half_has_formulas_is_written_whole():
    assert halves._needs_head([b'{"t":"Para","c":[{"t":"Math","c":[{"t":"InlineMath"},"x"]}]}'])
    assert not halves._needs_head([b'{"t":"Para","c":[{"t":"Str","c":"x"}]}'])
