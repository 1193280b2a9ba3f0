"""Every place that takes a path from a project or a reviewed copy asks the one shared
confinement function (apecdocs.confine): a symlink planted inside the project that points
outside it is refused with that function's message, naming what the path was for."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from reviewing import Reviewer

from apecdocs import ApecdocsError, Project
from apecdocs.assemble import parse, render_sources
from apecdocs.review.markers import meta_files
from conftest import MINIMAL, write_project

SHARED = "points outside the project folder"  # apecdocs.confine's words
FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "SENTINEL-OUTSIDE-7f3a"


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def _message(root: Path) -> str:
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    return str(err.value)


CITED = MINIMAL + "citations:\n  bibliography: data/refs.json\n  style: {style}\n"


def test_citations_bibliography_symlinked_outside_is_refused(tmp_path, outside):
    shutil.copy(FIXTURES / "citations/references.json", outside / "refs.json")
    root = write_project(tmp_path / "p", CITED.format(style="apa"),
                         {"content/01.md": "As @obrien2020 argue.\n"})
    (root / "data").mkdir()
    (root / "data/refs.json").symlink_to(outside / "refs.json")
    message = _message(root)
    assert f"bibliography file 'data/refs.json' {SHARED}" in message, message
    assert "apecdocs.yaml" in message  # where it was named


def test_citations_csl_style_symlinked_outside_is_refused(tmp_path, outside):
    (outside / "mine.csl").write_text(f"<style>{SECRET}</style>")
    root = write_project(tmp_path / "p", CITED.format(style="styles/mine.csl"),
                         {"content/01.md": "As @obrien2020 argue.\n"})
    (root / "data").mkdir()
    shutil.copy(FIXTURES / "citations/references.json", root / "data/refs.json")
    (root / "styles").mkdir()
    (root / "styles/mine.csl").symlink_to(outside / "mine.csl")
    message = _message(root)
    assert f"CSL style 'styles/mine.csl' {SHARED}" in message, message
    assert SECRET not in message


def test_an_image_symlinked_outside_is_refused(tmp_path, outside):
    (outside / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    root = write_project(tmp_path / "p", MINIMAL, {"content/01.md": "Text.\n\n![x](pic.png)\n"})
    (root / "content/pic.png").symlink_to(outside / "pic.png")
    project = Project.load(root)
    doc = project.documents["doc"]
    with pytest.raises(ApecdocsError) as err:
        parse(project, doc, render_sources(project, doc, "en"), project.cache_dir / "work" / "t")
    assert f"image 'pic.png' {SHARED}" in str(err.value)
    assert err.value.file.name == "01.md" and err.value.line == 3


@pytest.fixture
def reviewed(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "review-project", root)
    Project.load(root).build(documents=["report"], formats=["docx"])
    a = Reviewer(root / "_build/en/report.docx", "Ana (Chile)")
    a.comment("Which economies?", on="several economies")
    return root, a.save(tmp_path / "ana.docx")


def test_review_state_symlinked_outside_is_refused(reviewed, outside):
    root, copy = reviewed
    (outside / "state.yaml").write_text(SECRET)
    (root / "review").mkdir()
    (root / "review/link.yaml").symlink_to(outside / "state.yaml")
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).review([copy], matrix=True, state=root / "review/link.yaml")
    assert f"review state '{root / 'review/link.yaml'}' {SHARED}" in str(err.value)
    assert (outside / "state.yaml").read_text() == SECRET  # not written through the link
    assert sorted(p.name for p in outside.iterdir()) == ["state.yaml"]


def test_a_reviewed_copys_marker_file_symlinked_outside_is_not_read(reviewed, outside, tmp_path):
    """The file list in a reviewed copy is the reviewer's: a name that leads outside is
    refused by the shared check, and the comment is found by its words instead."""
    root, copy = reviewed
    source = "content/01-introduction.md"
    shutil.copy(root / source, outside / "intro.md")
    (root / "notes").mkdir()
    (root / "notes/intro.md").symlink_to(outside / "intro.md")
    tampered = tmp_path / "tampered.docx"
    with zipfile.ZipFile(copy) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/custom.xml":
                assert source.encode() in data
                data = data.replace(source.encode(), b"notes/intro.md")
            dst.writestr(name, data)
    project = Project.load(root)
    assert project.review([copy], document="report").rows[0].location.how == "marker"
    row = project.review([tampered], document="report").rows[0]
    assert row.location.file == source and row.location.how == "text"
    with pytest.raises(ApecdocsError, match=SHARED):  # what the locator asked
        project.readable(root / "notes/intro.md", "reviewed source")


def test_review_meta_files_symlinked_outside_are_left_out(tmp_path, outside):
    (outside / "acronyms.yaml").write_text(f"X: {SECRET}\n")
    root = write_project(tmp_path / "p", MINIMAL.replace(
        "    sources:", "    meta: {acronyms: data/acronyms.yaml, glossary: data/g.yaml}\n"
        "    sources:"), {"content/01.md": "Text.\n", "data/g.yaml": "A: b\n"})
    (root / "data/acronyms.yaml").symlink_to(outside / "acronyms.yaml")
    project = Project.load(root)
    found = meta_files(project, project.documents["doc"])
    assert found == [(root / "data/g.yaml").resolve()]
