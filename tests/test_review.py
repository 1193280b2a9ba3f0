"""The review round on the example report: two reviewers' copies with comments and
tracked changes, located at file and line, merged into the matrix, applied."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from reviewing import Reviewer, add_reply

from apecdocs import ApecdocsError, Project
from conftest import copy_example, html_text, squash


def line_of(path: Path, text: str) -> int:
    """The line of ``path`` holding ``text`` (found, so the test follows the example)."""
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if text in line]
    assert len(lines) == 1, (path, text, lines)
    return lines[0]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example report built once as DOCX, and two reviewers' copies of it."""
    root = tmp_path_factory.mktemp("review") / "example"
    copy_example(root, "docs", "review")
    Project.load(root).build(documents=["report"], formats=["docx"], languages=["en"])
    built = root / "_build/en/report.docx"

    pedro = Reviewer(built, "Pedro (Chile)")
    pedro.comment("Give a source for this.", on="most retail payments are still made in cash")
    pedro.delete("slow and costly", insert="slow and expensive")
    pedro.delete("Ministerial action agenda", insert="Ministerial agenda")  # a table cell
    pedro.comment("Is this address current?", on="25 Ngo Quyen, Hoan Kiem, Ha Noi, Viet Nam")
    pedro.delete("sharply ", within="E-commerce and digital technologies have")
    first = pedro.save(root / "pedro.docx")
    add_reply(first, "Give a source for this.", "Bui (Viet Nam)", "Added the Findex reference.")

    mei = Reviewer(built, "Mei (Japan)")
    mei.delete("slow and costly", insert="slow and expensive")  # the same change as Pedro's
    mei.delete("sharply", within="E-commerce and digital technologies have", insert="greatly")
    mei.insert(" (2019)", after="APEC project ECSG 02 2018", within="This report is the research")
    mei.delete("“digital divide”", within="commonly described as", insert="“digital gap”")
    second = mei.save(root / "mei.docx")
    return root, first, second


def test_every_item_is_placed_at_its_file_and_line(example):
    root, first, second = example
    result = Project.load(root).review([first, second])
    rows = {row.proposal: row for row in result.rows}
    intro, overview = root / "content/report/01-introduction.md", root / "content/report/02-overview.md"
    summary = root / "content/report/00-executive-summary.md"

    comment = next(r for r in result.rows if r.kind == "comment" and "source" in r.proposal)
    assert str(comment.location) == f"content/report/01-introduction.md:{line_of(intro, 'still made in cash')}"
    assert comment.quoted == "most retail payments are still made in cash"
    assert comment.section.endswith("Background") and comment.section.startswith("2.1")
    assert comment.items[0].replies[0].author == "Bui (Viet Nam)"
    assert "Added the Findex reference." in comment.proposal

    same = rows["Replace “slow and costly” with “slow and expensive”"]
    assert same.reviewers == ["Pedro (Chile)", "Mei (Japan)"]  # one row, both names
    assert str(same.location) == f"content/report/01-introduction.md:{line_of(intro, 'slow and costly')}"

    cell = rows["Replace “Ministerial action agenda” with “Ministerial agenda”"]
    assert str(cell.location) == \
        f"content/report/02-overview.md:{line_of(overview, '| Ministerial action agenda |')}"

    imprint = next(r for r in result.rows if r.kind == "comment" and "address" in r.proposal)
    # The imprint shows the producer's address (the overseer's is the same words).
    address = line_of(root / "apecdocs.yaml", 'address: ["25 Ngo Quyen')
    assert str(imprint.location) == f"apecdocs.yaml:{address}"

    sharply = [r for r in result.rows if "sharply" in r.proposal]
    assert {r.reviewers[0] for r in sharply} == {"Pedro (Chile)", "Mei (Japan)"}
    for row in sharply:
        assert str(row.location) == f"content/report/00-executive-summary.md:" \
                                    f"{line_of(summary, 'have sharply reduced')}"
    # Document order: the executive summary's rows come before the introduction's.
    numbers = {row.proposal: row.number for row in result.rows}
    assert numbers["Delete “sharply”"] < numbers[same.proposal] < numbers[cell.proposal]
    assert [r.number for r in result.rows] == list(range(1, len(result.rows) + 1))


