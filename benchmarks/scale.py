"""How apecdocs scales: a generated project of 10 documents × 3 formats × 2 languages,
and a 500-page report.

For each it prints the cold build time (no cache, no outputs), the no-op build time
(nothing changed: every target skipped), a rebuild of every output (removed) that
finds the sources' parsed ASTs kept, the time of a full rebuild (nothing kept) serially (-j1) and in
parallel (default jobs) and the speedup, and peak memory: of the apecdocs process
itself (getrusage), of its largest pandoc child and of its largest Typst child (Typst
runs in a process of its own; VmHWM sampled from /proc on Linux, 0 elsewhere).
Builds run as ``python -m apecdocs`` in a child process, as a user runs them, so the
times include start-up. The content is generated (deterministic), so the benchmark
needs nothing outside this repository.

It ends with the rows of the performance targets it measures: the example project's
no-op rebuild (whole process, wall and CPU time) and the report's peak memory.

    python benchmarks/scale.py                 # about 4-6 minutes on 2 cores
    python benchmarks/scale.py --quick         # a smaller run, to try it out
    python benchmarks/scale.py --keep          # keep the generated projects
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

WORDS = " ".join([
    "economy digital trade policy small enterprises regional market online payments",
    "consumer protection data privacy logistics customs skills training platform",
    "government business cooperation standards access finance rural women growth",
    "framework capacity survey respondents measures strategy implementation review",
    "partners investment infrastructure broadband innovation services export"]).split()
WORDS_PER_PAGE = 350
RUNNER = """\
import json, os, resource, sys, threading, time
from pathlib import Path
from apecdocs.cli import cli

peak_kb = {"pandoc": 0, "typst": 0}
done = threading.Event()


