"""Never loses work, never lets content escape: crashes, Ctrl-C, and reads outside the project."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apecdocs import ApecdocsError, BuildFailed, Project, hookimpl
from conftest import MINIMAL, docx_text, html_text, pdf_text

SECRET = "TOP-SECRET-6f1d"


def parts(root: Path) -> list[Path]:
    """Temporary files a write leaves behind if it is not cleaned up."""
    return [p for p in root.rglob("*") if p.name.endswith(".part") or ".tmp" in p.name]


@pytest.fixture
def built(project_dir):
    root = project_dir()
    Project.load(root).build()
    before = {p.name: p.read_bytes() for p in (root / "_build/en").iterdir()}
    (root / "content/01.md").write_text("# Changed\n\nNew text.\n")
    return root, before


# -- a crash or Ctrl-C keeps the previous outputs ------------------------------------------

class CrashInFinalize:
    @hookimpl
    def finalize_ast(self, ast, project, target):
        if target.format == "pdf":
            raise RuntimeError("plugin bug")


def test_a_plugin_crash_keeps_the_previous_output_and_builds_the_rest(built):
    root, before = built
    with pytest.raises(BuildFailed) as err:
        Project.load(root, plugins=[CrashInFinalize()]).build()
    assert (root / "_build/en/doc.pdf").read_bytes() == before["doc.pdf"]
    assert "New text." in docx_text(root / "_build/en/doc.docx")
    assert "New text." in html_text(root / "_build/en/doc.html")
    assert "plugin 'CrashInFinalize' failed in hook 'finalize_ast': RuntimeError: plugin bug" \
        in str(err.value)
    assert "internal error" not in str(err.value)
    assert not parts(root)


def test_a_crash_while_writing_removes_the_partial_file(built, monkeypatch):
    root, before = built
    import apecdocs.write

    real = apecdocs.write.pandoc.write

    def half_write(ast, fmt, dest, options):
        if fmt == "html":
            dest.write_text("<html><body>half")
            assert dest.name.endswith(".part") and dest.parent == root / "_build/en"
            raise OSError("disk full")
        return real(ast, fmt, dest, options)

    monkeypatch.setattr(apecdocs.write.pandoc, "write", half_write)
    with pytest.raises(BuildFailed):
        Project.load(root).build()
    assert (root / "_build/en/doc.html").read_bytes() == before["doc.html"]
    assert not parts(root)
    assert "New text." in pdf_text(root / "_build/en/doc.pdf")


SLOW_PLUGIN = """\
import time
from pathlib import Path
from apecdocs import hookimpl

@hookimpl
def finalize_ast(ast, project, target):
    if target.format == "docx" and (project.root / "slow").exists():
        (project.root / "started").write_text("docx")
        time.sleep(4)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_keeps_previous_outputs_and_leaves_no_temporary_files(project_dir):
    root = project_dir()
    (root / "plugins").mkdir()
    (root / "plugins/slow.py").write_text(SLOW_PLUGIN)
    Project.load(root).build()
    out = root / "_build/en"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (root / "content/01.md").write_text("# Changed\n\nNew text.\n")
    (root / "slow").write_text("")
    proc = subprocess.Popen([sys.executable, "-m", "apecdocs", "-p", str(root), "build", "-j1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # its own group, as a terminal's job is
    deadline = time.monotonic() + 60
    while not (root / "started").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the build and its pandoc
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, output
    assert "interrupted" in output and "Traceback" not in output
    # The formats are written longest first: PDF, DOCX, HTML.
    assert (out / "doc.docx").read_bytes() == before["doc.docx"]  # stopped before writing
    assert (out / "doc.html").read_bytes() == before["doc.html"]  # never started
    assert "New text." in pdf_text(out / "doc.pdf")  # finished before Ctrl-C: complete
    assert not parts(root)
    json.loads((root / ".apecdocs/manifest.json").read_text())
    (root / "slow").unlink()
    report = Project.load(root).build()
    assert {o.target.format: o.status for o in report.outputs} == {
        "pdf": "unchanged", "docx": "built", "html": "built"}


# -- nothing outside the project is read --------------------------------------------------

@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize("markdown, words", [
    ('{% include "../secret.txt" %}', "not found inside the project"),
    ('{% include "/../secret.txt" %}', "not found inside the project"),
    ('{% include "link/secret.txt" %}', "outside the project folder"),
    ("![x](../../secret.txt)", "outside the project folder"),
    ("![x](/../secret.txt)", "outside the project folder"),
    ("![x](../link/secret.txt)", "outside the project folder"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed in a template"),
    ("{{ lipsum.__globals__ }}", "not allowed in a template"),
    ("{{ cycler.__init__.__globals__.os }}", "not allowed in a template"),
    ("{{ 9 ** 99999999 }}", "too large a number"),
    ("{{ 'x' * 10 ** 10 }}", "is refused"),
])
def test_content_cannot_reach_outside_or_run_code(project_dir, secret, markdown, words):
    root = project_dir(files={"content/01.md": markdown + "\n"})
    (root / "link").symlink_to(secret.parent, target_is_directory=True)
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    assert words in str(err.value)
    assert SECRET not in str(err.value)


def test_raw_typst_cannot_read_outside_the_project(project_dir, secret):
    root = project_dir(files={"content/01.md": f'```{{=typst}}\n#read("/../{secret.name}")\n```\n'})
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["pdf"])
    assert "Typst" in str(err.value) and SECRET not in str(err.value)
    assert not (root / "_build/en/doc.pdf").exists()


def test_a_symlinked_source_outside_the_project_is_refused(project_dir, secret):
    root = project_dir(files={"content/01.md": "x\n"})
    (root / "content/02.md").symlink_to(secret)
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "points outside the project folder" in str(err.value)


@pytest.mark.parametrize("key", ["styles: ../elsewhere", "output: ../elsewhere",
                                 "data:\n  x: ../secret.txt"])
def test_paths_in_the_project_file_stay_inside(project_dir, key):
    with pytest.raises(ApecdocsError) as err:
        Project.load(project_dir(MINIMAL + key + "\n"))
    assert "points outside the project folder" in str(err.value)
