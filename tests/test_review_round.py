"""A review round on a small project: a CSV-built table, a reflowed source, the matrix
kept across reruns and shown by a circular, the command line, and a copy saved by a
real word processor (committed as a fixture, so no word processor is needed here)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree
from reviewing import Reviewer

from apecdocs import ApecdocsError, Project
from apecdocs.cli import cli
from apecdocs.review.plugin import register_commands
from conftest import html_text

FIXTURES = Path(__file__).parent / "fixtures"
SAVED = FIXTURES / "review-saved-by-word-processor.docx"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "review-project", root)
    Project.load(root).build(documents=["report"], formats=["docx"])
    return root


def test_table_cell_from_csv_is_located_in_the_csv_and_not_applied(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    r.delete("51000", insert="52000")
    r.comment("Why co-funding?", on="Co-funding")
    copy = r.save(tmp_path / "ana.docx")
    result = Project.load(project).review([copy], apply=True)
    by_kind = {row.kind: row for row in result.rows}
    assert str(by_kind["change"].location) == "data/budget.csv:3"  # Travel of speakers,51000
    assert str(by_kind["comment"].location) == "data/budget.csv:4"
    assert by_kind["change"].section == "2 Budget"
    assert [c.row for c in result.conflicts] == [by_kind["change"]]
    assert "change the data or template there" in result.conflicts[0].reason
    assert "51000" in (project / "data/budget.csv").read_text() and not result.written


def test_reflowed_text_is_located_and_patched_at_the_right_line(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Mei (Japan)")
    r.delete("ten", within="The study covers", insert="twelve")  # the paragraph's first line
    r.delete("platforms", within="The study covers", insert="platforms and tools")  # line 2
    copy = r.save(tmp_path / "mei.docx")
    source = project / "content/01-introduction.md"
    result = Project.load(project).review([copy])
    assert [str(row.location) for row in result.rows] == [
        "content/01-introduction.md:12", "content/01-introduction.md:13"]

    # The author reflows the paragraph after the draft went out: the words are still found.
    text = source.read_text(encoding="utf-8")
    reflowed = text.replace("The study covers ten economies and three kinds of measure: laws, "
                            "programmes and\nplatforms.",
                            "The study covers ten economies\nand three kinds of measure:\n"
                            "laws, programmes and platforms.")
    assert reflowed != text
    source.write_text(reflowed, encoding="utf-8")
    result = Project.load(project).review([copy], apply=True)
    assert not result.conflicts
    assert source.read_text(encoding="utf-8") == reflowed.replace(
        "covers ten economies", "covers twelve economies").replace(
        "and platforms.", "and platforms and tools.")
    assert not list(source.parent.glob(".*.part"))  # the atomic write left nothing behind


def test_a_changed_source_is_patched_only_where_the_text_is_still_found(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    r.delete("ten", within="The study covers", insert="twelve")
    r.insert(" in Viet Nam", after="Ha Noi")
    copy = r.save(tmp_path / "ana.docx")
    source = project / "content/01-introduction.md"
    edited = source.read_text(encoding="utf-8").replace("The study covers ten economies",
                                                        "The study covers eleven economies")
    source.write_text(edited, encoding="utf-8")
    result = Project.load(project).review([copy], apply=True)
    assert [c.row.proposal for c in result.conflicts] == ["Replace “ten” with “twelve”"]
    assert "no longer has this text" in result.conflicts[0].reason
    assert source.read_text(encoding="utf-8") == edited.replace("Ha Noi in", "Ha Noi in Viet Nam in")


def test_matrix_keeps_responses_and_the_circular_shows_it(project, tmp_path):
    a = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    a.comment("Which economies?", on="several economies")
    a.delete("ten", within="The study covers", insert="twelve")
    first = a.save(tmp_path / "ana.docx")
    b = Reviewer(project / "_build/en/report.docx", "Ben (Japan)")
    b.delete("ten", within="The study covers", insert="twelve")
    b.comment("Add the year.", on="Workshop venue")
    second = b.save(tmp_path / "ben.docx")

    result = Project.load(project).review([first, second], matrix=True)
    state, table = project / "review/report.yaml", project / "review/report.csv"
    assert result.matrix[:2] == [state, table]
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [r["reviewers"] for r in rows] == ["Ana (Chile)", "Ana (Chile); Ben (Japan)",
                                              "Ben (Japan)"]
    assert [r["location"] for r in rows] == ["content/01-introduction.md:4",
                                             "content/01-introduction.md:12", "data/budget.csv:4"]
    assert rows[0]["section"] == "1 Introduction" and rows[0]["quoted"] == "several economies"

    # The overseer answers one in the spreadsheet, another in the YAML (saved later).
    rows[0]["response"], rows[0]["status"] = "Listed in Annex A.", "accepted"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    text = state.read_text(encoding="utf-8")
    state.write_text(text.replace("response: ''", "response: 'Year added.'", 3).replace(
        "response: 'Year added.'", "response: ''", 2), encoding="utf-8")

    again = Project.load(project).review([first, second], matrix=True)
    saved = {r["location"]: r for r in csv.DictReader(table.open(encoding="utf-8"))}
    assert saved["content/01-introduction.md:4"]["response"] == "Listed in Annex A."
    assert saved["content/01-introduction.md:4"]["status"] == "accepted"
    assert saved["data/budget.csv:4"]["response"] == "Year added."
    # A rerun with one reviewer's file only keeps the other's rows.
    Project.load(project).review([first], matrix=True)
    assert len(list(csv.DictReader(table.open(encoding="utf-8")))) == 3

    docx_out, html_out = again.matrix[2:]
    assert docx_out.name == "report-comments.docx" and html_out.name == "report-comments.html"
    cells = [[c.text for c in row.cells] for row in docx.Document(str(docx_out)).tables[0].rows]
    assert cells[0][:3] == ["No.", "Reviewer", "Section"]
    assert cells[1][1] == "Ana (Chile)" and cells[1][6] == "Listed in Annex A."
    assert cells[2][5] == "Replace “ten” with “twelve”"
    assert "Ana (Chile); Ben (Japan)" in html_text(html_out)

    Project.load(project).build(documents=["final-circular"], formats=["html"])
    circular = html_text(project / "_build/en/final-circular.html")
    assert "Listed in Annex A." in circular and "Year added." in circular


def test_copy_saved_by_a_word_processor(project):
    """The fixture was built from review-project, commented and changed, then opened and
    saved by a word processor, which rewrote it and dropped the reply links."""
    result = Project.load(project).review([SAVED])
    rows = [(r.kind, str(r.location), r.proposal) for r in result.rows]
    assert rows == [
        ("comment", "content/01-introduction.md:4",
         "Which economies? Please list them. [Reply, Bui (Viet Nam): Listed in Annex A.]"),
        ("change", "content/01-introduction.md:8", "Insert “in Viet Nam” after “a workshop in Ha Noi”"),
        ("change", "content/01-introduction.md:12", "Replace “ten” with “twelve”"),
        ("change", "data/budget.csv:4", "Replace “6550” with “7000”"),
    ]
    source = project / "content/01-introduction.md"
    before = source.read_text(encoding="utf-8")
    Project.load(project).review([SAVED], apply=True)
    assert source.read_text(encoding="utf-8") == before.replace(
        "Ha Noi in September", "Ha Noi in Viet Nam in September").replace(
        "covers ten", "covers twelve")


def test_command_line(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    r.delete("ten", within="The study covers", insert="twelve")
    r.delete("51000", insert="52000")
    copy = r.save(tmp_path / "ana.docx")
    register_commands(cli)  # as apecdocs's main() does for every plugin
    runner = CliRunner()
    source = project / "content/01-introduction.md"
    before = source.read_text(encoding="utf-8")

    listed = runner.invoke(cli, ["-p", str(project), "review", str(copy)])
    assert listed.exit_code == 0, listed.output
    assert "content/01-introduction.md:12  [1.1 Scope]  Ana (Chile)" in listed.output
    assert "data/budget.csv:3  [2 Budget]" in listed.output

    diff = runner.invoke(cli, ["-p", str(project), "review", str(copy), "--diff"])
    assert "+The study covers twelve economies" in diff.output
    assert "conflict: data/budget.csv:3" in diff.output
    assert source.read_text(encoding="utf-8") == before

    applied = runner.invoke(cli, ["-p", str(project), "review", str(copy), "--apply"])
    assert applied.exit_code == 0
    assert "applied 1 change(s) to content/01-introduction.md" in applied.output
    assert "covers twelve economies" in source.read_text(encoding="utf-8")

    as_json = runner.invoke(cli, ["-p", str(project), "review", str(copy), "--json"])
    rows = json.loads(as_json.stdout)
    assert [(r["kind"], r["location"], r["status"]) for r in rows] == [
        ("change", "content/01-introduction.md:12", "open"), ("change", "data/budget.csv:3", "open")]

    matrix = runner.invoke(cli, ["-p", str(project), "review", str(copy), "--matrix"])
    assert "matrix: review/report.csv" in matrix.output
    assert "matrix: _build/en/report-comments.docx" in matrix.output

    broken = tmp_path / "broken.docx"
    broken.write_text("not a zip")
    failed = runner.invoke(cli, ["-p", str(project), "review", str(broken)])
    assert failed.exit_code == 1 and "cannot read" in failed.output and "Traceback" not in failed.output


def test_the_review_guide_builds(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(Path(__file__).resolve().parents[1] / "docs", docs,
                    ignore=shutil.ignore_patterns("_build", ".apecdocs", "__pycache__"))
    Project.load(docs).build(documents=["review", "index"])
    guide = html_text(docs / "_build/en/review.html")
    assert "the comment-resolution matrix" in guide.lower() and "{{ review_matrix(\"report\") }}" in guide
    assert "review.html" in (docs / "_build/en/index.html").read_text(encoding="utf-8")


def test_a_filled_in_response_rebuilds_only_what_shows_the_matrix(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    r.comment("Which economies?", on="several economies")
    copy = r.save(tmp_path / "ana.docx")
    Project.load(project).review([copy], matrix=True)
    Project.load(project).build(formats=["html"])
    table = project / "review/report.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",open", "Listed.,accepted"),
                     encoding="utf-8")
    report = Project.load(project).build(formats=["html"])
    status = {o.target.document: o.status for o in report.outputs}
    assert status == {"report": "unchanged", "final-circular": "built"}
    assert "Listed." in html_text(project / "_build/en/final-circular.html")


def test_a_comment_without_a_range_is_kept_at_its_mark(project, tmp_path):
    """Word writes a comment on no selected words as its mark alone."""
    import re
    import zipfile

    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    r.comment("Say more here.", on="platforms.")
    ranged = r.save(tmp_path / "ranged.docx")
    point = tmp_path / "point.docx"
    with zipfile.ZipFile(ranged) as src, zipfile.ZipFile(point, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = re.sub(rb"<w:commentRange(Start|End) [^>]*/>", b"", data)
            dst.writestr(name, data)
    [row] = Project.load(project).review([point]).rows
    assert (row.kind, str(row.location), row.quoted) == (
        "comment", "content/01-introduction.md:13", "")
    assert row.proposal == "Say more here."


def test_changes_in_footnotes_are_read_and_applied(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)").in_footnotes()
    r.delete("twelve", within="Economy-class fares", insert="eleven")
    copy = r.save(tmp_path / "ana.docx")
    source = project / "content/02-budget.md"
    before = source.read_text(encoding="utf-8")
    [row] = Project.load(project).review([copy], apply=True).rows
    assert (str(row.location), row.section) == ("content/02-budget.md:15", "2 Budget")
    assert row.status == "applied"
    assert source.read_text(encoding="utf-8") == before.replace("for twelve", "for eleven")


def test_what_reviewers_do_to_a_copy_does_not_move_its_items(project, tmp_path):
    """Another reviewer's change accepted, a paragraph moved, a heading edited."""
    from docx.oxml.ns import qn
    from reviewing import run_with

    r = Reviewer(project / "_build/en/report.docx", "Ben (Japan)")
    run_with(r.paragraphs(), "ten", "The study covers").find(qn("w:t")).text = "twelve"
    r.comment("Name them.", on="three kinds of measure")
    r.delete("laws, ", within="The study covers")
    heading = next(run for p in r.paragraphs() for run in p.iter(qn("w:r"))  # "1.1 Scope"
                   if p.find(qn("w:pPr")) is not None
                   and b"Heading" in etree.tostring(p.find(qn("w:pPr")))
                   and run.find(qn("w:t")) is not None
                   and (run.find(qn("w:t")).text or "").endswith("Scope"))
    r._insert_after(heading, heading, " and method")
    def text(p):
        return "".join(t.text or "" for t in p.iter(qn("w:t")))

    moved = next(p for p in r.paragraphs() if "Travel costs were" in text(p))
    body = r.document.element.body
    body.remove(moved)
    first = next(p for p in body.iter(qn("w:p")) if "This report is the research" in text(p))
    first.addprevious(moved)  # to the top of chapter 1
    r.comment("Move back?", on="Travel costs were the largest item,")
    copy = r.save(tmp_path / "ben.docx")

    result = Project.load(project).review([copy], apply=True)
    where = {row.proposal: (str(row.location), row.section) for row in result.rows}
    assert where["Name them."] == ("content/01-introduction.md:12", "1.1 Scope")
    assert where["Delete “laws,”"] == ("content/01-introduction.md:12", "1.1 Scope")
    assert where["Insert “and method” after “1.1 Scope”"] == ("content/01-introduction.md:10",
                                                               "1.1 Scope")
    assert where["Move back?"] == ("content/02-budget.md:13", "1 Introduction")
    text = (project / "content/01-introduction.md").read_text(encoding="utf-8")
    assert "## Scope and method\n" in text
    assert "three kinds of measure: programmes and\nplatforms." in text
    assert "covers ten economies" in text  # what was accepted in the copy is not a change