def sample_children():  # the largest VmHWM of any pandoc and any Typst child, from /proc
    me = str(os.getpid())
    ours = Path("/proc/self/cmdline").read_bytes()
    while not done.wait(0.02):
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if stat.read_text().rsplit(")", 1)[1].split()[1] != me:
                    continue
                cmdline = (stat.parent / "cmdline").read_bytes()
                if cmdline == ours:
                    continue  # forked, not yet exec'd: its memory is ours
                kind = "typst" if b"import typst" in cmdline else "pandoc"
                for line in (stat.parent / "status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb[kind] = max(peak_kb[kind], int(line.split()[1]))
            except (OSError, IndexError, ValueError):
                pass


if Path("/proc/self/status").exists():
    threading.Thread(target=sample_children, daemon=True).start()
started = time.perf_counter()
code = 0
try:
    cli(sys.argv[1:], prog_name="apecdocs", standalone_mode=False)
except SystemExit as exc:
    code = exc.code or 0
seconds = time.perf_counter() - started
done.set()
usage = {"self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
         "children_mb": peak_kb["pandoc"] / 1024, "typst_mb": peak_kb["typst"] / 1024,
         "in_process_s": seconds, "code": code}
print("BENCH " + json.dumps(usage), file=sys.stderr)
"""


def sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=n)
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(8, 24)
        out.append(sentence(rng, n))
        count += n
    return textwrap.fill(" ".join(out), 88)


def chapter(rng: random.Random, number: int, words: int, doc: str) -> str:
    """A chapter with sections, a table, a list, a footnote and cross-references."""
    parts = [f"# Chapter {number} {{#sec-{doc}-ch{number}}}\n"]
    written, section = 0, 0
    while written < words:
        section += 1
        parts.append(f"## Section {number}.{section}\n")
        for _ in range(3):
            parts.append(paragraph(rng, 110) + "\n")
            written += 110
        if section % 3 == 1:
            rows = "\n".join(f"| {rng.choice(WORDS).title()} | {rng.randint(1, 99)} | "
                             f"{rng.randint(1, 99)}% |" for _ in range(6))
            parts.append(f"| Item | Count | Share |\n|:--|--:|--:|\n{rows}\n\n"
                         f": Table of section {number}.{section} "
                         f"{{#tbl-{doc}-{number}-{section}}}\n")
            parts.append(f"As @tbl-{doc}-{number}-{section} shows, the measures differ "
                         f"(see also @sec-{doc}-ch1).[^n{section}]\n\n"
                         f"[^n{section}]: {sentence(rng, 12)}\n")
            written += 60
        if section % 4 == 2:
            parts.append("\n".join(f"- {sentence(rng, 10)}" for _ in range(5)) + "\n")
            written += 50
    return "\n".join(parts)


def make_project(root: Path, documents: int, pages: int, languages: list[str],
                 chapters: int) -> None:
    rng = random.Random(20240501)
    root.mkdir(parents=True)
    docs_yaml = []
    for d in range(1, documents + 1):
        doc = f"doc{d:02d}"
        folder = root / "content" / doc
        folder.mkdir(parents=True)
        per_chapter = pages * WORDS_PER_PAGE // chapters
        for c in range(1, chapters + 1):
            (folder / f"{c:02d}.md").write_text(chapter(rng, c, per_chapter, doc))
        docs_yaml.append(f"  - id: {doc}\n    type: document\n    title: Generated document {d}\n"
                         f"    sources: [content/{doc}/*.md]\n    toc: true\n    lot: true\n"
                         f"    number_sections: true\n")
    (root / "apecdocs.yaml").write_text(
        "project: {number: BENCH 01 2024, title: Scale benchmark}\n"
        f"formats: [docx, pdf, html]\nlanguages: [{', '.join(languages)}]\n"
        "documents:\n" + "".join(docs_yaml))


def build(root: Path, *args: str) -> dict:
    """One ``apecdocs build`` in a child process: wall time, peak memory, exit code."""
    env = {**os.environ, "CI": "1"}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUNNER, "-p", str(root), "build", "-q", *args],
                          capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")]
    if proc.returncode or not lines or json.loads(lines[-1][6:])["code"]:
        sys.exit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    result = json.loads(lines[-1][6:])
    result["wall_s"] = wall
    result["summary"] = proc.stdout.strip().splitlines()[-1]
    return result


def measure(name: str, root: Path, targets: int) -> dict:
    print(f"\n{name}: {targets} targets", flush=True)
    shutil.rmtree(root / "_build", ignore_errors=True)
    shutil.rmtree(root / ".apecdocs", ignore_errors=True)
    cold = build(root)
    noop = build(root)
    # Every output gone, the sources' ASTs kept from the cold build (--force would read
    # no cache at all, the kept ASTs included).
    shutil.rmtree(root / "_build", ignore_errors=True)
    warm = build(root)
    shutil.rmtree(root / ".apecdocs" / "parsed", ignore_errors=True)
    serial = build(root, "--force", "-j1")
    shutil.rmtree(root / ".apecdocs" / "parsed", ignore_errors=True)
    parallel = build(root, "--force")
    assert noop["summary"].startswith(f"0 built, {targets} unchanged"), noop["summary"]
    rows = [("cold build (default jobs)", cold), ("no-op build", noop),
            ("rebuild, parsed kept", warm), ("full rebuild, -j1", serial),
            ("full rebuild, default jobs", parallel)]
    for label, r in rows:
        print(f"  {label:<28} {r['wall_s']:7.2f} s ({r['in_process_s']:6.2f} s after start-up)"
              f"   peak memory: apecdocs {r['self_mb']:4.0f} MB, pandoc {r['children_mb']:4.0f} MB, "
              f"Typst {r['typst_mb']:4.0f} MB")
    speedup = serial["wall_s"] / parallel["wall_s"]
    print(f"  parallel speedup over -j1: {speedup:.2f}x on {os.cpu_count()} CPU(s)")
    return {"cold": cold, "noop": noop, "warm": warm, "serial": serial, "parallel": parallel,
            "speedup": speedup}


REPO = Path(__file__).resolve().parents[1]
EXAMPLE = ("apecdocs.yaml", "content", "data", "locales", "styles", "templates")


def cpu_of(fn) -> tuple[float, float]:
    """Wall and CPU (user + system, of the child processes fn runs) seconds of ``fn``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    fn()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def example_noop(work: Path, runs: int) -> dict:
    """The repository's example project, built once, then ``apecdocs build`` with nothing
    changed, as a user types it: the whole process (start-up included), ``runs`` times."""
    root = work / "example"
    root.mkdir()
    for name in EXAMPLE:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
        elif (REPO / name).is_file():
            shutil.copy2(REPO / name, root / name)
    build(root)
    env = {**os.environ, "CI": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    command = [sys.executable, "-m", "apecdocs", "-p", str(root), "build", "-q"]
    subprocess.run(command, capture_output=True, env=env)  # bytecode written, caches warm
    times, summary = [], ""
    for _ in range(runs):
        def once() -> None:
            nonlocal summary
            proc = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
            summary = proc.stdout.strip().splitlines()[-1]
        times.append(cpu_of(once))
    assert summary.startswith("0 built"), summary
    wall = statistics.median(w for w, _ in times)
    cpu = statistics.median(c for _, c in times)
    print(f"\nexample project, no-op rebuild ({summary.split(',')[1].split()[0]} targets), "
          f"whole process, median of {runs}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    return {"wall": wall, "cpu": cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 documents, a 100-page report")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = parser.parse_args()
    docs, pages, big = (3, 10, 100) if args.quick else (10, 20, 500)
    work = Path(tempfile.mkdtemp(prefix="apecdocs-scale-"))
    try:
        started = time.perf_counter()
        make_project(work / "many", docs, pages, ["en", "vi"], chapters=5)
        make_project(work / "big", 1, big, ["en"], chapters=25)
        words = sum(len(p.read_text().split()) for p in (work / "big").rglob("*.md"))
        print(f"generated in {time.perf_counter() - started:.1f}s: {docs} documents of about "
              f"{pages} pages × 3 formats × 2 languages; a report of about {big} pages "
              f"({words:,} words)")
        noop = example_noop(work, 3 if args.quick else 5)
        measure(f"{docs} documents × 3 formats × 2 languages", work / "many", docs * 6)
        report = measure(f"one {big}-page report × 3 formats", work / "big", 3)
        pdf = work / "big/_build/en/doc01.pdf"
        try:
            from pypdf import PdfReader

            print(f"  the report's PDF has {len(PdfReader(str(pdf)).pages)} pages")
        except ImportError:  # pragma: no cover - pypdf is a test dependency
            pass
        peak = max(r["self_mb"] for key, r in report.items() if key != "speedup")
        print(f"\n{'measure':<58}{'result':>12}{'target':>12}")
        print(f"{'no-op rebuild of the example, whole process (wall)':<58}{noop['wall']:>10.2f} s"
              f"{'<= 0.25 s':>12}{'  met' if noop['wall'] <= 0.25 else '  NOT met'}")
        print(f"{'  the same, CPU time (what a loaded machine cannot inflate)':<58}"
              f"{noop['cpu']:>10.2f} s")
        print(f"{f'{big}-page report, peak memory of the apecdocs process':<58}{peak:>9.0f} MB"
              f"{'<= 500 MB':>12}{'  met' if peak <= 500 else '  NOT met'}")
        print(f"on {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} at the end")
        print(f"\ntotal {time.perf_counter() - started:.0f}s"
              + (f"; projects kept in {work}" if args.keep else ""))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
