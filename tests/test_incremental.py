"""Incremental builds: unchanged targets are skipped, any changed input rebuilds."""

from __future__ import annotations

import time

import pytest

from apecdocs import Project, hookimpl

PROJECT = """\
project:
  number: TEST 01 2024
  title: A Test Project
data:
  numbers: data/numbers.csv
documents:
  - id: doc
    type: document
    formats: [html, docx]
    sources: [content/*.md]
  - id: second
    type: document
    formats: [html]
    sources: [second/*.md]
"""

FILES = {
    "content/01.md": "# Hello\n\n{{ data.numbers | length }} rows.\n\n![Logo](logo.png)\n\n"
                     '{% include "parts/note.md" %}\n',
    "parts/note.md": "A note.\n",
    "data/numbers.csv": "n\n1\n2\n",
    "second/01.md": "# Second\n",
    "plugins/local.py": "from apecdocs import hookimpl\n\n@hookimpl\ndef jinja_globals():\n"
                        "    return {'version': 1}\n",
    "content/logo.png": bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"),
}


@pytest.fixture
def built(project_dir):
    root = project_dir(PROJECT, FILES)
    report = Project.load(root).build()
    assert {o.status for o in report.outputs} == {"built"} and len(report.outputs) == 3
    return root


def statuses(root, **kwargs) -> dict[str, str]:
    report = Project.load(root).build(**kwargs)
    return {o.target.name: o.status for o in report.outputs}


def test_nothing_changed_nothing_built(built):
    # How fast a no-op build is, is measured by benchmarks/scale.py, not here: a timed
    # test fails on a slow or busy machine (and did, on a fresh venv's first run).
    assert set(statuses(built).values()) == {"unchanged"}


def _append(path, text=b"\n\nMore.\n"):
    path.write_bytes(path.read_bytes() + text)


CHANGES = {
    "source": lambda root: _append(root / "content/01.md"),
    "included file": lambda root: _append(root / "parts/note.md"),
    "data file": lambda root: _append(root / "data/numbers.csv", b"3\n"),
    "image": lambda root: _append(root / "content/logo.png", b"\0"),
    "style": lambda root: (root / "styles").mkdir() or (root / "styles/style.css").write_text(
        "body { color: navy }"),
    "project plugin": lambda root: _append(root / "plugins/local.py", b"# edited\n"),
    "document option": lambda root: (root / "apecdocs.yaml").write_text(
        (root / "apecdocs.yaml").read_text().replace("    formats: [html, docx]",
                                                     "    formats: [html, docx]\n    toc: true")),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_input_rebuilds(built, change):
    CHANGES[change](built)
    after = statuses(built)
    assert after["en/doc.html"] == "built" and after["en/doc.docx"] == "built"
    if change not in ("data file", "style", "project plugin", "document option"):
        assert after["en/second.html"] == "unchanged"  # only the document that uses it
    assert set(statuses(built).values()) == {"unchanged"}  # and then it is current again


def test_a_new_pandoc_rebuilds_everything(built, monkeypatch):
    monkeypatch.setattr("apecdocs.pandoc.pandoc_version", lambda: "99.0")
    assert set(statuses(built).values()) == {"built"}


def test_a_new_typst_rebuilds_pdfs_only(project_dir, monkeypatch):
    root = project_dir()
    Project.load(root).build()
    monkeypatch.setattr("apecdocs.build._typst_version", lambda: "99.0")
    assert statuses(root) == {"en/doc.docx": "unchanged", "en/doc.pdf": "built",
                              "en/doc.html": "unchanged"}


def test_a_new_plugin_rebuilds(built):
    class Extra:
        @hookimpl
        def jinja_filters(self):
            return {"noop": lambda s: s}

    report = Project.load(built, plugins=[Extra()]).build()
    assert {o.status for o in report.outputs} == {"built"}


def test_another_output_folder_builds_there(built, tmp_path):
    after = Project.load(built).build(out=tmp_path / "elsewhere")
    assert {o.status for o in after.outputs} == {"built"}
    assert (tmp_path / "elsewhere/en/doc.html").is_file()


def test_a_deleted_or_edited_output_is_rebuilt(built):
    (built / "_build/en/doc.html").unlink()
    _append(built / "_build/en/doc.docx", b"tampered")
    after = statuses(built)
    assert after == {"en/doc.html": "built", "en/doc.docx": "built", "en/second.html": "unchanged"}


def test_force_rebuilds_everything(built):
    report = Project.load(built).build(force=True)
    assert {o.status for o in report.outputs} == {"built"}


def test_serial_and_parallel_builds_write_the_same_files(project_dir, tmp_path):
    root = project_dir(PROJECT, FILES)
    one = Project.load(root).build(jobs=1, out=tmp_path / "serial")
    many = Project.load(root).build(jobs=4, out=tmp_path / "parallel")
    assert sorted(o.target.name for o in one.outputs) == sorted(o.target.name for o in many.outputs)
    for o in one.outputs:
        if o.target.format == "html":
            other = tmp_path / "parallel" / o.path.relative_to(tmp_path / "serial")
            assert o.path.read_text() == other.read_text()


class Timeline:
    """Records when each format's finalize_ast runs and when pandoc writes it."""

    def __init__(self, monkeypatch) -> None:
        self.spans: dict[str, tuple[float, float]] = {}  # finalize_ast
        self.writes: dict[str, tuple[float, float]] = {}  # pandoc writing the format
        import apecdocs.write

        real = apecdocs.write.pandoc.write

        def write(ast, fmt, dest, options):
            start = time.perf_counter()
            time.sleep(0.3)
            try:
                return real(ast, fmt, dest, options)
            finally:
                self.writes[fmt] = (start, time.perf_counter())

        monkeypatch.setattr(apecdocs.write.pandoc, "write", write)

    @hookimpl
    def finalize_ast(self, ast, project, target):
        start = time.perf_counter()
        time.sleep(0.1)
        self.spans[target.format] = (start, time.perf_counter())


def _overlap(spans: dict[str, tuple[float, float]]) -> bool:
    ordered = sorted(spans.values())
    return any(b[0] < a[1] for a, b in zip(ordered, ordered[1:], strict=False))


def test_one_documents_formats_are_written_in_parallel_when_workers_are_free(project_dir,
                                                                             monkeypatch):
    root = project_dir()
    timeline = Timeline(monkeypatch)
    Project.load(root, plugins=[timeline]).build(jobs=3)
    assert len(timeline.writes) == 3 and _overlap(timeline.writes)
    # Each format's copy of the tree is made and released in turn: one in memory at a time.
    assert len(timeline.spans) == 3 and not _overlap(timeline.spans)
    timeline = Timeline(monkeypatch)
    Project.load(root, plugins=[timeline]).build(jobs=1, force=True)
    assert len(timeline.writes) == 3 and not _overlap(timeline.writes)


def test_a_kept_file_hash_follows_the_file(tmp_path):
    """Hashes are kept between targets of one build (and one watch session); an edit that
    restores the file's size and modification time is still seen."""
    import os

    from apecdocs.cache import file_digest

    path = tmp_path / "style.css"
    path.write_text("a { color: red }")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # old: its hash may be kept
    first = file_digest(path)
    assert file_digest(path) == first
    path.write_text("a { color: tan }")  # same size
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # same modification time
    assert file_digest(path) != first
    path.unlink()
    assert file_digest(path) == "missing"
