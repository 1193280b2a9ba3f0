"""``apecdocs init``: a project that builds at once, and never a file overwritten."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from apecdocs import ApecdocsError, Project
from apecdocs.cli import cli
from apecdocs.plugins import new_manager
from apecdocs.scaffold import init_project, plan
from apecdocs.schema import project_schema
from conftest import docx_text, html_text, pdf_text, squash

TITLE = 'Aligning Standards: "Good Practice" for Digital Trade # 2'


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    root = tmp_path_factory.mktemp("init") / "new-project"
    result = CliRunner().invoke(cli, ["init", str(root), "--project-number", "SCSC 01 2021",
                                      "--title", TITLE])
    assert result.exit_code == 0, result.output
    assert "files created" in result.output and "warning" not in result.output
    return root


def test_the_new_project_checks_clean_and_builds_every_document(scaffolded):
    project = Project.load(scaffolded)
    assert {d.type for d in project.documents.values()} == {
        "publication", "agenda", "circular", "completion-report"}
    assert not [f for f in project.check() if f.severity in ("error", "warning")]
    report = project.build()
    assert report.ok and len(report.outputs) == 12
    out = scaffolded / "_build/en"
    # the cover sets the title's quotes curly, as the body's are
    assert TITLE.replace('"Good', "\u201cGood").replace('Practice"', "Practice\u201d") \
        in squash(pdf_text(out / "report.pdf"))
    assert "Measures by economy" in docx_text(out / "report.docx")
    # Placeholders keep their brackets in every format (a bracket around a cross-reference
    # would be read as a citation and vanish): searching the outputs for "[" finds them.
    for text in (docx_text(out / "report.docx"), html_text(out / "report.html"),
                 pdf_text(out / "report.pdf")):
        flat = " ".join(text.split())
        assert "[Describe the research: desk review, questionnaire, workshop.] Section 2 " \
               "presents the findings." in flat
        assert "[Write the findings.] Tables get numbers and can be cited, as Table 1 " \
               "shows." in flat
    assert "Session 1: [Topic]" in html_text(out / "agenda.html")
    assert "by 1 July 2021." in docx_text(out / "circular-nominations.docx")
    completion = docx_text(out / "completion-report.docx")
    assert "met 3 of its 3 monitoring targets" in completion


def test_values_are_filled_in_exactly(scaffolded):
    project = Project.load(scaffolded)
    assert project.meta["number"] == "SCSC 01 2021"
    assert project.meta["title"] == TITLE
    assert project.meta["forum_short"] == "SCSC" and project.meta["year"] == 2021
    assert project.documents["completion-report"].title == "Completion Report, Project SCSC 01 2021"
    assert not list(scaffolded.rglob("*@@*"))
    assert "@@" not in "".join(p.read_text() for p in scaffolded.rglob("*") if p.is_file()
                               and "_build" not in p.parts and ".apecdocs" not in p.parts)


def test_editors_get_the_schema(scaffolded):
    text = (scaffolded / "apecdocs.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=apecdocs.schema.json")
    shipped = json.loads((scaffolded / "apecdocs.schema.json").read_text())
    assert shipped == json.loads(json.dumps(project_schema(new_manager(None))))


def test_init_never_overwrites(tmp_path):
    (tmp_path / "apecdocs.yaml").write_text("mine\n")
    (tmp_path / "content/report").mkdir(parents=True)
    (tmp_path / "content/report/01-introduction.md").write_text("my chapter\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "2 file(s) exist already" in result.output
    assert "apecdocs.yaml" in result.output and "01-introduction.md" in result.output
    assert (tmp_path / "apecdocs.yaml").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "01-introduction.md", "apecdocs.yaml"]  # nothing else was written either


def test_init_into_an_unrelated_folder_keeps_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    written = init_project(tmp_path, "ECSG 02 2018", "A Title")
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert len(written) == len(plan("ECSG 02 2018", "A Title"))


def test_a_bad_project_number_is_reported_at_once(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p"), "--project-number", "Proj 7"])
    assert result.exit_code == 0
    assert "warning: to fix before building" in result.output
    assert "project number 'Proj 7'" in result.output


def test_empty_title_is_refused(tmp_path):
    with pytest.raises(ApecdocsError):
        init_project(tmp_path, "SCSC 01 2021", "  ")


def test_every_scaffold_file_is_packaged():
    """Installed from a wheel, init needs its template files: package-data must name them.

    Each folder under scaffold/ is a (namespace) package, so the '*' patterns apply to
    the file names in it.
    """
    import fnmatch
    import tomllib
    from pathlib import Path

    from apecdocs.scaffold import TEMPLATE

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    missing = [str(p.relative_to(TEMPLATE)) for p in TEMPLATE.rglob("*") if p.is_file()
               and not any(fnmatch.fnmatch(p.name, pattern) for pattern in patterns)]
    assert not missing, f"add patterns for these to [tool.setuptools.package-data]: {missing}"
