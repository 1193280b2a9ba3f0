"""The deep-review corpus (../shared/corpus/deep-review) as an apecdocs project folder,
for the benchmarks that time builds of it. Users have no corpus: callers skip cleanly."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "deep-review"
MANUSCRIPT = CORPUS / "manuscript-shortkeys.md"

PROJECT = """\
project: {number: BENCH 01 2024, title: Deep review benchmark}
documents:
  - id: review
    type: document
    title: Deep review
    sources: [manuscript.md]
"""


def available() -> bool:
    return MANUSCRIPT.is_file()


def body() -> str:
    """The manuscript without its own front matter."""
    text = MANUSCRIPT.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def write_project(work: Path, project: str = PROJECT,
                  text: Callable[[str], str] = lambda body: body) -> Path:
    """``work`` holding the manuscript (its own front matter replaced by ``jinja: false``,
    as an author of a file without Jinja would write it, then passed through ``text``),
    its images and ``project`` as apecdocs.yaml; returns the manuscript's path."""
    manuscript = work / "manuscript.md"
    manuscript.write_text("---\njinja: false\n---\n" + text(body()), encoding="utf-8")
    shutil.copytree(CORPUS / "images", work / "images")
    (work / "apecdocs.yaml").write_text(project, encoding="utf-8")
    return manuscript