def test_a_tracked_move_is_listed_but_never_half_applied(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    r.move(" It", within="This report is the research output", after="focal points.")
    copy = r.save(tmp_path / "ana.docx")
    source = project / "content/01-introduction.md"
    before = source.read_text(encoding="utf-8")
    result = Project.load(project).review([copy], apply=True)
    assert [(str(row.location), row.proposal) for row in result.rows] == [
        ("content/01-introduction.md:3", "Move “It” from here"),
        ("content/01-introduction.md:7", "Move text here: “It”")]
    assert [c.reason for c in result.conflicts] == ["text moved by the reviewer: move it by hand"] * 2
    assert source.read_text(encoding="utf-8") == before


def test_a_spreadsheet_saved_in_another_encoding_is_a_clear_error(project, tmp_path):
    r = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    r.comment("Which economies?", on="several economies")
    copy = r.save(tmp_path / "ana.docx")
    Project.load(project).review([copy], matrix=True)
    table = project / "review/report.csv"
    table.write_bytes(table.read_text(encoding="utf-8").replace(",open", "Añadido.,open")
                      .encode("cp1252"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(project).review([copy], matrix=True)
    assert "not UTF-8" in str(err.value) and "CSV UTF-8" in str(err.value)
    assert "Añadido." in table.read_bytes().decode("cp1252")  # nothing overwritten


def test_copies_added_one_at_a_time_keep_the_matrix_in_document_order(project, tmp_path):
    a = Reviewer(project / "_build/en/report.docx", "Ana (Chile)")
    a.comment("Which economies?", on="several economies")
    first = a.save(tmp_path / "ana.docx")
    b = Reviewer(project / "_build/en/report.docx", "Ben (Japan)")
    b.delete("ten", within="The study covers", insert="twelve")
    b.comment("Add the year.", on="Workshop venue")
    late = b.save(tmp_path / "ben.docx")
    Project.load(project).review([first], matrix=True)
    Project.load(project).review([late], matrix=True)  # a late reviewer, on later pages
    rows = list(csv.DictReader((project / "review/report.csv").open(encoding="utf-8")))
    assert [(r["number"], r["location"]) for r in rows] == [
        ("1", "content/01-introduction.md:4"), ("2", "content/01-introduction.md:12"),
        ("3", "data/budget.csv:4")]


def test_a_paragraph_opening_with_its_heading_s_words_is_located_at_its_own_line(tmp_path):
    from conftest import MINIMAL, write_project

    root = write_project(tmp_path / "h", MINIMAL, {"content/01.md": (
        "# Findings {#sec-findings}\n\nSome text.\n\n"
        "## Recommendations {#sec-recommendations}\n\n"
        "Recommendations for APEC economies and for the forum.\n")})
    Project.load(root).build(formats=["docx"])
    r = Reviewer(root / "_build/en/doc.docx", "Ana (Chile)")
    r.comment("Which forum?", on="for the forum")
    result = Project.load(root).review([r.save(tmp_path / "ana.docx")])
    assert [str(row.location) for row in result.rows] == ["content/01.md:7"]
