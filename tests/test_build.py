"""Building: atomic outputs, failures isolated, the CLI's exit codes and messages."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from apecdocs import ApecdocsError, BuildFailed, Project, hookimpl
from apecdocs.cli import cli
from conftest import MINIMAL, docx_text

TWO_DOCS = MINIMAL + """\
  - id: other
    type: document
    sources: [content/01.md]
"""


class FailPdf:
    @hookimpl
    def finalize_ast(self, ast, project, target):
        if target.format == "pdf":
            raise ApecdocsError("plugin failed on purpose")


def test_failed_build_leaves_previous_outputs_intact(project_dir):
    root = project_dir()
    Project.load(root).build()
    out = root / "_build/en"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (root / "content/01.md").write_text("# Changed\n\nNew text.\n")
    with pytest.raises(BuildFailed) as err:
        Project.load(root, plugins=[FailPdf()]).build(force=True)
    assert "plugin failed on purpose" in str(err.value)
    assert (out / "doc.pdf").read_bytes() == before["doc.pdf"]  # the old PDF is kept
    assert "New text." in docx_text(out / "doc.docx")  # the others went on
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    report = err.value.report
    assert [o.target.format for o in report.failed] == ["pdf"]


def test_error_in_one_document_does_not_stop_another(project_dir):
    root = project_dir(TWO_DOCS, {"content/01.md": "fine\n", "content/02.md": "{{ broken }}\n"})
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build()
    failed = {o.target.document for o in err.value.report.failed}
    assert failed == {"doc"}
    assert (root / "_build/en/other.docx").is_file()
    assert "02.md (line 1)" in str(err.value)


def test_unknown_document_name_did_you_mean(project_dir):
    with pytest.raises(ApecdocsError) as err:
        Project.load(project_dir()).build(documents=["dco"])
    assert "Did you mean 'doc'?" in str(err.value)


def test_second_build_skips_unchanged_targets(project_dir):
    root = project_dir()
    Project.load(root).build()
    report = Project.load(root).build()
    assert {o.status for o in report.outputs} == {"unchanged"}
    (root / "content/01.md").write_text("# Changed\n")
    report = Project.load(root).build(formats=["html"])
    assert [o.status for o in report.outputs] == ["built"]


def test_cli_build_and_list(project_dir, monkeypatch):
    root = project_dir()
    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(root), "build", "--to", "html,docx"])
    assert result.exit_code == 0, result.output
    assert "2 built, 0 unchanged, 0 failed" in result.output
    assert (root / "_build/en/doc.html").is_file() and not (root / "_build/en/doc.pdf").exists()
    result = runner.invoke(cli, ["--project", str(root), "list"])
    assert "doc" in result.output and "document" in result.output


def test_cli_user_error_is_one_paragraph_not_a_traceback(project_dir):
    root = project_dir(files={"content/01.md": "{{ nope }}\n"})
    result = CliRunner().invoke(cli, ["--project", str(root), "build", "--to", "html"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "01.md (line 1)" in result.output and "unknown template variable" in result.output


def test_cli_bad_format_is_a_usage_error(project_dir):
    result = CliRunner().invoke(cli, ["--project", str(project_dir()), "build", "--to", "odt"])
    assert result.exit_code == 2
    assert "'odt' is not one of docx, pdf, html" in result.output


def test_cli_missing_project(tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(tmp_path), "build"])
    assert result.exit_code == 1
    assert "no apecdocs.yaml" in result.output


def test_included_template_change_rebuilds(project_dir):
    root = project_dir(files={"content/01.md": '{% include "parts/note.md" %}\n',
                              "parts/note.md": "First version.\n"})
    Project.load(root).build(formats=["html"])
    (root / "parts/note.md").write_text("Second version.\n")
    report = Project.load(root).build(formats=["html"])
    assert [o.status for o in report.outputs] == ["built"]
    assert "Second version." in (root / "_build/en/doc.html").read_text()
