"""What the review round costs: markers added to each DOCX build, and reading a copy.

On the example project's report: the time ``finalize_ast`` spends writing the review
markers (rendering the sources again and matching each block's words), against the
whole DOCX build; then ``Project.review`` on the built DOCX with a comment and a change
per chapter (reading, locating, merging). Best of ``--repeat`` runs each.

    python benchmarks/review.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    from reviewing import Reviewer  # needs python-docx (the test extra)

    from apecdocs import Project
    from apecdocs.build import Builder
    from apecdocs.review import markers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "example"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
            "_build", ".apecdocs", ".git", "*.venv*", "tests", "benchmarks", "src", "docs"))
        project = Project.load(root)
        document = project.documents["report"]
        ast, _, _ = Builder(project)._prepare(document, "en")
        copies = [copy.deepcopy(ast) for _ in range(args.repeat)]  # copying is not timed
        marking = best(lambda: markers.mark_document(copies.pop(), project, document, "en"),
                       args.repeat)
        build = best(lambda: Project.load(root).build(documents=["report"], formats=["docx"],
                                                      languages=["en"], force=True),
                     args.repeat)
        print(f"markers: {marking:.3f} s of a {build:.2f} s DOCX build of the report "
              f"({100 * marking / build:.0f}%)")
        reviewer = Reviewer(root / "_build/en/report.docx", "Reviewer")
        for path in document.sources:
            words = [w for w in path.read_text(encoding="utf-8").split() if w.isalpha()
                     and len(w) > 6]
            if words:
                try:
                    reviewer.comment("Please check.", on=words[len(words) // 2])
                except AssertionError:
                    continue
        copy_path = reviewer.save(root / "reviewed.docx")
        result = Project.load(root).review([copy_path])
        reading = best(lambda: Project.load(root).review([copy_path]), args.repeat)
        found = sum(1 for row in result.rows if row.location.file)
        print(f"review of one copy: {reading:.3f} s, {len(result.rows)} items, "
              f"{found} located")


if __name__ == "__main__":
    main()
