"""CPU time of each Python pass between parsing and writing, on the deep-review manuscript.

A warm DOCX build of a long report spends its Python time in a handful of passes over
the AST, one after the other, on the build's critical path: the parse's index of each
file, the plugins' transforms (charts, numbering and cross-references), column widths,
the images the cache depends on, and the review markers of the DOCX. Each is timed
here on its own, on a fresh copy of the parsed manuscript (about 36,000 words and
110,000 nodes), in this process's CPU time (hooks run in helper threads; nothing else
runs meanwhile), with the cycle collector paused as a build pauses it: the numbers hold
on a busy machine better than wall-clock times. Prints the minimum and the median of ``--repeat`` runs.

    python benchmarks/passes.py [--repeat 9]

Needs the corpus (../shared/corpus/deep-review); skips cleanly without it.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    if not corpus.available():
        print(f"skipped: the deep-review corpus is not at {corpus.CORPUS}")
        return 0

    import orjson

    from apecdocs import Project, assemble, tables
    from apecdocs.builtin import number
    from apecdocs.review.markers import mark_document

    work = Path(tempfile.mkdtemp(prefix="apecdocs-passes-"))
    try:
        corpus.write_project(work)
        project = Project.load(work)
        doc = project.documents["review"]
        lang = project.languages[0]
        pieces = assemble.render_sources(project, doc, lang)
        workdir = project.cache_path("work", "review.en")
        parsed = assemble.parse_indexed(project, doc, pieces, workdir)
        raw = orjson.dumps(parsed.ast)
        transformed = orjson.loads(raw)
        project.plugins.hook.transform_ast(ast=transformed, project=project, document=doc,
                                           lang=lang)
        ready = orjson.dumps(transformed)  # as the DOCX's own copy starts
        try:
            from apecdocs_charts import transform_ast as charts
        except ImportError:  # the charts plugin is not installed
            charts = None

        passes: list[tuple[str, bytes, Callable[[dict], object]]] = [
            ("parse: files' ASTs kept, indexed", raw,
             lambda ast: assemble.parse_indexed(project, doc, pieces, workdir)),
            ("parse index (one pass, all files)", raw,
             lambda ast: [assemble._Index(block["c"][1]) for block in ast["blocks"]]),
            ("transform_ast, every plugin", raw,
             lambda ast: project.plugins.hook.transform_ast(ast=ast, project=project,
                                                            document=doc, lang=lang)),
            ("  numbers and cross-references", raw,
             lambda ast: number(ast=ast, project=project, document=doc, lang=lang)),
            ("column widths", ready, lambda ast: tables.fit_columns(ast, project.root)),
            ("review markers (DOCX)", ready,
             lambda ast: mark_document(ast, project, doc, lang)),
        ]
        if charts is not None:
            passes.insert(3, ("  charts", raw, lambda ast: charts(ast=ast, project=project,
                                                                  document=doc, lang=lang)))
        words = len(corpus.body().split())
        print(f"deep-review manuscript: {words} words; CPU ms over {args.repeat} runs")
        print(f"{'pass':<38}{'min':>8}{'median':>8}")
        for name, source, run in passes:
            times = []
            for _ in range(args.repeat):
                ast = orjson.loads(source)
                assemble.keep_rendered(project, doc, lang, pieces)  # as a build does, untimed
                gc.disable()
                start = time.process_time()  # hooks run in helper threads: count them
                run(ast)
                times.append(1000 * (time.process_time() - start))
                gc.enable()
            print(f"{name:<38}{min(times):>8.1f}{statistics.median(times):>8.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
