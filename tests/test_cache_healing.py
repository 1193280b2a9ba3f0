"""A cache that cannot lie: damaged entries are dropped with a one-line note and rebuilt,
never trusted and never fatal; --force reads no cache; a killed build's temporary files
are removed by the next build."""

from __future__ import annotations

import json
import os
from pathlib import Path

from apecdocs_citations import rendercache

from apecdocs import Project
from apecdocs.store import MAGIC, Store, checksum
from conftest import HTML, html_text, write_project

TEXT = "# Hello\n\nThe original words.\n"
CHART = TEXT + '\n```{.chart #fig-a caption="A"}\nkind: bar\nrows: [{a: x, b: 1}, {a: y, b: 2}]' \
               '\nx: a\ny: b\n```\n'


def built(tmp_path: Path, text: str = TEXT) -> Path:
    root = write_project(tmp_path / "proj", HTML, {"content/01.md": text})
    Project.load(root).build()
    return root


def parsed_entries(root: Path) -> list[Path]:
    return [p for p in (root / ".apecdocs/parsed").iterdir() if not p.name.startswith(".")]


def rebuild(root: Path, **options):
    """Build again with the output gone, so the target is rebuilt from the caches."""
    (root / "_build/en/doc.html").unlink()
    return Project.load(root).build(**options)


def test_a_changed_word_in_a_parsed_entry_is_not_trusted(tmp_path):
    root = built(tmp_path)
    for entry in parsed_entries(root):
        entry.write_bytes(entry.read_bytes().replace(b"original", b"FORGED"))
    report = rebuild(root)
    assert "The original words." in html_text(root / "_build/en/doc.html")
    [note] = report.notes
    assert note.startswith("note: dropped a damaged cache entry ") and note.endswith(
        "(its checksum does not match); it was rebuilt")


def test_garbage_entries_are_rebuilt_not_fatal(tmp_path):
    root = built(tmp_path)
    for entry in parsed_entries(root):
        entry.write_bytes(b"[]\n[]")
    report = rebuild(root)
    assert [o.status for o in report.outputs] == ["built"]
    assert "The original words." in html_text(root / "_build/en/doc.html")
    assert len(report.notes) == 1


def test_a_manifest_that_is_not_ours_is_dropped(tmp_path):
    root = built(tmp_path)
    (root / ".apecdocs/manifest.json").write_text("[]")
    report = Project.load(root).build()
    assert [o.status for o in report.outputs] == ["built"]
    assert any("manifest.json (it is not the manifest apecdocs wrote)" in n for n in report.notes)
    saved = json.loads((root / ".apecdocs/manifest.json").read_text())
    assert set(saved) == {"checksum", "entries"}
    assert [o.status for o in Project.load(root).build().outputs] == ["unchanged"]


def test_an_edited_manifest_entry_is_not_trusted(tmp_path):
    root = built(tmp_path)
    manifest = root / ".apecdocs/manifest.json"
    saved = json.loads(manifest.read_text())
    for entry in saved["entries"].values():
        entry["inputs"] = "0" * 64
    manifest.write_text(json.dumps(saved))
    report = Project.load(root).build()
    assert [o.status for o in report.outputs] == ["built"] and report.notes


def test_a_damaged_chart_is_drawn_again(tmp_path):
    root = built(tmp_path, CHART)
    charts = root / ".apecdocs/charts"
    [svg] = charts.glob("*.svg")
    good = svg.read_bytes()
    svg.write_bytes(b"<svg>garbage")
    report = rebuild(root)
    assert svg.read_bytes() == good
    assert any(f"{svg.name} (its checksum does not match)" in n for n in report.notes)
    assert html_text(root / "_build/en/doc.html")


def test_force_reads_no_cache_at_all(tmp_path):
    root = built(tmp_path)
    store = Store(root / ".apecdocs/parsed")
    for entry in parsed_entries(root):  # a lie with a valid checksum: only --force escapes it
        data = entry.read_bytes().partition(b"\n")[2].replace(b"original", b"FORGED")
        key = next(k for k in _keys(root) if store.path(k) == entry)
        entry.write_bytes(MAGIC + checksum(key, data) + b"\n" + data)
    rebuild(root, force=True)
    assert "The original words." in html_text(root / "_build/en/doc.html")


def _keys(root: Path) -> list[str]:
    """The store keys of the project's parsed texts, as the build computes them."""
    from apecdocs import assemble, pandoc
    from apecdocs.store import key

    project = Project.load(root)
    doc = project.documents["doc"]
    pieces = assemble.render_sources(project, doc, "en")
    return [key("parsed 1", pandoc.pandoc_version(), pandoc.MARKDOWN, p.text + "\n")
            for p in pieces]


def test_a_killed_builds_temporary_files_are_removed(tmp_path):
    root = built(tmp_path)
    dead = 2**22 + 12345  # above the default pid_max: no process has it
    leftovers = [root / f"_build/en/.doc.html.~{dead}~abc123.part",
                 root / f".apecdocs/parsed/.{'0' * 40}.~{dead}~1.part",
                 root / f".apecdocs/.manifest.json.~{dead}~1.part"]
    alive = root / f"_build/en/.doc.html.~{os.getpid()}~abc123.part"  # a build running now
    for path in [*leftovers, alive]:
        path.write_text("partial")
    Project.load(root).build()
    assert not any(p.exists() for p in leftovers)
    assert alive.exists()


def test_truncated_citation_caches_are_rebuilt(tmp_path):
    bibliography = [{"id": "aubin2021", "type": "book", "title": "Trade in the Region",
                     "issued": {"date-parts": [[2021]]},
                     "author": [{"family": "Aubin", "given": "A."}]}]
    root = write_project(tmp_path / "proj", HTML + "citations:\n  bibliography: refs.json\n",
                         {"content/01.md": "# T\n\nAs shown [@aubin2021].\n",
                          "refs.json": json.dumps(bibliography)})
    Project.load(root).build()
    first = html_text(root / "_build/en/doc.html")
    entries = [p for p in (root / ".apecdocs/citations").rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    rendercache._memory.clear()  # as a new process would
    report = rebuild(root)
    assert html_text(root / "_build/en/doc.html") == first
    assert "Aubin" in first and any("damaged cache entry" in n for n in report.notes)