def test_items_are_found_by_their_words_when_the_markers_are_lost(example, tmp_path):
    root, first, _ = example
    stripped = tmp_path / "stripped.docx"
    with zipfile.ZipFile(first) as src, zipfile.ZipFile(stripped, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = re.sub(rb'<w:bookmark(Start|End)[^>]*/>', b"", data)
            dst.writestr(name, data)
    with_markers = Project.load(root).review([first], document="report")
    without = Project.load(root).review([stripped], document="report")
    intro = root / "content/report/01-introduction.md"
    located = {r.proposal: r.location for r in without.rows}
    assert all(r.location.how == "text" for r in without.rows if r.location.file.endswith(".md"))
    assert str(located["Replace “slow and costly” with “slow and expensive”"]) == \
        f"content/report/01-introduction.md:{line_of(intro, 'slow and costly')}"
    for row in with_markers.rows:
        if row.location.file.endswith(".md"):
            assert str(located[row.proposal]) == str(row.location), row.proposal


def test_apply_changes_the_markdown_and_reports_conflicts(example, tmp_path):
    root, first, second = example
    project_copy = tmp_path / "p"
    shutil.copytree(root, project_copy, ignore=shutil.ignore_patterns("_build", ".apecdocs"))
    intro = project_copy / "content/report/01-introduction.md"
    overview = project_copy / "content/report/02-overview.md"
    summary = project_copy / "content/report/00-executive-summary.md"
    before = {p: p.read_text(encoding="utf-8") for p in (intro, overview, summary)}

    diff = Project.load(project_copy).review([first, second], diff=True)
    assert "-where parcel delivery" not in diff.diff  # lines are whole: find the changed one
    assert re.search(r"^-.*slow and costly", diff.diff, re.M)
    assert re.search(r"^\+.*slow and expensive", diff.diff, re.M)
    assert all(p.read_text(encoding="utf-8") == before[p] for p in before)  # --diff writes nothing

    result = Project.load(project_copy).review([first, second], apply=True)
    assert before[intro].replace("slow and costly", "slow and expensive").replace(
        '"digital divide"', "“digital gap”") == intro.read_text("utf-8")
    assert overview.read_text("utf-8") == before[overview].replace(
        "| Ministerial action agenda |", "| Ministerial agenda |")
    assert summary.read_text("utf-8") == before[summary]  # two reviewers disagree: untouched
    reasons = {c.row.proposal: c.reason for c in result.conflicts}
    assert "changed the same words differently" in reasons["Delete “sharply”"]
    assert "changed the same words differently" in reasons["Replace “sharply” with “greatly”"]
    inserted = next(p for p in reasons if p.startswith("Insert “(2019)”"))
    assert "no longer has this text" in reasons[inserted]  # it is {{ project.number }} there
    assert {r.status for r in result.rows if r.proposal in reasons} == {"open"}
    applied = [r for r in result.rows if r.status == "applied"]
    assert len(applied) == 3 and sorted(result.written) == sorted([intro, overview])


def test_only_the_docx_carries_markers(example):
    root, _, _ = example
    Project.load(root).build(documents=["report"], formats=["html"], languages=["en"])
    html = (root / "_build/en/report.html").read_text(encoding="utf-8")
    assert 'id="apd' not in html and "apecdocs-review-files" not in html
    docx_xml = zipfile.ZipFile(root / "_build/en/report.docx").read("word/document.xml")
    assert b'w:name="apd' in docx_xml


def test_the_final_circular_shows_the_matrix_once_there_is_one(example):
    root, first, second = example
    project = Project.load(root)
    project.build(documents=["circular-final-report"], formats=["html"], languages=["en"])
    circular = root / "_build/en/circular-final-report.html"
    assert "Comments received on the draft" not in html_text(circular)  # no review yet
    Project.load(root).review([first, second], matrix=True)
    Project.load(root).build(documents=["circular-final-report"], formats=["html"],
                             languages=["en"])
    text = squash(html_text(circular))
    assert "Annex: Comments received on the draft and how they were addressed" in text
    assert "Pedro (Chile); Mei (Japan)" in text and "Give a source for this." in text


def test_a_reviewed_translation_is_located_at_the_source_it_translates(example, tmp_path):
    root, _, _ = example
    Project.load(root).build(documents=["report"], formats=["docx"], languages=["vi"])
    summary = root / "content/report/00-executive-summary.md"
    r = Reviewer(root / "_build/vi/report.docx", "Lan (Viet Nam)")
    r.comment("Cần dẫn nguồn.", on="Thương mại điện tử và công nghệ số")  # the first paragraph
    r.delete("mạnh", within="Thương mại điện tử và công nghệ số", insert="đáng kể")
    copy = r.save(tmp_path / "lan.docx")
    result = Project.load(root).review([copy], apply=True)
    assert result.lang == "vi"
    line = line_of(summary, "E-commerce and digital technologies have sharply")
    assert [str(row.location) for row in result.rows] == [f"content/report/00-executive-summary.md:{line}"] * 2
    assert [c.reason for c in result.conflicts] == [
        "the copy is a translation: change the translation catalog"]
    assert "sharply" in summary.read_text(encoding="utf-8")


def test_each_language_copy_has_its_own_matrix(example, tmp_path):
    root, first, second = example
    Project.load(root).review([first, second], matrix=True)
    english = (root / "review/report.yaml").read_text(encoding="utf-8")
    Project.load(root).build(documents=["report"], formats=["docx"], languages=["vi"])
    r = Reviewer(root / "_build/vi/report.docx", "Lan (Viet Nam)")
    r.comment("Cần dẫn nguồn.", on="Thương mại điện tử và công nghệ số")
    copy = r.save(tmp_path / "lan.docx")
    result = Project.load(root).review([copy], matrix=True)
    state = root / "review/report.vi.yaml"
    assert result.matrix[:2] == [state, state.with_suffix(".csv")]
    assert "lang: vi" in state.read_text(encoding="utf-8")
    assert "Cần dẫn nguồn." in state.read_text(encoding="utf-8")
    # The English copy's matrix is untouched: no Vietnamese row, its rows all kept.
    assert (root / "review/report.yaml").read_text(encoding="utf-8") == english
    # A build shows its own language's matrix; the source's where a copy has none.
    project = Project.load(root)
    project.build(documents=["circular-final-report"], formats=["html"], languages=["en", "vi"])
    vi = squash(html_text(root / "_build/vi/circular-final-report.html")).replace("\xad", "")
    en = squash(html_text(root / "_build/en/circular-final-report.html")).replace("\xad", "")
    assert "Cần dẫn nguồn." in vi and "Give a source for this." not in vi
    assert "Give a source for this." in en and "Cần dẫn nguồn." not in en
    # Each matrix speaks its copy's language: headers, statuses, the matrix document's title.
    assert "STT Người góp ý Mục Tệp và dòng Văn bản Ý kiến hoặc đề xuất sửa đổi Giải trình " \
           "Trạng thái" in vi and "chưa xử lý" in vi
    assert "No. Reviewer Section File and line Text Comment or proposed change" in en
    matrix = squash(html_text(root / "_build/vi/report-comments.html"))
    assert matrix.startswith("Ý kiến góp ý về") and "Reviewer" not in matrix
    # One copy's reviews are never merged into another copy's matrix by mistake.
    with pytest.raises(ApecdocsError) as caught:
        Project.load(root).review([copy], matrix=True, state=root / "review/report.yaml")
    assert "matrix of the 'en' copy" in caught.value.message
    assert caught.value.location.file.name == "report.yaml"
